"""Spatial price deflators between governorates.

Nominal consumption buys more in a cheap governorate than in a dear one. A
spatial deflator ``D_g`` is governorate ``g``'s price level relative to the
nation; real consumption is ``y / D_g`` (``methods.md``: welfare). Deflators
are normalised so that their population-weighted mean is 1 (``reference =
"national"``) or so that one governorate's is 1.

Two ways to measure the price levels:

- ``"food_line_ratio"``: the cost of the food poverty basket in each
  governorate (Ravallion 1998, sec. 3; Haughton & Khandker 2009, sec. 3.4).
  With food items, the national reference group's basket is priced at each
  governorate's unit values (``basket="national"``: a Laspeyres-type index
  with the national basket), or each governorate's own reference basket is
  priced at its unit values and at national ones (``basket="regional"``: a
  Paasche index). Unit values in a governorate are those paid by its own
  reference group (the same quantiles of its own distribution). Without items,
  the cost per kcal of each governorate's reference group (``calories``).
- ``"cpi"``: carry base-year deflators forward with the governorate CPIs
  relative to the national CPI. A CPI measures price *changes*, not levels:
  without base deflators, price levels are taken as equal in the base year,
  and the result shows only the differential inflation since then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from workbench.config import load_parameters
from workbench.errors import DataError, ParameterError, first_ids, warn
from workbench.geography import governorate as lookup_governorate
from workbench.poverty_lines._checks import (
    DAYS_PER_MONTH,
    numeric_column,
    person_weights,
    positive_number,
    quantile_pair,
)
from workbench.poverty_lines.cbn import _kcal, basket_quantities
from workbench.poverty_lines.reference import _EPS, default_quantiles, share_below
from workbench.poverty_lines.update import (
    NATIONAL,
    _base,
    _cpi_series,
    _parameters,
    _year,
)

__all__ = ["DEFLATOR_COLUMNS", "deflate", "spatial_deflators"]

DEFLATOR_COLUMNS: tuple[str, ...] = (
    "governorate",
    "deflator",
    "price_level",
    "population_share",
    "households",
)

Method = Literal["food_line_ratio", "cpi"]


def _governorate_codes(survey: pd.DataFrame, column: str) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of the survey's governorates and their P-codes (names accepted)."""
    if column not in survey.columns:
        raise DataError(f"survey: no column {column!r} (governorate P-code)")
    raw = survey[column]
    if raw.isna().any():
        bad = raw.isna().to_numpy()
        ids = survey["hhid"].to_numpy()[bad] if "hhid" in survey.columns else np.flatnonzero(bad)
        raise DataError(
            f"survey: column {column!r} has {bad.sum()} missing values (first ids: "
            f"{first_ids(ids)})"
        )
    text = raw.astype(str)
    pcode = {}
    for label in text.unique():
        try:
            pcode[label] = lookup_governorate(label).pcode
        except DataError:
            bad = (text == label).to_numpy()
            ids = (
                survey["hhid"].to_numpy()[bad] if "hhid" in survey.columns else np.flatnonzero(bad)
            )
            raise DataError(
                f"survey: column {column!r} holds {label!r}, not a governorate, in "
                f"{bad.sum()} rows (first ids: {first_ids(ids)}); use OCHA P-codes "
                "IQG01-IQG18"
            ) from None
    codes, labels = pd.factorize(text.map(pcode), sort=True)
    return codes, pd.Index(labels)


def _reference_members(
    y: np.ndarray, pw: np.ndarray, groups: np.ndarray | None, quantiles: Sequence[float]
) -> np.ndarray:
    lo, hi = quantiles
    below = share_below(y, pw, groups)
    return (below >= lo - _EPS) & (below < hi - _EPS)


def _food_price_levels(
    survey: pd.DataFrame,
    gov: np.ndarray,
    n_gov: int,
    pw: np.ndarray,
    *,
    items: pd.DataFrame | None,
    kcal_per_unit: Mapping[str, float] | None,
    calories: str | None,
    basket: str,
    quantiles: Sequence[float],
    norm: float,
    welfare: str,
    food: str,
    labels: pd.Index,
) -> np.ndarray:
    """The food line priced in each governorate (or a Paasche index for regional baskets)."""
    if (items is None) == (calories is None):
        raise ParameterError(
            "spatial_deflators(method='food_line_ratio'): give either items "
            "(with kcal_per_unit) or calories"
        )
    y = numeric_column(survey, welfare, what="survey", minimum=0.0)
    regional = _reference_members(y, pw, gov, quantiles)
    empty = np.bincount(gov[regional], minlength=n_gov) == 0
    if empty.any():
        raise DataError(
            f"survey: no household in the reference group (quantiles {quantiles[0]:g}-"
            f"{quantiles[1]:g} within the governorate) of {first_ids(labels[empty])}; "
            "widen the quantiles"
        )
    if calories is not None:
        kcal = numeric_column(survey, calories, what="survey", minimum=0.0)
        spent = numeric_column(survey, food, what="survey", minimum=0.0)
        m = regional
        kcal_sum = np.bincount(gov[m], pw[m] * kcal[m], minlength=n_gov) * DAYS_PER_MONTH
        if (kcal_sum <= 0).any():
            raise DataError(
                f"survey: no calories reported in {calories!r} by the reference group of "
                f"{first_ids(labels[kcal_sum <= 0])}"
            )
        cost_per_kcal = np.bincount(gov[m], pw[m] * spent[m], minlength=n_gov) / kcal_sum
        return cost_per_kcal * norm * DAYS_PER_MONTH
    if kcal_per_unit is None:
        raise ParameterError("spatial_deflators: items need kcal_per_unit")
    national = _reference_members(y, pw, None, quantiles)
    item_labels, q_nat, v_nat = basket_quantities(survey, items, national, pw)
    _, q_reg, v_reg = basket_quantities(survey, items, regional, pw, gov, n_gov)
    eaten = q_nat[0] > 0
    intake = float(q_nat[0][eaten] @ _kcal(kcal_per_unit, item_labels[eaten])) / DAYS_PER_MONTH
    if intake <= 0:
        raise DataError("food items: the national reference group's basket has no calories")
    with np.errstate(invalid="ignore", divide="ignore"):
        p_nat = v_nat[0] / q_nat[0]
        p_reg = v_reg / q_reg
    gap = ~np.isfinite(p_reg) & np.isfinite(p_nat)[None, :]
    if gap.any():
        warn(
            f"spatial deflators: {gap.sum()} (governorate, item) unit values are missing (no "
            "purchase by the governorate's reference group); the national unit value is used"
        )
        p_reg = np.where(gap, p_nat[None, :], p_reg)
    if basket == "national":
        cost = np.where(eaten[None, :], q_nat[0][None, :] * p_reg, 0.0).sum(axis=1)
        return cost * norm / intake
    priced = np.isfinite(p_nat)[None, :] & (q_reg > 0)
    own = np.where(priced, q_reg * p_reg, 0.0).sum(axis=1)
    at_national = np.where(priced, q_reg * p_nat[None, :], 0.0).sum(axis=1)
    return own / at_national


def _cpi_price_levels(
    labels: pd.Index,
    *,
    cpi: pd.DataFrame | None,
    year: int | None,
    base_year: int | None,
    base: pd.DataFrame | Mapping[str, float] | None,
    survey: pd.DataFrame,
) -> np.ndarray:
    if cpi is None:
        raise ParameterError(
            "spatial_deflators(method='cpi') needs a CPI frame with governorate series"
        )
    if year is None:
        years = pd.unique(survey["year"]) if "year" in survey.columns else []
        if len(years) != 1:
            raise ParameterError(
                "spatial_deflators(method='cpi'): give year= (the survey has "
                f"{len(years)} distinct years)"
            )
        year = int(years[0])
    year = _year(year)
    params, _ = _parameters()
    base_year = _base(params, year).year if base_year is None else _year(base_year)
    series = _cpi_series(cpi)
    if NATIONAL not in series:
        raise DataError("CPI frame: no 'national' series; it is needed to relate governorate CPIs")
    missing = [g for g in labels if g not in series]
    if missing:
        raise DataError(
            f"CPI frame: no series for {len(missing)} governorate(s) of the survey "
            f"({first_ids(missing)})"
        )
    start = np.ones(len(labels)) if base is None else _deflator_values(base, labels, "base")

    def change(key: str) -> float:
        s = series[key].index
        for y in (base_year, year):
            if y not in s:
                raise DataError(f"CPI frame: no index for {key!r} in {y}")
        return s[year] / s[base_year]

    relative = np.array([change(g) for g in labels]) / change(NATIONAL)
    return start * relative


def _deflator_values(
    table: pd.DataFrame | Mapping[str, float], labels: pd.Index, what: str
) -> np.ndarray:
    """Deflators for ``labels`` (P-codes) from a (governorate, deflator) table or a mapping."""
    if isinstance(table, pd.DataFrame):
        for c in ("governorate", "deflator"):
            if c not in table.columns:
                raise DataError(
                    f"{what} deflators: no column {c!r}; expected governorate, deflator"
                )
        pairs = zip(table["governorate"].astype(str), table["deflator"])
    else:
        pairs = table.items()
    found: dict[str, float] = {}
    for key, value in pairs:
        found[lookup_governorate(key).pcode] = float(value)
    missing = [g for g in labels if g not in found]
    if missing:
        raise DataError(
            f"{what} deflators: none for {len(missing)} governorate(s) of the survey "
            f"({first_ids(missing)})"
        )
    values = np.array([found[g] for g in labels])
    bad = ~np.isfinite(values) | (values <= 0)
    if bad.any():
        raise DataError(
            f"{what} deflators: must be finite and > 0; not so for {first_ids(labels[bad])}"
        )
    return values


def spatial_deflators(
    survey: pd.DataFrame,
    *,
    method: Method = "food_line_ratio",
    reference: str = "national",
    items: pd.DataFrame | None = None,
    kcal_per_unit: Mapping[str, float] | pd.Series | None = None,
    calories: str | None = None,
    basket: Literal["national", "regional"] = "national",
    quantiles: Sequence[float] | None = None,
    calorie_norm: float | None = None,
    cpi: pd.DataFrame | None = None,
    year: int | None = None,
    base_year: int | None = None,
    base: pd.DataFrame | Mapping[str, float] | None = None,
    welfare: str = "consumption_pc",
    food: str = "food_pc",
    weight: str = "weight",
    hhsize: str | None = "hhsize",
    governorate: str = "governorate",
) -> pd.DataFrame:
    """Price deflators of the survey's governorates relative to the nation.

    1. A price level ``P_g`` for each governorate:

       - ``food_line_ratio`` with ``items``, ``basket="national"``: the food
         line priced in ``g``, ``P_g = (N / K) sum_k q_k p_gk``: the national
         reference group's basket ``q`` (per person per month, ``K`` kcal a day),
         scaled to the calorie norm ``N``, at the unit values ``p_g`` paid by
         ``g``'s reference group (the national unit value where ``g``'s group
         bought none, with a warning);
       - ``basket="regional"``: ``P_g = sum_k q_gk p_gk / sum_k q_gk p_k``,
         ``g``'s own basket at its own and at national unit values (Paasche);
       - ``food_line_ratio`` with ``calories``: the food line priced in ``g``,
         ``P_g = c_g N (365/12)`` with ``c_g`` the cost per kcal of ``g``'s
         reference group;
       - ``cpi``: ``P_g = D_g(base_year) * (CPI_g(year) / CPI_g(base_year)) /
         (CPI_nat(year) / CPI_nat(base_year))`` with ``D_g(base_year)`` from
         ``base`` (1 for all when not given).

    2. Normalise: ``D_g = P_g / sum_h s_h P_h`` with ``s_h`` the population
       share of ``h`` (person weights) when ``reference="national"``, so that
       the population-weighted mean deflator is 1; or ``D_g = P_g / P_r`` for a
       reference governorate ``r``.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey (``governorate``, ``consumption_pc``, ``food_pc``,
        ``weight``, ``hhsize``; ``hhid`` with items; ``year`` for ``cpi``).
    method : {"food_line_ratio", "cpi"}
    reference : str
        ``"national"`` or a governorate whose deflator is 1.
    items, kcal_per_unit : optional
        Food items and calories per unit (see :func:`~workbench.poverty_lines.cbn.food_line`).
    calories : str, optional
        Column of kcal per person per day, when there are no items.
    basket : {"national", "regional"}
        Which basket prices the governorates (with items).
    quantiles : (float, float), optional
        Reference group, nationally and within each governorate (default: parameter file).
    calorie_norm : float, optional
        kcal per person per day (default: parameter file); scales ``price_level``
        only, not the deflators.
    cpi : pandas.DataFrame, optional
        CPI frame with a ``national`` series and one per governorate (method ``cpi``).
    year : int, optional
        Year of the deflators (method ``cpi``; default: the survey's ``year``).
    base_year : int, optional
        Year of the base deflators (default: the base year of the official line of ``year``).
    base : pandas.DataFrame or mapping, optional
        Deflators in ``base_year`` (``governorate, deflator``), e.g. from a survey
        of that year; default 1 everywhere.
    welfare, food, weight, hhsize, governorate : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        ``governorate`` (P-code), ``deflator``, ``price_level`` (``P_g``: the
        food line priced in the governorate, IQD per person per month; an index
        for ``basket="regional"`` and ``cpi``),
        ``population_share``, ``households``; sorted by P-code. ``attrs`` holds
        ``method``, ``reference`` and ``basket``.

    Examples
    --------
    Two governorates of two one-person households each, equal weights; calories
    cost 2 IQD/kcal in Anbar's reference group and 3 in Basrah's: price levels
    in the ratio 2:3, mean 2.5, deflators 0.8 and 1.2.

    >>> s = pd.DataFrame({"governorate": ["IQG01", "IQG01", "IQG02", "IQG02"],
    ...                   "consumption_pc": [100.0, 200, 100, 200], "food_pc": [60.0, 80, 90, 100],
    ...                   "kcal": [30 / (365 / 12), 50, 30 / (365 / 12), 50],
    ...                   "weight": 1.0, "hhsize": 1})
    >>> d = spatial_deflators(s, calories="kcal", quantiles=(0, 0.5))
    >>> d[["governorate", "deflator"]].round(6).values.tolist()
    [['IQG01', 0.8], ['IQG02', 1.2]]
    """
    pw = person_weights(survey, weight=weight, hhsize=hhsize)
    gov, labels = _governorate_codes(survey, governorate)
    n_gov = len(labels)
    ref = (
        None
        if str(reference).strip().casefold() == NATIONAL
        else lookup_governorate(reference).pcode
    )
    if ref is not None and ref not in labels:
        raise ParameterError(f"reference governorate {ref} is not in the survey")
    if basket not in ("national", "regional"):
        raise ParameterError(f"basket must be 'national' or 'regional'; got {basket!r}")
    if method == "food_line_ratio":
        q = default_quantiles() if quantiles is None else quantiles
        level = _food_price_levels(
            survey,
            gov,
            n_gov,
            pw,
            items=items,
            kcal_per_unit=kcal_per_unit,
            calories=calories,
            basket=basket,
            quantiles=quantile_pair(q),
            norm=load_parameters("poverty_lines").calorie_norm.value
            if calorie_norm is None
            else positive_number(calorie_norm, "calorie_norm"),
            welfare=welfare,
            food=food,
            labels=labels,
        )
    elif method == "cpi":
        level = _cpi_price_levels(
            labels, cpi=cpi, year=year, base_year=base_year, base=base, survey=survey
        )
    else:
        raise ParameterError(f"method must be 'food_line_ratio' or 'cpi'; got {method!r}")
    persons = np.bincount(gov, pw, minlength=n_gov)
    share = persons / persons.sum()
    norm = float(share @ level) if ref is None else float(level[labels.get_loc(ref)])
    table = pd.DataFrame(
        {
            "governorate": labels,
            "deflator": level / norm,
            "price_level": level,
            "population_share": share,
            "households": np.bincount(gov, minlength=n_gov),
        }
    )
    table = table.sort_values("governorate", ignore_index=True)
    table.attrs = {
        "method": method,
        "reference": reference,
        "basket": basket if items is not None else None,
    }
    return table


def deflate(
    survey: pd.DataFrame,
    deflators: pd.DataFrame | Mapping[str, float],
    *,
    welfare: str = "consumption_pc",
    column: str | None = None,
    governorate: str = "governorate",
) -> pd.DataFrame:
    """A copy of the survey with spatially deflated (real) welfare.

    Parameters
    ----------
    survey : pandas.DataFrame
        With ``governorate`` and ``welfare`` columns; left unchanged.
    deflators : pandas.DataFrame or mapping
        ``governorate, deflator`` (as from :func:`spatial_deflators`), or
        ``{governorate: deflator}``.
    welfare : str
        Column to deflate.
    column : str, optional
        New column; default ``f"{welfare}_real"`` (``consumption_pc_real``).

    Returns
    -------
    pandas.DataFrame
        The copy, with ``column = welfare / deflator`` of each household's governorate.

    Raises
    ------
    DataError
        A governorate of the survey has no deflator, or a deflator is not > 0.

    Examples
    --------
    >>> s = pd.DataFrame({"governorate": ["IQG01", "IQG02"], "consumption_pc": [100.0, 120.0]})
    >>> deflate(s, {"Anbar": 0.8, "Basrah": 1.2})["consumption_pc_real"].tolist()
    [125.0, 100.0]
    """
    y = numeric_column(survey, welfare, what="survey", minimum=None)
    gov, labels = _governorate_codes(survey, governorate)
    values = _deflator_values(deflators, labels, "spatial")
    out = survey.copy()
    out[column or f"{welfare}_real"] = y / values[gov]
    return out
