"""(Domain, PSU) cells: where linearized scores are totalled for the design variance.

The variance of a domain estimate needs the total of its linearized scores in
every PSU (the full design is kept, as in R's ``svyby``). Only the cells where a
domain has rows can hold a non-zero total: with domains made of whole PSUs
(governorate, urban/rural, district) there is one cell per PSU whatever the
number of domains, not one per domain and PSU. :func:`cells_of` finds the
non-empty cells of a set of domains once per design, and :meth:`Cells.sum`
totals per-row values into them in one pass over the rows:

- when the rows come in runs that each lie in one cell (survey files sorted by
  PSU, or by PSU and household), by ``np.add.reduceat`` over the run starts, a
  contiguous pass several times faster than a ``bincount``;
- otherwise by one ``bincount`` over each row's PSU (domains made of whole
  PSUs) or each row's cell (kept by the design).

:func:`workbench.survey.variance.cell_total_variance` then gets each domain's
variance from the cell totals alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd

from workbench.survey.design import RUN_FRACTION, SurveyDesign

__all__ = ["Block", "Cells", "cells_of"]

BLOCK_ROWS = 1 << 16
"""Rows per block in :meth:`Cells.sum_blocks`: a block's temporaries stay in the CPU cache."""


@dataclass(frozen=True)
class Block:
    """A block of consecutive rows, made of whole runs (``runs``) when rows come in runs."""

    rows: slice
    runs: slice | None = None
    starts: np.ndarray | None = None  # the runs' starts, relative to the block


class Cells:
    """The non-empty (domain, PSU) cells of a set of domains, and how rows map to them.

    Built by :func:`cells_of`. Cells are numbered in order of (domain, PSU).

    Attributes
    ----------
    domain, psu : numpy.ndarray
        Domain and PSU code of each cell.
    n_domains : int
    stratum_key : numpy.ndarray
        ``domain * n_strata + stratum`` of each cell.
    filled : numpy.ndarray
        Number of cells of each (domain, stratum), indexed by ``stratum_key``.
    """

    __slots__ = (
        "_blocks",
        "_compact",
        "_keys",
        "_lengths",
        "_n_psu",
        "_n_units",
        "_psu_cell",
        "_psu_code",
        "_psu_domain",
        "_starts",
        "_unit",
        "_unit_cell",
        "domain",
        "filled",
        "n_domains",
        "psu",
        "stratum_key",
    )

    def __init__(self, design: SurveyDesign, domain: np.ndarray, psu: np.ndarray, n_domains: int, *,
                 starts: np.ndarray | None = None, unit: np.ndarray | None = None, n_units: int = 0,
                 unit_cell: np.ndarray | None = None, psu_cell: np.ndarray | None = None,
                 psu_domain: np.ndarray | None = None, keys: np.ndarray | None = None,
                 compact: np.ndarray | None = None) -> None:
        self.domain = domain
        self.psu = psu
        self.n_domains = n_domains
        self.stratum_key = domain * design.n_strata + design.psu_stratum[psu]
        self.filled = np.bincount(self.stratum_key, minlength=n_domains * design.n_strata)
        self._starts, self._unit, self._n_units = starts, unit, n_units
        self._lengths = None if starts is None else np.diff(starts, append=design.psu_code.size)
        self._blocks = [Block(slice(None))] if starts is None else _blocks(starts, design.psu_code.size)
        self._unit_cell, self._psu_cell, self._psu_domain = unit_cell, psu_cell, psu_domain
        if unit_cell is not None and unit_cell.size == domain.size and np.array_equal(
                unit_cell, np.arange(domain.size)):
            self._unit_cell = None  # each unit is its own cell, in order
        self._keys, self._compact = keys, compact
        self._psu_code, self._n_psu = design.psu_code, design.n_psu

    @property
    def count(self) -> int:
        """Number of cells."""
        return int(self.domain.size)

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Totals of ``values`` (one float per row) in each cell: one pass over the rows.

        Examples
        --------
        >>> df = pd.DataFrame({"w": [1.0] * 4, "c": [1, 1, 2, 2], "g": [0, 1, 0, 0]})
        >>> d = SurveyDesign(df, weight="w", psu="c")
        >>> cells = cells_of(d, d.domain_codes("g")[0], 2)
        >>> cells.domain.tolist(), cells.psu.tolist(), cells.sum(np.array([1.0, 2, 3, 4])).tolist()
        ([0, 0, 1], [0, 1, 0], [1.0, 7.0, 2.0])
        """
        if self._starts is not None:
            return self._to_cells(np.add.reduceat(values, self._starts))
        return self._to_cells(np.bincount(self._unit, weights=values, minlength=self._n_units))

    def sum_blocks(self, values_of: Callable[[Block], Sequence[np.ndarray]],
                   k: int) -> list[np.ndarray]:
        """Cell totals of ``k`` per-row values that ``values_of`` computes block by block.

        ``values_of(block)`` returns ``k`` arrays, one value per row of ``block.rows``.
        When rows come in runs, blocks of about :data:`BLOCK_ROWS` rows keep every
        temporary small (no full-length array); otherwise there is one block of all rows.

        Examples
        --------
        >>> df = pd.DataFrame({"w": [1.0] * 4, "c": [1, 1, 2, 2]})
        >>> d = SurveyDesign(df, weight="w", psu="c")
        >>> y = np.array([1.0, 2, 3, 4])
        >>> [t.tolist() for t in cells_of(d, None, 1).sum_blocks(lambda b: (y[b.rows], y[b.rows] ** 2), 2)]
        [[3.0, 7.0], [5.0, 25.0]]
        """
        if self._starts is None:
            return [self._to_cells(np.bincount(self._unit, weights=v, minlength=self._n_units))
                    for v in values_of(self._blocks[0])]
        runs = [np.empty(self._starts.size) for _ in range(k)]
        for block in self._blocks:
            for total, values in zip(runs, values_of(block)):
                total[block.runs] = np.add.reduceat(values, block.starts)
        return [self._to_cells(r) for r in runs]

    def _to_cells(self, units: np.ndarray) -> np.ndarray:
        if self._unit_cell is None:
            return units
        return np.bincount(self._unit_cell, weights=units, minlength=self.count)

    @property
    def whole_psus(self) -> bool:
        """Whether every PSU lies in one domain: then the cells are the PSUs."""
        return self._psu_cell is not None

    @property
    def in_runs(self) -> bool:
        """Whether rows come in runs that each lie in one cell."""
        return self._starts is not None

    def spread(self, per_cell: np.ndarray, block: Block | None = None) -> np.ndarray:
        """Each row's value of a per-cell array (of the rows of ``block``, or all rows).

        Examples
        --------
        >>> df = pd.DataFrame({"w": [1.0] * 4, "c": [1, 1, 2, 2], "g": [0, 1, 0, 0]})
        >>> d = SurveyDesign(df, weight="w", psu="c")
        >>> cells_of(d, d.domain_codes("g")[0], 2).spread(np.array([10.0, 20, 30])).tolist()
        [10.0, 30.0, 20.0, 20.0]
        """
        per_cell = np.asarray(per_cell)
        if self._starts is not None:
            runs = slice(None) if block is None or block.runs is None else block.runs
            unit_cell = self._unit_cell
            per_run = per_cell[runs] if unit_cell is None else per_cell[unit_cell[runs]]
            return np.repeat(per_run, self._lengths[runs])
        return per_cell[self.of_rows(slice(None) if block is None else block.rows)]

    def row_cells(self) -> np.ndarray:
        """Cell of every row (a new full-length array)."""
        if self._starts is not None:
            per_run = np.arange(self._starts.size) if self._unit_cell is None else self._unit_cell
            return np.repeat(per_run, self._lengths)
        return self.of_rows(slice(None))

    def locate(self, rows: np.ndarray, compact: np.ndarray | None) -> tuple[np.ndarray | None, np.ndarray]:
        """Domain (``compact``'s codes; None for one domain) and cell of each of the given rows.

        With domains made of whole PSUs both come from one look-up of the rows' PSUs.
        """
        if compact is None:
            return None, self.of_rows(rows)
        if self._psu_domain is not None:
            psu = self._psu_code[rows]
            return self._psu_domain[psu], self._psu_cell[psu]
        return compact[rows], self.of_rows(rows)

    def of_rows(self, rows: np.ndarray | slice) -> np.ndarray:
        """Cell of each of the given rows (positions)."""
        if self._psu_cell is not None:
            if self._psu_cell.size == self.count and self.count == self._n_psu and self.n_domains == 1:
                return self._psu_code[rows]  # one domain: cell k is PSU k
            return self._psu_cell[self._psu_code[rows]]
        if self._unit is not None:
            return self._unit[rows]
        key = self._compact[rows].astype(np.intp) * self._n_psu + self._psu_code[rows]
        return np.searchsorted(self._keys, key)


def _blocks(starts: np.ndarray, n: int) -> list[Block]:
    """Blocks of whole runs of about :data:`BLOCK_ROWS` rows each."""
    cuts = np.searchsorted(starts, np.arange(BLOCK_ROWS, n, BLOCK_ROWS))
    bounds = np.unique(np.concatenate([[0], cuts, [starts.size]]))
    ends = np.append(starts, n)
    return [Block(slice(int(ends[r0]), int(ends[r1])), slice(int(r0), int(r1)), starts[r0:r1] - ends[r0])
            for r0, r1 in pairwise(bounds)]  # a loop over blocks, not rows


def psu_runs(design: SurveyDesign) -> tuple[np.ndarray, np.ndarray] | None:
    """Starts of the runs of rows of one PSU, and the PSU of each run; None if runs are short.

    Kept by the design (the PSU codes do not change in a subset).
    """
    cache = design._domain_cache
    if "psu runs" not in cache:
        cache["psu runs"] = _runs(design.psu_code)
    return cache["psu runs"]


def _runs(key: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Starts of the runs of equal ``key`` and the key of each run, or None if runs are short."""
    n = key.size
    change = np.flatnonzero(key[1:] != key[:-1])
    if (change.size + 1) * RUN_FRACTION > n:
        return None
    starts = np.empty(change.size + 1, dtype=np.intp)
    starts[0] = 0
    np.add(change, 1, out=starts[1:])
    return starts, key[starts]


def cells_of(design: SurveyDesign, compact: np.ndarray | None, n_domains: int) -> Cells:
    """The non-empty (domain, PSU) cells of domains given by their codes.

    Parameters
    ----------
    design : SurveyDesign
    compact : numpy.ndarray or None
        Domain code of each row (from :meth:`SurveyDesign.domain_codes`); None for
        the whole population.
    n_domains : int

    Examples
    --------
    Two domains made of whole PSUs: one cell per PSU.

    >>> df = pd.DataFrame({"w": [1.0] * 6, "c": [1, 1, 2, 2, 3, 3], "g": [1, 1, 0, 0, 1, 1]})
    >>> d = SurveyDesign(df, weight="w", psu="c")
    >>> cells = cells_of(d, d.domain_codes("g")[0], 2)
    >>> cells.domain.tolist(), cells.psu.tolist()
    ([0, 1, 1], [1, 0, 2])
    """
    psu = design.psu_code
    n_psu = design.n_psu
    runs = psu_runs(design)
    if compact is None:
        psu_domain = np.zeros(n_psu, dtype=np.intp)
        whole_psus = True
    elif runs is not None:
        # Whole PSUs: the domain changes only where a run of a PSU starts, and every run
        # of a PSU is in the same domain.
        starts, run_psu = runs
        is_start = np.zeros(compact.size, dtype=bool)
        is_start[starts] = True
        changes = compact[1:] != compact[:-1]
        run_domain = compact[starts]
        psu_domain = np.zeros(n_psu, dtype=compact.dtype)
        psu_domain[run_psu] = run_domain
        whole_psus = not (changes & ~is_start[1:]).any() and bool(
            np.array_equal(psu_domain[run_psu], run_domain))
    else:
        psu_domain = np.zeros(n_psu, dtype=compact.dtype)
        psu_domain[psu] = compact
        whole_psus = bool(np.array_equal(psu_domain[psu], compact))
    if whole_psus:
        # Every PSU lies in one domain: the cells are the PSUs, ordered by domain.
        order = np.argsort(psu_domain, kind="stable")
        psu_cell = np.empty(n_psu, dtype=np.intp)
        psu_cell[order] = np.arange(n_psu)
        domain = psu_domain[order].astype(np.intp)
        identity = compact is None  # one domain: cell k is PSU k
        tables = {"psu_cell": psu_cell, "psu_domain": None if identity else psu_domain}
        if runs is not None:
            starts, run_psu = runs
            return Cells(design, domain, order, n_domains, starts=starts, unit_cell=psu_cell[run_psu],
                         **tables)
        return Cells(design, domain, order, n_domains, unit=psu, n_units=n_psu,
                     unit_cell=None if identity else psu_cell, **tables)
    key = compact.astype(np.intp) * n_psu + psu
    runs = _runs(key)
    if runs is not None:
        starts, run_key = runs
        keys, run_cell = np.unique(run_key, return_inverse=True)
        return Cells(design, keys // n_psu, keys % n_psu, n_domains, starts=starts,
                     unit_cell=run_cell.astype(np.intp), keys=keys, compact=compact)
    codes, keys = pd.factorize(key, sort=True)
    codes = np.asarray(codes, dtype=np.intp)
    codes.flags.writeable = False
    keys = np.asarray(keys, dtype=np.intp)
    return Cells(design, keys // n_psu, keys % n_psu, n_domains, unit=codes, n_units=keys.size)
