"""Decompositions of poverty: growth and redistribution, subgroups, sectors.

Notation: ``P(mu, L)`` is an FGT index of the distribution with mean ``mu``
and Lorenz curve ``L``; round ``a`` is the initial one, ``b`` the final one.
Welfare must be in the same prices in both rounds (or the line of each round
given in its own prices, as a pair of lines).

**Growth and redistribution** (Datt & Ravallion 1992). A distribution with
round ``a``'s Lorenz curve and round ``b``'s mean is round ``a``'s welfare
scaled by ``mu_b / mu_a``, so every counterfactual is the FGT index of a
scaled sample, computed exactly on the weighted data:

- ``P(mu_b, L_a) = P(y_a mu_b / mu_a)`` and ``P(mu_a, L_b) = P(y_b mu_a / mu_b)``;
- base reference: growth ``P(mu_b, L_a) - P_a``, redistribution ``P(mu_a, L_b) - P_a``;
- final reference: growth ``P_b - P(mu_a, L_b)``, redistribution ``P_b - P(mu_b, L_a)``;
- the residual is what is left of ``P_b - P_a`` (its sign flips with the reference).

The Shapley version (Shorrocks 2013) averages the two references: growth and
redistribution add up to the change exactly, with no residual.

**Subgroup contributions.** FGT indices are additively decomposable:
``P = sum_g (N_g / N) P_g``. A group's contribution is ``(N_g / N) P_g``
and its share of poverty ``(N_g / N) P_g / P``, both ratios of totals
linearized in the usual way.

**Sectoral decomposition** (Huppi & Ravallion 1991), with ``n_g`` population shares:

.. math::

    P_b - P_a = \\sum_g n_{ga} (P_{gb} - P_{ga}) + \\sum_g P_{ga} (n_{gb} - n_{ga})
              + \\sum_g (P_{gb} - P_{ga})(n_{gb} - n_{ga}),

the intra-sectoral effects, the population-shift effects and the interaction.

Tables with one row per group end with a total row whose group columns read
``"All"`` (as pandas' ``pivot_table(margins=True)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from workbench.errors import DesignError, ParameterError
from workbench.inequality._checks import welfare_values
from workbench.poverty.fgt import check_alpha, fgt, fgt_values
from workbench.poverty.line import Line, line_values
from workbench.survey import SurveyDesign, Weighting, domain_total_variance, domains

__all__ = ["datt_ravallion", "fgt_contributions", "huppi_ravallion", "shapley_growth_redistribution"]

Lines = Line | tuple[Line, Line]
ALL = "All"


def _pair(line: Lines) -> tuple[Line, Line]:
    """The lines of round a and round b: one line for both, or a pair."""
    if isinstance(line, tuple):
        if len(line) != 2:
            raise ParameterError(f"line must be one line or a pair (line_a, line_b); got {line!r}")
        return line
    return line, line


class _Round:
    """One round's welfare, lines and weights, with its FGT index at any scaling of welfare."""

    def __init__(self, design: SurveyDesign, welfare: str, line: Line, alpha: float,
                 weighting: Weighting):
        self.w = domains(design, None, weighting).weights
        self.y = welfare_values(design, welfare, measure="the decomposition")
        self.z = line_values(design, line)
        self.alpha = alpha
        self.mean = float(np.sum(self.w * self.y) / np.sum(self.w))

    def fgt(self, scale: float = 1.0) -> float:
        """FGT index of the round's welfare multiplied by ``scale``."""
        return float(np.sum(self.w * fgt_values(scale * self.y, self.z, self.alpha)) / np.sum(self.w))


def _counterfactuals(design_a: SurveyDesign, design_b: SurveyDesign, welfare: str, line: Lines,
                     alpha: float, weighting: Weighting) -> dict[str, float]:
    line_a, line_b = _pair(line)
    a = _Round(design_a, welfare, line_a, check_alpha(alpha), weighting)
    b = _Round(design_b, welfare, line_b, alpha, weighting)
    return {"P_a": a.fgt(), "P_b": b.fgt(),
            "mean_b_lorenz_a": a.fgt(b.mean / a.mean),  # P(mu_b, L_a)
            "mean_a_lorenz_b": b.fgt(a.mean / b.mean)}  # P(mu_a, L_b)


def _components(values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"component": list(values), "value": list(values.values())})


def datt_ravallion(design_a: SurveyDesign, design_b: SurveyDesign, welfare: str, *, line: Lines,
                   alpha: float = 0.0, reference: Literal["base", "final"] = "base",
                   weighting: Weighting = "person") -> pd.DataFrame:
    """Datt–Ravallion decomposition of a change in poverty into growth, redistribution and a residual.

    Parameters
    ----------
    design_a, design_b : SurveyDesign
        Initial and final rounds.
    welfare : str
        Per-capita welfare column (same prices in both rounds).
    line : float, str or pair
        Poverty line (number or column) for both rounds, or ``(line_a, line_b)``.
    alpha : float
        FGT parameter.
    reference : {"base", "final"}
        Reference period of the Lorenz curve and mean.
    weighting : {"person", "household"}

    Returns
    -------
    pandas.DataFrame
        ``component`` (``fgt_a``, ``fgt_b``, ``change``, ``growth``,
        ``redistribution``, ``residual``) and ``value``.

    Examples
    --------
    Welfare doubles for everyone (1, 2, 3, 4 to 2, 4, 6, 8; line 2.5): the whole
    fall in the headcount, from 0.5 to 0.25, is growth.

    >>> a = pd.DataFrame({"y": [1.0, 2, 3, 4], "w": 1.0})
    >>> b = a.assign(y=2 * a.y)
    >>> dr = datt_ravallion(SurveyDesign(a, weight="w"), SurveyDesign(b, weight="w"), "y", line=2.5)
    >>> dr.set_index("component")["value"].to_dict()
    {'fgt_a': 0.5, 'fgt_b': 0.25, 'change': -0.25, 'growth': -0.25, 'redistribution': 0.0, 'residual': 0.0}
    """
    if reference not in ("base", "final"):
        raise ParameterError(f"reference must be 'base' or 'final'; got {reference!r}")
    c = _counterfactuals(design_a, design_b, welfare, line, alpha, weighting)
    if reference == "base":
        growth = c["mean_b_lorenz_a"] - c["P_a"]
        redistribution = c["mean_a_lorenz_b"] - c["P_a"]
    else:
        growth = c["P_b"] - c["mean_a_lorenz_b"]
        redistribution = c["P_b"] - c["mean_b_lorenz_a"]
    change = c["P_b"] - c["P_a"]
    return _components({"fgt_a": c["P_a"], "fgt_b": c["P_b"], "change": change, "growth": growth,
                        "redistribution": redistribution,
                        "residual": change - growth - redistribution})


def shapley_growth_redistribution(design_a: SurveyDesign, design_b: SurveyDesign, welfare: str, *,
                                  line: Lines, alpha: float = 0.0,
                                  weighting: Weighting = "person") -> pd.DataFrame:
    """Shapley decomposition of a change in poverty into growth and redistribution (no residual).

    Each component is the average of its Datt–Ravallion values with the base
    and with the final reference (Shorrocks 2013).

    Returns
    -------
    pandas.DataFrame
        ``component`` (``fgt_a``, ``fgt_b``, ``change``, ``growth``, ``redistribution``) and ``value``.

    Examples
    --------
    >>> a = pd.DataFrame({"y": [1.0, 2, 3, 4], "w": 1.0})
    >>> b = pd.DataFrame({"y": [2.0, 2, 2, 10], "w": 1.0})
    >>> s = shapley_growth_redistribution(SurveyDesign(a, weight="w"), SurveyDesign(b, weight="w"),
    ...                                   "y", line=2.5).set_index("component")["value"]
    >>> bool(abs(s["growth"] + s["redistribution"] - s["change"]) < 1e-15)
    True
    """
    c = _counterfactuals(design_a, design_b, welfare, line, alpha, weighting)
    growth = 0.5 * ((c["mean_b_lorenz_a"] - c["P_a"]) + (c["P_b"] - c["mean_a_lorenz_b"]))
    redistribution = 0.5 * ((c["mean_a_lorenz_b"] - c["P_a"]) + (c["P_b"] - c["mean_b_lorenz_a"]))
    return _components({"fgt_a": c["P_a"], "fgt_b": c["P_b"], "change": c["P_b"] - c["P_a"],
                        "growth": growth, "redistribution": redistribution})


def _total_row(labels: pd.DataFrame, values: dict[str, float]) -> pd.DataFrame:
    row = {col: ALL for col in labels.columns}
    row.update(values)
    return pd.DataFrame([row])


def fgt_contributions(design: SurveyDesign, welfare: str, *, line: Line, alpha: float = 0.0,
                      by: str | Sequence[str], weighting: Weighting = "person") -> pd.DataFrame:
    """Each group's population share, FGT index and contribution to national poverty, with SEs.

    Parameters
    ----------
    design : SurveyDesign
    welfare : str
    line : float or str
    alpha : float
    by : str or sequence of str
        The groups (governorate, urban/rural, displacement status ...).
    weighting : {"person", "household"}

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``n``, ``population_share``, ``fgt``, ``contribution``
        (``N_g P_g / N``) and ``contribution_share`` (``N_g P_g / (N P)``), each
        followed by its ``_se``; a last row ``"All"`` holds the whole population.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [50.0, 150, 50, 60], "w": 1.0, "g": ["a", "a", "b", "b"]})
    >>> t = fgt_contributions(SurveyDesign(df, weight="w"), "y", line=100, by="g")
    >>> t[["g", "population_share", "fgt", "contribution_share"]].to_dict("list")
    {'g': ['a', 'b', 'All'], 'population_share': [0.5, 0.5, 1.0], 'fgt': [0.5, 1.0, 0.75], \
'contribution_share': [0.3333333333333333, 0.6666666666666666, 1.0]}
    """
    alpha = check_alpha(alpha)
    national = fgt(design, welfare, line=line, alpha=alpha, weighting=weighting)
    groups = fgt(design, welfare, line=line, alpha=alpha, by=by, weighting=weighting)
    doms = domains(design, by, weighting)
    g = fgt_values(welfare_values(design, welfare, measure="the FGT index"),
                   line_values(design, line), alpha)
    w, N = doms.weights, float(np.sum(doms.weights))
    poverty_total = float(np.sum(w * g))
    share = doms.N / N
    contribution = doms.sum(w * g) / N
    contribution_share = contribution * N / poverty_total if poverty_total > 0 else np.zeros(doms.count)
    whole = np.zeros(len(w), dtype=np.int64)
    se = {"population_share": [], "contribution": [], "contribution_share": []}
    for k in range(doms.count):  # one pass over rows per group
        member = doms.codes == k
        se["population_share"].append(w * (member - share[k]) / N)
        se["contribution"].append(w * (member * g - contribution[k]) / N)
        se["contribution_share"].append(
            w * g * (member - contribution_share[k]) / poverty_total if poverty_total > 0 else 0 * w)
    table = doms.labels.reset_index(drop=True).copy()
    table["n"] = doms.n
    table["population_share"] = share
    table["population_share_se"] = [_se(design, s, whole) for s in se["population_share"]]
    table["fgt"] = groups.table["estimate"].to_numpy()
    table["fgt_se"] = groups.table["se"].to_numpy()
    table["contribution"] = contribution
    table["contribution_se"] = [_se(design, s, whole) for s in se["contribution"]]
    table["contribution_share"] = contribution_share
    table["contribution_share_se"] = [_se(design, s, whole) for s in se["contribution_share"]]
    total = _total_row(doms.labels, {
        "n": int(doms.n.sum()), "population_share": 1.0, "population_share_se": 0.0,
        "fgt": national.estimate, "fgt_se": national.se, "contribution": national.estimate,
        "contribution_se": national.se, "contribution_share": 1.0 if poverty_total > 0 else 0.0,
        "contribution_share_se": 0.0})
    return pd.concat([table, total], ignore_index=True)


def _se(design: SurveyDesign, scores: np.ndarray, whole: np.ndarray) -> float:
    return float(np.sqrt(domain_total_variance(design, scores, whole, 1)[0]))


def huppi_ravallion(design_a: SurveyDesign, design_b: SurveyDesign, welfare: str, *, line: Lines,
                    alpha: float = 0.0, by: str | Sequence[str],
                    weighting: Weighting = "person") -> pd.DataFrame:
    """Huppi–Ravallion sectoral decomposition of a change in poverty.

    Parameters
    ----------
    design_a, design_b : SurveyDesign
        Initial and final rounds; both must have every sector.
    welfare : str
    line : float, str or pair
        One line for both rounds, or ``(line_a, line_b)``.
    alpha : float
    by : str or sequence of str
        The sectors (urban/rural, governorate, sector of the head's employment ...).
    weighting : {"person", "household"}

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``population_share_a``, ``population_share_b``,
        ``fgt_a``, ``fgt_b``, ``intra_sectoral``, ``population_shift`` and
        ``interaction``; the last row, ``"All"``, holds the national indices and
        the sums of the effects, which add up to ``fgt_b - fgt_a``.

    Raises
    ------
    DesignError
        A sector present in one round only.

    Examples
    --------
    >>> a = pd.DataFrame({"y": [50.0, 150, 50, 60], "w": 1.0, "s": ["u", "u", "r", "r"]})
    >>> b = pd.DataFrame({"y": [150.0, 150, 150, 60], "w": 1.0, "s": ["u", "u", "u", "r"]})
    >>> hr = huppi_ravallion(SurveyDesign(a, weight="w"), SurveyDesign(b, weight="w"), "y",
    ...                      line=100, by="s")
    >>> effects = ["fgt_a", "fgt_b", "intra_sectoral", "population_shift", "interaction"]
    >>> hr.iloc[-1][effects].astype(float).tolist()
    [0.75, 0.25, -0.25, -0.125, -0.125]
    """
    line_a, line_b = _pair(line)
    est_a = fgt(design_a, welfare, line=line_a, alpha=alpha, by=by, weighting=weighting).table
    est_b = fgt(design_b, welfare, line=line_b, alpha=alpha, by=by, weighting=weighting).table
    keys = [by] if isinstance(by, str) else list(by)
    merged = est_a[keys + ["estimate", "N"]].merge(est_b[keys + ["estimate", "N"]], on=keys,
                                                   how="outer", suffixes=("_a", "_b"), indicator=True)
    unmatched = merged[merged["_merge"] != "both"]
    if len(unmatched):
        shown = unmatched[keys].assign(only_in=unmatched["_merge"].astype(str).map(
            {"left_only": "round a", "right_only": "round b"}))
        raise DesignError(f"{len(unmatched)} sector(s) are in one round only "
                          f"({shown.to_dict(orient='records')[:5]}): merge or drop them first")
    table = merged[keys].copy()
    table["population_share_a"] = merged["N_a"] / merged["N_a"].sum()
    table["population_share_b"] = merged["N_b"] / merged["N_b"].sum()
    table["fgt_a"] = merged["estimate_a"]
    table["fgt_b"] = merged["estimate_b"]
    d_fgt = table["fgt_b"] - table["fgt_a"]
    d_share = table["population_share_b"] - table["population_share_a"]
    table["intra_sectoral"] = table["population_share_a"] * d_fgt
    table["population_shift"] = table["fgt_a"] * d_share
    table["interaction"] = d_fgt * d_share
    total = _total_row(table[keys], {
        "population_share_a": 1.0, "population_share_b": 1.0,
        "fgt_a": float((table["population_share_a"] * table["fgt_a"]).sum()),
        "fgt_b": float((table["population_share_b"] * table["fgt_b"]).sum()),
        **{c: float(table[c].sum()) for c in ("intra_sectoral", "population_shift", "interaction")}})
    return pd.concat([table, total], ignore_index=True)
