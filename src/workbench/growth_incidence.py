"""Growth incidence curves between two survey rounds (Ravallion & Chen 2003).

The growth incidence curve gives, for each percentile ``p``, the growth rate
of welfare at that percentile, ``g(p) = q_b(p) / q_a(p) - 1`` (annualised as
``(q_b / q_a)^(1 / years) - 1`` when ``years`` is given). Quantiles are
person-weighted by default and follow laeken's convention (the smallest
welfare whose cumulative weight share exceeds ``p``).

Two summaries come with it (Ravallion & Chen 2003, *Economics Letters* 78):

- the growth rate of the mean, ``mu_b / mu_a - 1``;
- the rate of pro-poor growth, the mean growth rate of the poor: the average
  of ``g(p)`` over the percentiles at or below the initial headcount ``H_a``
  (a discrete version of ``(1 / H_a) integral_0^H_a g(p) dp``). It needs a line.

Welfare must be in the same prices in both rounds (deflate first).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from workbench.errors import DataError, ParameterError
from workbench.inequality._checks import welfare_values
from workbench.inequality.ordering import order_within
from workbench.poverty.fgt import fgt_values
from workbench.poverty.line import Line, describe_line, line_values
from workbench.survey import SurveyDesign, Weighting, domains

__all__ = ["growth_incidence", "weighted_quantiles"]


def weighted_quantiles(y: np.ndarray, w: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Weighted quantiles as laeken's ``weightedQuantile`` for ``0 < p < 1``.

    Examples
    --------
    >>> weighted_quantiles(np.arange(1.0, 11), np.ones(10), np.array([0.1, 0.2, 0.5])).tolist()
    [2.0, 3.0, 6.0]
    """
    probs = np.asarray(probs, dtype=float)
    if np.any((probs <= 0) | (probs >= 1)):
        raise ParameterError("percentiles must be strictly between 0 and 100")
    ordered = order_within(np.zeros(len(y), dtype=np.int64), y, w, 1)
    index = np.searchsorted(ordered.global_cum_w, probs * ordered.N[0], side="right")
    return ordered.y[index]


def _round(design: SurveyDesign, welfare: str, weighting: Weighting) -> tuple[np.ndarray, np.ndarray]:
    doms = domains(design, None, weighting)
    return welfare_values(design, welfare, measure="the growth incidence curve"), doms.weights


def growth_incidence(design_a: SurveyDesign, design_b: SurveyDesign, welfare: str, *,
                     percentiles: Iterable[float] = range(1, 100), weighting: Weighting = "person",
                     line: Line | None = None, years: float | None = None) -> pd.DataFrame:
    """Growth incidence curve from round ``a`` to round ``b``.

    Parameters
    ----------
    design_a, design_b : SurveyDesign
        The initial and the final round.
    welfare : str
        Per-capita welfare column, in the same prices in both rounds.
    percentiles : iterable of float
        Percentiles, strictly between 0 and 100.
    weighting : {"person", "household"}
    line : float or str, optional
        Poverty line of round ``a`` (a number or a column), for the rate of pro-poor growth.
    years : float, optional
        Years between the rounds, to annualise the growth rates.

    Returns
    -------
    pandas.DataFrame
        ``percentile``, ``welfare_a``, ``welfare_b``, ``growth`` and, with a
        line, ``poor`` (the percentile is at or below the initial headcount).
        ``attrs`` holds ``mean_growth`` and, with a line, ``headcount_a`` and
        ``pro_poor_growth`` (absent when no percentile is poor), plus ``line``,
        ``years`` and ``weighting``.

    Raises
    ------
    DataError
        Zero welfare at a percentile of round ``a`` (its growth rate is undefined).

    Examples
    --------
    Everyone's welfare doubles: every percentile grows by 100%.

    >>> a = pd.DataFrame({"y": np.arange(1.0, 101), "w": 1.0})
    >>> b = a.assign(y=2 * a.y)
    >>> gic = growth_incidence(SurveyDesign(a, weight="w"), SurveyDesign(b, weight="w"), "y",
    ...                        line=30.5)
    >>> gic.growth.unique().tolist(), gic.attrs["mean_growth"], gic.attrs["pro_poor_growth"]
    ([1.0], 1.0, 1.0)
    """
    if years is not None and not (np.isfinite(years) and years > 0):
        raise ParameterError(f"years must be a positive number; got {years!r}")
    pct = np.asarray(list(percentiles), dtype=float)
    y_a, w_a = _round(design_a, welfare, weighting)
    y_b, w_b = _round(design_b, welfare, weighting)
    q_a = weighted_quantiles(y_a, w_a, pct / 100)
    q_b = weighted_quantiles(y_b, w_b, pct / 100)
    if np.any(q_a <= 0):
        raise DataError(f"welfare {welfare!r} is zero at percentile(s) {pct[q_a <= 0].tolist()} of the "
                        "initial round: their growth rate is undefined; choose higher percentiles")
    power = 1.0 if years is None else 1.0 / years
    curve = pd.DataFrame({"percentile": pct, "welfare_a": q_a, "welfare_b": q_b,
                          "growth": (q_b / q_a) ** power - 1})
    mu_a = np.sum(w_a * y_a) / np.sum(w_a)
    mu_b = np.sum(w_b * y_b) / np.sum(w_b)
    curve.attrs.update({"mean_growth": float((mu_b / mu_a) ** power - 1), "years": years,
                        "weighting": design_a.weighting_label(weighting)})
    if line is not None:
        z = line_values(design_a, line)
        headcount = float(np.sum(w_a * fgt_values(y_a, z, 0.0)) / np.sum(w_a))
        curve["poor"] = pct / 100 <= headcount
        curve.attrs.update({"line": describe_line(line), "headcount_a": headcount})
        if curve["poor"].any():
            curve.attrs["pro_poor_growth"] = float(curve.loc[curve["poor"], "growth"].mean())
    return curve
