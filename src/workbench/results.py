"""Result objects: one tidy table and its metadata, for every estimate.

Charts, reports, dashboards and the command line read only :class:`Estimate`
tables. Their columns are fixed: the domain columns first, then
``estimate, se, ci_low, ci_high, df, n, N, cv`` (and ``deff`` where defined).
``n`` is the unweighted number of sample units (households) in the domain, ``N``
the weighted population (persons or households, as ``meta["weighting"]`` says).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["STAT_COLUMNS", "Estimate", "concat", "tidy_table"]

STAT_COLUMNS: tuple[str, ...] = ("estimate", "se", "ci_low", "ci_high", "df", "n", "N", "cv")


def tidy_table(labels: pd.DataFrame, estimate: np.ndarray, variance: np.ndarray, *, df: float,
               n: np.ndarray, N: np.ndarray, level: float = 0.95,
               deff: np.ndarray | None = None) -> pd.DataFrame:
    """Assemble the tidy result table with t-based confidence intervals.

    Parameters
    ----------
    labels : pandas.DataFrame
        Domain columns, one row per domain (no columns for the whole population).
    estimate, variance : numpy.ndarray
        Point estimates and their variances, one per domain.
    df : float
        Design degrees of freedom for the t quantile.
    n, N : numpy.ndarray
        Unweighted sample size and weighted population of each domain.
    level : float
        Confidence level.
    deff : numpy.ndarray, optional
        Design effects.

    Examples
    --------
    >>> t = tidy_table(pd.DataFrame(index=range(1)), np.array([0.2]), np.array([0.0001]),
    ...                df=30, n=np.array([500]), N=np.array([1e4]))
    >>> float(round(t.loc[0, "ci_high"], 6))
    0.220423
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1); got {level}")
    estimate = np.asarray(estimate, dtype=float)
    se = np.sqrt(np.maximum(np.asarray(variance, dtype=float), 0.0))
    q = stats.t.ppf(0.5 + level / 2, df) if df > 0 else np.inf
    # One DataFrame from all columns at once: adding them one by one costs ~3x more.
    columns: dict[Any, Any] = {c: labels[c].array for c in labels.columns}
    columns["estimate"] = estimate
    columns["se"] = se
    columns["ci_low"] = estimate - q * se
    columns["ci_high"] = estimate + q * se
    columns["df"] = np.full(len(estimate), df)
    columns["n"] = np.asarray(n, dtype=np.int64)
    columns["N"] = np.asarray(N, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        columns["cv"] = np.where(estimate != 0, se / np.abs(estimate), np.nan)
    if deff is not None:
        columns["deff"] = np.asarray(deff, dtype=float)
    return pd.DataFrame(columns)


@dataclass(frozen=True)
class Estimate:
    """An estimate: a tidy table and its metadata.

    Attributes
    ----------
    statistic : str
        What is estimated (``mean``, ``fgt0``, ``gini`` ...).
    table : pandas.DataFrame
        Domain columns then ``estimate, se, ci_low, ci_high, df, n, N, cv`` (and ``deff``).
    meta : Mapping
        Variable, line, year, weighting, method, level and the domain columns (``by``).
    """

    statistic: str
    table: pd.DataFrame
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))

    @property
    def by(self) -> list[str]:
        """The domain columns."""
        return [c for c in self.table.columns if c not in STAT_COLUMNS and c not in ("deff", "suppressed")]

    @property
    def estimate(self) -> float:
        """The point estimate of a single-domain result."""
        self._require_single()
        return float(self.table["estimate"].iloc[0])

    @property
    def se(self) -> float:
        """The standard error of a single-domain result."""
        self._require_single()
        return float(self.table["se"].iloc[0])

    def _require_single(self) -> None:
        if len(self.table) != 1:
            raise ValueError(f"this {self.statistic} has {len(self.table)} domains; read .table instead")

    def to_frame(self) -> pd.DataFrame:
        """The tidy table with a leading ``measure`` column (a copy)."""
        out = self.table.copy()
        out.insert(0, "measure", self.statistic)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python form for JSON: statistic, meta and records."""
        return {"statistic": self.statistic, "meta": dict(self.meta),
                "table": self.table.to_dict(orient="records")}

    def __str__(self) -> str:
        meta = ", ".join(f"{k}={v}" for k, v in self.meta.items() if v is not None and k != "by")
        body = self.table.to_string(index=False, float_format=lambda v: f"{v:,.6g}")
        return f"{self.statistic} ({meta})\n{body}"

    def _repr_html_(self) -> str:
        meta = ", ".join(f"{k}={v}" for k, v in self.meta.items() if v is not None and k != "by")
        return (f"<p><b>{self.statistic}</b> <small>{meta}</small></p>"
                + self.table.to_html(index=False, float_format=lambda v: f"{v:,.6g}"))


def concat(estimates: Sequence[Estimate]) -> pd.DataFrame:
    """Stack several estimates into one tidy frame with a ``measure`` column."""
    return pd.concat([e.to_frame() for e in estimates], ignore_index=True)
