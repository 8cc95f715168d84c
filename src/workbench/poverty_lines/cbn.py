"""Cost-of-basic-needs poverty lines (Ravallion 1998).

Reference: Ravallion, M. (1998), *Poverty Lines in Theory and Practice*, LSMS
Working Paper 133, World Bank; summarised in Haughton & Khandker (2009),
*Handbook on Poverty and Inequality*, ch. 3.

The steps
---------
1. **Reference group** (:func:`~workbench.poverty_lines.reference.reference_group`):
   people between two person-weighted quantiles of per-capita consumption
   (default: the 2nd and 3rd deciles).
2. **Food line** (:func:`food_line`): the cost of the reference group's food,
   scaled so that it gives the calorie norm (2,337 kcal per person per day, R,
   a parameter). Three ways in, by the data available:

   - ``items``: the group's average basket (quantities per person) priced at its
     unit values, then scaled to the norm: the basket's composition is kept;
   - ``calories``: a column of kcal per person per day. The group's cost per
     kcal (food spending over calories) times the norm;
   - ``cost_per_kcal``: a cost per kcal given directly, times the norm.

3. **Non-food allowances** (:func:`nonfood_allowances`), Ravallion's two bounds:

   - *lower*: the non-food spending of households whose **total** spending
     equals the food line. They displace food to buy these non-food goods, so
     the goods are basic needs;
   - *upper*: the non-food spending of households whose **food** spending
     equals the food line.

   Each is estimated either by local averages in bands around the food line or
   from a food-share Engel curve.

4. **Lines** (:func:`cbn_line`): lower line = food line + lower allowance;
   upper line = food line + upper allowance.

Money is IQD per person per month. A month is 365/12 days.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from workbench.config import load_parameters
from workbench.errors import DataError, ParameterError, first_ids
from workbench.poverty_lines._checks import (
    DAYS_PER_MONTH,
    food_not_above_total,
    numeric_column,
    person_weights,
    positive_number,
)
from workbench.poverty_lines.reference import ReferenceGroup, reference_group

__all__ = [
    "ITEM_COLUMNS",
    "CostOfBasicNeeds",
    "FoodLine",
    "NonfoodAllowances",
    "basket_quantities",
    "cbn_line",
    "food_line",
    "nonfood_allowances",
]

ITEM_COLUMNS: tuple[str, ...] = ("hhid", "item", "quantity", "value")
"""Columns of a food-items frame: one row per household and food item consumed.

``quantity`` is in the item's unit (kg, litre, piece) per person per month and
``value`` in IQD per person per month (purchases, own production and gifts valued).
"""

AllowanceMethod = Literal["band", "regression"]


@dataclass(frozen=True)
class FoodLine:
    """A food poverty line and how it was priced.

    Attributes
    ----------
    value : float
        Food line, IQD per person per month.
    cost_per_kcal : float
        IQD per kcal of the reference group's diet.
    calorie_norm : float
        kcal per person per day.
    method : {"items", "calories", "cost_per_kcal"}
    reference : ReferenceGroup or None
        None when the cost per kcal was given.
    intake : float or None
        The reference group's average intake before scaling, kcal per person per day.
    basket : pandas.DataFrame or None
        With ``items``: the basket scaled to the norm, one row per item:
        ``item, quantity`` (per person per month), ``unit_value`` (IQD per unit),
        ``kcal_per_unit``, ``kcal_per_day``, ``cost`` (IQD per person per month).
    """

    value: float
    cost_per_kcal: float
    calorie_norm: float
    method: Literal["items", "calories", "cost_per_kcal"]
    reference: ReferenceGroup | None = None
    intake: float | None = None
    basket: pd.DataFrame | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class NonfoodAllowances:
    """Ravallion's lower and upper non-food allowances at a food line.

    Attributes
    ----------
    food_line : float
    lower, upper : float
        Non-food allowances, IQD per person per month.
    method : {"band", "regression"}
    details : Mapping
        ``band``: ``band``, ``steps``, ``households_lower``, ``households_upper``
        (households within the widest band). ``regression``: ``alpha``, ``beta``
        (food share = alpha + beta log(x / z_f)), ``food_share_upper`` (food share at
        the upper line), ``households`` (in the fit).
    """

    food_line: float
    lower: float
    upper: float
    method: AllowanceMethod
    details: Mapping[str, float] = field(default_factory=dict, compare=False)

    @property
    def lower_line(self) -> float:
        """Food line plus the lower allowance."""
        return self.food_line + self.lower

    @property
    def upper_line(self) -> float:
        """Food line plus the upper allowance."""
        return self.food_line + self.upper


@dataclass(frozen=True)
class CostOfBasicNeeds:
    """A cost-of-basic-needs poverty line: food line and Ravallion's lower and upper lines."""

    food: FoodLine
    nonfood: NonfoodAllowances

    @property
    def food_line(self) -> float:
        """IQD per person per month."""
        return self.food.value

    @property
    def lower_line(self) -> float:
        """Food line plus the lower non-food allowance."""
        return self.nonfood.lower_line

    @property
    def upper_line(self) -> float:
        """Food line plus the upper non-food allowance."""
        return self.nonfood.upper_line

    @property
    def reference_group(self) -> ReferenceGroup | None:
        """The reference group whose diet priced the food line."""
        return self.food.reference

    def to_frame(self) -> pd.DataFrame:
        """The lines and their parts, one row each (``component, value, unit``)."""
        unit = "IQD per person per month"
        rows = [
            ("food line", self.food_line, unit),
            ("lower non-food allowance", self.nonfood.lower, unit),
            ("upper non-food allowance", self.nonfood.upper, unit),
            ("lower poverty line", self.lower_line, unit),
            ("upper poverty line", self.upper_line, unit),
            ("calorie norm", self.food.calorie_norm, "kcal per person per day"),
            ("cost per kcal", self.food.cost_per_kcal, "IQD per kcal"),
        ]
        return pd.DataFrame(rows, columns=["component", "value", "unit"])

    def __str__(self) -> str:
        t = self.to_frame()
        lines = [f"Cost of basic needs (food: {self.food.method}; non-food: {self.nonfood.method})"]
        lines += [
            f"  {c:<26} {v:>14,.2f}  {u}" if abs(v) >= 1 else f"  {c:<26} {v:>14.4g}  {u}"
            for c, v, u in t.itertuples(index=False)
        ]
        if self.reference_group is not None:
            g = self.reference_group
            lines.append(
                f"  reference group: quantiles {g.quantiles[0]:g}-{g.quantiles[1]:g}, "
                f"{g.households} households, {g.persons:,.0f} persons"
            )
        return "\n".join(lines)


def _default_norm(calorie_norm: float | None) -> float:
    if calorie_norm is None:
        return load_parameters("poverty_lines").calorie_norm.value
    return positive_number(calorie_norm, "calorie_norm")


def _hhid_positions(survey: pd.DataFrame, hhids: pd.Series, what: str) -> np.ndarray:
    """Row positions in ``survey`` of each household id in ``hhids``."""
    if "hhid" not in survey.columns:
        raise DataError("survey: no column 'hhid'; it is needed to match food items to households")
    index = pd.Index(survey["hhid"])
    if not index.is_unique:
        dup = index[index.duplicated()].unique()
        raise DataError(
            f"survey: column 'hhid' must be unique; {len(dup)} ids repeat (first: {first_ids(dup)})"
        )
    pos = index.get_indexer(hhids)
    if (pos < 0).any():
        unknown = pd.unique(hhids.to_numpy()[pos < 0])
        raise DataError(
            f"{what}: {len(unknown)} hhids are not in the survey (first: "
            f"{first_ids(unknown)}); items must belong to surveyed households"
        )
    return pos


def _check_items(items: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    missing = [c for c in ITEM_COLUMNS if c not in items.columns]
    if missing:
        raise DataError(
            f"food items: missing column(s) {', '.join(missing)}; expected "
            f"{', '.join(ITEM_COLUMNS)}"
        )
    q = numeric_column(items, "quantity", what="food items", minimum=0.0)
    v = numeric_column(items, "value", what="food items", minimum=0.0)
    bad = (q == 0) & (v > 0)
    if bad.any():
        raise DataError(
            f"food items: {bad.sum()} rows have a value but quantity 0 (first hhids: "
            f"{first_ids(items['hhid'].to_numpy()[bad])}); a unit value needs a quantity"
        )
    dup = items.duplicated(["hhid", "item"], keep=False).to_numpy()
    if dup.any():
        raise DataError(
            f"food items: {dup.sum()} rows repeat a (hhid, item) pair (first hhids: "
            f"{first_ids(items['hhid'].to_numpy()[dup])}); sum them first"
        )
    return q, v


def _kcal(kcal_per_unit: Mapping[str, float] | pd.Series, items: Sequence[str]) -> np.ndarray:
    table = pd.Series(kcal_per_unit, dtype=float)
    missing = [i for i in items if i not in table.index]
    if missing:
        raise ParameterError(
            f"kcal_per_unit: no calorie content for {len(missing)} item(s) "
            f"({first_ids(missing)}); give kcal per unit for every item"
        )
    k = table.reindex(list(items)).to_numpy()
    if not np.isfinite(k).all() or (k < 0).any():
        raise ParameterError("kcal_per_unit: calorie contents must be finite and >= 0")
    return k


def basket_quantities(
    survey: pd.DataFrame,
    items: pd.DataFrame,
    members: np.ndarray,
    pw: np.ndarray,
    groups: np.ndarray | None = None,
    n_groups: int = 1,
) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    """Average quantity and value per person of each item over a group of households.

    For group ``g`` and item ``k``: ``q[g, k] = sum_i w_i q_ik / sum_i w_i`` and
    ``v[g, k]`` likewise, summing over the members ``i`` of the group (people
    who did not consume ``k`` count as zero). The unit value is ``v / q``.

    Parameters
    ----------
    survey : pandas.DataFrame
        With a unique ``hhid``.
    items : pandas.DataFrame
        A food-items frame (:data:`ITEM_COLUMNS`).
    members : numpy.ndarray of bool
        Households in the group(s), in survey row order.
    pw : numpy.ndarray
        Person weights, in survey row order.
    groups : numpy.ndarray of int, optional
        Group code ``0..n_groups-1`` of each survey row (e.g. governorate).

    Returns
    -------
    items : pandas.Index
        Item labels.
    quantity, value : numpy.ndarray
        Shape ``(n_groups, n_items)``: per person per month.
    """
    q, v = _check_items(items)
    pos = _hhid_positions(survey, items["hhid"], "food items")
    codes, labels = pd.factorize(items["item"], sort=True)
    k = len(labels)
    g = np.zeros(len(survey), dtype=np.int64) if groups is None else groups
    rows = members[pos]
    cell = g[pos][rows] * k + codes[rows]
    w = pw[pos][rows]
    qt = np.bincount(cell, w * q[rows], minlength=n_groups * k).reshape(n_groups, k)
    vt = np.bincount(cell, w * v[rows], minlength=n_groups * k).reshape(n_groups, k)
    persons = np.bincount(g[members], pw[members], minlength=n_groups)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.Index(labels), qt / persons, vt / persons


def food_line(
    survey: pd.DataFrame,
    *,
    items: pd.DataFrame | None = None,
    kcal_per_unit: Mapping[str, float] | pd.Series | None = None,
    calories: str | None = None,
    cost_per_kcal: float | None = None,
    quantiles: Sequence[float] | None = None,
    calorie_norm: float | None = None,
    welfare: str = "consumption_pc",
    food: str = "food_pc",
    weight: str = "weight",
    hhsize: str | None = "hhsize",
) -> FoodLine:
    """The food poverty line: the cost of the reference group's diet at the calorie norm.

    Give exactly one of ``items`` (with ``kcal_per_unit``), ``calories`` or
    ``cost_per_kcal``.

    **With items** (Ravallion 1998, sec. 3; Haughton & Khandker 2009, sec. 3.2):

    1. select the reference group (quantiles of person-weighted ``welfare``);
    2. its average basket: ``q_k = sum_i w_i q_ik / sum_i w_i`` per person per
       month over the group's members ``i``, with person weights ``w``;
    3. unit values ``p_k = sum_i w_i value_ik / sum_i w_i q_ik`` (what the group
       paid per unit);
    4. calories of the basket, ``K = sum_k q_k kcal_k / (365/12)`` per day;
    5. scale the basket to the norm ``N``: food line ``= (N / K) sum_k q_k p_k``.

    **With calories** (a column of kcal per person per day, not in the
    canonical model): cost per kcal ``c = sum_i w_i food_i / sum_i w_i
    kcal_i (365/12)`` over the reference group; food line ``= c N (365/12)``.

    **With cost_per_kcal** (IQD per kcal, e.g. from a price survey): food line
    ``= c N (365/12)``.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey: ``hhid``, ``consumption_pc``, ``food_pc``, ``weight``, ``hhsize``.
    items : pandas.DataFrame, optional
        Food items (:data:`ITEM_COLUMNS`): ``hhid, item, quantity, value``.
    kcal_per_unit : mapping or pandas.Series, optional
        kcal per unit of each item (needed with ``items``).
    calories : str, optional
        Column of ``survey`` with kcal per person per day.
    cost_per_kcal : float, optional
        IQD per kcal.
    quantiles : (float, float), optional
        Reference group; default from the parameter file (2nd-3rd deciles).
    calorie_norm : float, optional
        kcal per person per day; default from the parameter file (2,337, R).
    welfare, food, weight, hhsize : str
        Column names.

    Returns
    -------
    FoodLine

    Raises
    ------
    ParameterError
        Not exactly one input, a norm or cost <= 0, an item without calories.
    DataError
        Invalid survey or items columns, unknown hhids, a basket with no calories.

    Examples
    --------
    Six one-person households; the reference group (deciles 2-3) is household
    2, which eats 2 kg of bread (2,500 kcal/kg) and 1 kg of rice (3,600 kcal/kg)
    a month for 3,000 and 2,000 IQD: 8,600 kcal a month, 282.7 a day. Scaled
    to 2,337 kcal a day (x 2,337 x 365/12 / 8,600 = 8.2656), the basket costs
    5,000 x 8.2656 = 41,328 IQD a month.

    >>> s = pd.DataFrame({"hhid": range(1, 7),
    ...                   "consumption_pc": [60e3, 80e3, 1e5, 1.2e5, 1.4e5, 1.6e5],
    ...                   "food_pc": 30e3, "weight": 1.0, "hhsize": 1})
    >>> it = pd.DataFrame({"hhid": [2, 2, 3], "item": ["bread", "rice", "rice"],
    ...                    "quantity": [2.0, 1.0, 3.0], "value": [3000.0, 2000.0, 6000.0]})
    >>> kcal = {"bread": 2500, "rice": 3600}
    >>> fl = food_line(s, items=it, kcal_per_unit=kcal, quantiles=(0.1, 0.3))
    >>> round(fl.value), round(fl.intake, 1)
    (41328, 282.7)
    """
    given = [
        name
        for name, x in (("items", items), ("calories", calories), ("cost_per_kcal", cost_per_kcal))
        if x is not None
    ]
    if len(given) != 1:
        raise ParameterError(
            "food_line: give exactly one of items (with kcal_per_unit), calories "
            f"or cost_per_kcal; got {', '.join(given) or 'none'}"
        )
    norm = _default_norm(calorie_norm)
    if cost_per_kcal is not None:
        c = positive_number(cost_per_kcal, "cost_per_kcal")
        return FoodLine(c * norm * DAYS_PER_MONTH, c, norm, "cost_per_kcal")
    group = reference_group(
        survey, quantiles=quantiles, welfare=welfare, weight=weight, hhsize=hhsize
    )
    pw = person_weights(survey, weight=weight, hhsize=hhsize)
    m = group.members
    if calories is not None:
        kcal = numeric_column(survey, calories, what="survey", minimum=0.0)
        spent = numeric_column(survey, food, what="survey", minimum=0.0)
        month_kcal = float(np.dot(pw[m], kcal[m])) * DAYS_PER_MONTH
        if month_kcal <= 0:
            raise DataError(f"survey: the reference group reports no calories in {calories!r}")
        c = float(np.dot(pw[m], spent[m])) / month_kcal
        return FoodLine(
            c * norm * DAYS_PER_MONTH,
            c,
            norm,
            "calories",
            group,
            month_kcal / DAYS_PER_MONTH / group.persons,
        )
    if kcal_per_unit is None:
        raise ParameterError("food_line: items need kcal_per_unit (kcal per unit of each item)")
    labels, q, v = basket_quantities(survey, items, m, pw)
    q, v = q[0], v[0]
    eaten = q > 0
    labels, q, v = labels[eaten], q[eaten], v[eaten]
    kcal = _kcal(kcal_per_unit, labels)
    intake = float(q @ kcal) / DAYS_PER_MONTH
    if intake <= 0:
        raise DataError(
            "food items: the reference group's basket has no calories; check "
            "kcal_per_unit and the items of the reference group"
        )
    scale = norm / intake
    cost = float(v.sum())
    basket = pd.DataFrame(
        {
            "item": labels,
            "quantity": q * scale,
            "unit_value": v / q,
            "kcal_per_unit": kcal,
            "kcal_per_day": q * kcal * scale / DAYS_PER_MONTH,
            "cost": v * scale,
        }
    ).sort_values("cost", ascending=False, ignore_index=True)
    return FoodLine(
        cost * scale, cost / (intake * DAYS_PER_MONTH), norm, "items", group, intake, basket
    )


def _band_average(
    distance: np.ndarray, values: np.ndarray, w: np.ndarray, band: float, steps: int
) -> tuple[float, int]:
    """Mean of the weighted means of ``values`` within bands ``band * j / steps``, j = 1..steps.

    Empty bands are skipped. Returns the average and the households in the widest band.
    """
    order = np.argsort(distance, kind="stable")
    d = distance[order]
    cw = np.cumsum(w[order])
    cwv = np.cumsum((w * values)[order])
    widths = band * np.arange(1, steps + 1) / steps
    inside = np.searchsorted(d, widths + 1e-12, side="right")
    used = inside > 0
    if not used.any():
        return float("nan"), 0
    means = cwv[inside[used] - 1] / cw[inside[used] - 1]
    return float(means.mean()), int(inside[-1])


def _upper_root(alpha: float, beta: float) -> float:
    """Solve (alpha + beta u) e^u = 1 for the smallest u > 0 (food spending = food line)."""
    if beta < 0:
        peak = -alpha / beta - 1.0  # where food spending (alpha + beta u) e^u is highest
        if peak <= 0 or peak + np.log(-beta) < 0:
            return float("nan")
        hi = peak
    else:
        hi = -np.log(alpha)  # (alpha + beta u) e^u >= alpha e^u = 1 there
    return brentq(lambda u: u + np.log(alpha + beta * u), 0.0, hi, xtol=1e-14, rtol=1e-14)


def nonfood_allowances(
    survey: pd.DataFrame,
    food_line: float | FoodLine,
    *,
    method: AllowanceMethod = "band",
    band: float | None = None,
    steps: int | None = None,
    fit_range: tuple[float, float] | None = None,
    welfare: str = "consumption_pc",
    food: str = "food_pc",
    weight: str = "weight",
    hhsize: str | None = "hhsize",
) -> NonfoodAllowances:
    """Ravallion's lower and upper non-food allowances at a food line ``z_f``.

    **method="band"** (local averages; Ravallion 1998, sec. 3): the lower
    allowance is the person-weighted mean non-food spending (``welfare - food``)
    of households with ``|x / z_f - 1| <= b``; the upper allowance, of
    households with ``|food / z_f - 1| <= b``. With ``steps = k``, the mean is
    taken within each of the bands ``b/k, 2b/k, ..., b`` and the ``k`` means are
    averaged (Ravallion's 1%, 2%, ..., 10%, which weighs households closer to
    ``z_f`` more); empty bands are skipped.

    **method="regression"** (Engel curve; Ravallion 1998, sec. 3): fit by
    person-weighted least squares the food share

    .. math:: s_i = \\alpha + \\beta \\log(x_i / z_f) + e_i

    over households with ``x > 0`` (those with ``fit_range[0] z_f <= x <=
    fit_range[1] z_f`` when given). ``alpha`` is the food share of a household
    whose total spending equals ``z_f``, so

    - lower allowance ``= (1 - alpha) z_f`` (lower line ``(2 - alpha) z_f``);
    - upper line ``z_u`` is the total spending at which food spending equals
      ``z_f``: ``s(z_u) z_u = z_f``, i.e. ``(alpha + beta u) e^u = 1`` with ``u =
      log(z_u / z_f)``. We solve it exactly (Brent's method on the increasing
      branch); upper allowance ``= z_u - z_f``. Ravallion's paper also adds
      demographic controls to the regression; this version has none.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey (``consumption_pc``, ``food_pc``, ``weight``, ``hhsize``).
    food_line : float or FoodLine
        ``z_f``, IQD per person per month.
    method : {"band", "regression"}
    band : float, optional
        Half-width of the widest band, relative to ``z_f`` (default 0.10 from the parameter file).
    steps : int, optional
        Number of nested bands (default 10 from the parameter file).
    fit_range : (float, float), optional
        Regression sample, as multiples of ``z_f``.
    welfare, food, weight, hhsize : str
        Column names.

    Returns
    -------
    NonfoodAllowances

    Raises
    ------
    ParameterError
        A food line <= 0, an unknown method, a band outside (0, 1).
    DataError
        Invalid columns, no household near the food line, or a fitted Engel
        curve on which food spending never reaches the food line.

    Examples
    --------
    Food line 100. Households spending 95 and 105 in total spend 25 and 35 on
    non-food (lower allowance 30); those spending 100 on food spend 60 on
    non-food (upper allowance 60).

    >>> s = pd.DataFrame({"consumption_pc": [95.0, 105, 160, 300], "food_pc": [70.0, 70, 100, 150],
    ...                   "weight": 1.0, "hhsize": 1})
    >>> a = nonfood_allowances(s, 100.0, band=0.1, steps=1)
    >>> a.lower, a.upper, a.lower_line, a.upper_line
    (30.0, 60.0, 130.0, 160.0)
    """
    z = positive_number(
        food_line.value if isinstance(food_line, FoodLine) else food_line, "food_line"
    )
    spec = load_parameters("poverty_lines").cost_of_basic_needs.band
    x = numeric_column(survey, welfare, what="survey", minimum=0.0)
    f = numeric_column(survey, food, what="survey", minimum=0.0)
    food_not_above_total(survey, f, x, food_col=food, total_col=welfare)
    w = person_weights(survey, weight=weight, hhsize=hhsize)
    if method == "band":
        b = positive_number(spec.value if band is None else band, "band")
        if b >= 1:
            raise ParameterError(f"band must be a fraction of the food line in (0, 1); got {b}")
        k = spec.steps if steps is None else steps
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
            raise ParameterError(f"steps must be an integer >= 1; got {k!r}")
        nonfood = x - f
        lower, n_lower = _band_average(np.abs(x / z - 1), nonfood, w, b, int(k))
        upper, n_upper = _band_average(np.abs(f / z - 1), nonfood, w, b, int(k))
        for value, what in ((lower, "total"), (upper, "food")):
            if np.isnan(value):
                raise DataError(
                    f"survey: no household has {what} spending within {b:.0%} of the "
                    f"food line {z:,.0f}; widen the band or use method='regression'"
                )
        return NonfoodAllowances(
            z,
            lower,
            upper,
            "band",
            {"band": b, "steps": int(k), "households_lower": n_lower, "households_upper": n_upper},
        )
    if method != "regression":
        raise ParameterError(f"method must be 'band' or 'regression'; got {method!r}")
    fit = x > 0
    if fit_range is not None:
        lo, hi = (positive_number(r, "fit_range") for r in fit_range)
        if lo >= hi:
            raise ParameterError(f"fit_range must be increasing; got {fit_range!r}")
        fit &= (x >= lo * z) & (x <= hi * z)
    u = np.log(x[fit] / z)
    if fit.sum() < 3 or np.ptp(u) == 0:
        raise DataError(
            f"survey: the food-share regression needs at least 3 households with "
            f"different spending; {int(fit.sum())} are in the fit"
        )
    share = f[fit] / x[fit]
    sw = np.sqrt(w[fit])
    design = np.column_stack([np.ones_like(u), u]) * sw[:, None]
    (alpha, beta), *_ = np.linalg.lstsq(design, share * sw, rcond=None)
    alpha, beta = float(alpha), float(beta)
    if not 0 < alpha < 1:
        raise DataError(
            f"survey: the fitted food share at the food line is {alpha:.3f}, outside "
            "(0, 1); check the food line and the data, or use method='band'"
        )
    root = _upper_root(alpha, beta)
    if np.isnan(root):
        raise DataError(
            f"survey: on the fitted Engel curve (alpha={alpha:.3f}, beta={beta:.3f}) food "
            "spending never reaches the food line; use method='band'"
        )
    z_u = z * np.exp(root)
    return NonfoodAllowances(
        z,
        (1 - alpha) * z,
        z_u - z,
        "regression",
        {"alpha": alpha, "beta": beta, "food_share_upper": z / z_u, "households": int(fit.sum())},
    )


def cbn_line(
    survey: pd.DataFrame,
    *,
    items: pd.DataFrame | None = None,
    kcal_per_unit: Mapping[str, float] | pd.Series | None = None,
    calories: str | None = None,
    cost_per_kcal: float | None = None,
    quantiles: Sequence[float] | None = None,
    calorie_norm: float | None = None,
    method: AllowanceMethod = "band",
    band: float | None = None,
    steps: int | None = None,
    fit_range: tuple[float, float] | None = None,
    welfare: str = "consumption_pc",
    food: str = "food_pc",
    weight: str = "weight",
    hhsize: str | None = "hhsize",
) -> CostOfBasicNeeds:
    """A cost-of-basic-needs poverty line: :func:`food_line`, then :func:`nonfood_allowances`.

    Parameters are those of the two functions. The result holds the food line,
    the lower and upper lines (food line plus Ravallion's lower and upper
    non-food allowances) and the reference group.

    Examples
    --------
    >>> s = pd.DataFrame({"hhid": range(1, 7),
    ...                   "consumption_pc": [60.0, 80, 95, 105, 160, 300],
    ...                   "food_pc": [50.0, 64, 70, 70, 100, 150], "weight": 1.0, "hhsize": 1})
    >>> line = cbn_line(s, cost_per_kcal=100 / (2337 * 365 / 12), band=0.1, steps=1)
    >>> round(line.food_line, 6), round(line.lower_line, 6), round(line.upper_line, 6)
    (100.0, 130.0, 160.0)
    """
    fl = food_line(
        survey,
        items=items,
        kcal_per_unit=kcal_per_unit,
        calories=calories,
        cost_per_kcal=cost_per_kcal,
        quantiles=quantiles,
        calorie_norm=calorie_norm,
        welfare=welfare,
        food=food,
        weight=weight,
        hhsize=hhsize,
    )
    allowances = nonfood_allowances(
        survey,
        fl,
        method=method,
        band=band,
        steps=steps,
        fit_range=fit_range,
        welfare=welfare,
        food=food,
        weight=weight,
        hhsize=hhsize,
    )
    return CostOfBasicNeeds(fl, allowances)
