"""From linearized scores to a finished :class:`~workbench.results.Estimate`.

An estimator supplies, for each domain, its point estimate and, for each row,
the weighted score (influence value) whose domain total linearizes it. This
module turns them into variances, t-based intervals, ``n`` and ``N``. Every
estimator in the workbench (means, ratios, FGT, Gini, ...) goes through here,
so they all share one definition of the design variance and of the table.

Scores only enter the variance through their totals in each (domain, PSU)
cell, so estimators whose cell totals have a closed form (a ratio's are
``(A_c - R B_c) / X_d`` from two cell totals) can pass those instead of one
score per row (:func:`finish_totals`). What a set of domains needs in every
call (its cells, ``n``, ``N`` and each cell's total weight) is computed once
per design, ``by`` columns and weighting, and kept by the design.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import DesignError
from workbench.results import Estimate, tidy_table
from workbench.survey.cells import Block, Cells, cells_of
from workbench.survey.design import SurveyDesign, Weighting, wide_codes
from workbench.survey.variance import cell_total_variance

__all__ = ["Domains", "domains", "finish", "finish_totals"]


@dataclass(frozen=True, eq=False)
class Domains:
    """Domain codes of the rows and what each domain holds.

    Attributes
    ----------
    codes : numpy.ndarray
        Domain of each row (int64, read-only; made on first use from ``compact``).
    labels : pandas.DataFrame
        The ``by`` columns, one row per domain.
    weights : numpy.ndarray
        Estimation weights of the rows (persons or households), read-only.
    n : numpy.ndarray
        Unweighted number of rows with a positive weight, per domain.
    N : numpy.ndarray
        Sum of weights per domain.
    by : list of str
    weighting : str
    cells : Cells
        The non-empty (domain, PSU) cells, where scores are totalled.
    cell_weights : numpy.ndarray
        Sum of weights in each cell.
    compact : numpy.ndarray or None
        Domain of each row in the smallest unsigned integer type (None: one domain).
    """

    labels: pd.DataFrame
    weights: np.ndarray
    n: np.ndarray
    N: np.ndarray
    by: list[str]
    weighting: str
    cells: Cells
    cell_weights: np.ndarray
    compact: np.ndarray | None

    @property
    def count(self) -> int:
        """Number of domains."""
        return len(self.labels)

    @cached_property
    def codes(self) -> np.ndarray:
        """Domain of each row, int64 (read-only)."""
        return wide_codes(self.compact, self.weights.size)

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Per-domain sums of ``values`` (one per row)."""
        return self.cell_sum(self.cells.sum(values))

    def cell_sum(self, per_cell: np.ndarray) -> np.ndarray:
        """Per-domain sums of values given per cell."""
        return np.bincount(self.cells.domain, weights=per_cell, minlength=self.count)

    def spread(self, per_domain: np.ndarray) -> np.ndarray:
        """Each row's value of a per-domain array."""
        return self.spreader(per_domain)(Block(slice(None)))

    def spreader(self, per_domain: np.ndarray) -> Callable[[Block], np.ndarray]:
        """A function giving each row's value of ``per_domain`` for the rows of a block.

        Examples
        --------
        >>> df = pd.DataFrame({"w": [1.0, 2, 3], "g": ["a", "b", "a"]})
        >>> doms = domains(SurveyDesign(df, weight="w"), "g")
        >>> doms.spreader(np.array([10.0, 20.0]))(Block(slice(1, 3))).tolist()
        [20.0, 10.0]
        """
        per_domain = np.asarray(per_domain)
        if self.compact is None:
            return lambda block: np.full(self.weights[block.rows].size, per_domain[0], dtype=per_domain.dtype)
        if self.cells.in_runs:  # a copy of each run's value: faster than a gather by row
            per_cell = per_domain[self.cells.domain]
            return lambda block: self.cells.spread(per_cell, block)
        return lambda block: per_domain[self.compact[block.rows]]


@dataclass(frozen=True, eq=False)
class _Weighted:
    """What a set of domains needs from the weights, kept by the design per weighting."""

    weights: np.ndarray
    n: np.ndarray
    N: np.ndarray
    cell_weights: np.ndarray
    cell_n: np.ndarray  # rows with a positive weight in each cell


def _weighted(design: SurveyDesign, key: tuple, cells: Cells, labels: pd.DataFrame,
              weighting: Weighting) -> _Weighted:
    """The domains' weighted totals, kept by the design (per ``by`` columns and weighting)."""
    weighted = design._weight_cache.get((key, weighting))
    if weighted is not None:
        return weighted
    if cells.whole_psus and key != _WHOLE:
        # Cells are PSUs: their totals are the whole population's, reordered.
        whole = _weighted(design, _WHOLE, _domain_set(design, None)[3], pd.DataFrame(index=range(1)),
                          weighting)
        w, cell_w, cell_n = whole.weights, whole.cell_weights[cells.psu], whole.cell_n[cells.psu]
    else:
        w = design.weights(weighting).view()
        w.flags.writeable = False
        cell_w, cell_n = cells.sum_blocks(lambda b: (w[b.rows], (w[b.rows] > 0).astype(float)), 2)
    D = len(labels)
    n = np.bincount(cells.domain, weights=cell_n, minlength=D).round().astype(np.int64)
    N = np.bincount(cells.domain, weights=cell_w, minlength=D)
    empty = np.flatnonzero(n == 0)
    if empty.size:
        shown = labels.iloc[empty[:5]].to_dict(orient="records")
        raise DesignError(f"{empty.size} domain(s) have no sample units with a positive weight: {shown}")
    for a in (n, N, cell_w, cell_n):
        a.flags.writeable = False
    weighted = _Weighted(w, n, N, cell_w, cell_n)
    design._weight_cache[(key, weighting)] = weighted
    return weighted


_WHOLE = ("cells",)
"""Cache key of the whole population's cells (one per PSU)."""


def _domain_set(design: SurveyDesign, by: str | Sequence[str] | None
                ) -> tuple[tuple, np.ndarray | None, pd.DataFrame, Cells]:
    """Cache key, compact codes, labels and cells of the domains (cells kept by the design)."""
    compact, labels = design.domain_codes(by)
    key = _WHOLE if by is None else (*_WHOLE, *([by] if isinstance(by, str) else by))
    cells = design._domain_cache.get(key)
    if cells is None:
        cells = cells_of(design, compact, len(labels))
        design._domain_cache[key] = cells
    return key, compact, labels, cells


def domains(design: SurveyDesign, by: str | Sequence[str] | None,
            weighting: Weighting = "person") -> Domains:
    """Domains of an estimate, with their sample sizes and weighted populations.

    The design keeps what this computes (per ``by`` columns and weighting), so
    later estimates on the same domains start at once.

    Raises
    ------
    DesignError
        If a domain has no sample unit with a positive weight.

    Examples
    --------
    >>> df = pd.DataFrame({"w": [1.0, 2, 3, 4], "size": [1, 2, 1, 2], "g": ["a", "b", "a", "b"]})
    >>> doms = domains(SurveyDesign(df, weight="w", hhsize="size"), "g")
    >>> doms.labels["g"].tolist(), doms.n.tolist(), doms.N.tolist()
    (['a', 'b'], [2, 2], [4.0, 12.0])
    """
    key, compact, labels, cells = _domain_set(design, by)
    weighted = _weighted(design, key, cells, labels, weighting)
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    return Domains(labels, weighted.weights, weighted.n, weighted.N, by_cols,
                   design.weighting_label(weighting), cells, weighted.cell_weights, compact)


def finish(design: SurveyDesign, statistic: str, doms: Domains, estimate: np.ndarray,
           scores: np.ndarray, *, level: float = 0.95, meta: Mapping[str, Any] | None = None,
           deff: np.ndarray | None = None) -> Estimate:
    """Variance from scores, then the tidy result.

    Parameters
    ----------
    design : SurveyDesign
    statistic : str
        Name of the statistic (``mean``, ``fgt0`` ...).
    doms : Domains
    estimate : numpy.ndarray
        Point estimate per domain.
    scores : numpy.ndarray
        Weighted linearized score of each row, for its own domain.
    level : float
        Confidence level of the t interval (design degrees of freedom).
    meta : Mapping, optional
        Extra metadata (variable, line, year, method ...).
    deff : numpy.ndarray, optional
        Design effects per domain.

    Examples
    --------
    A weighted mean by hand: its score is ``w (y - ybar) / N``.

    >>> df = pd.DataFrame({"y": [1.0, 2, 3, 4], "w": [1.0, 1, 2, 2],
    ...                    "h": [1, 1, 2, 2], "c": [1, 2, 1, 2]})
    >>> design = SurveyDesign(df, weight="w", strata="h", psu="c")
    >>> doms = domains(design, None)
    >>> y = design.column("y")
    >>> ybar = doms.sum(doms.weights * y) / doms.N
    >>> scores = doms.weights * (y - doms.spread(ybar)) / doms.spread(doms.N)
    >>> est = finish(design, "mean", doms, ybar, scores)
    >>> round(est.estimate, 4), round(est.se, 4)
    (2.8333, 0.3727)
    """
    return finish_totals(design, statistic, doms, estimate, doms.cells.sum(scores), level=level,
                         meta=meta, deff=deff)


def finish_totals(design: SurveyDesign, statistic: str, doms: Domains, estimate: np.ndarray,
                  cell_totals: np.ndarray, *, level: float = 0.95,
                  meta: Mapping[str, Any] | None = None, deff: np.ndarray | None = None) -> Estimate:
    """Like :func:`finish`, from the totals of the scores in each cell (``doms.cells``).

    Examples
    --------
    The weighted mean of :func:`finish`'s example, from two cell totals: each
    cell's scores total ``(A_c - ybar B_c) / N`` with ``A_c`` its total of
    ``w y`` and ``B_c`` its total weight.

    >>> df = pd.DataFrame({"y": [1.0, 2, 3, 4], "w": [1.0, 1, 2, 2],
    ...                    "h": [1, 1, 2, 2], "c": [1, 2, 1, 2]})
    >>> design = SurveyDesign(df, weight="w", strata="h", psu="c")
    >>> doms = domains(design, None)
    >>> A = doms.cells.sum(doms.weights * design.column("y"))
    >>> ybar = doms.cell_sum(A) / doms.N
    >>> est = finish_totals(design, "mean", doms, ybar, (A - ybar[0] * doms.cell_weights) / doms.N[0])
    >>> round(est.estimate, 4), round(est.se, 4)
    (2.8333, 0.3727)
    """
    variance = cell_total_variance(design, doms.cells, cell_totals)
    table = tidy_table(doms.labels, estimate, variance, df=design.df, n=doms.n, N=doms.N,
                       level=level, deff=deff)
    info = {"weighting": doms.weighting, "level": level, "by": doms.by, "method": "linearization"}
    info.update(meta or {})
    return Estimate(statistic, table, info)
