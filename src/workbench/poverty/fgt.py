"""The Foster–Greer–Thorbecke family and the number of poor, with linearized SEs.

For a fixed line ``z`` (a number, or each household's own line),

.. math::

    P_\\alpha = \\frac{\\sum_i w_i\\, g_i}{\\sum_i w_i}, \\qquad
    g_i = 1[y_i < z_i] \\Big(\\frac{z_i - y_i}{z_i}\\Big)^{\\alpha},

a ratio of two totals, so its linearized variable is ``(g_i - P) / N``
(Binder 1983; Lumley 2010, ch. 2): the variance matches R's
``svymean(~g, design)``. A person is poor when welfare is strictly below the
line, as in ``laeken::arpr``. Lines estimated from the same sample (60% of the
median) are not covered: their extra variance is not included.

Foster, Greer & Thorbecke (1984), *Econometrica* 52(3).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from workbench.errors import ParameterError
from workbench.inequality._checks import welfare_values
from workbench.poverty.line import Line, describe_line, line_value
from workbench.results import Estimate
from workbench.survey import SurveyDesign, Weighting, domains, finish_totals
from workbench.survey.cells import Block

__all__ = ["check_alpha", "fgt", "fgt_values", "headcount", "number_poor", "poverty_gap", "severity",
           "weighted_fgt_values"]

By = str | Sequence[str] | None


def check_alpha(alpha: float) -> float:
    """``alpha`` as a float, checked to be finite and ``>= 0``."""
    if isinstance(alpha, bool) or not (np.isfinite(alpha) and alpha >= 0):
        raise ParameterError(f"alpha must be a finite number >= 0 (0 headcount, 1 gap, 2 severity); "
                             f"got {alpha!r}")
    return float(alpha)


def fgt_values(y: np.ndarray, z: np.ndarray, alpha: float) -> np.ndarray:
    """Each person's FGT contribution ``1[y < z] ((z - y) / z) ** alpha``.

    Examples
    --------
    >>> fgt_values(np.array([50.0, 100, 150]), np.array([100.0] * 3), 1).tolist()
    [0.5, 0.0, 0.0]
    """
    poor = y < z
    if alpha == 0:
        return poor.astype(float)
    return np.where(poor, np.maximum(z - y, 0.0) / z, 0.0) ** alpha


def weighted_fgt_values(y: np.ndarray, z: float | np.ndarray, alpha: float,
                        w: np.ndarray) -> np.ndarray:
    """``w * fgt_values(y, z, alpha)`` in one new array, with no other full-length temporary.

    The same numbers as :func:`fgt_values` (non-poor rows get ``max(z - y, 0) = 0``,
    and ``0 ** alpha = 0`` for ``alpha > 0``). ``z`` is one line or one per row.

    Examples
    --------
    >>> weighted_fgt_values(np.array([50.0, 100, 150]), 100.0, 2, np.array([2.0, 1, 1])).tolist()
    [0.5, 0.0, 0.0]
    """
    if alpha == 0:
        out = np.less(y, z).astype(float)
    else:
        out = np.subtract(z, y)
        np.clip(out, 0.0, None, out=out)  # max(z - y, 0); faster than np.maximum
        np.divide(out, z, out=out)
        if alpha == 2:
            np.multiply(out, out, out=out)  # what ** 2 computes
        elif alpha != 1:
            np.power(out, alpha, out=out)
    np.multiply(out, w, out=out)
    return out


def _weighted_fgt_block(y: np.ndarray, z: float | np.ndarray, alpha: float,
                        w: np.ndarray) -> Callable[[Block], tuple[np.ndarray]]:
    """``w g`` of a block of rows, for :meth:`~workbench.survey.cells.Cells.sum_blocks`."""
    def values(block: Block) -> tuple[np.ndarray]:
        rows = block.rows
        return (weighted_fgt_values(y[rows], z if isinstance(z, float) else z[rows], alpha, w[rows]),)
    return values


def fgt(design: SurveyDesign, welfare: str, *, line: Line, alpha: float = 0.0, by: By = None,
        weighting: Weighting = "person", level: float = 0.95) -> Estimate:
    """Foster–Greer–Thorbecke poverty index ``P_alpha`` with its linearized SE.

    Parameters
    ----------
    design : SurveyDesign
    welfare : str
        Per-capita welfare column (``>= 0``).
    line : float or str
        Poverty line, or a column holding each household's line.
    alpha : float
        0 headcount, 1 gap, 2 severity (any ``alpha >= 0``).
    by : str or sequence of str, optional
        Domain columns; the full design is kept.
    weighting : {"person", "household"}
        Share of people (weight x household size, the default) or of households.
    level : float
        Confidence level of the t interval.

    Returns
    -------
    Estimate
        Statistic ``fgt0``, ``fgt1``, ``fgt2`` or ``f"fgt{alpha:g}"``.

    Raises
    ------
    ParameterError
        ``alpha < 0``, or a line that is zero, negative or not a number.
    DataError
        Missing or negative welfare.
    DesignError
        A domain with no sample unit.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [50.0, 80, 120, 200], "w": [1.0, 1, 1, 1]})
    >>> d = SurveyDesign(df, weight="w")
    >>> fgt(d, "y", line=100).estimate, fgt(d, "y", line=100, alpha=1).estimate
    (0.5, 0.175)
    """
    alpha = check_alpha(alpha)
    doms = domains(design, by, weighting)
    y = welfare_values(design, welfare, measure="the FGT index")
    # One pass over the rows: the cell totals A_c of w g. P is a ratio of totals, so each
    # cell's total of the scores w (g - P) / N is (A_c - P B_c) / N, B_c the cell's weight.
    A, = doms.cells.sum_blocks(_weighted_fgt_block(y, line_value(design, line), alpha, doms.weights), 1)
    P = doms.cell_sum(A) / doms.N
    d = doms.cells.domain
    totals = (A - P[d] * doms.cell_weights) / doms.N[d]
    return finish_totals(design, f"fgt{alpha:g}", doms, P, totals, level=level,
                         meta={"variable": welfare, "line": describe_line(line), "alpha": alpha})


def headcount(design: SurveyDesign, welfare: str, *, line: Line, by: By = None,
              weighting: Weighting = "person", level: float = 0.95) -> Estimate:
    """Poverty headcount ratio: :func:`fgt` with ``alpha=0``."""
    return fgt(design, welfare, line=line, alpha=0.0, by=by, weighting=weighting, level=level)


def poverty_gap(design: SurveyDesign, welfare: str, *, line: Line, by: By = None,
                weighting: Weighting = "person", level: float = 0.95) -> Estimate:
    """Poverty gap index: :func:`fgt` with ``alpha=1``."""
    return fgt(design, welfare, line=line, alpha=1.0, by=by, weighting=weighting, level=level)


def severity(design: SurveyDesign, welfare: str, *, line: Line, by: By = None,
             weighting: Weighting = "person", level: float = 0.95) -> Estimate:
    """Poverty severity (squared gap) index: :func:`fgt` with ``alpha=2``."""
    return fgt(design, welfare, line=line, alpha=2.0, by=by, weighting=weighting, level=level)


def number_poor(design: SurveyDesign, welfare: str, *, line: Line, by: By = None,
                weighting: Weighting = "person", level: float = 0.95) -> Estimate:
    """Number of poor people, ``sum w hhsize 1[y < z]``, with its linearized SE.

    With ``weighting="household"`` it counts poor households instead.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [50.0, 80, 120], "w": [10.0, 20, 30], "size": [5, 2, 4]})
    >>> number_poor(SurveyDesign(df, weight="w", hhsize="size"), "y", line=100).estimate
    90.0
    """
    doms = domains(design, by, weighting)
    y = welfare_values(design, welfare, measure="the number of poor")
    A, = doms.cells.sum_blocks(_weighted_fgt_block(y, line_value(design, line), 0.0, doms.weights), 1)
    return finish_totals(design, "number_poor", doms, doms.cell_sum(A), A, level=level,
                         meta={"variable": welfare, "line": describe_line(line)})
