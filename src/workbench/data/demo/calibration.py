"""Calibration: hit published poverty headcounts exactly, by construction.

Log consumption is drawn around zero; then each governorate's location is
shifted so that the person-weighted share of people below the official line
equals its target. Each household is poor exactly when the shift is below its
own critical value, so the shift is a weighted quantile of those values: one
sort finds it for all governorates at once, never a loop over households
(:func:`headcount_shift`). Shares of binary covariates are hit the same way
through a logit intercept (:func:`logit_intercept`).

Targets come from ``parameters/demo.yaml``. Published governorate figures do
not average exactly to the published national one, so every governorate of a
round gets one common additive shift ``delta`` that makes the
population-weighted mean equal the national figure; ``delta`` is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from workbench.data.demo.parameters import DemoParameters
from workbench.geography import governorates

__all__ = [
    "Targets",
    "headcount_shift",
    "logit_intercept",
    "sigmoid",
    "solve_increasing",
    "targets",
    "weighted_headcount",
    "weighted_quantile",
]


def sigmoid(x: np.ndarray | float) -> np.ndarray:
    """The logistic function."""
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


@dataclass(frozen=True)
class Targets:
    """Headcount targets of one round (fractions), in :func:`workbench.geography.governorates` order.

    Attributes
    ----------
    published : numpy.ndarray
        Governorate figures as in ``demo.yaml``.
    calibrated : numpy.ndarray
        ``published + delta``: what the generator hits.
    national : float
        The published national figure.
    delta : float
        Common shift making the population-weighted mean equal ``national``.
    status, source : tuple of str
        Provenance of each governorate figure.
    national_status : str
    """

    year: int
    published: np.ndarray
    calibrated: np.ndarray
    national: float
    delta: float
    status: tuple[str, ...]
    source: tuple[str, ...]
    national_status: str


def targets(params: DemoParameters, year: int, population: np.ndarray) -> Targets:
    """The headcount targets of ``year``, adjusted to the national figure.

    Parameters
    ----------
    params : DemoParameters
    year : int
        A round of ``params.rounds``.
    population : numpy.ndarray
        People by governorate (any scale), in geography order.

    Examples
    --------
    >>> from workbench.data.demo.parameters import load_demo_parameters
    >>> t = targets(load_demo_parameters(), 2018, np.ones(18))
    >>> round(float(np.mean(t.calibrated)), 4) == t.national
    True
    """
    figures = [params.headcount.governorates[g.pcode][year] for g in governorates()]
    published = np.array([f.value for f in figures]) / 100.0
    national = params.headcount.national[year]
    share = population / population.sum()
    delta = national.value / 100.0 - float(share @ published)
    return Targets(year, published, np.clip(published + delta, 0.001, 0.999), national.value / 100.0,
                   delta, tuple(f.status for f in figures), tuple(f.source for f in figures),
                   national.status)


def solve_increasing(func: Callable[[np.ndarray], np.ndarray], target: np.ndarray, lo: float,
                     hi: float, iters: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised bisection: for each element, bracket ``x`` with ``func(x) = target``.

    ``func`` maps an array of candidates (one per element) to an array of
    values and must be non-decreasing in each candidate.

    Returns
    -------
    lo, hi : numpy.ndarray
        Brackets with ``func(lo) < target <= func(hi)`` (where the target is reachable).

    Examples
    --------
    >>> lo, hi = solve_increasing(lambda x: x ** 3, np.array([8.0, 27.0]), 0.0, 10.0)
    >>> np.round(hi, 6).tolist()
    [2.0, 3.0]
    """
    target = np.asarray(target, dtype=float)
    lo_a = np.full(target.shape, float(lo))
    hi_a = np.full(target.shape, float(hi))
    for _ in range(iters):
        mid = 0.5 * (lo_a + hi_a)
        below = func(mid) < target
        lo_a = np.where(below, mid, lo_a)
        hi_a = np.where(below, hi_a, mid)
    return lo_a, hi_a


def weighted_headcount(group: np.ndarray, welfare: np.ndarray, line: float | np.ndarray,
                       weight: np.ndarray, n_groups: int) -> np.ndarray:
    """Weighted share below the line in each group (``welfare < line``).

    Examples
    --------
    >>> weighted_headcount(np.array([0, 0, 1]), np.array([1.0, 3.0, 1.0]), 2.0,
    ...                    np.array([1.0, 3.0, 1.0]), 2).tolist()
    [0.25, 1.0]
    """
    poor = np.bincount(group, weight * (welfare < line), minlength=n_groups)
    return poor / np.bincount(group, weight, minlength=n_groups)


def headcount_shift(group: np.ndarray, log_base: np.ndarray, line: float, weight: np.ndarray,
                    target: np.ndarray, *, add: np.ndarray | None = None) -> np.ndarray:
    """Location shift per group so that the weighted headcount equals the target.

    Welfare is ``exp(log_base + shift[group]) + add``. A unit is poor exactly
    when the shift is below its critical value ``log(line - add) - log_base``,
    so the headcount is a step function of the shift, and the shift is a
    weighted quantile of the critical values in each group (one sort for all
    groups, no iteration). It is placed midway between the critical values of
    the two units at the margin, so no unit sits on the line and a line that
    differs in the last digits gives the same headcount. Each group lands on
    the attainable headcount closest to its target (within one unit's weight
    share).

    Parameters
    ----------
    group : numpy.ndarray of int
        Group index of each unit, ``0 .. len(target) - 1``; every group non-empty.
    log_base : numpy.ndarray
        Log welfare before the shift.
    line : float
        Poverty line, same unit as the welfare.
    weight : numpy.ndarray
        Person weights.
    target : numpy.ndarray
        Headcount per group, fractions.
    add : numpy.ndarray, optional
        An amount added after the shift (a transfer per person); units whose
        amount alone reaches the line are never poor.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> g = np.repeat([0, 1], 5000)
    >>> x = rng.normal(size=10_000)
    >>> s = headcount_shift(g, x, 1.0, np.ones(10_000), np.array([0.2, 0.5]))
    >>> weighted_headcount(g, np.exp(x + s[g]), 1.0, np.ones(10_000), 2).tolist()
    [0.2, 0.5]
    """
    extra = np.zeros_like(log_base) if add is None else add
    gap = line - extra
    critical = np.full(log_base.shape, -np.inf)
    critical[gap > 0] = np.log(gap[gap > 0]) - log_base[gap > 0]
    order = np.lexsort((-critical, group))  # by group, critical values falling
    g, c, w = group[order], critical[order], weight[order]
    start = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
    cum = np.cumsum(w)
    before = np.repeat(np.r_[0.0, cum[start[1:] - 1]], np.diff(np.r_[start, len(g)]))
    share = (cum - before) / np.bincount(group, weight)[g]  # poor share if the first j+1 are poor
    miss = np.where(np.isfinite(c), np.abs(share - np.asarray(target)[g]), np.inf)
    best = np.lexsort((miss, g))[start]  # per group, the position with the smallest miss
    last = np.r_[start[1:], len(g)] - 1
    nxt = np.where(best < last, c[np.minimum(best + 1, len(c) - 1)], -np.inf)
    return np.where(np.isfinite(nxt), 0.5 * (c[best] + nxt), c[best] - 1.0)


def logit_intercept(linear: np.ndarray, weight: np.ndarray | None, target: float) -> float:
    """The intercept ``c`` with weighted mean of ``sigmoid(c + linear)`` equal to ``target``.

    Newton's method on a function that increases in ``c`` (steps capped at 4
    on the logit scale), to machine precision.

    Examples
    --------
    >>> c = logit_intercept(np.array([-1.0, 0.0, 1.0]), None, 0.5)
    >>> round(c, 9)
    0.0
    >>> c = logit_intercept(np.array([-2.0, 3.0]), np.array([1.0, 3.0]), 0.3)
    >>> round(float(np.average(sigmoid(c + np.array([-2.0, 3.0])), weights=[1, 3])), 9)
    0.3
    """
    w = np.ones_like(linear) if weight is None else weight
    w = w / w.sum()
    c = float(np.log(target / (1.0 - target)) - w @ linear)
    for _ in range(100):
        s = sigmoid(c + linear)
        gap = float(w @ s) - target
        if abs(gap) < 1e-13:
            break
        c -= float(np.clip(gap / float(w @ (s * (1.0 - s))), -4.0, 4.0))
    return c


def weighted_quantile(x: np.ndarray, weight: np.ndarray, q: float) -> float:
    """The smallest ``x`` whose weighted distribution function reaches ``q``.

    Examples
    --------
    >>> weighted_quantile(np.array([3.0, 1.0, 2.0]), np.array([1.0, 1.0, 2.0]), 0.5)
    2.0
    """
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(weight[order])
    return float(x[order][np.searchsorted(cum, q * cum[-1])])
