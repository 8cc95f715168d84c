"""The Watts index with its linearized SE.

``W = sum_i w_i 1[y_i < z_i] ln(z_i / y_i) / sum_i w_i`` (Watts 1968), a ratio
of two totals for a fixed line, linearized as the FGT indices are. It needs
positive welfare among the poor; since the line is positive, anyone with zero
welfare is poor, so welfare must be positive everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workbench.inequality._checks import welfare_values
from workbench.poverty.line import Line, describe_line, line_values
from workbench.results import Estimate
from workbench.survey import SurveyDesign, Weighting, domains, finish

__all__ = ["watts"]


def watts(design: SurveyDesign, welfare: str, *, line: Line, by: str | Sequence[str] | None = None,
          weighting: Weighting = "person", level: float = 0.95) -> Estimate:
    """Watts poverty index with its linearized SE.

    Parameters
    ----------
    design : SurveyDesign
    welfare : str
        Per-capita welfare column (``> 0``).
    line : float or str
        Poverty line, or a column holding each household's line.
    by : str or sequence of str, optional
    weighting : {"person", "household"}
    level : float

    Raises
    ------
    DataError
        Zero, negative or missing welfare, naming the column, the count and the first ids.
    ParameterError
        A line that is zero, negative or not a number.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [50.0, 100, 200, 400], "w": [1.0, 1, 1, 1]})
    >>> round(watts(SurveyDesign(df, weight="w"), "y", line=100).estimate, 6)  # ln 2 / 4
    0.173287
    """
    doms = domains(design, by, weighting)
    y = welfare_values(design, welfare, positive=True, measure="the Watts index")
    z = line_values(design, line)
    g = np.where(y < z, np.log(z / y), 0.0)
    w = doms.weights
    W = doms.sum(w * g) / doms.N
    scores = w * (g - doms.spread(W)) / doms.spread(doms.N)
    return finish(design, "watts", doms, W, scores, level=level,
                  meta={"variable": welfare, "line": describe_line(line)})
