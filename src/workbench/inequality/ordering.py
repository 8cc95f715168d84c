"""Rows sorted by (domain, welfare) once, with cumulative sums within each domain.

Rank-based measures (the Gini, quantiles, quantile shares) need each domain's
rows in welfare order and the cumulative weight up to each row. Sorting all
rows once by (domain, welfare) and taking one global cumulative sum, then
subtracting each domain's starting value, gives every domain's cumulative sums
in one pass, with no Python loop over domains.

The sort is two passes: ``argsort`` of welfare, then a stable radix sort of the
small integer domain codes (numpy sorts integers of 16 bits or less by radix).
Ties in welfare are left in any order: every measure built on this is
invariant to the order of tied values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.survey import SurveyDesign

__all__ = ["Ordered", "order_within", "quantile_index", "welfare_order"]


@dataclass(frozen=True)
class Ordered:
    """Rows of a sample sorted by domain, then welfare.

    Attributes
    ----------
    order : numpy.ndarray
        Original row position of each sorted row.
    codes, y, w : numpy.ndarray
        Domain code, welfare and weight of each sorted row.
    cum_w, cum_wy : numpy.ndarray
        Cumulative weight and weighted welfare within the row's domain, up to
        and including the row.
    global_cum_w : numpy.ndarray
        Cumulative weight over all sorted rows (not reset at domain starts).
    base_w : numpy.ndarray
        ``global_cum_w`` just before each domain's first row, shape ``(D,)``.
    N, T : numpy.ndarray
        Total weight and total weighted welfare of each domain, shape ``(D,)``.
    """

    order: np.ndarray
    codes: np.ndarray
    y: np.ndarray
    w: np.ndarray
    cum_w: np.ndarray
    cum_wy: np.ndarray
    global_cum_w: np.ndarray
    base_w: np.ndarray
    N: np.ndarray
    T: np.ndarray

    @property
    def count(self) -> int:
        """Number of domains."""
        return len(self.N)

    def unsort(self, values: np.ndarray) -> np.ndarray:
        """Values given for the sorted rows, put back in the original row order."""
        out = np.empty_like(values)
        out[self.order] = values
        return out


def order_within(codes: np.ndarray, y: np.ndarray, w: np.ndarray, n_domains: int) -> Ordered:
    """Sort rows by (domain, welfare) and accumulate weights within domains.

    Parameters
    ----------
    codes : numpy.ndarray
        Domain code of each row, 0 .. ``n_domains`` - 1. A domain may have no rows.
    y, w : numpy.ndarray
        Welfare and weight of each row.
    n_domains : int

    Examples
    --------
    >>> o = order_within(np.array([1, 0, 1, 0]), np.array([5.0, 3, 1, 2]),
    ...                  np.array([1.0, 1, 2, 1]), 2)
    >>> o.y.tolist(), o.cum_w.tolist()
    ([2.0, 3.0, 1.0, 5.0], [1.0, 2.0, 2.0, 3.0])
    """
    order = np.argsort(y)
    if n_domains > 1:
        small = np.uint8 if n_domains <= np.iinfo(np.uint8).max + 1 else (
            np.uint16 if n_domains <= np.iinfo(np.uint16).max + 1 else np.int64)
        order = order[np.argsort(codes[order].astype(small), kind="stable")]
    c, ys, ws = codes[order], y[order], w[order]
    counts = np.bincount(c, minlength=n_domains)
    start = np.cumsum(counts) - counts
    gcw = np.cumsum(ws)
    gcwy = np.cumsum(ws * ys)
    if len(ys):
        first = np.minimum(start, len(ys) - 1)
        has_rows = counts > 0
        base_w = np.where(has_rows, gcw[first] - ws[first], 0.0)
        base_wy = np.where(has_rows, gcwy[first] - ws[first] * ys[first], 0.0)
    else:
        base_w = base_wy = np.zeros(n_domains)
    N = np.bincount(c, weights=ws, minlength=n_domains)
    T = np.bincount(c, weights=ws * ys, minlength=n_domains)
    return Ordered(order, c, ys, ws, gcw - base_w[c], gcwy - base_wy[c], gcw, base_w, N, T)


def quantile_index(ordered: Ordered, p: float) -> np.ndarray:
    """Position (in sorted rows) of each domain's weighted ``p``-quantile, as laeken computes it.

    laeken's ``weightedQuantile`` (0.5.x) returns, for ``0 < p < 1``, the
    smallest welfare value whose cumulative weight share exceeds ``p``:
    ``q_p = min{y_(i) : C_i / N > p}``. Equivalently the first sorted row
    whose global cumulative weight exceeds ``base + p N`` of its domain; that
    row always has a positive weight.

    Parameters
    ----------
    ordered : Ordered
    p : float
        Probability, strictly between 0 and 1.

    Returns
    -------
    numpy.ndarray
        Index into the sorted rows, one per domain (domains must have a positive weight).
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be strictly between 0 and 1; got {p}")
    return np.searchsorted(ordered.global_cum_w, ordered.base_w + p * ordered.N, side="right")


def welfare_order(design: SurveyDesign, column: str, y: np.ndarray) -> np.ndarray:
    """Row positions in increasing order of ``y``, the design's column ``column``.

    The design keeps the order of the last column it sorted (int32 when the rows
    allow it: 4 bytes a row), so the national and every ``by=`` estimate of that
    column share one sort: within a domain, rows in this order are in welfare order.
    The cache is the design object's own (a :meth:`SurveyDesign.subset` sorts again).

    Examples
    --------
    >>> import pandas as pd
    >>> d = SurveyDesign(pd.DataFrame({"y": [3.0, 1, 2], "w": 1.0}), weight="w")
    >>> welfare_order(d, "y", d.column("y")).tolist()
    [1, 2, 0]
    """
    cached = design._weight_cache.get("welfare order")
    if cached is not None and cached[0] == column:
        return cached[1]
    order = np.argsort(y, kind="stable")  # faster than the default on welfare repeated by household
    if order.size < np.iinfo(np.int32).max:
        order = order.astype(np.int32)
    order.flags.writeable = False
    design._weight_cache["welfare order"] = (column, order)  # one column at a time: bounded memory
    return order
