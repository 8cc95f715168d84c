"""Cost of basic needs: food line, Ravallion's non-food allowances, the lines."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import lambertw

from workbench.errors import DataError, ParameterError
from workbench.poverty_lines import cbn_line, food_line, nonfood_allowances

DAYS = 365 / 12


def survey():
    """Six households; person weights 2, 2, 1, 1, 2, 2 (weight 1 x hhsize)."""
    return pd.DataFrame(
        {
            "hhid": [11, 12, 13, 14, 15, 16],
            "consumption_pc": [50.0, 70, 90, 110, 150, 200],
            "food_pc": [40.0, 50, 60, 65, 80, 90],
            "weight": 1.0,
            "hhsize": [2, 2, 1, 1, 2, 2],
        }
    )


def items():
    return pd.DataFrame(
        {
            "hhid": [11, 12, 12, 13, 13],
            "item": ["bread", "bread", "rice", "bread", "meat"],
            "quantity": [4.0, 3.0, 1.0, 2.0, 0.5],
            "value": [4000.0, 3000.0, 1500.0, 2400.0, 5000.0],
        }
    )


KCAL = {"bread": 2500.0, "rice": 3600.0, "meat": 2000.0}


def test_food_line_from_items_by_hand():
    # Reference group, quantiles (.2, .5): households 12 (2 persons) and 13 (1 person).
    # Basket per person per month over the 3 persons:
    #   bread (2*3 + 1*2)/3 = 8/3 kg, value (2*3000 + 2400)/3 = 2800, unit value 8400/8 = 1050
    #   rice  2*1/3 = 2/3 kg,        value 2*1500/3 = 1000,        unit value 1500
    #   meat  0.5/3 kg,              value 5000/3,                 unit value 10000
    # kcal a month: (8*2500 + 2*3600 + 0.5*2000)/3 = 28200/3 = 9400; cost 16400/3.
    # Scaled to 2,337 kcal a day: food line = (16400/3) * 2337 * DAYS / 9400.
    fl = food_line(survey(), items=items(), kcal_per_unit=KCAL, quantiles=(0.2, 0.5))
    assert fl.method == "items" and fl.calorie_norm == 2337
    assert fl.value == pytest.approx(16400 / 3 * 2337 * DAYS / 9400, rel=1e-12)
    assert fl.intake == pytest.approx(9400 / DAYS, rel=1e-12)
    assert fl.cost_per_kcal == pytest.approx((16400 / 3) / 9400, rel=1e-12)
    assert fl.reference.households == 2 and fl.reference.persons == 3.0
    b = fl.basket.set_index("item")
    assert b.loc[["bread", "rice", "meat"], "unit_value"].tolist() == pytest.approx(
        [1050, 1500, 10000]
    )
    assert b.cost.sum() == pytest.approx(fl.value, rel=1e-12)
    assert b.kcal_per_day.sum() == pytest.approx(2337, rel=1e-12)


def test_food_line_from_calories_by_hand():
    # Households 12 and 13 eat 1,800 and 2,000 kcal a day. Cost per kcal:
    # (2*50 + 1*60) / ((2*1800 + 1*2000) * DAYS) = 160 / (5600 DAYS);
    # line = that * 2100 * DAYS = 60.
    s = survey().assign(kcal=[1500.0, 1800, 2000, 2200, 2500, 2800])
    fl = food_line(s, calories="kcal", quantiles=(0.2, 0.5), calorie_norm=2100)
    assert fl.value == pytest.approx(160 / 5600 * 2100, rel=1e-12)
    assert fl.intake == pytest.approx(5600 / 3, rel=1e-12)


def test_food_line_from_cost_per_kcal():
    fl = food_line(survey(), cost_per_kcal=0.5, calorie_norm=2000)
    assert fl.value == pytest.approx(0.5 * 2000 * 365 / 12, rel=1e-12)
    assert fl.reference is None


def test_food_line_input_errors():
    s = survey()
    with pytest.raises(ParameterError, match=r"exactly one of .*got items, cost_per_kcal"):
        food_line(s, items=items(), kcal_per_unit=KCAL, cost_per_kcal=1.0)
    with pytest.raises(ParameterError, match=r"got none"):
        food_line(s)
    with pytest.raises(ParameterError, match=r"cost_per_kcal must be a finite number > 0; got -1"):
        food_line(s, cost_per_kcal=-1)
    with pytest.raises(ParameterError, match=r"calorie_norm must be a finite number > 0"):
        food_line(s, cost_per_kcal=1, calorie_norm=0)
    with pytest.raises(ParameterError, match=r"items need kcal_per_unit"):
        food_line(s, items=items())
    with pytest.raises(ParameterError, match=r"no calorie content for 1 item\(s\) \(meat\)"):
        food_line(s, items=items(), kcal_per_unit={"bread": 1, "rice": 1}, quantiles=(0.2, 0.5))
    with pytest.raises(DataError, match=r"1 hhids are not in the survey \(first: 99\)"):
        food_line(s, items=items().assign(hhid=[11, 12, 12, 13, 99]), kcal_per_unit=KCAL)
    with pytest.raises(DataError, match=r"'quantity' must be >= 0; 1 rows .*first ids: 12"):
        food_line(s, items=items().assign(quantity=[4.0, -3, 1, 2, 0.5]), kcal_per_unit=KCAL)
    with pytest.raises(DataError, match=r"value but quantity 0"):
        food_line(s, items=items().assign(quantity=[4.0, 0, 1, 2, 0.5]), kcal_per_unit=KCAL)
    with pytest.raises(DataError, match=r"repeat a \(hhid, item\) pair"):
        food_line(
            s,
            items=items().assign(item=["bread", "bread", "bread", "bread", "meat"]),
            kcal_per_unit=KCAL,
        )
    with pytest.raises(DataError, match=r"'hhid' must be unique"):
        food_line(s.assign(hhid=[11, 11, 13, 14, 15, 16]), items=items(), kcal_per_unit=KCAL)


@settings(max_examples=40, deadline=None)
@given(factor=st.floats(0.01, 100), seed=st.integers(0, 2**32 - 1))
def test_scaling_all_prices_scales_the_food_line(factor, seed):
    rng = np.random.default_rng(seed)
    n = 30
    s = pd.DataFrame(
        {
            "hhid": np.arange(n),
            "consumption_pc": rng.lognormal(5, 0.5, n),
            "weight": rng.uniform(0.5, 2, n),
            "hhsize": rng.integers(1, 9, n),
        }
    )
    it = pd.DataFrame(
        [(h, k) for h in range(n) for k in "abc" if rng.random() < 0.8], columns=["hhid", "item"]
    )
    it["quantity"] = rng.uniform(0.1, 5, len(it))
    it["value"] = it.quantity * rng.uniform(100, 1000, len(it))
    kcal = {"a": 3000.0, "b": 1500.0, "c": 500.0}
    base = food_line(s, items=it, kcal_per_unit=kcal, quantiles=(0, 0.5))
    dear = food_line(
        s, items=it.assign(value=it.value * factor), kcal_per_unit=kcal, quantiles=(0, 0.5)
    )
    assert dear.value == pytest.approx(base.value * factor, rel=1e-10)
    # The line is proportional to the calorie norm, and the group's quantities do not matter in
    # proportion: doubling every quantity (same spending) halves the price of a kcal.
    assert food_line(
        s, items=it, kcal_per_unit=kcal, quantiles=(0, 0.5), calorie_norm=1000
    ).value == pytest.approx(base.value * 1000 / 2337, rel=1e-10)
    assert food_line(
        s, items=it.assign(quantity=it.quantity * 2), kcal_per_unit=kcal, quantiles=(0, 0.5)
    ).value == pytest.approx(base.value / 2, rel=1e-10)


def band_survey():
    # Food line 100. Total spending 97, 104, 108 (person weights 1, 1, 2) with non-food 30, 40, 50;
    # food spending 96 and 103 (non-food 64 and 80) for two others; far households add nothing.
    return pd.DataFrame(
        {
            "consumption_pc": [97.0, 104, 108, 160, 183, 400],
            "food_pc": [67.0, 64, 58, 96, 103, 250],
            "weight": [1.0, 1, 2, 1, 1, 1],
            "hhsize": 1,
        }
    )


def test_band_allowances_by_hand():
    a = nonfood_allowances(band_survey(), 100.0, band=0.10, steps=1)
    # Lower: |x/100 - 1| <= .1 -> 97, 104, 108: (30 + 40 + 2*50) / 4 = 42.5.
    # Upper: |food/100 - 1| <= .1 -> food 96 and 103: (64 + 80) / 2 = 72.
    assert (a.lower, a.upper) == pytest.approx((42.5, 72.0), rel=1e-12)
    assert (a.lower_line, a.upper_line) == pytest.approx((142.5, 172.0), rel=1e-12)
    assert a.details["households_lower"] == 3 and a.details["households_upper"] == 2


def test_nested_bands_by_hand():
    a = nonfood_allowances(band_survey(), 100.0, band=0.10, steps=2)
    # Lower, 5% band: 97, 104 -> 35; 10% band: 42.5; average 38.75.
    # Upper, 5% band: food 96, 103 -> 72; 10% band: 72; average 72.
    assert (a.lower, a.upper) == pytest.approx((38.75, 72.0), rel=1e-12)


def test_default_band_is_ravallions_ten_bands():
    a = nonfood_allowances(band_survey(), 100.0)
    assert (a.details["band"], a.details["steps"]) == (0.10, 10)
    # Lower: bands 1%, 2% empty; 3% -> 30; 4%..7% -> 35; 8%..10% -> 42.5: (30 + 4*35 + 3*42.5) / 8.
    assert a.lower == pytest.approx((30 + 4 * 35 + 3 * 42.5) / 8, rel=1e-12)


def engel_survey(alpha=0.6, beta=-0.15, z=100.0):
    x = np.array([40.0, 60, 80, 100, 130, 170, 250, 400])
    share = alpha + beta * np.log(x / z)
    return pd.DataFrame(
        {
            "consumption_pc": x,
            "food_pc": share * x,
            "weight": [1.0, 2, 1, 3, 1, 2, 1, 1],
            "hhsize": [1, 2, 3, 1, 2, 3, 1, 2],
        }
    )


def test_regression_allowances_on_an_exact_engel_curve():
    alpha, beta, z = 0.6, -0.15, 100.0
    a = nonfood_allowances(engel_survey(alpha, beta, z), z, method="regression")
    assert (a.details["alpha"], a.details["beta"]) == pytest.approx((alpha, beta), rel=1e-10)
    assert a.lower == pytest.approx((1 - alpha) * z, rel=1e-10)  # lower line (2 - alpha) z_f
    z_u = a.upper_line
    # Food spending at the upper line equals the food line ...
    assert (alpha + beta * np.log(z_u / z)) * z_u == pytest.approx(z, rel=1e-10)
    # ... and matches the closed form u = W_{-1}(e^{a/b} / b) - a/b (Lambert W, lower branch).
    u = lambertw(np.exp(alpha / beta) / beta, k=-1).real - alpha / beta
    assert z_u == pytest.approx(z * np.exp(u), rel=1e-10)
    assert a.details["food_share_upper"] == pytest.approx(z / z_u, rel=1e-10)


def test_regression_with_flat_food_share():
    # beta = 0: everyone spends 70% on food; food = z at x = z / 0.7.
    a = nonfood_allowances(engel_survey(0.7, 0.0), 100.0, method="regression")
    assert a.upper_line == pytest.approx(100 / 0.7, rel=1e-10)
    assert a.lower == pytest.approx(30, rel=1e-10)


def test_regression_fit_range_and_failures():
    s = engel_survey()
    a = nonfood_allowances(s, 100.0, method="regression", fit_range=(0.5, 2.0))
    assert a.details["households"] == 5  # 60, 80, 100, 130, 170
    with pytest.raises(DataError, match=r"at least 3 households"):
        nonfood_allowances(s, 100.0, method="regression", fit_range=(0.9, 1.1))
    # A steep Engel curve on which food spending (alpha + beta u) e^u peaks at u = -alpha/beta - 1
    # = 0, where it is alpha z_f = 0.2 z_f: it never reaches z_f. (x = 400 dropped: its share < 0.)
    steep = engel_survey(alpha=0.2, beta=-0.2).iloc[:7]
    with pytest.raises(DataError, match=r"food spending never reaches the food line"):
        nonfood_allowances(steep, 100.0, method="regression")


def test_allowance_input_errors():
    s = band_survey()
    with pytest.raises(ParameterError, match=r"food_line must be a finite number > 0; got -100"):
        nonfood_allowances(s, -100.0)
    with pytest.raises(ParameterError, match=r"method must be 'band' or 'regression'"):
        nonfood_allowances(s, 100.0, method="kernel")
    with pytest.raises(ParameterError, match=r"band must be a fraction"):
        nonfood_allowances(s, 100.0, band=1.5)
    with pytest.raises(ParameterError, match=r"steps must be an integer >= 1"):
        nonfood_allowances(s, 100.0, steps=0)
    with pytest.raises(
        DataError, match=r"no household has total spending within 1% of the food line 1,000"
    ):
        nonfood_allowances(s, 1000.0, band=0.01, steps=1)
    with pytest.raises(DataError, match=r"'food_pc' must be <= 'consumption_pc'; 1 rows"):
        nonfood_allowances(s.assign(food_pc=[67.0, 64, 58, 96, 103, 500]), 100.0)
    with pytest.raises(DataError, match=r"'food_pc' must be complete and finite"):
        nonfood_allowances(s.assign(food_pc=np.nan), 100.0)


def test_cbn_line_puts_the_steps_together():
    s = band_survey().assign(hhid=range(6))
    cost = 100 / (2337 * DAYS)  # a food line of exactly 100
    line = cbn_line(s, cost_per_kcal=cost, band=0.10, steps=1)
    assert line.food_line == pytest.approx(100, rel=1e-12)
    assert (line.lower_line, line.upper_line) == pytest.approx((142.5, 172.0), rel=1e-12)
    t = line.to_frame().set_index("component")["value"]
    assert t["upper poverty line"] == line.upper_line
    assert "lower poverty line" in str(line) and "142.50" in str(line)
    # Calories priced at a constant 100 / (2337 DAYS) IQD per kcal: the food line is 100 whatever
    # the reference group; with the exact Engel curve, the regression lines are known.
    e = engel_survey().assign(hhid=range(8))
    e["kcal"] = e.food_pc * 2337 / 100
    line = cbn_line(e, calories="kcal", quantiles=(0.1, 0.5), method="regression")
    assert line.food_line == pytest.approx(100, rel=1e-12)
    assert line.lower_line == pytest.approx(140, rel=1e-10)  # (2 - 0.6) z_f
    assert line.upper_line == pytest.approx(
        100 * np.exp(lambertw(np.exp(-4) / -0.15, k=-1).real + 4), rel=1e-10
    )
    g = line.reference_group
    assert g.quantiles == (0.1, 0.5) and g.households == 2  # shares below .23 and .36: x = 80, 100
    assert "cost per kcal" in str(line) and "0.001407" in str(line)
    assert "reference group: quantiles 0.1-0.5, 2 households, 6 persons" in str(line)
