"""Means, totals and ratios with Taylor-linearized standard errors.

Each function takes the design first and options by keyword, and returns an
:class:`~workbench.results.Estimate`. Domains (``by=``) keep the full design.
Estimates are person-weighted by default (household weight x household size)
when the design has a household size, and household-weighted on request.

References: Lumley (2010), *Complex Surveys*, ch. 2; Binder (1983).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workbench.errors import DesignError
from workbench.results import Estimate
from workbench.survey.design import SurveyDesign, Weighting
from workbench.survey.linearization import domains, finish

__all__ = ["mean", "total", "ratio"]

By = str | Sequence[str] | None


def _srs_variance_of_mean(doms, y: np.ndarray, ybar: np.ndarray) -> np.ndarray:
    """Variance of a mean under simple random sampling without replacement, as R's deff."""
    w = doms.weights
    s2 = doms.sum(w * (y - doms.spread(ybar)) ** 2) / doms.N * doms.n / np.maximum(doms.n - 1, 1)
    return s2 * (doms.N - doms.n) / (doms.N * doms.n)


def mean(design: SurveyDesign, variable: str, *, by: By = None, weighting: Weighting = "person",
         level: float = 0.95) -> Estimate:
    """Weighted mean with its linearized standard error and design effect.

    Parameters
    ----------
    design : SurveyDesign
    variable : str
        Numeric column.
    by : str or sequence of str, optional
        Domain columns.
    weighting : {"person", "household"}
    level : float
        Confidence level.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2, 3, 4], "w": [1.0, 1, 2, 2],
    ...                    "h": [1, 1, 2, 2], "c": [1, 2, 1, 2]})
    >>> m = mean(SurveyDesign(df, weight="w", strata="h", psu="c"), "y")
    >>> round(m.estimate, 4), round(m.se, 4)
    (2.8333, 0.3727)
    """
    doms = domains(design, by, weighting)
    y = design.column(variable)
    ybar = doms.sum(doms.weights * y) / doms.N
    scores = doms.weights * (y - doms.spread(ybar)) / doms.spread(doms.N)
    est = finish(design, "mean", doms, ybar, scores, level=level, meta={"variable": variable})
    v_srs = _srs_variance_of_mean(doms, y, ybar)
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = est.table["se"].to_numpy() ** 2 / v_srs
    est.table["deff"] = deff
    return est


def total(design: SurveyDesign, variable: str, *, by: By = None, weighting: Weighting = "person",
          level: float = 0.95) -> Estimate:
    """Weighted total with its linearized standard error and design effect."""
    doms = domains(design, by, weighting)
    y = design.column(variable)
    scores = doms.weights * y
    ytot = doms.sum(scores)
    est = finish(design, "total", doms, ytot, scores, level=level, meta={"variable": variable})
    ybar = ytot / doms.N
    v_srs = _srs_variance_of_mean(doms, y, ybar) * doms.N**2
    with np.errstate(divide="ignore", invalid="ignore"):
        est.table["deff"] = est.table["se"].to_numpy() ** 2 / v_srs
    return est


def ratio(design: SurveyDesign, numerator: str, denominator: str, *, by: By = None,
          weighting: Weighting = "person", level: float = 0.95) -> Estimate:
    """Ratio of two weighted totals, ``sum(w y) / sum(w x)``, with its linearized SE.

    Raises
    ------
    DesignError
        If the denominator total is zero in a domain.
    """
    doms = domains(design, by, weighting)
    y = design.column(numerator)
    x = design.column(denominator)
    ytot, xtot = doms.sum(doms.weights * y), doms.sum(doms.weights * x)
    if np.any(xtot == 0):
        raise DesignError(f"the total of {denominator!r} is zero in some domain: the ratio is undefined")
    r = ytot / xtot
    scores = doms.weights * (y - doms.spread(r) * x) / doms.spread(xtot)
    return finish(design, "ratio", doms, r, scores, level=level,
                  meta={"variable": f"{numerator}/{denominator}"})
