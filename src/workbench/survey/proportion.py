"""Proportions of the levels of a categorical variable, with linearized SEs.

The proportion of level ``l`` in domain ``d`` is the mean of the indicator
``1[x = l]``: ``p_dl = sum_d w 1[x = l] / N_d``. Its linearized score is
``w (1[x = l] - p_dl) / N_d`` (Lumley 2010, sec. 2.3), as for any mean. This is
R's ``svymean(~factor(x), design)``.

All levels and domains go through one pass: the (domain, PSU) cell totals of
the scores are ``(A_cl - p_dl B_c) / N_d``, where ``A`` are cell totals of the
weights of each level and ``B`` of all weights, so no row-level score is built
per level.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbench.errors import DataError, ParameterError
from workbench.results import Estimate, tidy_table
from workbench.survey.design import SurveyDesign, Weighting
from workbench.survey.linearization import domains
from workbench.survey.variance import cell_total_variance

__all__ = ["proportion"]

#: More levels than this is almost surely a numeric variable passed by mistake.
MAX_LEVELS = 1000


def proportion(design: SurveyDesign, variable: str, *, by: str | Sequence[str] | None = None,
               weighting: Weighting = "person", level: float = 0.95) -> Estimate:
    """Proportion of each level of a categorical variable, with its linearized SE and deff.

    The same as R's ``svymean(~factor(variable), design, deff = TRUE)`` and, with
    ``by``, ``svyby(~factor(variable), ~by, design, svymean, deff = TRUE)``.

    Parameters
    ----------
    design : SurveyDesign
    variable : str
        Categorical column: a pandas categorical (its categories, in their order,
        are the levels, even unused ones), or any column whose distinct values
        are the levels, sorted (strings, integer codes, 0/1, booleans).
    by : str or sequence of str, optional
        Domain columns.
    weighting : {"person", "household"}
    level : float
        Confidence level.

    Returns
    -------
    Estimate
        One row per domain and level: the domain columns, ``level``, then
        ``estimate, se, ci_low, ci_high, df, n, N, cv, deff``. ``n`` and ``N`` are
        those of the domain. A level absent from a domain has estimate 0 and SE 0.

    Raises
    ------
    DataError
        If the column is missing or has missing values inside the design.
    ParameterError
        If the column has more than ``MAX_LEVELS`` distinct values.

    Examples
    --------
    >>> df = pd.DataFrame({"x": ["a", "b", "a", "a"], "w": [1.0, 1, 2, 2],
    ...                    "h": [1, 1, 2, 2], "c": [1, 2, 1, 2]})
    >>> p = proportion(SurveyDesign(df, weight="w", strata="h", psu="c"), "x")
    >>> p.table[["level", "estimate", "se"]].round(4).to_dict(orient="list")
    {'level': ['a', 'b'], 'estimate': [0.8333, 0.1667], 'se': [0.1667, 0.1667]}
    """
    doms = domains(design, by, weighting)
    x, levels = _level_codes(design, variable)
    D, L = doms.count, len(levels)
    cells = doms.cells
    # Cell totals of the weights of each level (one pass), then of the scores
    # w (1[x = l] - p_dl) / N_d, for every domain and level at once: (A - p B) / N.
    A = np.bincount(cells.row_cells() * L + x, weights=doms.weights,
                    minlength=cells.count * L).reshape(cells.count, L)
    d = cells.domain
    by_level = (d[:, None] * L + np.arange(L)).ravel()
    share = np.bincount(by_level, weights=A.ravel(), minlength=D * L).reshape(D, L) / doms.N[:, None]
    t = (A - share[d] * doms.cell_weights[:, None]) / doms.N[d][:, None]
    variance = cell_total_variance(design, cells, t).ravel()  # (D, L) in domain, level order

    n = np.repeat(doms.n, L).astype(float)
    N = np.repeat(doms.N, L)
    p = share.ravel()
    # R's deff: V / (svyvar(indicator) (N - n) / (N n)), svyvar with divisor n - 1.
    v_srs = p * (1 - p) * n / np.maximum(n - 1, 1) * (N - n) / (N * n)
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = np.where(N >= n, variance / v_srs, np.nan)

    labels = doms.labels.iloc[np.repeat(np.arange(D), L)].reset_index(drop=True)
    labels["level"] = np.tile(np.asarray(levels, dtype=object), D)
    table = tidy_table(labels, p, variance, df=design.df, n=n, N=N, level=level, deff=deff)
    info = {"weighting": doms.weighting, "level": level, "by": doms.by, "method": "linearization",
            "variable": variable}
    return Estimate("proportion", table, info)


def _level_codes(design: SurveyDesign, variable: str) -> tuple[np.ndarray, pd.Index]:
    """Level code of each row (0 for rows outside the design with no value) and the levels."""
    if variable not in design.data.columns:
        raise DataError(f"column {variable!r} not in the data; columns are: "
                        f"{', '.join(map(str, design.data.columns))}")
    values = design.data[variable]
    missing = values.isna().to_numpy()
    inside = missing & design.active
    if inside.any():
        raise DataError(f"column {variable!r} has {int(inside.sum())} missing values "
                        f"(first ids: {design._row_ids(inside)}); recode them as a level of their "
                        f"own, or estimate on design.subset(data[{variable!r}].notna())")
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, levels = values.cat.codes.to_numpy(dtype=np.int64), pd.Index(values.cat.categories)
    else:
        codes, levels = pd.factorize(values, sort=True)
        codes, levels = np.asarray(codes, dtype=np.int64), pd.Index(levels)
    if len(levels) > MAX_LEVELS:
        raise ParameterError(f"column {variable!r} has {len(levels)} distinct values; proportion() is "
                             f"for categorical variables (at most {MAX_LEVELS} levels)")
    if len(levels) == 0:
        raise DataError(f"column {variable!r} has no values inside the design")
    return np.where(missing, 0, codes), levels
