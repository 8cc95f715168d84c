"""Welfare values for distributional measures, checked once with clear errors."""

from __future__ import annotations

import numpy as np

from workbench.errors import DataError, first_ids
from workbench.survey import Domains, SurveyDesign

__all__ = ["positive_means", "row_ids", "welfare_values"]


def row_ids(design: SurveyDesign, mask: np.ndarray) -> str:
    """The first identifiers of the rows in ``mask``, for an error message."""
    ids = design.data[design.id].to_numpy()[mask] if design.id else np.flatnonzero(mask)
    return first_ids(ids)


def welfare_values(design: SurveyDesign, welfare: str, *, positive: bool = False,
                   measure: str = "this measure") -> np.ndarray:
    """The welfare column as floats: finite, and non-negative (or positive) as asked.

    Parameters
    ----------
    design : SurveyDesign
    welfare : str
        Welfare column.
    positive : bool
        Require ``welfare > 0`` (measures that take logarithms or negative powers);
        otherwise ``welfare >= 0``.
    measure : str
        Name of the measure, for the error message.

    Raises
    ------
    DataError
        Missing or non-numeric values (from the design), or values out of range,
        naming the column, the rule, the count and the first ids.
    """
    y = design.column(welfare)
    lowest = y.min() if y.size else 1.0
    if lowest > 0 or (lowest == 0 and not positive):
        return y
    bad = (y <= 0) if positive else (y < 0)
    if bad.any():
        rule = "> 0" if positive else ">= 0"
        raise DataError(f"{measure} needs column {welfare!r} {rule}; {int(bad.sum())} rows are not "
                        f"(first ids: {row_ids(design, bad)}). Fix or drop them before estimating.")
    return y


def positive_means(doms: Domains, y: np.ndarray, welfare: str) -> np.ndarray:
    """Weighted mean welfare of each domain, which must be positive.

    Raises
    ------
    DataError
        Where a domain's mean welfare is zero: relative inequality is undefined there.
    """
    mu = doms.sum(doms.weights * y) / doms.N
    zero = np.flatnonzero(mu <= 0)
    if zero.size:
        shown = doms.labels.iloc[zero[:5]].to_dict(orient="records")
        raise DataError(f"mean {welfare!r} is zero in {zero.size} domain(s) {shown}: "
                        "relative inequality is undefined there")
    return mu
