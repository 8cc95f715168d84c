"""Disclosure control: no estimate resting on too few sampled households is published.

One rule, applied from the ``n`` column (unweighted households) by tables, charts,
maps and report pages alike: a row with ``n < min_n`` is *suppressed* — its
statistics are blanked and it is marked ``suppressed=True`` so every output shows
a visible "n < 30" mark and a note instead of a number. ``min_n`` comes from
``parameters/publish.yaml`` (default 30).

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"governorate": ["IQG01", "IQG02"], "estimate": [0.2, 0.3],
...                   "ci_low": [0.1, 0.2], "ci_high": [0.3, 0.4], "n": [500, 12]})
>>> out = apply_disclosure(t, min_n=30)
>>> out["suppressed"].tolist()
[False, True]
>>> out["estimate"].isna().tolist()
[False, True]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.charts import params
from workbench.errors import DataError

__all__ = ["STAT_COLUMNS", "apply_disclosure"]

#: Columns blanked in a suppressed row.
STAT_COLUMNS: tuple[str, ...] = ("estimate", "se", "ci_low", "ci_high", "cv", "deff")


def apply_disclosure(table: pd.DataFrame, *, min_n: int | None = None,
                     suppress: bool = True) -> pd.DataFrame:
    """Mark (and by default blank) the rows resting on fewer than ``min_n`` households.

    Parameters
    ----------
    table : pandas.DataFrame
        A tidy result table with an ``n`` column (unweighted sample households).
        An existing boolean ``suppressed`` column is kept: a row suppressed
        upstream stays suppressed.
    min_n : int, optional
        Threshold; ``parameters/publish.yaml``'s ``min_n`` (30) when None.
    suppress : bool
        Blank the statistics of flagged rows (True), or only flag them.

    Returns
    -------
    pandas.DataFrame
        A copy with a boolean ``suppressed`` column.

    Raises
    ------
    DataError
        If the table has no ``n`` column.
    """
    if "n" not in table.columns:
        raise DataError("result table has no 'n' column (unweighted households), so disclosure "
                        f"control cannot be applied; columns found: {', '.join(map(str, table.columns))}")
    threshold = params.min_n() if min_n is None else int(min_n)
    out = table.copy()
    n = pd.to_numeric(out["n"], errors="coerce").to_numpy(dtype=float)
    small = np.isnan(n) | (n < threshold)
    if "suppressed" in out.columns:
        small |= out["suppressed"].fillna(False).astype(bool).to_numpy()
    out["suppressed"] = small
    if suppress:
        cols = [c for c in STAT_COLUMNS if c in out.columns]
        out.loc[small, cols] = np.nan
    out.attrs["min_n"] = threshold
    return out
