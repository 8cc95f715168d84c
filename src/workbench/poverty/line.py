"""The poverty line of each household: one number, or a column of household lines."""

from __future__ import annotations

import numbers

import numpy as np

from workbench.errors import ParameterError
from workbench.inequality._checks import row_ids
from workbench.survey import SurveyDesign

__all__ = ["Line", "describe_line", "line_value", "line_values"]

Line = float | str


def line_values(design: SurveyDesign, line: Line) -> np.ndarray:
    """The poverty line of every row, checked to be finite and positive.

    Parameters
    ----------
    design : SurveyDesign
    line : float or str
        A number (the same line for everyone, in welfare units), or the name of
        a column holding each household's line (spatially deflated or regional lines).

    Returns
    -------
    numpy.ndarray
        One line per row.

    Raises
    ------
    ParameterError
        A line that is not a number or a column name, or a line (or any
        household's line) that is zero, negative or not finite.
    DataError
        A line column that is absent or has missing values.

    Examples
    --------
    >>> import pandas as pd
    >>> d = SurveyDesign(pd.DataFrame({"w": [1.0, 2.0]}), weight="w")
    >>> line_values(d, 100).tolist()
    [100.0, 100.0]
    """
    z = line_value(design, line)
    return np.full(len(design.data), z) if isinstance(z, float) else z


def line_value(design: SurveyDesign, line: Line) -> float | np.ndarray:
    """Like :func:`line_values`, but a number stays one number (no array of one line per row).

    Examples
    --------
    >>> import pandas as pd
    >>> d = SurveyDesign(pd.DataFrame({"w": [1.0, 2.0], "z": [90.0, 110.0]}), weight="w")
    >>> line_value(d, 100), line_value(d, "z").tolist()
    (100.0, [90.0, 110.0])
    """
    if isinstance(line, str):
        z = design.column(line)
        bad = ~(z > 0)
        if bad.any():
            raise ParameterError(f"poverty line column {line!r} must be > 0; {int(bad.sum())} rows are "
                                 f"not (first ids: {row_ids(design, bad)})")
        return z
    if isinstance(line, bool) or not isinstance(line, numbers.Real):
        raise ParameterError(f"line must be a number or a column name; got {line!r}")
    if not (np.isfinite(line) and line > 0):
        raise ParameterError(f"the poverty line must be a finite number > 0; got {line!r}")
    return float(line)


def describe_line(line: Line) -> float | str:
    """The line as recorded in an estimate's metadata (a float, or the column name)."""
    return line if isinstance(line, str) else float(line)
