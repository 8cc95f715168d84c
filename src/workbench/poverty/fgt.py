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

from collections.abc import Sequence

import numpy as np

from workbench.errors import ParameterError
from workbench.inequality._checks import welfare_values
from workbench.poverty.line import Line, describe_line, line_values
from workbench.results import Estimate
from workbench.survey import SurveyDesign, Weighting, domains, finish

__all__ = ["check_alpha", "fgt", "fgt_values", "headcount", "number_poor", "poverty_gap", "severity"]

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
    g = fgt_values(y, line_values(design, line), alpha)
    w = doms.weights
    P = doms.sum(w * g) / doms.N
    scores = w * (g - doms.spread(P)) / doms.spread(doms.N)
    return finish(design, f"fgt{alpha:g}", doms, P, scores, level=level,
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
    scores = doms.weights * fgt_values(y, line_values(design, line), 0.0)
    return finish(design, "number_poor", doms, doms.sum(scores), scores, level=level,
                  meta={"variable": welfare, "line": describe_line(line)})
