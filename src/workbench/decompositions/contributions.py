"""Subgroup contributions to national poverty, with linearized SEs.

FGT indices are additively decomposable: ``P = sum_g (N_g / N) P_g``. A group's
contribution is ``(N_g / N) P_g = T_g / N`` with ``T_g = sum_{i in g} w_i g_i``,
and its share of poverty ``T_g / T``. Population shares, contributions and
shares are ratios of totals of one design, linearized in the usual way
(Binder 1983): the scores of ``N_g / N`` are ``w_i (1[i in g] - N_g / N) / N``,
those of ``T_g / N`` are ``w_i (1[i in g] g_i - T_g / N) / N`` and those of
``T_g / T`` are ``w_i g_i (1[i in g] - T_g / T) / T``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbench.inequality._checks import welfare_values
from workbench.poverty.fgt import check_alpha, fgt, fgt_values
from workbench.poverty.line import Line, line_values
from workbench.survey import SurveyDesign, Weighting, domains
from workbench.survey.variance import psu_totals, variance_of_psu_totals

__all__ = ["ALL", "fgt_contributions", "total_row"]

ALL = "All"


def total_row(labels: pd.DataFrame, values: dict[str, object]) -> pd.DataFrame:
    """A one-row frame whose group columns read ``"All"``, then ``values``."""
    row: dict[str, object] = {col: ALL for col in labels.columns}
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
        followed by its ``_se`` (design degrees of freedom: ``design.df``); a
        last row ``"All"`` holds the whole population.

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
    w = doms.weights
    N = float(doms.N.sum())
    poverty_total = float(np.sum(w * g))
    share = doms.N / N
    contribution = doms.sum(w * g) / N
    # PSU totals (groups x PSUs) of the weights and of w g, by group, and their sums over groups.
    weight_by_psu = psu_totals(design, w, doms.codes, doms.count)
    poverty_by_psu = psu_totals(design, w * g, doms.codes, doms.count)
    all_weight, all_poverty = weight_by_psu.sum(axis=0), poverty_by_psu.sum(axis=0)
    if poverty_total > 0:
        contribution_share = contribution * N / poverty_total
        share_totals = (poverty_by_psu - contribution_share[:, None] * all_poverty) / poverty_total
    else:
        contribution_share = np.zeros(doms.count)
        share_totals = np.zeros_like(poverty_by_psu)
    table = doms.labels.reset_index(drop=True).copy()
    table["n"] = doms.n
    table["population_share"] = share
    table["population_share_se"] = _se(design, (weight_by_psu - share[:, None] * all_weight) / N)
    table["fgt"] = groups.table["estimate"].to_numpy()
    table["fgt_se"] = groups.table["se"].to_numpy()
    table["contribution"] = contribution
    contribution_totals = (poverty_by_psu - contribution[:, None] * all_weight) / N
    table["contribution_se"] = _se(design, contribution_totals)
    table["contribution_share"] = contribution_share
    table["contribution_share_se"] = _se(design, share_totals)
    total = total_row(doms.labels, {
        "n": int(doms.n.sum()), "population_share": 1.0, "population_share_se": 0.0,
        "fgt": national.estimate, "fgt_se": national.se, "contribution": national.estimate,
        "contribution_se": national.se, "contribution_share": 1.0 if poverty_total > 0 else 0.0,
        "contribution_share_se": 0.0})
    return pd.concat([table, total], ignore_index=True)


def _se(design: SurveyDesign, totals: np.ndarray) -> np.ndarray:
    return np.sqrt(variance_of_psu_totals(design, totals))
