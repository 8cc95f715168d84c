"""The reference group of a cost-of-basic-needs line, and weighted quantiles.

The reference group is the people whose consumption pattern defines the food
basket: those between two person-weighted quantiles of per-capita consumption,
by default the 2nd and 3rd deciles (``cost_of_basic_needs.reference_group`` in
``parameters/poverty_lines.yaml``). Ravallion (1998, LSMS WP 133, sec. 3)
recommends a group near the poverty line, so that the basket reflects what the
poor actually eat.

Quantiles are the inverse of the weighted distribution function,
``Q(p) = min{y : F(y) >= p}`` (R ``survey::svyquantile(qrule = "math")``,
Hyndman & Fan type 1). A household is in the group of quantiles ``[lo, hi]``
when ``Q(lo) < y <= Q(hi)``: equivalently, when the weighted share of people
strictly poorer than it is in ``[lo, hi)``. With ``lo = 0`` the poorest
household is in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.config import load_parameters
from workbench.errors import DataError, ParameterError
from workbench.poverty_lines._checks import numeric_column, person_weights, quantile_pair

__all__ = ["ReferenceGroup", "reference_group", "share_below", "weighted_quantile"]

_EPS = 1e-12  # relative tolerance on cumulative weight shares, against rounding at exact cut points


def weighted_quantile(
    values: Sequence[float] | np.ndarray,
    weights: Sequence[float] | np.ndarray,
    probs: float | Sequence[float],
) -> float | np.ndarray:
    """Weighted quantiles: the inverse of the weighted distribution function.

    ``Q(p) = min{y : F(y) >= p}`` with ``F(y) = sum(w[x <= y]) / sum(w)``, as
    R's ``svyquantile(..., qrule = "math")``. One sort, then a binary search
    for every probability.

    Parameters
    ----------
    values, weights : array-like
        Values and their weights (>= 0, not all zero). Zero-weight values are ignored.
    probs : float or array-like
        Probabilities in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        A float for a scalar ``probs``, else an array of the same length.

    Examples
    --------
    >>> weighted_quantile([10, 20, 30, 40], [1, 1, 1, 1], [0.25, 0.5, 0.51, 1.0])
    array([10., 20., 30., 40.])
    >>> weighted_quantile([10, 20, 30], [1, 2, 1], 0.5)
    20.0
    """
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    p = np.asarray(probs, dtype=float)
    if x.ndim != 1 or x.shape != w.shape:
        raise DataError(
            f"weighted_quantile: values and weights must be 1-D of the same length; "
            f"got shapes {x.shape} and {w.shape}"
        )
    if not (np.isfinite(x).all() and np.isfinite(w).all()) or (w < 0).any():
        raise DataError("weighted_quantile: values must be finite and weights finite and >= 0")
    if not np.isfinite(p).all() or (p < 0).any() or (p > 1).any():
        raise ParameterError(f"weighted_quantile: probabilities must be in [0, 1]; got {probs!r}")
    keep = w > 0
    if not keep.any():
        raise DataError("weighted_quantile: all weights are zero")
    x, w = x[keep], w[keep]
    order = np.argsort(x, kind="stable")
    xs, cw = x[order], np.cumsum(w[order])
    idx = np.searchsorted(cw, p * cw[-1] * (1 - _EPS), side="left")
    out = xs[np.minimum(idx, len(xs) - 1)]
    return float(out) if p.ndim == 0 else out


def share_below(
    values: np.ndarray, weights: np.ndarray, groups: np.ndarray | None = None
) -> np.ndarray:
    """The weighted share of units strictly below each unit, within its group.

    ``F(y-) = sum(w[x < y]) / sum(w)``, computed in one sort; tied values get
    the same share.

    Parameters
    ----------
    values, weights : numpy.ndarray
        Values and weights (> 0).
    groups : numpy.ndarray of int, optional
        Group codes ``0..G-1``; shares are computed within each group.

    Examples
    --------
    >>> share_below(np.array([3.0, 1, 2, 2]), np.ones(4))
    array([0.75, 0.  , 0.25, 0.25])
    """
    n = len(values)
    g = np.zeros(n, dtype=np.int64) if groups is None else np.asarray(groups, dtype=np.int64)
    order = np.lexsort((values, g))
    gs, vs, ws = g[order], values[order], weights[order]
    total = np.bincount(g, weights, minlength=int(g.max()) + 1)
    cw = np.cumsum(ws)
    start = np.r_[True, gs[1:] != gs[:-1]]
    # Exclusive cumulative weight within the group.
    group_offset = np.maximum.accumulate(np.where(start, np.arange(n), 0))
    below = cw - ws - (cw[group_offset] - ws[group_offset])
    # Ties: every unit of a run of equal values takes the share of the run's first unit.
    run_start = np.r_[True, (gs[1:] != gs[:-1]) | (vs[1:] != vs[:-1])]
    first = np.maximum.accumulate(np.where(run_start, np.arange(n), 0))
    out = np.empty(n)
    out[order] = below[first] / total[gs]
    return out


@dataclass(frozen=True)
class ReferenceGroup:
    """The reference group of a cost-of-basic-needs line.

    Attributes
    ----------
    quantiles : tuple of float
        Person-weighted quantiles of welfare bounding the group, ``(lo, hi)``.
    cutoffs : tuple of float
        ``(Q(lo), Q(hi))``, IQD per person per month: members have ``Q(lo) < y <= Q(hi)``.
    households : int
        Sampled households in the group.
    persons : float
        People the group represents (sum of person weights).
    members : numpy.ndarray of bool
        Membership of each survey row, in the survey's row order.
    """

    quantiles: tuple[float, float]
    cutoffs: tuple[float, float]
    households: int
    persons: float
    members: np.ndarray = field(repr=False, compare=False)


def default_quantiles() -> tuple[float, float]:
    """The reference-group quantiles of ``parameters/poverty_lines.yaml``."""
    return load_parameters("poverty_lines").cost_of_basic_needs.reference_group.quantiles


def reference_group(
    survey: pd.DataFrame,
    *,
    quantiles: Sequence[float] | None = None,
    welfare: str = "consumption_pc",
    weight: str = "weight",
    hhsize: str | None = "hhsize",
) -> ReferenceGroup:
    """Select the reference group: people between two quantiles of welfare.

    Parameters
    ----------
    survey : pandas.DataFrame
        A survey in the canonical model (one row per household).
    quantiles : (float, float), optional
        ``(lo, hi)`` person-weighted quantiles; default from the parameter file
        (``(0.10, 0.30)``: the 2nd and 3rd deciles).
    welfare, weight, hhsize : str
        Columns: per-capita consumption, household weight, household size
        (person weights are ``weight * hhsize``; pass ``hhsize=None`` for household weights).

    Returns
    -------
    ReferenceGroup

    Raises
    ------
    DataError
        A missing or invalid column, or an empty group.

    Examples
    --------
    Six households of one person, equal weights: the 2nd and 3rd deciles
    (people 10%-30% of the way up) are the second-poorest household.

    >>> s = pd.DataFrame({"consumption_pc": [60.0, 80, 100, 120, 140, 160],
    ...                   "weight": 1.0, "hhsize": 1})
    >>> g = reference_group(s, quantiles=(0.1, 0.3))
    >>> g.households, g.cutoffs, g.members.nonzero()[0].tolist()
    (1, (60.0, 80.0), [1])
    """
    lo, hi = quantile_pair(default_quantiles() if quantiles is None else quantiles)
    y = numeric_column(survey, welfare, what="survey", minimum=0.0)
    w = person_weights(survey, weight=weight, hhsize=hhsize)
    below = share_below(y, w)
    members = (below >= lo - _EPS) & (below < hi - _EPS)
    if not members.any():
        raise DataError(
            f"reference group: no household between the {lo:g} and {hi:g} quantiles of "
            f"{welfare!r}; widen the quantiles or check the survey"
        )
    cutoffs = weighted_quantile(y, w, [lo, hi])
    return ReferenceGroup(
        (lo, hi),
        (float(cutoffs[0]), float(cutoffs[1])),
        int(members.sum()),
        float(w[members].sum()),
        members,
    )
