"""How poverty changed since the previous round: growth and redistribution, growth incidence.

Both analyses compare real consumption. The official line of each round is in
that round's prices, so the earlier round's consumption is carried into the
later round's prices by the ratio of the two lines (the CPI ratio,
:func:`workbench.poverty_lines.official_line`), and both rounds are then
measured at the later line: the earlier headcount is unchanged by the
rescaling, and the growth component measures growth of *real* mean consumption.

- :func:`change_table`: the Shapley decomposition of the change in the
  headcount (:func:`workbench.decompositions.shapley_growth_redistribution`);
- :func:`change_report_table`: that decomposition as a report table;
- :func:`incidence_table`: the growth incidence curve
  (:func:`workbench.growth_incidence.growth_incidence`), annualised.

Examples
--------
>>> import pandas as pd
>>> from workbench.survey import SurveyDesign
>>> from workbench.batch.figures import Source
>>> def rnd(year, y, line):
...     frame = pd.DataFrame({"consumption_pc": y, "weight": 1.0})
...     return Round(year, SurveyDesign(frame, weight="weight"), line, Source("x", "0" * 64, True))
>>> a, b = rnd(2018, [1.0, 2, 3, 4], 2.0), rnd(2024, [2.0, 4, 6, 8], 2.5)
>>> real_design(a, b).data["consumption_pc"].tolist()  # 2018 in 2024 prices (x 1.25)
[1.25, 2.5, 3.75, 5.0]
>>> t = change_table(a, b, min_n=1).set_index("component")["estimate"]

In real terms 2024 is 2018 times 1.6 (the same Lorenz curve: no redistribution),
and one person in four is below the line in both rounds, before and after
scaling by the means: every component is zero.

>>> t.round(4).to_dict()
{'fgt_a': 0.25, 'fgt_b': 0.25, 'change': 0.0, 'growth': 0.0, 'redistribution': 0.0}
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from workbench.batch import figures
from workbench.charts import ReportTable, format_count, growth_incidence_chart
from workbench.charts.disclosure import apply_disclosure
from workbench.decompositions import shapley_growth_redistribution
from workbench.growth_incidence import growth_incidence
from workbench.i18n import Lang, tr
from workbench.reports.data import NATIONAL, Round
from workbench.reports.text import change_sentence, points, points_ci, section
from workbench.survey import SurveyDesign

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = ["COMPONENTS", "MEASURES", "ChangeSection", "change_report_table", "change_table", "deflator",
           "incidence_table", "previous_round", "real_design", "records", "since_previous"]

WELFARE = "consumption_pc"
#: The rows of :func:`change_table`, in the order a report shows them.
COMPONENTS = ("fgt_a", "fgt_b", "change", "growth", "redistribution")
#: The ``measure`` of each component in the results store (the base round is ``year_a``).
MEASURES = {"fgt_a": "headcount_start", "fgt_b": "headcount_end", "change": "headcount_change",
            "growth": "growth_component", "redistribution": "redistribution_component"}
_RECORD = ["measure", "year", "year_a", "governorate", "estimate", "se", "ci_low", "ci_high", "df", "n",
           "N", "suppressed"]


def previous_round(years: Iterable[int], year: int) -> int | None:
    """The latest round before ``year`` among ``years``; None for the first round.

    Examples
    --------
    >>> previous_round([2007, 2012, 2018, 2024], 2024), previous_round([2007, 2012], 2007)
    (2018, None)
    """
    earlier = [int(y) for y in years if int(y) < int(year)]
    return max(earlier) if earlier else None


def deflator(earlier: Round, later: Round) -> float:
    """Factor carrying the earlier round's consumption into the later round's prices (line ratio)."""
    return later.line / earlier.line


def real_design(earlier: Round, later: Round) -> SurveyDesign:
    """The earlier round's design with consumption in the later round's prices.

    A new design over a copy of the data: the round's own data are not modified.
    """
    data = earlier.design.data
    data = data.assign(**{WELFARE: data[WELFARE] * deflator(earlier, later)})
    return dataclasses.replace(earlier.design, data=data)


def _tidy(table: pd.DataFrame, earlier: Round, later: Round, min_n: int, measure: pd.Series | str
          ) -> pd.DataFrame:
    out = table.copy()
    out.insert(0, "measure", measure)
    out.insert(0, "governorate", NATIONAL)
    out.insert(0, "year", later.year)
    out.insert(1, "year_a", earlier.year)
    out["n"] = out[["n_a", "n_b"]].min(axis=1)  # disclosure rests on the smaller sample
    out = apply_disclosure(out, min_n=min_n)
    out.attrs.update(year_a=earlier.year, year_b=later.year, deflator=deflator(earlier, later),
                     line=later.line)
    return out


def change_table(earlier: Round, later: Round, *, min_n: int = 30, level: float = 0.95) -> pd.DataFrame:
    """Shapley decomposition of the change in the national headcount into growth and redistribution.

    Parameters
    ----------
    earlier, later : Round
        The previous round and the report's round.
    min_n : int
        Disclosure threshold, applied to the smaller of the two rounds' samples.
    level : float

    Returns
    -------
    pandas.DataFrame
        One row per ``component`` (:data:`COMPONENTS`: the headcount of each
        round, the change, the growth and the redistribution components, which
        add up to the change; ``measure`` names it for the results store,
        :data:`MEASURES`), with ``year, year_a, governorate`` and
        ``estimate, se, ci_low, ci_high, df, n, N, n_a, n_b, N_a, N_b,
        suppressed`` (``n``: the smaller of ``n_a`` and ``n_b``). ``attrs``
        hold ``year_a, year_b, deflator`` (the line ratio) and ``line``.
    """
    return _change(real_design(earlier, later), earlier, later, min_n=min_n, level=level)


def _change(real: SurveyDesign, earlier: Round, later: Round, *, min_n: int, level: float) -> pd.DataFrame:
    """:func:`change_table` on ``real``, the earlier round in the later round's prices."""
    result = shapley_growth_redistribution(real, later.design, WELFARE, line=later.line, alpha=0.0,
                                           level=level)
    table = result.table.set_index("component").loc[list(COMPONENTS)].reset_index()
    return _tidy(table, earlier, later, min_n, table["component"].map(MEASURES))


def change_report_table(change: pd.DataFrame, *, lang: Lang = "en", min_n: int = 30) -> ReportTable:
    """The decomposition (:func:`change_table`) for a report: estimate, SE, 95% CI, n of both rounds.

    The headcounts are in percent, the change and its components in
    percentage points (signed, with a true minus sign: see :func:`workbench.reports.text.points`); a row resting on fewer than ``min_n``
    households in either round shows "n < 30".
    """
    rows = apply_disclosure(change, min_n=min_n).set_index("component")
    year_a, year_b = int(change.attrs["year_a"]), int(change.attrs["year_b"])
    labels = {"fgt_a": tr("report.change_label.fgt", lang, year=year_a),
              "fgt_b": tr("report.change_label.fgt", lang, year=year_b),
              **{c: tr(f"report.change_label.{c}", lang) for c in COMPONENTS[2:]}}
    mark = tr("label.suppressed_short", lang, min_n=min_n)
    header = [tr("report.change_label.component", lang), tr("label.estimate", lang), tr("label.se", lang),
              tr("label.ci", lang), tr("report.change_label.n_year", lang, year=year_a),
              tr("report.change_label.n_year", lang, year=year_b)]
    body = []
    for component in COMPONENTS:
        r = rows.loc[component]
        signed = component not in ("fgt_a", "fgt_b")
        cells = ([mark, "", ""] if r["suppressed"] else
                 [points(r["estimate"], lang, signed=signed), points(r["se"], lang, signed=False),
                  points_ci(r["ci_low"], r["ci_high"], lang, signed=signed)])
        body.append([labels[component], *cells, format_count(r["n_a"]), format_count(r["n_b"])])
    note = tr("note.suppressed", lang, min_n=min_n) if rows["suppressed"].any() else ""
    return ReportTable(header=header, rows=body, lang=lang, note=note, numeric=[False] + [True] * 5,
                       suppressed=rows.loc[list(COMPONENTS), "suppressed"].tolist())


def incidence_table(earlier: Round, later: Round, *, percentiles: Iterable[float] = range(1, 100),
                    min_n: int = 30, level: float = 0.95) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Growth incidence curve of real consumption per person, annualised, with its summaries.

    Parameters
    ----------
    earlier, later : Round
    percentiles : iterable of float
    min_n : int
    level : float

    Returns
    -------
    curve : pandas.DataFrame
        One row per ``percentile`` (``measure`` ``growth_incidence``): annual growth rate (``estimate``, a
        proportion per year) with ``se, ci_low, ci_high, df, n, n_a, n_b``,
        ``welfare_a`` (in the later round's prices), ``welfare_b``, ``poor``.
    summary : pandas.DataFrame
        One row per ``indicator`` (also its ``measure``): ``mean_growth`` (annual growth of the mean),
        ``headcount_a`` and ``pro_poor_growth``.

    Both carry ``attrs`` ``year_a, year_b, deflator, line`` and ``years``.
    """
    return _incidence(real_design(earlier, later), earlier, later, percentiles=percentiles, min_n=min_n,
                      level=level)


def _incidence(real: SurveyDesign, earlier: Round, later: Round, *,
               percentiles: Iterable[float] = range(1, 100), min_n: int,
               level: float = 0.95) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`incidence_table` on ``real``, the earlier round in the later round's prices."""
    years = later.year - earlier.year
    gic = growth_incidence(real, later.design, WELFARE, percentiles=percentiles, line=later.line,
                           years=years, level=level)
    curve = _tidy(gic.curve.table, earlier, later, min_n, "growth_incidence")
    summary = _tidy(gic.summary.table, earlier, later, min_n, gic.summary.table["indicator"])
    for t in (curve, summary):
        t.attrs["years"] = years
    return curve, summary


def records(table: pd.DataFrame, *domain: str) -> pd.DataFrame:
    """The tidy columns of a table of this module, for the figures sidecar and the results store.

    The store turns every column it does not know into the row's ``domain``;
    keeping only ``year_a`` and the named ``domain`` columns (``percentile``)
    makes that ``year_a=2018`` (the base round), or ``percentile=50.0;year_a=2018``.

    Examples
    --------
    >>> t = pd.DataFrame({c: [0] for c in [*_RECORD, "percentile", "welfare_a", "n_a"]})
    >>> list(records(t, "percentile").columns)[-3:]
    ['N', 'suppressed', 'percentile']
    """
    return table[[*_RECORD, *domain]].reset_index(drop=True)


@dataclasses.dataclass(frozen=True)
class ChangeSection:
    """The report's section on the change since the previous round, computed once.

    Build it with :func:`since_previous`; the notebook records it, then shows its
    text, table and chart.
    """

    earlier: Round
    later: Round
    decomposition: pd.DataFrame
    curve: pd.DataFrame
    summary: pd.DataFrame
    min_n: int

    def record(self) -> None:
        """Record the decomposition, the curve and its summary in the run's figures sidecar."""
        year_a = self.earlier.year
        figures.record("growth_redistribution", records(self.decomposition), line=self.later.line,
                       year_a=year_a, deflator=self.decomposition.attrs["deflator"])
        figures.record("growth_incidence", records(self.curve, "percentile"), year_a=year_a,
                       years=self.curve.attrs["years"], deflator=self.curve.attrs["deflator"],
                       unit="annual real growth rate")
        figures.record("growth_incidence_summary", records(self.summary), year_a=year_a)

    def text(self, lang: Lang) -> str:
        """The section's introduction and its one-sentence summary (Markdown)."""
        return (section("change", lang, start=self.earlier.year, end=self.later.year) + "\n\n"
                + change_sentence(self.decomposition, lang, min_n=self.min_n))

    def table(self, lang: Lang) -> ReportTable:
        """The decomposition table (:func:`change_report_table`)."""
        return change_report_table(self.decomposition, lang=lang, min_n=self.min_n)

    def chart(self, lang: Lang, *, source: str) -> go.Figure:
        """The growth incidence curve (:func:`workbench.charts.growth_incidence_chart`)."""
        at = self.summary.set_index("indicator")["estimate"]
        return growth_incidence_chart(
            self.curve, start=self.earlier.year, end=self.later.year, years=self.curve.attrs["years"],
            mean_growth=at["mean_growth"], headcount=at["headcount_a"],
            deflator=self.curve.attrs["deflator"], lang=lang, min_n=self.min_n, source=source)


def since_previous(rounds: Iterable[Round], later: Round, *, min_n: int = 30) -> ChangeSection | None:
    """The change from the round before ``later`` among ``rounds``; None for the first round."""
    earlier_rounds = {r.year: r for r in rounds}
    previous = previous_round(earlier_rounds, later.year)
    if previous is None:
        return None
    earlier = earlier_rounds[previous]
    real = real_design(earlier, later)  # one copy in the later prices, and its design caches, for both
    curve, summary = _incidence(real, earlier, later, min_n=min_n)
    return ChangeSection(earlier, later, _change(real, earlier, later, min_n=min_n, level=0.95), curve,
                         summary, min_n)
