"""Pick the rows of one measure and one year out of a tidy result table."""

from __future__ import annotations

import pandas as pd

from workbench.errors import DataError

__all__ = ["require_columns", "select_rows"]


def require_columns(table: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    """Raise a :class:`DataError` naming the missing columns of ``table``."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DataError(f"{what}: the result table lacks column(s) {', '.join(missing)}; "
                        f"found {', '.join(map(str, table.columns))}")


def select_rows(table: pd.DataFrame, *, measure: str | None = None, year: int | None = None,
                what: str = "chart") -> pd.DataFrame:
    """Rows of ``measure`` and ``year`` (each filter applied only when given and the column exists).

    Raises
    ------
    DataError
        If the filters leave no row.

    Examples
    --------
    >>> t = pd.DataFrame({"measure": ["headcount", "gap"], "year": [2024, 2024], "estimate": [.2, .05]})
    >>> select_rows(t, measure="gap")["estimate"].tolist()
    [0.05]
    """
    out = table
    if measure is not None and "measure" in out.columns:
        out = out[out["measure"] == measure]
    if year is not None and "year" in out.columns:
        out = out[out["year"].astype(int) == int(year)]
    if out.empty:
        raise DataError(f"{what}: no rows for measure={measure!r}, year={year!r} in the result table "
                        f"({len(table)} rows)")
    return out.reset_index(drop=True)
