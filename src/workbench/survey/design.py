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

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from workbench.errors import DataError, DesignError, first_ids

__all__ = ["SurveyDesign", "LonelyPSU", "Weighting"]

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
          collapsing rule (Wolter 2007, sec. 2.5).
    id : str, optional
        Unit identifier used in error messages (defaults to ``hhid`` when present).

    Attributes
    ----------
    df : int
        Design degrees of freedom: number of PSUs minus number of strata.
    n_psu, n_strata : int

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
        self._check_positive(self.weight, allow_zero=True)
        if self.hhsize:
            self._check_positive(self.hhsize)
        n = len(self.data)
        if n == 0:
            raise DataError("the survey data has no rows")

        strata_raw = self.data[self.strata] if self.strata else pd.Series(np.zeros(n, dtype=int))
        self._check_complete(strata_raw, self.strata or "strata")
        h_codes, h_labels = pd.factorize(strata_raw, sort=True)
        if self.psu:
            self._check_complete(self.data[self.psu], self.psu)
            psu_codes = pd.MultiIndex.from_arrays([h_codes, self.data[self.psu].to_numpy()]).factorize()[0]
        else:
            psu_codes = np.arange(n)
        psu_codes = np.asarray(psu_codes, dtype=np.int64)
        n_psu = int(psu_codes.max()) + 1
        psu_h = np.zeros(n_psu, dtype=np.int64)
        psu_h[psu_codes] = h_codes
        n_h = np.bincount(psu_h, minlength=len(h_labels))

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
                raise DesignError("the only stratum has a single PSU: no stratum to merge it with")
            target = np.arange(len(h_labels))
            for h in lonely:  # loop over lonely strata (few), not over households
                target[h] = h + 1 if h + 1 < len(h_labels) else h - 1
            h_codes = target[h_codes]
            h_codes, uniq = pd.factorize(h_codes, sort=True)
            h_labels = pd.Index([" + ".join(map(str, h_labels[target == u])) if (target == u).sum() > 1
                                 else str(h_labels[u]) for u in uniq])
            psu_h = np.zeros(n_psu, dtype=np.int64)
            psu_h[psu_codes] = h_codes
            n_h = np.bincount(psu_h, minlength=len(h_labels))
            lonely = np.flatnonzero(n_h == 1)

        f_h = np.zeros(len(h_labels))
        if self.fpc:
            f_h = self._sampling_fraction(h_codes, n_h, len(h_labels))

        object.__setattr__(self, "stratum_code", np.asarray(h_codes, dtype=np.int64))
        object.__setattr__(self, "psu_code", psu_codes)
        object.__setattr__(self, "psu_stratum", psu_h)
        object.__setattr__(self, "psu_per_stratum", n_h)
        object.__setattr__(self, "sampling_fraction", f_h)
        object.__setattr__(self, "lonely_strata", lonely)
        object.__setattr__(self, "stratum_labels", pd.Index(h_labels))

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
                            f"(first ids: {self._row_ids(bad)})")

    def _check_complete(self, values: pd.Series, column: str) -> None:
        bad = values.isna().to_numpy()
        if bad.any():
            raise DataError(f"column {column!r} has {int(bad.sum())} missing values "
                            f"(first ids: {self._row_ids(bad)}); every row needs a stratum and a PSU")

    def _sampling_fraction(self, h_codes: np.ndarray, n_h: np.ndarray, n_strata: int) -> np.ndarray:
        fpc = pd.to_numeric(self.data[self.fpc], errors="coerce").to_numpy(dtype=float)
        lo = np.full(n_strata, np.inf)
        hi = np.full(n_strata, -np.inf)
        np.minimum.at(lo, h_codes, fpc)
        np.maximum.at(hi, h_codes, fpc)
        if not np.all(np.isfinite(fpc)) or np.any(lo != hi):
            raise DataError(f"column {self.fpc!r} (fpc) must be finite and constant within each stratum")
        f = np.where(hi <= 1, hi, n_h / np.where(hi > 1, hi, 1.0))
        if np.any((f < 0) | (f > 1)):
            raise DataError(f"column {self.fpc!r} (fpc) gives a sampling fraction outside [0, 1]: the "
                            "population PSU count must be at least the sampled PSU count")
        return f

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
        """A numeric column as float, with a clear error when missing or not finite."""
        if name not in self.data.columns:
            raise DataError(f"column {name!r} not in the data; columns are: "
                            f"{', '.join(map(str, self.data.columns))}")
        values = pd.to_numeric(self.data[name], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        if bad.any():
            raise DataError(f"column {name!r} has {int(bad.sum())} missing or non-numeric values "
                            f"(first ids: {self._row_ids(bad)}); impute or drop them before estimating")
        return values

    def subset(self, mask: np.ndarray | pd.Series) -> SurveyDesign:
        """The design restricted to a domain, as R's ``subset.survey.design``.

        Rows outside the domain keep their place in the design with weight zero, so
        strata and PSUs (and thus variances and degrees of freedom) are unchanged.
        """
        mask = np.asarray(mask, dtype=bool)
        data = self.data.copy()
        data[self.weight] = np.where(mask, data[self.weight].to_numpy(dtype=float), 0.0)
        return SurveyDesign(data, weight=self.weight, strata=self.strata, psu=self.psu, fpc=self.fpc,
                            hhsize=self.hhsize, lonely_psu=self.lonely_psu, id=self.id)

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
        """
        if by is None:
            return np.zeros(len(self.data), dtype=np.int64), pd.DataFrame(index=range(1))
        cols = [by] if isinstance(by, str) else list(by)
        missing = [c for c in cols if c not in self.data.columns]
        if missing:
            raise DataError(f"domain column(s) {', '.join(missing)} not in the data; columns are: "
                            f"{', '.join(map(str, self.data.columns))}")
        keys = self.data[cols]
        bad = keys.isna().any(axis=1).to_numpy()
        if bad.any():
            raise DataError(f"domain column(s) {', '.join(cols)} have {int(bad.sum())} missing values "
                            f"(first ids: {self._row_ids(bad)})")
        groups = keys.groupby(cols, sort=True, observed=True)
        codes = groups.ngroup().to_numpy(dtype=np.int64)
        labels = groups.size().index.to_frame(index=False)
        return codes, labels.reset_index(drop=True)
