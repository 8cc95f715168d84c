"""Growth and redistribution components of a change in poverty, with linearized SEs.

Notation: ``P(mu, L)`` is an FGT index of the distribution with mean ``mu``
and Lorenz curve ``L``; round ``a`` is the initial one, ``b`` the final one.
A distribution with round ``a``'s Lorenz curve and round ``b``'s mean is
round ``a``'s welfare scaled by ``mu_b / mu_a``: its FGT index is round ``a``'s
at the line ``z s`` with ``s = mu_a / mu_b``. With ``F_a(s)`` the FGT index of
round ``a`` at lines ``z s`` (``F_a(1) = P_a``),

Means are of welfare in multiples of each round's own line, ``y / z`` (real
welfare), so with a pair of lines each in its round's prices inflation never
counts as growth; with one line for both rounds (welfare in the same prices)
this is the usual ``mu_a / mu_b``.

- ``C = P(mu_b, L_a) = F_a(mu_a / mu_b)`` and ``D = P(mu_a, L_b) = F_b(mu_b / mu_a)``;
- Datt & Ravallion (1992), base reference: growth ``C - P_a``, redistribution
  ``D - P_a``; final reference: growth ``P_b - D``, redistribution ``P_b - C``;
  the residual is what is left of ``P_b - P_a`` (its sign flips with the reference);
- Shapley (Shorrocks 2013): the average of the two references, no residual.

**Variance.** Every component is a linear combination of ``P_a, P_b, C, D``.
The counterfactual ``C`` depends on round ``a`` through its weights and its
mean, and on round ``b`` through its mean. Its scores are

.. math::

    u_{a,i} = \\frac{w_i (g_i(s) - C)}{N_a} + F_a'(s) \\frac{1}{\\mu_b}
              \\frac{w_i (y_i - \\mu_a)}{N_a}, \\qquad
    u_{b,j} = -F_a'(s) \\frac{s}{\\mu_b} \\frac{w_j (y_j - \\mu_b)}{N_b},

with ``g_i(s) = 1[y_i < s z_i] (1 - y_i / (s z_i))^alpha`` (and symmetrically
for ``D``). The derivative with respect to the line scale is

- for ``alpha > 0``: ``F'(s) = (alpha / s) (F_{alpha-1}(s) - F_alpha(s))``, where
  ``F_{alpha-1}`` sums ``(1 - y / (s z))^(alpha - 1)`` over the poor (at a fixed line
  this is ``dP/dz = (alpha / z)(P_{alpha-1} - P_alpha)``);
- for ``alpha = 0``: ``F'(s)`` is the density of ``y / z`` at ``s``, a Gaussian
  kernel estimate with Osier's (2009) bandwidth as in R convey's ``svyarpr``
  (:mod:`workbench.decompositions.density`).

The variance of a component is ``V_a + V_b``, the design variances of the
totals of its scores in each round (:mod:`workbench.decompositions.rounds`),
with Welch–Satterthwaite degrees of freedom. Domains (``by=``) decompose the
change within each domain, with the domain's own means; the full design of
each round is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from workbench.decompositions.density import kernel_density
from workbench.decompositions.rounds import (
    ChangeEstimate,
    RoundDomains,
    change_estimate,
    paired_domains,
    round_variance,
)
from workbench.errors import DataError, ParameterError
from workbench.inequality._checks import welfare_values
from workbench.poverty.fgt import check_alpha, fgt_values
from workbench.poverty.line import Line, describe_line, line_values
from workbench.survey import SurveyDesign, Weighting
from workbench.survey.variance import psu_totals

__all__ = ["Lines", "datt_ravallion", "pair_of_lines", "shapley_growth_redistribution"]

Lines = Line | tuple[Line, Line]
By = str | Sequence[str] | None

# Components as combinations of (P_a, P_b, C, D), C = P(mu_b, L_a), D = P(mu_a, L_b).
_LEVELS = {"fgt_a": (1, 0, 0, 0), "fgt_b": (0, 1, 0, 0), "change": (-1, 1, 0, 0)}
_DATT_RAVALLION = {
    "base": {**_LEVELS, "growth": (-1, 0, 1, 0), "redistribution": (-1, 0, 0, 1),
             "residual": (1, 1, -1, -1)},
    "final": {**_LEVELS, "growth": (0, 1, 0, -1), "redistribution": (0, 1, -1, 0),
              "residual": (-1, -1, 1, 1)},
}
_SHAPLEY = {**_LEVELS, "growth": (-0.5, 0.5, 0.5, -0.5), "redistribution": (-0.5, 0.5, -0.5, 0.5)}


def pair_of_lines(line: Lines) -> tuple[Line, Line]:
    """The lines of round a and round b: one line for both, or a pair."""
    if isinstance(line, tuple):
        if len(line) != 2:
            raise ParameterError(f"line must be one line or a pair (line_a, line_b); got {line!r}")
        return line
    return line, line


class _Round:
    """One round's welfare, lines and domains, with its FGT index at any scaling of the lines."""

    def __init__(self, design: SurveyDesign, doms: RoundDomains, welfare: str, line: Line,
                 alpha: float):
        self.design, self.doms, self.alpha = design, doms, alpha
        # Welfare in multiples of the round's own line: real and comparable across rounds
        # whose lines are in their own prices, so inflation never counts as growth.
        self.y = welfare_values(design, welfare, measure="the decomposition") / line_values(design, line)
        self.z = 1.0
        self.mean = doms.sum(doms.weights * self.y) / doms.N
        zero = np.flatnonzero(self.mean <= 0)
        if zero.size:
            shown = doms.labels.iloc[zero[:5]].to_dict(orient="records")
            raise DataError(f"mean {welfare!r} is zero in {zero.size} domain(s) {shown}: the mean "
                            "cannot be scaled, so growth and redistribution are undefined there")

    def fgt(self, scale: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """FGT index of each domain at lines ``z * scale[d]``, and each row's ``g``."""
        g = fgt_values(self.y, self.z * self.doms.spread(scale), self.alpha)
        return self.doms.sum(self.doms.weights * g) / self.doms.N, g

    def slope(self, scale: np.ndarray) -> np.ndarray:
        """``dF/ds`` at ``s = scale[d]``: analytic for ``alpha > 0``, a kernel density for 0."""
        if self.alpha == 0:
            return kernel_density(self.y / self.z, self.doms.weights, self.doms.codes, scale)
        line = self.z * self.doms.spread(scale)
        poor = self.y < line
        gap = np.where(poor, np.maximum(line - self.y, 0.0) / line, 1.0)
        with np.errstate(divide="ignore"):  # gap ** (alpha - 1) is finite: the poor have gap > 0
            inner = np.where(poor, gap ** (self.alpha - 1) - gap ** self.alpha, 0.0)
        return self.alpha / scale * self.doms.sum(self.doms.weights * inner) / self.doms.N

    def totals(self, values: np.ndarray, estimate: np.ndarray) -> np.ndarray:
        """PSU totals ``(D, P)`` of the scores ``w (v - estimate_d) / N_d`` of domain means."""
        doms = self.doms
        scores = doms.weights * (values - doms.spread(estimate)) / doms.spread(doms.N)
        return psu_totals(self.design, scores, doms.codes, doms.count)


def _decompose(statistic: str, components: dict[str, tuple[float, ...]], design_a: SurveyDesign,
               design_b: SurveyDesign, welfare: str, *, line: Lines, alpha: float, by: By,
               weighting: Weighting, level: float, meta: dict) -> ChangeEstimate:
    alpha = check_alpha(alpha)
    line_a, line_b = pair_of_lines(line)
    doms_a, doms_b, _ = paired_domains(design_a, design_b, by, weighting)
    a = _Round(design_a, doms_a, welfare, line_a, alpha)
    b = _Round(design_b, doms_b, welfare, line_b, alpha)
    ones = np.ones(doms_a.count)
    s, t = a.mean / b.mean, b.mean / a.mean
    p_a, g_a = a.fgt(ones)
    p_b, g_b = b.fgt(ones)
    c, g_c = a.fgt(s)  # P(mu_b, L_a)
    d, g_d = b.fgt(t)  # P(mu_a, L_b)
    dc, dd = a.slope(s), b.slope(t)
    mu_a, mu_b = a.totals(a.y, a.mean), b.totals(b.y, b.mean)
    zero_a, zero_b = np.zeros_like(mu_a), np.zeros_like(mu_b)
    col = np.newaxis
    # PSU totals of the scores of P_a, P_b, C, D in each round: shape (4, domains, PSUs).
    in_a = np.stack([a.totals(g_a, p_a), zero_a,
                     a.totals(g_c, c) + (dc / b.mean)[:, col] * mu_a,
                     -(dd * t / a.mean)[:, col] * mu_a])
    in_b = np.stack([zero_b, b.totals(g_b, p_b),
                     -(dc * s / b.mean)[:, col] * mu_b,
                     b.totals(g_d, d) + (dd / a.mean)[:, col] * mu_b])
    weights = np.array(list(components.values()), dtype=float)  # (K, 4)
    K, D = len(components), doms_a.count
    estimate = (weights @ np.stack([p_a, p_b, c, d])).T.ravel()  # domain-major
    totals_a = np.einsum("kq,qdp->dkp", weights, in_a).reshape(D * K, -1)
    totals_b = np.einsum("kq,qdp->dkp", weights, in_b).reshape(D * K, -1)
    domain = np.repeat(np.arange(D), K)
    rows = doms_a.labels.iloc[domain].reset_index(drop=True)
    rows["component"] = np.tile(list(components), D)
    info = {"variable": welfare, "line": [describe_line(x) for x in (line_a, line_b)],
            "alpha": alpha, **meta,
            "density": "gaussian kernel, Osier (2009) bandwidth" if alpha == 0 else "analytic"}
    return change_estimate(statistic, (design_a, design_b), (doms_a, doms_b), rows, domain,
                           estimate, round_variance(design_a, totals_a),
                           round_variance(design_b, totals_b), level=level, meta=info,
                           labels=["component"])


def datt_ravallion(design_a: SurveyDesign, design_b: SurveyDesign, welfare: str, *, line: Lines,
                   alpha: float = 0.0, reference: Literal["base", "final"] = "base", by: By = None,
                   weighting: Weighting = "person", level: float = 0.95) -> ChangeEstimate:
    """Datt–Ravallion decomposition of a change in poverty: growth, redistribution and a residual.

    Parameters
    ----------
    design_a, design_b : SurveyDesign
        Initial and final rounds (independent samples).
    welfare : str
        Per-capita welfare column (same prices in both rounds).
    line : float, str or pair
        Poverty line (number or column) for both rounds, or ``(line_a, line_b)``.
    alpha : float
        FGT parameter (any ``alpha >= 0``).
    reference : {"base", "final"}
        Reference period of the Lorenz curve and mean.
    by : str or sequence of str, optional
        Domains (governorate ...): the change is decomposed within each, with
        the domain's means. Every domain must be in both rounds.
    weighting : {"person", "household"}
    level : float
        Confidence level of the t interval.

    Returns
    -------
    ChangeEstimate
        One row per domain and ``component`` (``fgt_a``, ``fgt_b``, ``change``,
        ``growth``, ``redistribution``, ``residual``), with ``estimate, se,
        ci_low, ci_high, df, n, N, cv, n_a, n_b, N_a, N_b`` (see
        :mod:`workbench.decompositions.rounds`). The SEs are linearized with
        respect to both rounds, the counterfactual lines included (module
        docstring).

    Raises
    ------
    ParameterError
        A bad ``reference``, ``alpha`` or line.
    DesignError
        A domain in one round only.
    DataError
        Bad welfare, or a domain with zero mean welfare.

    Notes
    -----
    For the headcount (``alpha = 0``) the counterfactuals are step functions of
    the line, and the SEs are first-order (kernel density at the line). For the
    growth and redistribution components they agree with a bootstrap within
    about 10-20% (``tests/reference/decompositions``), but the residual's
    first-order terms nearly cancel and its SE can understate the uncertainty
    several-fold; prefer :func:`shapley_growth_redistribution`, which has no
    residual.

    Examples
    --------
    Welfare doubles for everyone (1, 2, 3, 4 to 2, 4, 6, 8; line 2.5): the whole
    fall in the headcount, from 0.5 to 0.25, is growth.

    >>> import pandas as pd
    >>> a = pd.DataFrame({"y": [1.0, 2, 3, 4], "w": 1.0})
    >>> b = a.assign(y=2 * a.y)
    >>> dr = datt_ravallion(SurveyDesign(a, weight="w"), SurveyDesign(b, weight="w"), "y", line=2.5)
    >>> dr.table[["component", "estimate"]]
            component  estimate
    0           fgt_a      0.50
    1           fgt_b      0.25
    2          change     -0.25
    3          growth     -0.25
    4  redistribution      0.00
    5        residual      0.00

    The SE of ``fgt_a`` is that of round ``a``'s headcount alone, ``sqrt(1/12)``
    on 3 degrees of freedom; the change adds round ``b``'s variance, ``1/16``,
    with Welch–Satterthwaite degrees of freedom.

    >>> dr.table.set_index("component").loc[["fgt_a", "change"], ["se", "df"]].round(4)
                   se    df
    component
    fgt_a      0.2887  3.00
    change     0.3819  5.88
    """
    if reference not in _DATT_RAVALLION:
        raise ParameterError(f"reference must be 'base' or 'final'; got {reference!r}")
    return _decompose("datt_ravallion", _DATT_RAVALLION[reference], design_a, design_b, welfare,
                      line=line, alpha=alpha, by=by, weighting=weighting, level=level,
                      meta={"reference": reference})


def shapley_growth_redistribution(design_a: SurveyDesign, design_b: SurveyDesign, welfare: str, *,
                                  line: Lines, alpha: float = 0.0, by: By = None,
                                  weighting: Weighting = "person",
                                  level: float = 0.95) -> ChangeEstimate:
    """Shapley decomposition of a change in poverty into growth and redistribution (no residual).

    Each component is the average of its Datt–Ravallion values with the base
    and with the final reference (Shorrocks 2013).

    Parameters
    ----------
    design_a, design_b, welfare, line, alpha, by, weighting, level
        As for :func:`datt_ravallion`.

    Returns
    -------
    ChangeEstimate
        One row per domain and ``component`` (``fgt_a``, ``fgt_b``, ``change``,
        ``growth``, ``redistribution``), with the columns of :func:`datt_ravallion`.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"y": [1.0, 2, 3, 4], "w": 1.0})
    >>> b = pd.DataFrame({"y": [2.0, 2, 2, 10], "w": 1.0})
    >>> s = shapley_growth_redistribution(SurveyDesign(a, weight="w"), SurveyDesign(b, weight="w"),
    ...                                   "y", line=2.5).table.set_index("component")["estimate"]
    >>> s.round(6).to_dict()
    {'fgt_a': 0.5, 'fgt_b': 0.75, 'change': 0.25, 'growth': -0.125, 'redistribution': 0.375}
    """
    return _decompose("shapley_growth_redistribution", _SHAPLEY, design_a, design_b, welfare,
                      line=line, alpha=alpha, by=by, weighting=weighting, level=level, meta={})
