"""The survey design: one object that every estimator takes.

A :class:`SurveyDesign` carries the data with its weights, strata, primary
sampling units (PSUs), an optional finite population correction, the household
size that turns household weights into person weights, and the policy for
strata with a single PSU. It never subsets the data: domain estimates keep the
full design, as R's ``svyby`` does.

Variance is estimated by Taylor linearization with the usual with-replacement
approximation at the first stage (Wolter 2007, ch. 6; Lumley 2010, ch. 2),
optionally with the finite population correction ``(1 - f_h)``.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from workbench.errors import DataError, DesignError, first_ids

__all__ = ["LonelyPSU", "SurveyDesign", "Weighting"]

LonelyPSU = Literal["fail", "centre", "merge"]
Weighting = Literal["person", "household"]
_LONELY: tuple[str, ...] = ("fail", "centre", "merge")
RUN_FRACTION = 4
"""Rows are summed run by run (of one PSU) when there are at most one run per this many rows."""


@dataclass(frozen=True, eq=False)
class SurveyDesign:
    """A stratified, clustered sample design.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per sampled unit (household).
    weight : str
        Sampling weight column (units represented). Must be > 0 and finite.
    strata : str, optional
        Stratum column. Without it, the sample is one stratum.
    psu : str, optional
        Primary sampling unit column. Without it, each row is its own PSU.
        PSU labels may repeat across strata: they are nested in strata.
    fpc : str, optional
        Finite population correction: the number of PSUs in the stratum's
        population (values > 1) or the first-stage sampling fraction (values
        <= 1), constant within a stratum, as in R's ``svydesign(fpc=)``.
    hhsize : str, optional
        Household size. With it, person weights are ``weight * hhsize`` and
        estimates are person-weighted by default.
    lonely_psu : {"fail", "centre", "merge"}
        What to do with a stratum that has a single PSU:

        - ``"fail"`` raises :class:`~workbench.errors.DesignError` naming the strata;
        - ``"centre"`` centres the lonely PSU's total at zero, the population mean
          of linearized scores, instead of its stratum mean: R's
          ``options(survey.lonely.psu = "adjust")``, and conservative;
        - ``"merge"`` merges each lonely stratum with the stratum that follows it
          in sorted label order (the one before it, for the last), a common
          collapsing rule (Wolter 2007, sec. 2.5). Merges chain: consecutive lonely
          strata end up in one stratum together with the next stratum, so no merged
          stratum is left with a single PSU. A merged stratum is labelled with its
          members joined by ``" + "`` (``"3 + 4"``); with an ``fpc``, its population
          PSU count is the sum of its members'.
    id : str, optional
        Unit identifier used in error messages (defaults to ``hhid`` when present).

    Attributes
    ----------
    df : int
        Design degrees of freedom: number of PSUs minus number of strata.
    n_psu, n_strata : int
    stratum_code : numpy.ndarray
        Stratum of each row, 0 .. n_strata - 1, in the smallest unsigned integer
        type that holds it (read-only).
    psu_code : numpy.ndarray
        PSU of each row, 0 .. n_psu - 1 in order of (stratum, PSU label), int64
        (read-only).
    active : numpy.ndarray
        Rows with a positive weight: inside the design (and its :meth:`subset`).

    Notes
    -----
    The design computes integer codes of strata, PSUs and domains once and keeps
    them: do not modify ``data`` after building the design (build a new one).
    Estimators also keep, per design, what they would otherwise recompute in
    every call, keyed by the columns it comes from: the (domain, PSU) cells of
    each set of ``by`` columns, and for each weighting the domains' ``n`` and
    ``N`` and the cells' weight totals (small arrays), and the sort order of
    the last welfare column ranked (the Gini). The weighted caches belong to
    this design object only: :meth:`subset` starts with empty ones.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [1.0, 2, 3, 4], "w": [1.0, 1, 2, 2],
    ...                    "h": [1, 1, 2, 2], "c": [1, 2, 1, 2]})
    >>> d = SurveyDesign(df, weight="w", strata="h", psu="c")
    >>> d.n_psu, d.n_strata, d.df
    (4, 2, 2)
    """

    data: pd.DataFrame
    weight: str
    strata: str | None = None
    psu: str | None = None
    fpc: str | None = None
    hhsize: str | None = None
    lonely_psu: LonelyPSU = "fail"
    id: str | None = None
    # Derived at construction (integer codes for vectorised variance).
    stratum_code: np.ndarray = field(init=False, repr=False)
    psu_code: np.ndarray = field(init=False, repr=False)
    psu_stratum: np.ndarray = field(init=False, repr=False)
    psu_per_stratum: np.ndarray = field(init=False, repr=False)
    sampling_fraction: np.ndarray = field(init=False, repr=False)
    lonely_strata: np.ndarray = field(init=False, repr=False)
    stratum_labels: pd.Index = field(init=False, repr=False)
    active: np.ndarray = field(init=False, repr=False)
    # Caches: what depends only on codes (shared with subsets), and what depends on the weights.
    _domain_cache: dict = field(init=False, repr=False, default_factory=dict)
    _weight_cache: dict = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        if self.lonely_psu not in _LONELY:
            raise DesignError(f"lonely_psu must be one of {', '.join(_LONELY)}; got {self.lonely_psu!r}")
        needed = [c for c in (self.weight, self.strata, self.psu, self.fpc, self.hhsize) if c]
        missing = [c for c in needed if c not in self.data.columns]
        if missing:
            raise DataError(f"design column(s) {', '.join(missing)} not in the data; "
                            f"columns are: {', '.join(map(str, self.data.columns))}")
        if self.id is None and "hhid" in self.data.columns:
            object.__setattr__(self, "id", "hhid")
        n = len(self.data)
        if n == 0:
            raise DataError("the survey data has no rows")
        self._check_positive(self.weight, allow_zero=True)
        if self.hhsize:
            self._check_positive(self.hhsize)

        if self.strata:
            self._check_complete(self.data[self.strata], self.strata)
            h_codes, h_labels = _level_codes(self.data[self.strata])
        else:
            h_codes, h_labels = np.zeros(n, dtype=np.uint8), pd.Index([0])
        if self.psu:
            self._check_complete(self.data[self.psu], self.psu)
            psu_codes, psu_h, runs = _psu_codes(h_codes, self.data[self.psu])
            self._domain_cache["psu runs"] = runs
        else:
            psu_codes, psu_h = np.arange(n, dtype=np.intp), h_codes.astype(np.int64)
        # Strata are numbered over the values present (counted over PSUs, not rows).
        present = _present(psu_h, len(h_labels))
        if not present.all():
            renumber = np.cumsum(present) - 1
            h_codes = np.take(small_codes(renumber, int(present.sum())), h_codes)
            psu_h = renumber[psu_h]
            h_labels = h_labels[present]
        n_h = np.bincount(psu_h, minlength=len(h_labels))
        # Population PSU count per stratum (inf: no finite population correction).
        pop_h = self._population_psus(h_codes, n_h, h_labels) if self.fpc else np.full(len(n_h), np.inf)

        lonely = np.flatnonzero(n_h == 1)
        if lonely.size and self.lonely_psu == "fail":
            raise DesignError(
                f"{lonely.size} stratum/strata have a single PSU "
                f"({first_ids(h_labels[lonely])}), so their variance cannot be estimated. "
                "Choose lonely_psu='centre' (R's survey.lonely.psu='adjust') or 'merge' "
                "(collapse with the next stratum), or fix the design."
            )
        if lonely.size and self.lonely_psu == "merge":
            if len(h_labels) == 1:
                raise DesignError("the only stratum has a single PSU: there is no stratum to merge "
                                  "it with; choose lonely_psu='centre' or add PSUs")
            group = _merge_groups(n_h == 1)
            h_codes = small_codes(group[h_codes], int(group[-1]) + 1)
            psu_h = group[psu_h]
            h_labels = pd.Index(pd.Series(h_labels.astype(str)).groupby(group).agg(" + ".join))
            n_h = np.bincount(group, weights=n_h).astype(np.int64)
            pop_h = np.bincount(group, weights=pop_h)
            lonely = np.flatnonzero(n_h == 1)  # empty: every merged stratum has >= 2 PSUs

        for codes in (h_codes, psu_codes):
            codes.flags.writeable = False  # shared by subsets and every cached domain set
        object.__setattr__(self, "stratum_code", h_codes)
        object.__setattr__(self, "psu_code", psu_codes)
        object.__setattr__(self, "psu_stratum", psu_h)
        object.__setattr__(self, "psu_per_stratum", n_h)
        object.__setattr__(self, "sampling_fraction", n_h / pop_h)
        object.__setattr__(self, "lonely_strata", lonely)
        object.__setattr__(self, "stratum_labels", h_labels)
        object.__setattr__(self, "active", self.data[self.weight].to_numpy(dtype=float) > 0)

    # ------------------------------------------------------------------ checks
    def _row_ids(self, mask: np.ndarray) -> str:
        ids = self.data[self.id].to_numpy()[mask] if self.id else np.flatnonzero(mask)
        return first_ids(ids)

    def _check_positive(self, column: str, *, allow_zero: bool = False) -> None:
        values = pd.to_numeric(self.data[column], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values) | ((values < 0) if allow_zero else (values <= 0))
        if bad.any():
            rule = ">= 0" if allow_zero else "> 0"
            raise DataError(f"column {column!r} must be finite and {rule}; {int(bad.sum())} rows are not "
                            f"(first ids: {self._row_ids(bad)}); fix or drop them in the source data")

    def _check_complete(self, values: pd.Series, column: str) -> None:
        bad = values.isna().to_numpy()
        if bad.any():
            raise DataError(f"column {column!r} has {int(bad.sum())} missing values "
                            f"(first ids: {self._row_ids(bad)}); every row needs a stratum and a PSU")

    def _population_psus(self, h_codes: np.ndarray, n_h: np.ndarray, h_labels: pd.Index) -> np.ndarray:
        """Population PSU count of each stratum from the ``fpc`` column (as R's ``as.fpc``)."""
        fpc = pd.to_numeric(self.data[self.fpc], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(fpc) | (fpc <= 0)
        if bad.any():
            raise DataError(f"column {self.fpc!r} (fpc) must be finite and > 0; {int(bad.sum())} rows "
                            f"are not (first ids: {self._row_ids(bad)})")
        lo = np.full(len(n_h), np.inf)
        hi = np.full(len(n_h), -np.inf)
        np.minimum.at(lo, h_codes, fpc)
        np.maximum.at(hi, h_codes, fpc)
        varies = np.flatnonzero(lo != hi)
        if varies.size:
            raise DataError(f"column {self.fpc!r} (fpc) must be constant within each stratum; it varies "
                            f"in {varies.size} strata ({first_ids(h_labels[varies])})")
        # Values <= 1 are sampling fractions n_h / N_h, larger values population PSU counts N_h.
        pop = np.where(hi <= 1, n_h / hi, hi)
        short = np.flatnonzero(pop < n_h)
        if short.size:
            raise DataError(f"column {self.fpc!r} (fpc) gives fewer population PSUs than sampled PSUs "
                            f"in {short.size} strata ({first_ids(h_labels[short])})")
        return pop

    # ------------------------------------------------------------- accessors
    @property
    def n_psu(self) -> int:
        """Number of sampled PSUs."""
        return int(self.psu_stratum.size)

    @property
    def n_strata(self) -> int:
        """Number of strata (after merging, if ``lonely_psu='merge'``)."""
        return int(self.psu_per_stratum.size)

    @property
    def df(self) -> int:
        """Design degrees of freedom: PSUs minus strata."""
        return self.n_psu - self.n_strata

    def weights(self, weighting: Weighting = "person") -> np.ndarray:
        """Estimation weights: ``weight * hhsize`` for persons, ``weight`` for households.

        Without ``hhsize`` the design's weight is used as it is, whatever ``weighting`` says.
        """
        if weighting not in ("person", "household"):
            raise DesignError(f"weighting must be 'person' or 'household'; got {weighting!r}")
        w = self.data[self.weight].to_numpy(dtype=float)
        if weighting == "person" and self.hhsize:
            w = w * self.data[self.hhsize].to_numpy(dtype=float)
        return w

    def weighting_label(self, weighting: Weighting) -> str:
        """What the weights represent: persons, households or units."""
        if self.hhsize is None:
            return "unit"
        return weighting

    def column(self, name: str) -> np.ndarray:
        """A numeric column as float, with a clear error when missing or not finite.

        Only rows inside the design (positive weight) need a value: rows that a
        :meth:`subset` put outside get 0, which no estimate sees. This is how R's
        ``svymean(~x, subset(design, !is.na(x)))`` treats missing values.
        """
        if name not in self.data.columns:
            raise DataError(f"column {name!r} not in the data; columns are: "
                            f"{', '.join(map(str, self.data.columns))}")
        values = pd.to_numeric(self.data[name], errors="coerce").to_numpy(dtype=float)
        if np.isfinite(np.add.reduce(values)):  # one pass, no temporary: NaN or inf make the sum so
            return values
        bad = ~np.isfinite(values)
        if bad.any():
            inside = bad & self.active
            if inside.any():
                raise DataError(f"column {name!r} has {int(inside.sum())} missing or non-numeric values "
                                f"(first ids: {self._row_ids(inside)}); impute or drop them, or estimate "
                                f"on design.subset(data[{name!r}].notna())")
            values = np.where(bad, 0.0, values)
        return values

    def subset(self, mask: np.ndarray | pd.Series) -> SurveyDesign:
        """The design restricted to a domain, as R's ``subset.survey.design``.

        Rows outside the domain keep their place in the design with weight zero, so
        strata and PSUs (and thus variances and degrees of freedom) are unchanged.

        Examples
        --------
        >>> df = pd.DataFrame({"y": [1.0, 2, 3, 4], "w": [1.0, 1, 2, 2],
        ...                    "h": [1, 1, 2, 2], "c": [1, 2, 1, 2]})
        >>> d = SurveyDesign(df, weight="w", strata="h", psu="c").subset(df["y"] > 1)
        >>> d.data["w"].tolist(), d.df
        ([0.0, 1.0, 2.0, 2.0], 2)
        """
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != (len(self.data),):
            raise DesignError(f"subset mask has shape {mask.shape}; expected one value per row "
                              f"({len(self.data)})")
        data = self.data.copy(deep=False)  # shares every column but the weight
        data[self.weight] = np.where(mask, self.data[self.weight].to_numpy(dtype=float), 0.0)
        out = copy.copy(self)  # the design codes do not change: no need to recompute them
        object.__setattr__(out, "data", data)
        object.__setattr__(out, "_weight_cache", {})  # weighted sums differ in the subset
        object.__setattr__(out, "active", self.active & mask)
        return out

    def domains(self, by: str | Sequence[str] | None) -> tuple[np.ndarray, pd.DataFrame]:
        """Integer domain codes for each row and the table of domain labels.

        Parameters
        ----------
        by : str, sequence of str or None
            Domain columns. ``None`` gives one domain, the whole population.

        Returns
        -------
        codes : numpy.ndarray
            Domain code of each row (0 .. D-1), int64, read-only.
        labels : pandas.DataFrame
            One row per domain, with the ``by`` columns, in sorted order.

        Examples
        --------
        >>> df = pd.DataFrame({"w": [1.0] * 4, "g": ["b", "a", "b", "a"], "u": [1, 1, 0, 1]})
        >>> codes, labels = SurveyDesign(df, weight="w").domains(["g", "u"])
        >>> codes.tolist(), labels.to_dict(orient="list")
        ([2, 0, 1, 0], {'g': ['a', 'b', 'b'], 'u': [1, 0, 1]})
        """
        compact, labels = self.domain_codes(by)
        return wide_codes(compact, len(self.data)), labels

    def domain_codes(self, by: str | Sequence[str] | None) -> tuple[np.ndarray | None, pd.DataFrame]:
        """Like :meth:`domains`, with the codes in the smallest unsigned integer type that holds them.

        The codes are computed once per design and ``by`` columns and kept (``uint8``
        for up to 256 domains: a tenth of the memory of ``int64`` codes); ``None``
        stands for the single domain of ``by=None``.

        Examples
        --------
        >>> df = pd.DataFrame({"w": [1.0] * 4, "g": ["b", "a", "b", "a"]})
        >>> codes, labels = SurveyDesign(df, weight="w").domain_codes("g")
        >>> codes.dtype.name, codes.tolist(), labels["g"].tolist()
        ('uint8', [1, 0, 1, 0], ['a', 'b'])
        """
        if by is None:
            return None, pd.DataFrame(index=range(1))
        cols = [by] if isinstance(by, str) else list(by)
        missing = [c for c in cols if c not in self.data.columns]
        if missing:
            raise DataError(f"domain column(s) {', '.join(missing)} not in the data; columns are: "
                            f"{', '.join(map(str, self.data.columns))}")
        key = tuple(cols)
        if key not in self._domain_cache:
            bad = np.zeros(len(self.data), dtype=bool)
            for col in cols:
                bad |= self.data[col].isna().to_numpy()
            if bad.any():
                raise DataError(f"domain column(s) {', '.join(cols)} have {int(bad.sum())} missing values "
                                f"(first ids: {self._row_ids(bad)})")
            self._domain_cache[key] = _combine([self.data[c] for c in cols])
        codes, index, uniques = self._domain_cache[key]
        labels = pd.DataFrame({col: u[index[:, j]] for j, (col, u) in enumerate(zip(cols, uniques))})
        return codes, labels


def wide_codes(compact: np.ndarray | None, n: int) -> np.ndarray:
    """Read-only int64 codes from :meth:`SurveyDesign.domain_codes` (zeros for ``None``).

    The zeros of the single domain take no memory (a broadcast view).
    """
    if compact is None:
        return np.broadcast_to(np.int64(0), (n,))
    codes = compact.astype(np.int64)
    codes.flags.writeable = False
    return codes


def small_codes(codes: np.ndarray, count: int) -> np.ndarray:
    """``codes`` (0 .. count - 1) in the smallest unsigned integer type that holds them."""
    for dtype in (np.uint8, np.uint16, np.uint32):
        if count <= np.iinfo(dtype).max + 1:
            return codes.astype(dtype, copy=False)
    return codes.astype(np.int64, copy=False)


def _level_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes of a column's values in sorted order, and the levels they index.

    The codes come in the smallest unsigned integer type that holds them. An
    integer column with a compact range (the usual case for codes of governorates,
    strata and PSUs) needs no hash table and no sort: its codes are ``value - min``
    and its levels the whole range from the minimum to the maximum, some of them
    maybe absent (callers keep the levels present). Other columns are factorized.

    Examples
    --------
    >>> codes, levels = _level_codes(pd.Series([13, 10, 13, 11], dtype="int8"))
    >>> codes.dtype.name, codes.tolist(), levels.tolist()  # 12 is a level, absent
    ('uint8', [3, 0, 3, 1], [10, 11, 12, 13])
    >>> codes, levels = _level_codes(pd.Series(["b", "a", "b"]))
    >>> codes.tolist(), levels.tolist()
    ([1, 0, 1], ['a', 'b'])
    """
    if pd.api.types.is_integer_dtype(values.dtype) and not isinstance(values.dtype, pd.CategoricalDtype):
        v = values.to_numpy()  # missing values were rejected before
        if v.dtype.kind in "iu":
            lo = v.min()
            span = int(v.max()) - int(lo) + 1
            if span <= max(len(v), 1 << 16):
                # v - lo wraps around in v's own type when it overflows, and read as unsigned
                # it is exact: it is below span, which the type's range holds.
                offset = small_codes((v - lo).view(f"u{v.dtype.itemsize}"), span)
                return offset, pd.Index(np.arange(span) + int(lo))
    codes, uniques = pd.factorize(values, sort=True)
    return small_codes(np.asarray(codes), len(uniques)), pd.Index(uniques)


def _compact(codes: np.ndarray, span: int) -> tuple[np.ndarray, np.ndarray]:
    """Renumber ``codes`` (0 .. span - 1) to 0..K-1 over the values present; and those values."""
    present = _present(codes, span)
    keys = np.flatnonzero(present)
    if keys.size == span:
        return codes, keys  # every value is present: the codes are already 0..K-1
    renumber = small_codes(np.cumsum(present) - 1, keys.size)
    return np.take(renumber, codes), keys


def _present(codes: np.ndarray, span: int) -> np.ndarray:
    """Which of the values 0 .. span - 1 occur in ``codes``.

    Counted over the first row of each run of equal codes when the rows come in
    long runs (sorted files): a counting pass over every row is several times slower.
    """
    change = codes[1:] != codes[:-1]
    if (np.count_nonzero(change) + 1) * RUN_FRACTION <= codes.size:
        codes = codes[np.concatenate([[0], np.flatnonzero(change) + 1])]
    return np.bincount(codes, minlength=span) > 0


def _combine(columns: list[pd.Series]) -> tuple[np.ndarray, np.ndarray, list[pd.Index]]:
    """Sorted codes of the distinct combinations of several columns.

    Returns the code of each row (in the smallest unsigned integer type), for each
    combination the level of each column (shape ``(combinations, columns)``), and
    the levels of each column. Codes of all combinations of levels are formed
    first and the combinations absent from the data dropped once at the end (or
    earlier, when the number of combinations grows past the number of rows).
    """
    n = len(columns[0])
    limit = max(n, 1 << 16)
    codes = np.zeros(n, dtype=np.uint8)
    index = np.empty((1, 0), dtype=np.int64)  # level of each column, per code so far
    uniques: list[pd.Index] = []
    for values in columns:
        c, u = _level_codes(values)  # absent values drop out of the combinations
        k = len(u)
        if len(index) * k > limit:
            codes, keys = _compact(codes, len(index))
            index = index[keys]
        span = len(index) * k
        if span <= limit:
            codes = small_codes(codes, span) * small_codes(np.array(k), span) + c
            index = np.column_stack([np.repeat(index, k, axis=0), np.tile(np.arange(k), len(index))])
        else:
            codes, keys = pd.factorize(codes.astype(np.int64) * k + c, sort=True)
            index = np.column_stack([index[keys // k], keys % k])
        uniques.append(u)
    codes, keys = _compact(small_codes(np.asarray(codes), len(index)), len(index))
    index = index[keys]
    codes.flags.writeable = False  # cached by the design and shared by its subsets
    return codes, index, uniques


def _psu_codes(h_codes: np.ndarray, labels: pd.Series
               ) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray] | None]:
    """PSU code of each row, numbered in order of (stratum, PSU label), and each PSU's stratum.

    PSUs are nested in strata: a PSU is a (stratum, PSU label) pair. When every
    label lies in a single stratum (the usual case: labels unique across the
    sample), the label's own code is the PSU code. Survey files usually come
    sorted by PSU: then the work is done once per run of rows of one PSU, and the
    runs (their starts and PSUs) are returned too, for summing by PSU; otherwise
    they are None.

    Examples
    --------
    Label 1 appears in both strata, so it is two PSUs:

    >>> h = np.repeat([0, 0, 1], 4)
    >>> codes, psu_stratum, runs = _psu_codes(h, pd.Series(np.repeat([1, 2, 1], 4)))
    >>> codes.tolist(), psu_stratum.tolist(), [r.tolist() for r in runs]
    ([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], [0, 0, 1], [[0, 4, 8], [0, 1, 2]])
    """
    p_codes, p_labels = _level_codes(labels)  # only labels present become PSUs
    k = len(p_labels)
    n = p_codes.size
    label_change = p_codes[1:] != p_codes[:-1]
    starts = np.flatnonzero(label_change)
    if (starts.size + 1) * RUN_FRACTION <= n:
        # Rows come in runs of one label: split runs where the stratum changes inside one.
        np.logical_or(label_change, h_codes[1:] != h_codes[:-1], out=label_change)
        starts = np.concatenate([[0], np.flatnonzero(label_change) + 1])
        run_psu, psu_h = _nested_psus(h_codes[starts], p_codes[starts], k)
        lengths = np.diff(starts, append=n)
        return np.repeat(run_psu, lengths), psu_h, (starts, run_psu)
    codes, psu_h = _nested_psus(h_codes, p_codes, k)
    return codes, psu_h, None


def _nested_psus(h: np.ndarray, p: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """PSU codes (by stratum, then label) of (stratum, label) pairs, and each PSU's stratum."""
    label_stratum = np.zeros(k, dtype=np.int64)
    label_stratum[p] = h
    if np.array_equal(np.take(label_stratum, p), h):
        # Nested labels: renumber the labels present by stratum (stably: by label within one).
        present = np.flatnonzero(_present(p, k))
        by_stratum = present[np.argsort(label_stratum[present], kind="stable")]
        psu_h = label_stratum[by_stratum]
        if by_stratum.size == k and np.array_equal(by_stratum, np.arange(k)):
            return p.astype(np.intp), psu_h  # labels already run in stratum order
        renumber = np.zeros(k, dtype=np.intp)
        renumber[by_stratum] = np.arange(by_stratum.size)
        return np.take(renumber, p), psu_h
    codes, keys = pd.factorize(h.astype(np.int64) * k + p, sort=True)
    return np.asarray(codes, dtype=np.intp), np.asarray(keys, dtype=np.int64) // k


def _merge_groups(lonely: np.ndarray) -> np.ndarray:
    """Merged stratum of each stratum under the ``"merge"`` rule.

    A lonely stratum joins the next one in sorted order, the last one joins the
    one before it, and joins chain. Links only run between neighbours, so the
    merged strata are runs of neighbours: a cumulative sum of the breaks.

    Examples
    --------
    >>> _merge_groups(np.array([True, False, False, True, True, False, True])).tolist()
    [0, 0, 1, 2, 2, 2, 2]
    """
    link = lonely[:-1].copy()  # stratum h joins h + 1
    link[-1] |= lonely[-1]     # the last joins the one before it
    return np.concatenate([[0], np.cumsum(~link)]).astype(np.int64)
