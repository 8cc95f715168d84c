"""Growth incidence curves between two survey rounds (Ravallion & Chen 2003), with SEs.

The growth incidence curve gives, for each percentile ``p``, the growth rate
of welfare at that percentile, ``g(p) = q_b(p) / q_a(p) - 1`` (annualised as
``(q_b / q_a)^(1 / years) - 1`` when ``years`` is given). Quantiles are
person-weighted by default and follow laeken's convention (the smallest
welfare whose cumulative weight share exceeds ``p``;
:func:`workbench.inequality.ordering.quantile_index`).

Two summaries come with it (Ravallion & Chen 2003, *Economics Letters* 78):

- the growth rate of the mean, ``mu_b / mu_a - 1``;
- the rate of pro-poor growth, the mean growth rate of the poor: the average
  of ``g(p)`` over the percentiles at or below the initial headcount ``H_a``
  (a discrete version of ``(1 / H_a) integral_0^H_a g(p) dp``). It needs a line.

Welfare must be in the same prices in both rounds (deflate first).

**Standard errors.** The rounds are independent samples, so
``V(g) = V_a + V_b`` (:mod:`workbench.decompositions.rounds`, with
Welch–Satterthwaite degrees of freedom). By the delta method, with
``R = q_b / q_a`` and ``k = 1 / years`` (1 without ``years``),

.. math::

    \\hat V(g(p)) = (k R^k)^2 \\Big(\\frac{V(q_a)}{q_a^2} + \\frac{V(q_b)}{q_b^2}\\Big),

where ``V(q)`` is the Woodruff variance of each round's quantile (the square
of the SE of :func:`workbench.survey.quantile`: the width of the Woodruff
interval over ``2 t``). The pro-poor rate averages several percentiles of the
same round, so it needs their covariances too. They come from the influence
function of a quantile that the Woodruff interval implies,

.. math::

    u_i(p) = -\\frac{1}{\\hat f_W(q_p)} \\frac{w_i (1[y_i \\le q_p] - \\hat F(q_p))}{N},
    \\qquad \\frac{1}{\\hat f_W(q_p)} = \\frac{SE_W(q_p)}{SE(\\hat F(q_p))},

the score of the share below the quantile scaled by the slope of the
inverse distribution function across the Woodruff interval (Francisco &
Fuller 1991): its variance is exactly the Woodruff variance. The set of poor
percentiles is held fixed at its estimate. The growth of the mean is a ratio
of two means, linearized exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.decompositions.rounds import (
    ChangeEstimate,
    RoundDomains,
    change_estimate,
    paired_domains,
)
from workbench.errors import DataError, ParameterError
from workbench.inequality._checks import welfare_values
from workbench.inequality.ordering import order_within, quantile_index
from workbench.poverty.fgt import fgt
from workbench.poverty.line import Line, describe_line
from workbench.survey import SurveyDesign, Weighting, quantile
from workbench.survey.variance import psu_totals, variance_of_psu_totals

__all__ = ["GrowthIncidence", "growth_incidence", "weighted_quantiles"]

By = str | Sequence[str] | None


def weighted_quantiles(y: np.ndarray, w: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Weighted quantiles as laeken's ``weightedQuantile`` for ``0 < p < 1``.

    Examples
    --------
    >>> weighted_quantiles(np.arange(1.0, 11), np.ones(10), np.array([0.1, 0.2, 0.5])).tolist()
    [2.0, 3.0, 6.0]
    """
    probs = _check_probs(np.asarray(probs, dtype=float))
    ordered = order_within(np.zeros(len(y), dtype=np.int64), y, w, 1)
    return np.array([ordered.y[quantile_index(ordered, p)][0] for p in probs])


def _check_probs(probs: np.ndarray) -> np.ndarray:
    if probs.ndim != 1 or probs.size == 0 or np.any((probs <= 0) | (probs >= 1)):
        raise ParameterError("percentiles must be strictly between 0 and 100")
    return probs


@dataclass(frozen=True)
class GrowthIncidence:
    """A growth incidence curve and its summaries.

    Attributes
    ----------
    curve : ChangeEstimate
        One row per domain and ``percentile``: the growth rate (``estimate``)
        with its SE, interval and sizes (:mod:`workbench.decompositions.rounds`),
        then ``welfare_a`` and ``welfare_b`` (the quantiles) and, with a line,
        ``poor`` (the percentile is at or below the initial headcount).
    summary : ChangeEstimate
        One row per domain and ``indicator``: ``mean_growth`` and, with a line,
        ``headcount_a`` (round ``a``'s headcount, from round ``a`` alone) and
        ``pro_poor_growth`` (absent in a domain where no percentile is poor).
    """

    curve: ChangeEstimate
    summary: ChangeEstimate

    def to_frame(self) -> pd.DataFrame:
        """Both tables stacked, with a leading ``measure`` column."""
        return pd.concat([self.curve.to_frame(), self.summary.to_frame()], ignore_index=True)

    def __str__(self) -> str:
        return f"{self.curve}\n\n{self.summary}"


class _Round:
    """One round's welfare, quantiles and the PSU totals of their Woodruff influence functions."""

    def __init__(self, design: SurveyDesign, doms: RoundDomains, welfare: str, probs: np.ndarray):
        self.design, self.doms = design, doms
        self.y = welfare_values(design, welfare, measure="the growth incidence curve")
        self.mean = doms.sum(doms.weights * self.y) / doms.N
        ordered = order_within(doms.codes, self.y, doms.weights, doms.count)
        self.q = np.column_stack([ordered.y[quantile_index(ordered, p)] for p in probs])  # (D, Q)
        self.se_q = np.full_like(self.q, np.nan)
        self.weight_by_psu = psu_totals(design, doms.weights, doms.codes, doms.count)

    def woodruff(self, welfare: str, probs: np.ndarray, weighting: Weighting,
                 take: np.ndarray) -> None:
        """Woodruff SEs of the quantiles (:func:`workbench.survey.quantile`), in our order."""
        by = self.doms.by or None
        table = quantile(self.design, welfare, probs, by=by, weighting=weighting).table
        self.se_q = table["se"].to_numpy(dtype=float).reshape(-1, len(probs))[take]

    def quantile_totals(self, j: int) -> np.ndarray:
        """PSU totals (domains x PSUs) of the influence function of the ``j``-th quantiles."""
        doms = self.doms
        below = np.where(self.y <= doms.spread(self.q[:, j]), doms.weights, 0.0)
        by_psu = psu_totals(self.design, below, doms.codes, doms.count)
        share = by_psu.sum(axis=1) / doms.N
        share_totals = (by_psu - share[:, None] * self.weight_by_psu) / doms.N[:, None]
        se_share = np.sqrt(variance_of_psu_totals(self.design, share_totals))
        se_q = self.se_q[:, j]
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = np.where(se_share > 0, se_q / se_share, np.where(np.isnan(se_q), np.nan, 0.0))
        return -slope[:, None] * share_totals

    def mean_totals(self) -> np.ndarray:
        """PSU totals of the scores of each domain's mean."""
        doms = self.doms
        scores = doms.weights * (self.y - doms.spread(self.mean)) / doms.spread(doms.N)
        return psu_totals(self.design, scores, doms.codes, doms.count)


def growth_incidence(design_a: SurveyDesign, design_b: SurveyDesign, welfare: str, *,
                     percentiles: Iterable[float] = range(1, 100), by: By = None,
                     weighting: Weighting = "person", line: Line | None = None,
                     years: float | None = None, level: float = 0.95) -> GrowthIncidence:
    """Growth incidence curve from round ``a`` to round ``b``, with design-based SEs.

    Parameters
    ----------
    design_a, design_b : SurveyDesign
        The initial and the final round (independent samples).
    welfare : str
        Per-capita welfare column, in the same prices in both rounds.
    percentiles : iterable of float
        Percentiles, strictly between 0 and 100.
    by : str or sequence of str, optional
        Domains (governorate ...): one curve per domain, from the domain's own
        quantiles. Every domain must be in both rounds.
    weighting : {"person", "household"}
    line : float or str, optional
        Poverty line of round ``a`` (a number or a column), for the rate of pro-poor growth.
    years : float, optional
        Years between the rounds, to annualise the growth rates.
    level : float
        Confidence level of the t intervals.

    Returns
    -------
    GrowthIncidence
        ``curve`` and ``summary`` tables (see :class:`GrowthIncidence`); their
        ``meta`` hold ``line``, ``years`` and ``weighting``.

    Raises
    ------
    DataError
        Zero welfare at a percentile of round ``a`` (its growth rate is undefined).
    DesignError
        A domain in one round only.

    Warns
    -----
    DataWarning
        From :func:`workbench.survey.quantile`, where a Woodruff interval leaves
        [0, 1] (extreme percentiles of small domains): the SE is NaN there.

    Examples
    --------
    Everyone's welfare doubles: every percentile grows by 100%.

    >>> a = SurveyDesign(pd.DataFrame({"y": np.arange(1.0, 100), "w": 1.0}), weight="w")
    >>> b = SurveyDesign(pd.DataFrame({"y": np.arange(2.0, 200, 2), "w": 1.0}), weight="w")
    >>> gic = growth_incidence(a, b, "y", percentiles=[10, 20, 50, 80], line=25.5)
    >>> gic.curve.table[["percentile", "welfare_a", "welfare_b", "estimate", "poor"]]
       percentile  welfare_a  welfare_b  estimate   poor
    0        10.0       10.0       20.0       1.0   True
    1        20.0       20.0       40.0       1.0   True
    2        50.0       50.0      100.0       1.0  False
    3        80.0       80.0      160.0       1.0  False
    >>> gic.summary.table.set_index("indicator")["estimate"].round(6).to_dict()
    {'mean_growth': 1.0, 'headcount_a': 0.252525, 'pro_poor_growth': 1.0}

    Each rate has the SE of a ratio of two independent quantiles: at the
    median, ``R sqrt((SE_a / q_a)^2 + (SE_b / q_b)^2)`` with ``R = 2`` and the
    Woodruff SEs of :func:`workbench.survey.quantile`.

    >>> from workbench.survey import quantile
    >>> se_a, se_b = quantile(a, "y", 0.5).se, quantile(b, "y", 0.5).se
    >>> by_hand = 2 * np.hypot(se_a / 50, se_b / 100)
    >>> bool(np.isclose(gic.curve.table.loc[2, "se"], by_hand, rtol=1e-12))
    True
    """
    if years is not None and not (np.isfinite(years) and years > 0):
        raise ParameterError(f"years must be a positive number; got {years!r}")
    pct = np.asarray(list(percentiles), dtype=float)
    probs = _check_probs(pct / 100)
    doms_a, doms_b, take_b = paired_domains(design_a, design_b, by, weighting)
    a = _Round(design_a, doms_a, welfare, probs)
    b = _Round(design_b, doms_b, welfare, probs)
    zero = a.q <= 0
    if zero.any():
        d, j = np.nonzero(zero)
        where = [{**doms_a.labels.iloc[x].to_dict(), "percentile": float(pct[y])}
                 for x, y in zip(d[:5], j[:5])] if doms_a.by else f"percentile(s) {pct[j].tolist()}"
        raise DataError(f"welfare {welfare!r} is zero at {where} of the initial round: their "
                        "growth rate is undefined; choose higher percentiles")
    a.woodruff(welfare, probs, weighting, np.arange(doms_a.count))
    b.woodruff(welfare, probs, weighting, take_b)
    k = 1.0 if years is None else 1.0 / years
    ratio = b.q / a.q
    growth = ratio**k - 1
    slope = k * ratio**k  # d growth = slope (dq_b / q_b - dq_a / q_a)

    D, Q = doms_a.count, len(probs)
    H = None
    if line is not None:
        head = fgt(design_a, welfare, line=line, alpha=0.0, by=doms_a.by or None,
                   weighting=weighting)
        H, se_H = head.table["estimate"].to_numpy(), head.table["se"].to_numpy()
    poor = probs[None, :] <= (H[:, None] if H is not None else -np.inf)
    n_poor = poor.sum(axis=1)
    v_a, v_b = np.empty((D, Q)), np.empty((D, Q))
    pro_poor_a = np.zeros((D, design_a.n_psu))
    pro_poor_b = np.zeros((D, design_b.n_psu))
    share = np.where(n_poor > 0, 1.0 / np.maximum(n_poor, 1), 0.0)
    for j in range(Q):  # a loop over the requested percentiles only
        t_a = -(slope[:, j] / a.q[:, j])[:, None] * a.quantile_totals(j)
        t_b = (slope[:, j] / b.q[:, j])[:, None] * b.quantile_totals(j)
        v_a[:, j] = variance_of_psu_totals(design_a, t_a)
        v_b[:, j] = variance_of_psu_totals(design_b, t_b)
        weight = np.where(poor[:, j], share, 0.0)[:, None]
        pro_poor_a += weight * t_a
        pro_poor_b += weight * t_b

    domain = np.repeat(np.arange(D), Q)
    rows = doms_a.labels.iloc[domain].reset_index(drop=True)
    rows["percentile"] = np.tile(pct, D)
    extra = {"welfare_a": a.q.ravel(), "welfare_b": b.q.ravel()}
    if H is not None:
        extra["poor"] = poor.ravel()
    meta = {"variable": welfare, "line": None if line is None else describe_line(line),
            "years": years, "quantiles": "laeken", "interval": "woodruff"}
    pair, doms = (design_a, design_b), (doms_a, doms_b)
    curve = change_estimate("growth_incidence", pair, doms, rows, domain, growth.ravel(),
                            v_a.ravel(), v_b.ravel(), level=level, meta=meta,
                            labels=["percentile"], extra=extra)

    # Summaries, per domain: growth of the mean; headcount and pro-poor growth with a line.
    R = b.mean / a.mean
    mean_slope = k * R**k
    names = ["mean_growth"]
    estimates = [R**k - 1]
    mean_a = -(mean_slope / a.mean)[:, None] * a.mean_totals()
    mean_b = (mean_slope / b.mean)[:, None] * b.mean_totals()
    variances_a = [variance_of_psu_totals(design_a, mean_a)]
    variances_b = [variance_of_psu_totals(design_b, mean_b)]
    if H is not None:
        names += ["headcount_a", "pro_poor_growth"]
        estimates += [H, np.where(n_poor > 0, (growth * poor).sum(axis=1) * share, np.nan)]
        variances_a += [se_H**2, variance_of_psu_totals(design_a, pro_poor_a)]
        variances_b += [np.zeros(D), variance_of_psu_totals(design_b, pro_poor_b)]
    K = len(names)
    keep = np.ones((D, K), dtype=bool)
    if H is not None:
        keep[:, 2] = n_poor > 0
    keep = keep.ravel()
    domain = np.repeat(np.arange(D), K)[keep]
    rows = doms_a.labels.iloc[domain].reset_index(drop=True)
    rows["indicator"] = np.tile(names, D)[keep]
    summary = change_estimate(
        "growth_incidence_summary", pair, doms, rows, domain,
        np.column_stack(estimates).ravel()[keep],
        np.column_stack(variances_a).ravel()[keep], np.column_stack(variances_b).ravel()[keep],
        level=level, meta=meta, labels=["indicator"])
    return GrowthIncidence(curve, summary)
