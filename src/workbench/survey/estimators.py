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
from workbench.survey.cells import Block
from workbench.survey.design import SurveyDesign, Weighting
from workbench.survey.linearization import Domains, domains, finish, finish_totals

__all__ = ["mean", "ratio", "total"]

By = str | Sequence[str] | None


def _srs_variance_of_mean(doms: Domains, dev: np.ndarray) -> np.ndarray:
    """Variance of a mean under simple random sampling without replacement, as R's ``deff=TRUE``.

    ``dev`` is each row's deviation from its domain mean. As in R, the sample
    variance has divisor ``n - 1``, the finite population correction uses the sum
    of weights as population size, and the result is NaN when that sum is below
    ``n`` (weights not scaled to the population).
    """
    return _srs_variance(doms, doms.sum(doms.weights * dev * dev))


def _srs_variance(doms: Domains, ss: np.ndarray) -> np.ndarray:
    """:func:`_srs_variance_of_mean` from ``ss``, each domain's sum of ``w dev^2``."""
    n = doms.n.astype(float)
    s2 = ss / doms.N * n / np.maximum(n - 1, 1)
    v = s2 * (doms.N - n) / (doms.N * n)
    return np.where(doms.N >= n, v, np.nan)


def _with_deff(est: Estimate, v_srs: np.ndarray) -> Estimate:
    """Add the design effect, ``V_design / V_srs``, to the table."""
    with np.errstate(divide="ignore", invalid="ignore"):
        est.table["deff"] = est.table["se"].to_numpy() ** 2 / v_srs
    return est


def mean(design: SurveyDesign, variable: str, *, by: By = None, weighting: Weighting = "person",
         level: float = 0.95) -> Estimate:
    """Weighted mean with its linearized standard error and design effect.

    The same as R's ``svymean(~variable, design, deff = TRUE)`` and, with ``by``,
    ``svyby(~variable, ~by, design, svymean, deff = TRUE)``.

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

    Returns
    -------
    Estimate
        One row per domain: ``estimate, se, ci_low, ci_high, df, n, N, cv, deff``.
        The interval is t-based on the design's degrees of freedom. The design
        effect compares with simple random sampling of ``n`` sample units
        (households, when the design has a household size) without replacement.

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
    w = doms.weights
    cells = doms.cells
    wy, = cells.sum_blocks(lambda b: (w[b.rows] * y[b.rows],), 1)
    ybar = doms.cell_sum(wy) / doms.N
    centre = (lambda b: ybar[0]) if doms.compact is None else doms.spreader(ybar)

    def deviations(b: Block) -> tuple[np.ndarray, np.ndarray]:
        """``w dev`` (the scores times N) and ``w dev^2`` (for the design effect)."""
        dev = y[b.rows] - centre(b)
        u = w[b.rows] * dev
        return u, u * dev

    u, u_dev = cells.sum_blocks(deviations, 2)
    est = finish_totals(design, "mean", doms, ybar, u / doms.N[cells.domain], level=level,
                        meta={"variable": variable})
    return _with_deff(est, _srs_variance(doms, doms.cell_sum(u_dev)))


def total(design: SurveyDesign, variable: str, *, by: By = None, weighting: Weighting = "person",
          level: float = 0.95) -> Estimate:
    """Weighted total with its linearized standard error and design effect.

    The same as R's ``svytotal(~variable, design, deff = TRUE)`` (and ``svyby``).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2, 3, 4], "w": [1.0, 1, 2, 2],
    ...                    "h": [1, 1, 2, 2], "c": [1, 2, 1, 2]})
    >>> t = total(SurveyDesign(df, weight="w", strata="h", psu="c"), "y")
    >>> t.estimate, round(t.se, 4)
    (17.0, 2.2361)
    """
    doms = domains(design, by, weighting)
    y = design.column(variable)
    scores = doms.weights * y
    ytot = doms.sum(scores)
    est = finish(design, "total", doms, ytot, scores, level=level, meta={"variable": variable})
    dev = y - doms.spread(ytot / doms.N)
    return _with_deff(est, _srs_variance_of_mean(doms, dev) * doms.N**2)


def ratio(design: SurveyDesign, numerator: str, denominator: str, *, by: By = None,
          weighting: Weighting = "person", level: float = 0.95) -> Estimate:
    """Ratio of two weighted totals, ``sum(w y) / sum(w x)``, with its linearized SE and deff.

    The same as R's ``svyratio(~numerator, ~denominator, design, deff = TRUE)``
    (and ``svyby(..., FUN = svyratio)``). A mean is the ratio to a column of ones.

    Raises
    ------
    DesignError
        If the denominator total is zero in a domain.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2, 3, 4], "x": [2.0, 2, 4, 4], "w": [1.0, 1, 2, 2],
    ...                    "h": [1, 1, 2, 2], "c": [1, 2, 1, 2]})
    >>> r = ratio(SurveyDesign(df, weight="w", strata="h", psu="c"), "y", "x")
    >>> round(r.estimate, 4), round(r.se, 4)
    (0.85, 0.1118)
    """
    doms = domains(design, by, weighting)
    y = design.column(numerator)
    x = design.column(denominator)
    ytot, xtot = doms.sum(doms.weights * y), doms.sum(doms.weights * x)
    zero = np.flatnonzero(xtot == 0)
    if zero.size:
        shown = doms.labels.iloc[zero[:5]].to_dict(orient="records")
        raise DesignError(f"the total of {denominator!r} is zero in {zero.size} domain(s) {shown}: "
                          "the ratio is undefined there")
    r = ytot / xtot
    z = (y - doms.spread(r) * x) / doms.spread(xtot)
    est = finish(design, "ratio", doms, r, doms.weights * z, level=level,
                 meta={"variable": f"{numerator}/{denominator}"})
    # R: deff(svytotal(z, design, deff = TRUE)), z the unweighted linearized variable.
    dev = z - doms.spread(doms.sum(doms.weights * z) / doms.N)
    return _with_deff(est, _srs_variance_of_mean(doms, dev) * doms.N**2)
