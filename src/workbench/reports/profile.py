"""The tables of a governorate's poverty profile, each computed once over the full design.

Sub-populations (a governorate, its districts, its displaced households ...) are
domains of the whole round's design (``by=``), never subsets, so their SEs
are right; the 18-governorate table is one call per measure.

Measure names follow :mod:`workbench.charts` and the catalogue: ``headcount``,
``gap``, ``severity`` (``fgt0``, ``fgt1``, ``fgt2`` in :mod:`workbench.measures`;
the results store maps one to the other).

Examples
--------
>>> import pandas as pd
>>> s = pd.DataFrame({"governorate": ["IQG02"] * 4, "stratum": ["a"] * 4, "psu": [1, 1, 2, 2],
...                   "weight": [1.0, 1, 1, 1], "hhsize": [1, 3, 2, 2],
...                   "consumption_pc": [50.0, 200, 50, 200]})
>>> from workbench.survey import SurveyDesign
>>> d = SurveyDesign(s, weight="weight", strata="stratum", psu="psu", hhsize="hhsize")
>>> t = fgt_table(d, line=100, year=2024, measures=("headcount",))
>>> t[["measure", "governorate", "estimate", "n"]].to_dict("records")[0]
{'measure': 'headcount', 'governorate': 'IQG02', 'estimate': 0.375, 'n': 4}
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from workbench.charts import ReportTable, estimate_table, format_count, format_value
from workbench.charts.disclosure import apply_disclosure
from workbench.errors import DataWarning, ParameterError
from workbench.i18n import Lang, ltr, tr
from workbench.inequality import gini, s80s20, theil
from workbench.measures import FGT_MEASURES
from workbench.poverty import fgt
from workbench.profile import poverty_profile
from workbench.reports.data import NATIONAL, Round
from workbench.survey import SurveyDesign

__all__ = ["estimate_se_table", "fgt_table", "group_table", "inequality_table", "poor_profile",
           "profile_records", "profile_report_table", "trend_table"]

_INEQUALITY = {"gini": gini, "theil": theil, "s80s20": s80s20}
_FIRST = ["measure", "year", "governorate"]


def _tidy(parts: list[pd.DataFrame], year: int, min_n: int) -> pd.DataFrame:
    table = pd.concat(parts, ignore_index=True).drop(columns=["deff", "cv"], errors="ignore")
    table["year"] = int(year)
    table = table[_FIRST + [c for c in table if c not in _FIRST]]
    return apply_disclosure(table, min_n=min_n, suppress=False)


def _check_measures(measures: Sequence[str], known: Sequence[str]) -> None:
    unknown = [m for m in measures if m not in known]
    if unknown:
        raise ParameterError(f"unknown measure {unknown[0]!r}; valid: {', '.join(known)}")


def fgt_table(design: SurveyDesign, *, line: float, year: int,
              measures: Sequence[str] = ("headcount", "gap", "severity"),
              min_n: int = 30) -> pd.DataFrame:
    """FGT indices of every governorate and of Iraq, person-weighted, in one tidy table.

    Parameters
    ----------
    design : SurveyDesign
        A whole survey round with a ``governorate`` column (P-codes).
    line : float
        Poverty line, IQD per person per month.
    year : int
    measures : sequence of {"headcount", "gap", "severity"}
    min_n : int
        Rows resting on fewer sampled households get ``suppressed = True``.

    Returns
    -------
    pandas.DataFrame
        ``measure, year, governorate`` (P-codes, then ``national``), ``estimate,
        se, ci_low, ci_high, df, n, N, suppressed``.
    """
    _check_measures(measures, tuple(FGT_MEASURES))
    parts = []
    for name in measures:
        alpha = FGT_MEASURES[name]
        parts += [fgt(design, "consumption_pc", line=line, alpha=alpha, by="governorate")
                  .table.assign(measure=name),
                  fgt(design, "consumption_pc", line=line, alpha=alpha).table
                  .assign(measure=name, governorate=NATIONAL)]
    return _tidy(parts, year, min_n)


def trend_table(rounds: Sequence[Round], *, places: Sequence[str] | None = None,
                measures: Sequence[str] = ("headcount", "gap", "severity"),
                min_n: int = 30) -> pd.DataFrame:
    """FGT indices across rounds, each at its own official line, for some places and Iraq.

    Parameters
    ----------
    rounds : sequence of Round
    places : sequence of str, optional
        Governorate P-codes to keep besides ``national``: all when None, none
        (Iraq only) when empty.
    measures : sequence of {"headcount", "gap", "severity"}
    min_n : int

    Returns
    -------
    pandas.DataFrame
        As :func:`fgt_table`, one block per round.
    """
    frames = [fgt_table(r.design, line=r.line, year=r.year, measures=measures, min_n=min_n)
              for r in rounds]
    table = pd.concat(frames, ignore_index=True)
    if places is not None:
        table = table[table["governorate"].isin([*places, NATIONAL])]
    return table.reset_index(drop=True)


def group_table(rnd: Round, column: str, *, place: str,
                measures: Sequence[str] = ("headcount", "gap", "severity"),
                min_n: int = 30) -> pd.DataFrame:
    """FGT indices by a household characteristic within one governorate.

    Parameters
    ----------
    rnd : Round
    column : str
        ``displacement``, ``head_sex``, ``district``, ``area`` ... (a survey column).
    place : str
        Governorate P-code.
    measures : sequence of {"headcount", "gap", "severity"}
    min_n : int
        Groups with fewer sampled households are flagged ``suppressed``.

    Returns
    -------
    pandas.DataFrame
        ``measure, year, governorate, <column>, estimate, se, ci_low, ci_high,
        df, n, N, suppressed``; only groups present in the sample of ``place``.
    """
    _check_measures(measures, tuple(FGT_MEASURES))
    parts = [fgt(rnd.design, "consumption_pc", line=rnd.line, alpha=FGT_MEASURES[m],
                 by=["governorate", column]).table.assign(measure=m) for m in measures]
    table = _tidy(parts, rnd.year, min_n)
    table = table[(table["governorate"] == place) & (table["n"] > 0)]
    table[column] = table[column].astype(str)
    return table.reset_index(drop=True)


def inequality_table(rnd: Round, *, places: Sequence[str] = (),
                     measures: Sequence[str] = ("gini", "theil", "s80s20"),
                     min_n: int = 30) -> pd.DataFrame:
    """Gini, Theil and S80/S20 of consumption per person, by governorate and for Iraq.

    Parameters
    ----------
    rnd : Round
    places : sequence of str
        Governorate P-codes to keep besides ``national`` (all when empty).
    measures : sequence of {"gini", "theil", "s80s20"}
    min_n : int

    Returns
    -------
    pandas.DataFrame
        As :func:`fgt_table`.
    """
    _check_measures(measures, tuple(_INEQUALITY))
    parts = []
    for name in measures:
        estimator = _INEQUALITY[name]
        parts += [estimator(rnd.design, "consumption_pc", by="governorate").table.assign(measure=name),
                  estimator(rnd.design, "consumption_pc").table.assign(measure=name,
                                                                       governorate=NATIONAL)]
    table = _tidy(parts, rnd.year, min_n)
    if places:
        table = table[table["governorate"].isin([*places, NATIONAL])]
    return table.reset_index(drop=True)


def poor_profile(rnd: Round, *, place: str,
                 characteristics: Sequence[str] | None = None) -> pd.DataFrame:
    """The profile of the poor of one governorate (:func:`workbench.profile.poverty_profile`).

    The governorate is a domain of the full design (``by="governorate"``).

    Categories nobody in the governorate has (a displacement status absent
    there) are left out. A governorate whose sample holds no poor (or no
    non-poor) household keeps its rows: the empty side and the difference are
    NaN and ``empty_group`` names the side (see :func:`profile_report_table`).

    Returns
    -------
    pandas.DataFrame
        The profile's table for ``place``: ``characteristic, level, kind, poor,
        poor_se, non_poor, non_poor_se, difference, difference_se, ci_low,
        ci_high, t, df, p_value, n_poor, n_non_poor, N_poor, N_non_poor,
        empty_group``, plus ``year``.
    """
    with warnings.catch_warnings():
        # Another governorate without poor must not trouble this one's report; this one's
        # empty side is flagged in its own rows (empty_group) and noted under the table.
        warnings.filterwarnings("ignore", "poverty profile: ", DataWarning)
        prof = poverty_profile(rnd.design, "consumption_pc", line=rnd.line, by="governorate",
                               characteristics=characteristics)
    table = prof.table[prof.table["governorate"] == place]
    absent = ((table["kind"] == "proportion") & (table["poor"].fillna(0) == 0)
              & (table["non_poor"].fillna(0) == 0))
    return table[~absent].reset_index(drop=True).assign(year=rnd.year)


def profile_records(profile: pd.DataFrame, *, min_n: int = 30,
                    level: float = 0.95) -> pd.DataFrame:
    """The profile of the poor as tidy records: one row per characteristic level and group.

    The shape the results store and the dashboards read: ``characteristic, level,
    group`` (``poor`` / ``non_poor``), ``measure`` (``profile_share`` for a
    proportion, ``profile_mean`` for a mean), ``year, governorate, estimate, se,
    ci_low, ci_high, df, n, N, suppressed``.
    """
    rows = []
    for group in ("poor", "non_poor"):
        rows.append(pd.DataFrame({
            "measure": np.where(profile["kind"] == "proportion", "profile_share", "profile_mean"),
            "year": profile["year"], "governorate": profile["governorate"],
            "characteristic": profile["characteristic"], "level": profile["level"], "group": group,
            "estimate": profile[group], "se": profile[f"{group}_se"], "df": profile["df"],
            "n": profile[f"n_{group}"], "N": profile[f"N_{group}"]}))
    table = pd.concat(rows, ignore_index=True)
    df = table["df"].to_numpy(dtype=float)
    q = np.where(df > 0, stats.t.ppf(0.5 + level / 2, np.maximum(df, 1)), np.inf)
    table["ci_low"] = table["estimate"] - q * table["se"]
    table["ci_high"] = table["estimate"] + q * table["se"]
    return apply_disclosure(table, min_n=min_n, suppress=False)


def _characteristic_label(column: str, lev: str, lang: Lang) -> str:
    name = tr(f"profile.characteristic.{column}", lang, default=column.replace("_", " "))
    if not lev:
        return name
    return f"{name}: {tr(f'group.{column}.{lev}', lang, default=lev.replace('_', ' '))}"


def _number(value: float, kind: str) -> str:
    return f"{100 * value:.1f}%" if kind == "proportion" else f"{value:,.2f}"


def _interval(low: float, high: float, decimals: int) -> str:
    """``1.0–2.8``; with a negative bound, spaced (``−3.2 – 4.6``) so the signs stay readable."""
    lo, hi = (f"{v:,.{decimals}f}".replace("-", "\u2212") for v in (low, high))
    return f"{lo} – {hi}" if low < 0 else f"{lo}–{hi}"


def _side_state(n: int, min_n: int) -> str:
    """How a side (poor or non-poor) of one place's profile is shown: ``shown``,
    ``suppressed`` (fewer than ``min_n`` households) or ``empty`` (none: not estimable)."""
    return "empty" if n == 0 else "suppressed" if n < min_n else "shown"


def profile_report_table(profile: pd.DataFrame, *, lang: Lang = "en", min_n: int = 30,
                         alpha: float = 0.05) -> ReportTable:
    """The profile of the poor for a report: poor, non-poor, difference with 95% CI, p-value, n.

    ``profile`` is one place's profile (:func:`poor_profile`). Shares are
    percentages of people; means (household size, age, rooms) in their own
    units. A difference significant at ``alpha`` is marked †. A side resting on
    fewer than ``min_n`` households shows "n < 30"; a side with no household at
    all (nobody poor in the sample, or nobody non-poor) shows "not estimable"
    and the note says so. The difference, its CI and p-value are shown only
    when both sides are.

    Examples
    --------
    >>> p = pd.DataFrame({"characteristic": ["hhsize"], "level": [""], "kind": ["mean"],
    ...                   "poor": [float("nan")], "non_poor": [5.25], "difference": [float("nan")],
    ...                   "ci_low": [float("nan")], "ci_high": [float("nan")],
    ...                   "p_value": [float("nan")], "n_poor": [0], "n_non_poor": [812]})
    >>> t = profile_report_table(p)
    >>> t.rows
    [['Household size (mean)', 'not estimable', '5.25', '', '', '']]
    >>> t.note.endswith("not tested; the non-poor column describes everyone.")
    True
    """
    n_poor = int(profile["n_poor"].iloc[0]) if len(profile) else 0
    n_non = int(profile["n_non_poor"].iloc[0]) if len(profile) else 0
    state = {"poor": _side_state(n_poor, min_n), "non_poor": _side_state(n_non, min_n)}
    tested = state["poor"] == state["non_poor"] == "shown"
    header = [tr("profile.label.characteristic", lang), tr("dashboard.poor", lang),
              tr("dashboard.non_poor", lang), tr("profile.label.difference", lang),
              tr("label.ci", lang), tr("profile.label.p_value", lang)]
    hidden = {"suppressed": tr("label.suppressed_short", lang, min_n=min_n),
              "empty": tr("profile.label.not_estimable", lang)}
    rows = []
    for rec in profile.to_dict("records"):
        sides = [ltr(_number(rec[g], rec["kind"]), lang) if state[g] == "shown" else hidden[state[g]]
                 for g in ("poor", "non_poor")]
        test = ["", "", ""]
        if tested:
            k = 100.0 if rec["kind"] == "proportion" else 1.0
            star = "†" if rec["p_value"] < alpha else ""
            test = [f"{k * rec['difference']:+,.1f}".replace("-", "\u2212") + star,
                    _interval(k * rec["ci_low"], k * rec["ci_high"], 1), f"{rec['p_value']:.3f}"]
        rows.append([_characteristic_label(rec["characteristic"], rec["level"], lang), *sides,
                     *(ltr(c, lang) for c in test)])
    notes = [tr("profile.note.table", lang, n_poor=format_count(n_poor),
                n_non_poor=format_count(n_non), alpha=alpha)]
    if "suppressed" in state.values():
        notes.append(tr("note.suppressed", lang, min_n=min_n))
    if len(profile):
        notes += [tr(f"profile.note.no_{g}", lang) for g in ("poor", "non_poor") if state[g] == "empty"]
    hidden_both = "shown" not in state.values()       # rows greyed only when they show no estimate
    return ReportTable(header=header, rows=rows, lang=lang, note=" ".join(notes),
                       numeric=[False] + [True] * 5, suppressed=[hidden_both] * len(rows))


def estimate_se_table(table: pd.DataFrame, *, by: str | list[str], lang: Lang = "en",
                      min_n: int = 30) -> ReportTable:
    """:func:`workbench.charts.estimate_table` with a standard-error column after the estimate.

    The SE is in the estimate's units (points for shares), blank where the row
    is suppressed.

    Examples
    --------
    >>> t = pd.DataFrame({"measure": "gini", "governorate": ["IQG02"], "estimate": [0.2561],
    ...                   "se": [0.0068], "ci_low": [0.2427], "ci_high": [0.2695], "n": [1673]})
    >>> estimate_se_table(t, by="governorate").rows[0]
    ['Basrah', '0.256', '0.007', '0.243–0.270', '1,673']
    """
    base = estimate_table(table, by=by, lang=lang, min_n=min_n)
    rows = apply_disclosure(table, min_n=min_n)
    se = ["" if s else format_value(v, m, lang=lang, unit=False)
          for v, m, s in zip(rows["se"], rows["measure"], rows["suppressed"], strict=True)]
    at = len([by] if isinstance(by, str) else by) + 1
    return ReportTable(header=[*base.header[:at], tr("label.se", lang), *base.header[at:]],
                       rows=[[*r[:at], s, *r[at:]] for r, s in zip(base.rows, se, strict=True)],
                       lang=lang, note=base.note, numeric=[*base.numeric[:at], True, *base.numeric[at:]],
                       suppressed=base.suppressed)
