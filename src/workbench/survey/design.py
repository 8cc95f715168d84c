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
    active : numpy.ndarray
        Rows with a positive weight: inside the design (and its :meth:`subset`).

    Notes
    -----
    The design computes integer codes of strata, PSUs and domains once and keeps
    them: do not modify ``data`` after building the design (build a new one).

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
    _domain_cache: dict = field(init=False, repr=False, default_factory=dict)

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
            h_codes, h_labels = _sorted_codes(self.data[self.strata])
        else:
            h_codes, h_labels = np.zeros(n, dtype=np.int64), pd.Index([0])
        h_codes = np.asarray(h_codes, dtype=np.int64)
        h_labels = pd.Index(h_labels)
        if self.psu:
            self._check_complete(self.data[self.psu], self.psu)
            # PSUs are nested in strata: a PSU is a (stratum, PSU label) pair. Combining two
            # integer codes and factorizing once is ~20x faster than a MultiIndex.
            p_codes, p_labels = pd.factorize(self.data[self.psu])
            psu_codes = pd.factorize(h_codes * len(p_labels) + p_codes)[0]
        else:
            psu_codes = np.arange(n)
        psu_codes = np.asarray(psu_codes, dtype=np.int64)
        n_psu = int(psu_codes.max()) + 1
        psu_h = np.zeros(n_psu, dtype=np.int64)
        psu_h[psu_codes] = h_codes
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
            h_codes = group[h_codes]
            psu_h = group[psu_h]
            h_labels = pd.Index(pd.Series(h_labels.astype(str)).groupby(group).agg(" + ".join))
            n_h = np.bincount(group, weights=n_h).astype(np.int64)
            pop_h = np.bincount(group, weights=pop_h)
            lonely = np.flatnonzero(n_h == 1)  # empty: every merged stratum has >= 2 PSUs

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
            Domain code of each row (0 .. D-1).
        labels : pandas.DataFrame
            One row per domain, with the ``by`` columns, in sorted order.

        Examples
        --------
        >>> df = pd.DataFrame({"w": [1.0] * 4, "g": ["b", "a", "b", "a"], "u": [1, 1, 0, 1]})
        >>> codes, labels = SurveyDesign(df, weight="w").domains(["g", "u"])
        >>> codes.tolist(), labels.to_dict(orient="list")
        ([2, 0, 1, 0], {'g': ['a', 'b', 'b'], 'u': [1, 0, 1]})
        """
        if by is None:
            return np.zeros(len(self.data), dtype=np.int64), pd.DataFrame(index=range(1))
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


def _sorted_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes 0..K-1 of a column in sorted order of its values, and the values.

    Integer columns with a compact range (the usual case for codes of governorates,
    strata and PSUs) take a counting pass instead of a hash table and a sort.
    """
    if pd.api.types.is_integer_dtype(values.dtype) and not isinstance(values.dtype, pd.CategoricalDtype):
        v = values.to_numpy(dtype=np.int64)  # missing values were rejected before
        lo = int(v.min())
        span = int(v.max()) - lo + 1
        if span <= max(len(v), 1 << 16):
            present = np.bincount(v - lo, minlength=span) > 0
            return _compact(v - lo, present), pd.Index(np.flatnonzero(present) + lo)
    codes, uniques = pd.factorize(values, sort=True)
    return np.asarray(codes, dtype=np.int64), pd.Index(uniques)


def _compact(codes: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Renumber ``codes`` (indexes into ``present``) to 0..K-1 over the present values."""
    return (np.cumsum(present, dtype=np.int64) - 1)[codes]


def _combine(columns: list[pd.Series]) -> tuple[np.ndarray, np.ndarray, list[pd.Index]]:
    """Sorted codes of the distinct combinations of several columns.

    Returns the code of each row, for each combination the level of each column
    (shape ``(combinations, columns)``), and the levels of each column.
    """
    codes = np.zeros(len(columns[0]), dtype=np.int64)
    index = np.empty((1, 0), dtype=np.int64)  # level of each column, per combination so far
    uniques: list[pd.Index] = []
    for values in columns:
        c, u = _sorted_codes(values)
        k = len(u)
        combined = codes * k + c
        if len(index) * k <= max(len(combined), 1 << 16):
            present = np.bincount(combined, minlength=len(index) * k) > 0
            codes, keys = _compact(combined, present), np.flatnonzero(present)
        else:
            codes, keys = pd.factorize(combined, sort=True)
        index = np.column_stack([index[keys // k], keys % k])
        uniques.append(u)
    codes = np.asarray(codes, dtype=np.int64)
    codes.flags.writeable = False  # cached by the design and shared by its subsets
    return codes, index, uniques


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
