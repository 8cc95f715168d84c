"""Quantile shares: S80/S20, Palma and decile shares, with linearized SEs.

Every measure here is built from ``T(q_p) = sum w y 1[y <= q_p]``, the welfare
held by people at or below the weighted ``p``-quantile ``q_p`` (laeken's
definition: the smallest welfare whose cumulative weight share exceeds ``p``),
and the total ``T = sum w y``:

- S80/S20 = ``(T - T(q_0.8)) / T(q_0.2)``, as ``laeken::qsr`` (ratio of totals);
- Palma = ``(T - T(q_0.9)) / T(q_0.4)``;
- decile share ``k`` = ``(T(q_k/10) - T(q_(k-1)/10)) / T``, with ``T(q_0) = 0``, ``T(q_1) = T``.

Linearization (Hulliger & Münnich 2006; Langel & Tillé 2011). The quantile's
influence is ``(p - 1[y_k <= q_p]) / (N f(q_p))`` and ``dT(q)/dq = N q f(q)``, so
the density cancels and the linearized variable of ``T(q_p)`` is

.. math::

    I_k(p) = (y_k - q_p)\\,1[y_k \\le q_p] + p\\, q_p,

with no bandwidth to choose. Ratios and shares follow by the usual rule for
ratios. ``convey::svyqsr`` estimates the density with a Gaussian kernel instead
of cancelling it, so its SEs differ slightly (see tests/reference/inequality/README.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbench.inequality._checks import positive_means, welfare_values
from workbench.inequality.ordering import Ordered, order_within, quantile_index
from workbench.results import Estimate, tidy_table
from workbench.survey import Domains, SurveyDesign, Weighting, domains, finish
from workbench.survey.variance import cell_total_variance

__all__ = ["decile_shares", "palma", "s80s20", "share_below"]

By = str | Sequence[str] | None


def share_below(ordered: Ordered, doms: Domains, y: np.ndarray,
                p: float) -> tuple[np.ndarray, np.ndarray]:
    """``T(q_p)`` of each domain and each row's linearized variable ``I_k(p)``.

    Parameters
    ----------
    ordered : Ordered
        The rows sorted by (domain, welfare).
    doms : Domains
        The domains (codes and weights in the original row order).
    y : numpy.ndarray
        Welfare of each row, original order.
    p : float
        Population share, strictly between 0 and 1.

    Returns
    -------
    total_below : numpy.ndarray
        ``sum w y 1[y <= q_p]`` per domain.
    influence : numpy.ndarray
        ``I_k(p) = (y_k - q_p) 1[y_k <= q_p] + p q_p`` per row (not weighted), original order.
    """
    q = doms.spread(ordered.y[quantile_index(ordered, p)])
    below = y <= q
    total_below = doms.sum(np.where(below, doms.weights * y, 0.0))
    influence = np.where(below, y - q, 0.0) + p * q
    return total_below, influence


def _prepare(design: SurveyDesign, welfare: str, by: By, weighting: Weighting,
             measure: str) -> tuple[Domains, np.ndarray, Ordered]:
    doms = domains(design, by, weighting)
    y = welfare_values(design, welfare, measure=measure)
    positive_means(doms, y, welfare)
    return doms, y, order_within(doms.codes, y, doms.weights, doms.count)


def _top_bottom_ratio(design: SurveyDesign, welfare: str, statistic: str, top: float,
                      bottom: float, by: By, weighting: Weighting, level: float) -> Estimate:
    """``(T - T(q_top)) / T(q_bottom)`` with its linearized SE."""
    doms, y, ordered = _prepare(design, welfare, by, weighting, statistic)
    t_top, i_top = share_below(ordered, doms, y, top)
    t_bottom, i_bottom = share_below(ordered, doms, y, bottom)
    total = doms.sum(doms.weights * y)
    upper = total - t_top
    ratio = upper / t_bottom
    scores = doms.weights * ((y - i_top) - doms.spread(ratio) * i_bottom) / doms.spread(t_bottom)
    return finish(design, statistic, doms, ratio, scores, level=level,
                  meta={"variable": welfare, "top": 1 - top, "bottom": bottom})


def s80s20(design: SurveyDesign, welfare: str, *, by: By = None, weighting: Weighting = "person",
           level: float = 0.95) -> Estimate:
    """Quintile share ratio S80/S20, as ``laeken::qsr``, with its linearized SE.

    The welfare held by people above the 80th percentile over that held by
    people at or below the 20th (laeken's weighted quantiles).

    Parameters
    ----------
    design : SurveyDesign
    welfare : str
        Per-capita welfare column (``>= 0``).
    by : str or sequence of str, optional
    weighting : {"person", "household"}
    level : float

    Examples
    --------
    Ten people with 1..10: q20 = 3 and q80 = 9 (laeken takes the first value whose
    cumulative share exceeds p), so S80/S20 = 10 / (1 + 2 + 3).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": np.arange(1.0, 11), "w": 1.0})
    >>> round(s80s20(SurveyDesign(df, weight="w"), "y").estimate, 6)
    1.666667
    """
    return _top_bottom_ratio(design, welfare, "s80s20", 0.8, 0.2, by, weighting, level)


def palma(design: SurveyDesign, welfare: str, *, by: By = None, weighting: Weighting = "person",
          level: float = 0.95) -> Estimate:
    """Palma ratio: the top 10%'s share of welfare over the bottom 40%'s, with its SE.

    Same quantile convention as :func:`s80s20`.

    Examples
    --------
    Twenty people with 1..20: q40 = 9 and q90 = 19, so Palma = 20 / (1 + ... + 9).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": np.arange(1.0, 21), "w": 1.0})
    >>> round(palma(SurveyDesign(df, weight="w"), "y").estimate, 6)
    0.444444
    """
    return _top_bottom_ratio(design, welfare, "palma", 0.9, 0.4, by, weighting, level)


def decile_shares(design: SurveyDesign, welfare: str, *, by: By = None,
                  weighting: Weighting = "person", level: float = 0.95) -> Estimate:
    """Share of total welfare held by each decile group, with linearized SEs.

    Decile group ``k`` holds the people with ``q_(k-1)/10 < y <= q_k/10``
    (laeken's weighted quantiles); the ten shares add up to 1 in each domain.

    Returns
    -------
    Estimate
        Statistic ``"decile_share"``; the table has the domain columns, then a
        ``decile`` column (1..10), then the usual statistics. ``n`` and ``N`` are
        those of the domain.

    Examples
    --------
    Twenty people with 1..20 (total 210): q_k/10 = 2k + 1, so the first group is
    {1, 2, 3}, the second {4, 5}, ... and the last {20}.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": np.arange(1.0, 21), "w": 1.0})
    >>> shares = decile_shares(SurveyDesign(df, weight="w"), "y").table["estimate"]
    >>> (shares * 210).round(9).tolist()
    [6.0, 9.0, 13.0, 17.0, 21.0, 25.0, 29.0, 33.0, 37.0, 20.0]
    """
    doms, y, ordered = _prepare(design, welfare, by, weighting, "decile_shares")
    w = doms.weights
    total = doms.sum(w * y)
    parts = [share_below(ordered, doms, y, k / 10) for k in range(1, 10)]
    totals = [np.zeros(doms.count)] + [t for t, _ in parts] + [total]
    influence = [np.zeros_like(y)] + [i for _, i in parts] + [y]
    estimates, variances = [], []
    for k in range(1, 11):  # ten deciles, each one vectorised over rows and domains
        share = (totals[k] - totals[k - 1]) / total
        scores = w * (influence[k] - influence[k - 1] - doms.spread(share) * y) / doms.spread(total)
        estimates.append(share)
        variances.append(cell_total_variance(design, doms.cells, doms.cells.sum(scores)))
    labels = pd.concat([doms.labels.assign(decile=k) for k in range(1, 11)], ignore_index=True)
    order = np.lexsort((labels["decile"].to_numpy(), np.tile(np.arange(doms.count), 10)))
    table = tidy_table(labels, np.concatenate(estimates), np.concatenate(variances),
                       df=design.df, n=np.tile(doms.n, 10), N=np.tile(doms.N, 10), level=level)
    table = table.iloc[order].reset_index(drop=True)
    meta = {"weighting": doms.weighting, "level": level, "by": doms.by, "method": "linearization",
            "variable": welfare}
    return Estimate("decile_share", table, meta)
