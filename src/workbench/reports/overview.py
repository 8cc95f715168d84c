"""The national tables: contributions of governorates, the strategy target, the line table.

Examples
--------
>>> t = line_rows(2024, years=[2007, 2012, 2018, 2024])
>>> t["year"].tolist()
[2007, 2012, 2018, 2024]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from workbench.charts import ReportTable, format_ci, format_count, format_value, target_path
from workbench.charts.disclosure import apply_disclosure
from workbench.decompositions import fgt_contributions
from workbench.errors import ParameterError
from workbench.i18n import Lang, place_name, tr
from workbench.measures import FGT_MEASURES
from workbench.poverty import fgt
from workbench.poverty_lines import line_table
from workbench.reports.data import NATIONAL, Round
from workbench.strategy import load_strategy

__all__ = ["contributions_report_table", "contributions_table", "line_report_table", "line_rows", "line_sentence",
           "strategy_target"]



def contributions_table(rnd: Round, *, measure: str = "headcount", min_n: int = 30,
                        level: float = 0.95) -> pd.DataFrame:
    """Each governorate's share of Iraq's poor (:func:`workbench.decompositions.fgt_contributions`).

    Parameters
    ----------
    rnd : Round
    measure : {"headcount", "gap", "severity"}
        The FGT index decomposed; ``headcount`` gives the share of the poor.
    min_n : int
    level : float

    Returns
    -------
    pandas.DataFrame
        Tidy rows, one per governorate and measure: ``share_of_poor`` (the
        contribution share) and ``population_share``, with ``estimate, se,
        ci_low, ci_high, df, n, N, suppressed`` (``N``: the governorate's
        weighted population); the ``All`` row is dropped.
    """
    if measure not in FGT_MEASURES:
        raise ParameterError(f"unknown measure {measure!r}; valid: {', '.join(FGT_MEASURES)}")
    raw = fgt_contributions(rnd.design, "consumption_pc", line=rnd.line,
                            alpha=FGT_MEASURES[measure], by="governorate")
    raw = raw[raw["governorate"] != "All"]
    population = fgt(rnd.design, "consumption_pc", line=rnd.line, by="governorate").table
    people = population.set_index("governorate")["N"].reindex(raw["governorate"]).to_numpy()
    df = float(rnd.design.df)
    q = stats.t.ppf(0.5 + level / 2, df) if df > 0 else np.inf
    parts = []
    for name, column in (("share_of_poor", "contribution_share"),
                         ("population_share", "population_share")):
        est, se = raw[column].to_numpy(dtype=float), raw[f"{column}_se"].to_numpy(dtype=float)
        parts.append(pd.DataFrame({
            "measure": name, "year": rnd.year, "governorate": raw["governorate"].to_numpy(),
            "estimate": est, "se": se, "ci_low": est - q * se, "ci_high": est + q * se, "df": df,
            "n": raw["n"].to_numpy(), "N": people}))
    table = pd.concat(parts, ignore_index=True)
    table.attrs["decomposed"] = measure
    return apply_disclosure(table, min_n=min_n, suppress=False)


def strategy_target(trend: pd.DataFrame, *, place: str = NATIONAL) -> pd.DataFrame | None:
    """The strategy's target path for ``place``, from ``parameters/strategy.yaml``.

    The target (:mod:`workbench.strategy`) is the one the strategy progress
    dashboard opens with; the path runs from
    the place's estimate in the baseline round (see
    :func:`workbench.charts.target_path`).

    Parameters
    ----------
    trend : pandas.DataFrame
        From :func:`workbench.reports.trend_table`.
    place : str

    Returns
    -------
    pandas.DataFrame or None
        ``year, target``; None when the baseline round is not in ``trend`` or
        its estimate is suppressed.
    """
    goal = load_strategy()
    rows = trend[(trend["measure"] == goal.measure) & (trend["governorate"] == place)
                 & (trend["year"] == goal.baseline_year)]
    if rows.empty or bool(rows["suppressed"].iloc[0]) or pd.isna(rows["estimate"].iloc[0]):
        return None
    path = target_path(goal.baseline_year, float(rows["estimate"].iloc[0]), goal.target_year,
                       reduction=goal.reduction)
    path.attrs["measure"] = goal.measure
    return path


def line_rows(year: int, *, years: Sequence[int] | None = None) -> pd.DataFrame:
    """The official line of each survey round up to ``year``, with its derivation.

    Parameters
    ----------
    year : int
        The report's round; later rounds are left out.
    years : sequence of int, optional
        The rounds to show (default: every year from the first base to ``year``).

    Returns
    -------
    pandas.DataFrame
        :func:`workbench.poverty_lines.line_table`'s national rows: ``year, line,
        base_year, base_line, cpi_ratio, method, status``.
    """
    chosen = [y for y in (years or range(2007, int(year) + 1)) if int(y) <= int(year)]
    table = line_table(chosen)
    table = table[table["governorate"] == NATIONAL].drop(columns="governorate")
    return table.reset_index(drop=True)


def line_report_table(lines: pd.DataFrame, *, lang: Lang = "en") -> ReportTable:
    """The line table (:func:`line_rows`) for a report: year, line in IQD, base, CPI ratio, status.

    Examples
    --------
    >>> line_report_table(line_rows(2012, years=[2007, 2012])).rows[1][:2]
    ['2012', '105,500']
    """
    header = [tr(f"report.line_label.{c}", lang) for c in ("year", "line", "base_year", "cpi_ratio",
                                                            "status")]
    rows = [[str(int(r["year"])), format_value(r["line"], "poverty_line", lang=lang, unit=False),
             str(int(r["base_year"])), f"{r['cpi_ratio']:.3f}", str(r["status"])]
            for r in lines.to_dict("records")]
    return ReportTable(header=header, rows=rows, lang=lang, numeric=[False, True, False, True, False],
                       suppressed=[False] * len(rows))


def line_sentence(lines: pd.DataFrame, year: int, lang: Lang = "en") -> str:
    """One sentence on the line of ``year`` and how it was derived.

    Examples
    --------
    >>> line_sentence(line_rows(2012, years=[2012]), 2012)
    'The 2012 poverty line is 105,500 IQD per person per month (the survey-based line of that year).'
    """
    row = lines[lines["year"] == int(year)].iloc[0]
    method = tr(f"report.line_method.{row['method']}", lang, base_year=int(row["base_year"]),
                base_line=format_value(row["base_line"], "poverty_line", lang=lang))
    return tr("report.line_used", lang, year=int(year),
              line=format_value(row["line"], "poverty_line", lang=lang), method=method)


def contributions_report_table(contributions: pd.DataFrame, *, lang: Lang = "en",
                               min_n: int = 30) -> ReportTable:
    """Share of Iraq's poor beside share of its population, by governorate, largest first.

    Parameters
    ----------
    contributions : pandas.DataFrame
        From :func:`contributions_table`.
    lang : {"en", "ar"}
    min_n : int
        Disclosure threshold: a governorate under it shows "n < 30".
    """
    rows = apply_disclosure(contributions, min_n=min_n)
    poor = rows[rows["measure"] == "share_of_poor"].set_index("governorate")
    pop = rows[rows["measure"] == "population_share"].set_index("governorate").reindex(poor.index)
    order = poor.sort_values(["suppressed", "estimate"], ascending=[True, False]).index
    mark = tr("label.suppressed_short", lang, min_n=min_n)
    header = [tr("label.governorate", lang), tr("measure.share_of_poor", lang), tr("label.ci", lang),
              tr("measure.population_share", lang), tr("label.ci", lang), tr("label.n", lang)]
    body = []
    for code in order:
        p, q = poor.loc[code], pop.loc[code]
        cells = [place_name(code, lang)]
        for r in (p, q):
            cells += ([mark, ""] if r["suppressed"] else
                      [format_value(r["estimate"], "share_of_poor", lang=lang),
                       format_ci(r["ci_low"], r["ci_high"], "share_of_poor", lang=lang)])
        body.append(cells + [format_count(p["n"])])
    note = tr("note.suppressed", lang, min_n=min_n) if poor["suppressed"].any() else ""
    return ReportTable(header=header, rows=body, lang=lang, note=note,
                       numeric=[False] + [True] * 5, suppressed=poor.loc[order, "suppressed"].tolist())
