"""Input checks shared by the poverty-line functions.

Each check raises a :class:`~workbench.errors.DataError` or
:class:`~workbench.errors.ParameterError` that names the frame, the column,
the rule, the count of offending rows and their first ids.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbench.errors import DataError, ParameterError, first_ids

DAYS_PER_MONTH = 365.0 / 12.0
"""Days in an average month: turns kcal per day into kcal per month."""


def _ids(frame: pd.DataFrame, bad: np.ndarray) -> str:
    ids = frame["hhid"].to_numpy()[bad] if "hhid" in frame.columns else np.flatnonzero(bad)
    return first_ids(ids)


def numeric_column(
    frame: pd.DataFrame,
    column: str,
    *,
    what: str,
    minimum: float | None = 0.0,
    exclusive: bool = False,
) -> np.ndarray:
    """A complete, finite float column, optionally bounded below.

    Raises
    ------
    DataError
        The column is missing, not numeric, has NaN or infinite values, or breaks the bound.
    """
    if column not in frame.columns:
        raise DataError(
            f"{what}: no column {column!r}; columns are: {', '.join(map(str, frame.columns))}"
        )
    values = frame[column]
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise DataError(f"{what}: column {column!r} must be numeric; it is {values.dtype}")
    x = values.to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(x)
    if bad.any():
        raise DataError(
            f"{what}: column {column!r} must be complete and finite; {bad.sum()} rows "
            f"are not (first ids: {_ids(frame, bad)}). Fill or drop them first."
        )
    if minimum is not None:
        bad = x <= minimum if exclusive else x < minimum
        if bad.any():
            rule = f"> {minimum:g}" if exclusive else f">= {minimum:g}"
            raise DataError(
                f"{what}: column {column!r} must be {rule}; {bad.sum()} rows are not "
                f"(first ids: {_ids(frame, bad)})."
            )
    return x


def person_weights(
    survey: pd.DataFrame, *, weight: str, hhsize: str | None, what: str = "survey"
) -> np.ndarray:
    """Person weights: household weight times household size (or the weight alone)."""
    w = numeric_column(survey, weight, what=what, minimum=0.0, exclusive=True)
    if hhsize is None:
        return w
    return w * numeric_column(survey, hhsize, what=what, minimum=1.0)


def food_not_above_total(
    survey: pd.DataFrame,
    food: np.ndarray,
    total: np.ndarray,
    *,
    food_col: str,
    total_col: str,
    what: str = "survey",
) -> None:
    """Food spending cannot exceed total spending."""
    bad = food > total * (1 + 1e-12)
    if bad.any():
        raise DataError(
            f"{what}: column {food_col!r} must be <= {total_col!r}; {bad.sum()} rows "
            f"are not (first ids: {_ids(survey, bad)})."
        )


def positive_number(value: float, name: str) -> float:
    """A finite number > 0, or a ParameterError naming the argument."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number > 0; got {value!r}") from None
    if not np.isfinite(x) or x <= 0:
        raise ParameterError(f"{name} must be a finite number > 0; got {value!r}")
    return x


def quantile_pair(quantiles: Sequence[float]) -> tuple[float, float]:
    """Two increasing probabilities in [0, 1]."""
    try:
        lo, hi = (float(q) for q in quantiles)
    except (TypeError, ValueError):
        raise ParameterError(
            f"quantiles must be two numbers in [0, 1]; got {quantiles!r}"
        ) from None
    if not 0.0 <= lo < hi <= 1.0:
        raise ParameterError(f"quantiles must satisfy 0 <= low < high <= 1; got ({lo}, {hi})")
    return lo, hi
