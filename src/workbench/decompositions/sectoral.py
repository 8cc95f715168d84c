"""Huppi–Ravallion sectoral decomposition of a change in poverty, with linearized SEs.

With ``n_g`` the population share of sector ``g`` and ``P_g`` its FGT index
(Huppi & Ravallion 1991),

.. math::

    P_b - P_a = \\sum_g n_{ga} (P_{gb} - P_{ga}) + \\sum_g P_{ga} (n_{gb} - n_{ga})
              + \\sum_g (P_{gb} - P_{ga})(n_{gb} - n_{ga}),

the intra-sectoral effects, the population-shift effects and the interaction.

**Variance.** Every term is a smooth function of domain totals of the two
rounds, ``N_g`` and ``T_g = sum_{i in g} w_i g_i``, so it is linearized
exactly. In each round the scores of a share are ``w_i (1[i in g] - n_g) / N``
and those of a sector's index ``w_i 1[i in g] (g_i - P_g) / N_g``; then, with
``dP = P_gb - P_ga`` and ``dn = n_gb - n_ga``,

- intra-sectoral ``n_ga dP``: ``dP u(n_ga) - n_ga u(P_ga)`` in round ``a``,
  ``n_ga u(P_gb)`` in ``b``;
- population shift ``P_ga dn``: ``dn u(P_ga) - P_ga u(n_ga)`` in ``a``, ``P_ga u(n_gb)`` in ``b``;
- interaction ``dP dn``: ``-dn u(P_ga) - dP u(n_ga)`` in ``a``,
  ``dn u(P_gb) + dP u(n_gb)`` in ``b``;

and the national rows sum these over sectors. The variance is ``V_a + V_b``
with Welch–Satterthwaite degrees of freedom (:mod:`workbench.decompositions.rounds`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbench.decompositions.contributions import total_row
from workbench.decompositions.growth_redistribution import Lines, pair_of_lines
from workbench.decompositions.rounds import (
    ChangeEstimate,
    RoundDomains,
    change_estimate,
    paired_domains,
    round_variance,
)
from workbench.inequality._checks import welfare_values
from workbench.poverty.fgt import check_alpha, fgt_values
from workbench.poverty.line import Line, describe_line, line_values
from workbench.survey import SurveyDesign, Weighting
from workbench.survey.variance import psu_totals

__all__ = ["COMPONENTS", "huppi_ravallion"]

COMPONENTS: tuple[str, ...] = ("population_share_a", "population_share_b", "fgt_a", "fgt_b",
                               "change", "intra_sectoral", "population_shift", "interaction")


def _sector_scores(design: SurveyDesign, doms: RoundDomains, welfare: str, line: Line,
                   alpha: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Population shares and FGT indices of the sectors, with the PSU totals of their scores."""
    y = welfare_values(design, welfare, measure="the FGT index")
    g = fgt_values(y, line_values(design, line), alpha)
    w, N = doms.weights, float(doms.N.sum())
    share = doms.N / N
    fgt = doms.sum(w * g) / doms.N
    by_psu = psu_totals(design, w, doms.codes, doms.count)
    share_totals = (by_psu - share[:, None] * by_psu.sum(axis=0)) / N
    scores = w * (g - doms.spread(fgt)) / doms.spread(doms.N)
    fgt_totals = psu_totals(design, scores, doms.codes, doms.count)
    return share, fgt, share_totals, fgt_totals


def huppi_ravallion(design_a: SurveyDesign, design_b: SurveyDesign, welfare: str, *, line: Lines,
                    alpha: float = 0.0, by: str | Sequence[str], weighting: Weighting = "person",
                    level: float = 0.95) -> ChangeEstimate:
    """Huppi–Ravallion sectoral decomposition of a change in poverty, with linearized SEs.

    Parameters
    ----------
    design_a, design_b : SurveyDesign
        Initial and final rounds (independent samples); both must have every sector.
    welfare : str
    line : float, str or pair
        One line for both rounds, or ``(line_a, line_b)``.
    alpha : float
    by : str or sequence of str
        The sectors (urban/rural, governorate, sector of the head's employment ...).
    weighting : {"person", "household"}
    level : float
        Confidence level of the t interval.

    Returns
    -------
    ChangeEstimate
        One row per sector and ``component``: ``population_share_a``,
        ``population_share_b``, ``fgt_a``, ``fgt_b``, ``change`` (``fgt_b - fgt_a``),
        ``intra_sectoral``, ``population_shift`` and ``interaction``; the last
        sector, ``"All"`` in every ``by`` column, holds the national indices and
        the sums of the effects, which add up to the national change. Columns
        as in :mod:`workbench.decompositions.rounds`.

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
    >>> national = hr.table[hr.table.s == "All"].set_index("component")["estimate"]
    >>> national[["fgt_a", "fgt_b", "intra_sectoral", "population_shift", "interaction"]].tolist()
    [0.75, 0.25, -0.25, -0.125, -0.125]
    """
    alpha = check_alpha(alpha)
    line_a, line_b = pair_of_lines(line)
    doms_a, doms_b, _ = paired_domains(design_a, design_b, by, weighting)
    n_a, p_a, un_a, up_a = _sector_scores(design_a, doms_a, welfare, line_a, alpha)
    n_b, p_b, un_b, up_b = _sector_scores(design_b, doms_b, welfare, line_b, alpha)
    dp, dn = p_b - p_a, n_b - n_a
    c = np.newaxis
    zero_a, zero_b = np.zeros_like(up_a), np.zeros_like(up_b)
    # Per sector: estimates (components, sectors) and PSU totals (components, sectors, PSUs).
    estimate = np.stack([n_a, n_b, p_a, p_b, dp, n_a * dp, p_a * dn, dp * dn])
    in_a = np.stack([un_a, zero_a, up_a, zero_a, -up_a,
                     dp[:, c] * un_a - n_a[:, c] * up_a,
                     dn[:, c] * up_a - p_a[:, c] * un_a,
                     -dn[:, c] * up_a - dp[:, c] * un_a])
    in_b = np.stack([zero_b, un_b, zero_b, up_b, up_b,
                     n_a[:, c] * up_b,
                     p_a[:, c] * un_b,
                     dn[:, c] * up_b + dp[:, c] * un_b])
    # National: shares are 1 exactly; P = sum_g n_g P_g; the effects are sums over sectors.
    national_a = (p_a[:, c] * un_a + n_a[:, c] * up_a).sum(axis=0)
    national_b = (p_b[:, c] * un_b + n_b[:, c] * up_b).sum(axis=0)
    fgt_a, fgt_b = float(n_a @ p_a), float(n_b @ p_b)
    all_estimate = np.concatenate([[1.0, 1.0, fgt_a, fgt_b, fgt_b - fgt_a],
                                   estimate[5:].sum(axis=1)])
    all_a = np.concatenate([np.stack([zero_a[0], zero_a[0], national_a, zero_a[0], -national_a]),
                            in_a[5:].sum(axis=1)])
    all_b = np.concatenate([np.stack([zero_b[0], zero_b[0], zero_b[0], national_b, national_b]),
                            in_b[5:].sum(axis=1)])
    K, D = len(COMPONENTS), doms_a.count
    # Rows: sector-major, then the national row.
    estimate = np.concatenate([estimate.T.ravel(), all_estimate])
    totals_a = np.concatenate([in_a.transpose(1, 0, 2).reshape(D * K, -1), all_a])
    totals_b = np.concatenate([in_b.transpose(1, 0, 2).reshape(D * K, -1), all_b])
    domain = np.repeat(np.arange(D + 1), K)
    labels = pd.concat([doms_a.labels.reset_index(drop=True), total_row(doms_a.labels, {})],
                       ignore_index=True)
    rows = labels.iloc[domain].reset_index(drop=True)
    rows["component"] = np.tile(COMPONENTS, D + 1)
    meta = {"variable": welfare, "line": [describe_line(x) for x in (line_a, line_b)],
            "alpha": alpha}
    return change_estimate("huppi_ravallion", (design_a, design_b), (doms_a, doms_b), rows, domain,
                           estimate, round_variance(design_a, totals_a),
                           round_variance(design_b, totals_b), level=level, meta=meta,
                           labels=["component"])
