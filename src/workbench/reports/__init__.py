"""Content builders for the report notebooks: tables and sentences, computed once.

The notebooks (``notebooks/poverty_profile.ipynb``, ``notebooks/national_overview.ipynb``)
stay thin: a parameters cell, then calls into this package and
:mod:`workbench.charts`. Every table here is tidy (``measure, year,
governorate, estimate, se, ci_low, ci_high, df, n, N, suppressed`` plus its
domain columns), so it goes both to a chart and to the figures sidecar.

- :mod:`workbench.reports.data`: a survey round as a design, with its line and provenance;
- :mod:`workbench.reports.profile`: the tables of one governorate's profile;
- :mod:`workbench.reports.overview`: the national tables;
- :mod:`workbench.reports.text`: headings and sentences, from the i18n catalogue.
"""

from workbench.reports.data import NATIONAL, Round, available_years, load_round, survey_file
from workbench.reports.overview import (
    contributions_report_table,
    contributions_table,
    line_report_table,
    line_rows,
    line_sentence,
    strategy_target,
)
from workbench.reports.profile import (
    estimate_se_table,
    fgt_table,
    group_table,
    inequality_table,
    poor_profile,
    profile_records,
    profile_report_table,
    trend_table,
)
from workbench.reports.text import heading, section, source_note, summary

__all__ = [
    "NATIONAL",
    "Round",
    "available_years",
    "contributions_report_table",
    "contributions_table",
    "estimate_se_table",
    "fgt_table",
    "group_table",
    "heading",
    "inequality_table",
    "line_report_table",
    "line_rows",
    "line_sentence",
    "load_round",
    "poor_profile",
    "profile_records",
    "profile_report_table",
    "section",
    "source_note",
    "strategy_target",
    "summary",
    "survey_file",
    "trend_table",
]
