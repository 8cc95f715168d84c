"""Poverty lines: cost of basic needs, the annual CPI update, spatial price deflators.

- :mod:`~workbench.poverty_lines.update`: the official line of every year,
  a survey-based base carried forward with the CPI (:func:`official_line`,
  :func:`line_table`, :func:`national_cpi`).
- :mod:`~workbench.poverty_lines.cbn`: a cost-of-basic-needs line from a survey:
  a food line from a reference group's basket scaled to a calorie norm, plus
  Ravallion's lower and upper non-food allowances (:func:`food_line`,
  :func:`nonfood_allowances`, :func:`cbn_line`).
- :mod:`~workbench.poverty_lines.reference`: the reference group and weighted
  quantiles (:func:`reference_group`, :func:`weighted_quantile`).
- :mod:`~workbench.poverty_lines.spatial`: price deflators between governorates
  (:func:`spatial_deflators`, :func:`deflate`).

Parameters and their provenance are in ``parameters/poverty_lines.yaml``.

>>> from workbench.poverty_lines import official_line
>>> round(official_line(2023), -2)
131400.0
"""

from workbench.poverty_lines.cbn import (
    ITEM_COLUMNS,
    CostOfBasicNeeds,
    FoodLine,
    NonfoodAllowances,
    cbn_line,
    food_line,
    nonfood_allowances,
)
from workbench.poverty_lines.reference import ReferenceGroup, reference_group, weighted_quantile
from workbench.poverty_lines.spatial import DEFLATOR_COLUMNS, deflate, spatial_deflators
from workbench.poverty_lines.update import (
    CPI_COLUMNS,
    LINE_COLUMNS,
    NATIONAL,
    line_table,
    national_cpi,
    official_line,
)

__all__ = [
    "CPI_COLUMNS",
    "DEFLATOR_COLUMNS",
    "ITEM_COLUMNS",
    "LINE_COLUMNS",
    "NATIONAL",
    "CostOfBasicNeeds",
    "FoodLine",
    "NonfoodAllowances",
    "ReferenceGroup",
    "cbn_line",
    "deflate",
    "food_line",
    "line_table",
    "national_cpi",
    "nonfood_allowances",
    "official_line",
    "reference_group",
    "spatial_deflators",
    "weighted_quantile",
]
