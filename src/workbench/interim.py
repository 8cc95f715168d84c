"""TEMPORARY glue for the walking-skeleton notebooks, until a profile API exists.

The batch notebooks (``notebooks/poverty_profile.ipynb``,
``notebooks/national_overview.ipynb``) need the FGT indices by governorate plus
the national row in one tidy table named the way :mod:`workbench.charts` names
measures (``headcount``, ``gap``, ``severity``; :mod:`workbench.measures` says
``fgt0``, ``fgt1``, ``fgt2``), and a few sentences in English and Arabic.
:func:`fgt_table` does the former with :func:`workbench.poverty.fgt` (the real
estimator, linearized SEs); :func:`heading`, :func:`summary` and
:func:`source_note` the latter, with strings kept here.

Integrator: move :func:`fgt_table` next to the estimators (or into a profile
module), reconcile the two measure namings, move the strings into
``workbench/i18n/catalogue.yaml``; then delete this module and
``tests/batch/test_interim.py``.

Examples
--------
>>> import pandas as pd
>>> s = pd.DataFrame({"governorate": ["IQG02"] * 4, "stratum": ["a"] * 4, "psu": [1, 1, 2, 2],
...                   "weight": [1.0, 1, 1, 1], "hhsize": [1, 3, 2, 2],
...                   "consumption_pc": [50.0, 200, 50, 200]})
>>> t = fgt_table(s, line=100, year=2024, measures=("headcount",))
>>> t[["measure", "governorate", "estimate", "n"]].to_dict("records")[0]
{'measure': 'headcount', 'governorate': 'IQG02', 'estimate': 0.375, 'n': 4}
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from workbench.errors import DataError, ParameterError
from workbench.i18n import Lang, place_name, tr
from workbench.poverty import fgt
from workbench.results import flag_small_cells
from workbench.survey import SurveyDesign

__all__ = ["NATIONAL", "fgt_table", "heading", "read_survey", "source_note", "summary",
           "survey_file"]

NATIONAL = "national"
ALPHAS: dict[str, float] = {"headcount": 0.0, "gap": 1.0, "severity": 2.0}
_COLUMNS = ["hhid", "year", "governorate", "stratum", "psu", "weight", "hhsize", "consumption_pc"]


def survey_file(data_dir: str | os.PathLike[str], year: int) -> Path:
    """``<data_dir>/survey_<year>.parquet``; a relative ``data_dir`` is looked up from
    the current directory and then its parents (a notebook opened in ``notebooks/``
    finds ``data/demo`` at the project root).

    Raises
    ------
    DataError
        If no such file exists.
    """
    name = f"survey_{int(year)}.parquet"
    data_dir = Path(data_dir)
    candidates = [data_dir / name] if data_dir.is_absolute() else \
        [base / data_dir / name for base in (Path.cwd(), *Path.cwd().parents)]
    for path in candidates:
        if path.is_file():
            return path
    raise DataError(f"survey file {data_dir / name} not found (looked in {Path.cwd()} and its "
                    "parents); for the demo data run `workbench data demo --seed 0`")


def read_survey(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The columns of a canonical survey round that the headcount needs."""
    return pd.read_parquet(path, columns=_COLUMNS)


def fgt_table(survey: pd.DataFrame, *, line: float, year: int,
              measures: Sequence[str] = ("headcount", "gap", "severity"),
              min_n: int = 30) -> pd.DataFrame:
    """FGT indices by governorate and national, person-weighted, in one tidy table.

    Parameters
    ----------
    survey : pandas.DataFrame
        A canonical survey round (``governorate``, ``stratum``, ``psu``,
        ``weight``, ``hhsize``, ``consumption_pc``).
    line : float
        Poverty line, IQD per person per month.
    year : int
        Survey round, written to the ``year`` column.
    measures : sequence of {"headcount", "gap", "severity"}
    min_n : int
        Rows resting on fewer sampled households get ``suppressed = True``.

    Returns
    -------
    pandas.DataFrame
        ``measure, governorate`` (P-codes, then ``national``), ``year, estimate,
        se, ci_low, ci_high, df, n, N, cv, suppressed``.
    """
    unknown = [m for m in measures if m not in ALPHAS]
    if unknown:
        raise ParameterError(f"unknown FGT measure {unknown[0]!r}; valid: {', '.join(ALPHAS)}")
    design = SurveyDesign(survey, weight="weight", strata="stratum", psu="psu", hhsize="hhsize",
                          lonely_psu="centre")
    parts = []
    for name in measures:
        by_gov = fgt(design, "consumption_pc", line=line, alpha=ALPHAS[name], by="governorate")
        national = fgt(design, "consumption_pc", line=line, alpha=ALPHAS[name])
        parts += [by_gov.table.assign(measure=name),
                  national.table.assign(measure=name, governorate=NATIONAL)]
    table = pd.concat(parts, ignore_index=True).drop(columns="deff", errors="ignore")
    table.insert(0, "year", int(year))
    first = ["measure", "governorate"]
    table = table[first + [c for c in table if c not in first]]
    return flag_small_cells(table, min_n)


def heading(report: str, place: str, year: int, lang: Lang, *, synthetic: bool) -> str:
    """Markdown title of a report, under the synthetic-data banner when it applies.

    The banner always contains the English words ``SYNTHETIC DEMO DATA`` (the
    marker every output from demo data carries), and the Arabic text in the
    Arabic edition.

    Examples
    --------
    >>> print(heading("poverty_profile", "IQG02", 2024, "en", synthetic=True))
    **SYNTHETIC DEMO DATA: these figures are simulated and are not official statistics.**
    <BLANKLINE>
    # Poverty profile: Basrah, 2024
    """
    title = tr("report.title", lang, report=tr(f"report.{report}", lang),
               place=place_name(place, lang), year=year)
    if not synthetic:
        return f"# {title}"
    banner = tr("banner.synthetic", "en")
    if lang != "en":
        banner = f"{tr('banner.synthetic', lang)} (SYNTHETIC DEMO DATA)"
    return f"**{banner}**\n\n# {title}"


_SUMMARY = {
    "en": "In {year}, {share} of the people of {place} lived in households below the poverty "
          "line of {line} per person per month (95% CI {ci}). Nationally: {national}.",
    "ar": "في عام {year}، كان {share} من سكان {place} يعيشون في أسر دون خط الفقر البالغ {line} "
          "للفرد شهريًا (فترة الثقة 95٪: {ci}). على المستوى الوطني: {national}.",
}
_SUPPRESSED = {
    "en": "The sample of {place} in {year} is too small to publish its headcount (n < {min_n}).",
    "ar": "عينة {place} في عام {year} أصغر من أن تُنشر نسبة الفقر فيها (أقل من {min_n} أسرة).",
}
_SOURCE = {"en": "Source: {file}", "ar": "المصدر: {file}"}
_SYNTHETIC_SOURCE = {"en": "synthetic demo data", "ar": "بيانات تجريبية مصطنعة"}


def summary(table: pd.DataFrame, place: str, lang: Lang, *, line: float, min_n: int = 30) -> str:
    """One sentence on a governorate's headcount (from :func:`fgt_table`) against the national one.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"measure": "headcount", "governorate": ["IQG02", "national"],
    ...                   "year": [2024, 2024], "estimate": [0.16, 0.2], "ci_low": [0.13, 0.19],
    ...                   "ci_high": [0.19, 0.21], "n": [900, 25000], "suppressed": [False, False]})
    >>> summary(t, "IQG02", "en", line=131400.0)[:60]
    'In 2024, 16.0% of the people of Basrah lived in households b'
    """
    from workbench.charts import format_ci, format_value

    rows = table[table["measure"] == "headcount"].set_index("governorate")
    row, nat = rows.loc[place], rows.loc[NATIONAL]
    fields = {"year": int(row["year"]), "place": place_name(place, lang)}
    if bool(row["suppressed"]):
        return _SUPPRESSED[lang].format(min_n=min_n, **fields)
    return _SUMMARY[lang].format(
        share=format_value(row["estimate"], "headcount", lang=lang),
        line=format_value(line, "poverty_line", lang=lang),
        ci=format_ci(row["ci_low"], row["ci_high"], "headcount"),
        national=format_value(nat["estimate"], "headcount", lang=lang), **fields)


def source_note(path: str | os.PathLike[str], lang: Lang, *, synthetic: bool) -> str:
    """Chart source note: the data file, and whether it is synthetic.

    Examples
    --------
    >>> source_note("data/demo/survey_2024.parquet", "en", synthetic=True)
    'Source: survey_2024.parquet (synthetic demo data)'
    """
    text = _SOURCE[lang].format(file=Path(path).name)
    return f"{text} ({_SYNTHETIC_SOURCE[lang]})" if synthetic else text
