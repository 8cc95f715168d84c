"""Spatial price deflators between governorates, and deflation."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import DataError, DataWarning, ParameterError
from workbench.poverty_lines import DEFLATOR_COLUMNS, deflate, spatial_deflators

DAYS = 365 / 12


def survey():
    """Anbar (IQG01): hhid 1-3 spending 100, 200, 300; Basrah (IQG02): hhid 4-6, 150, 250, 350.

    One-person households, weight 1. With quantiles (0, 0.5), the national reference
    group is the three poorest (1, 4, 2); each governorate's own group is its two poorest.
    """
    return pd.DataFrame(
        {
            "hhid": [1, 2, 3, 4, 5, 6],
            "governorate": ["IQG01"] * 3 + ["IQG02"] * 3,
            "consumption_pc": [100.0, 200, 300, 150, 250, 350],
            "food_pc": [60.0, 80, 100, 90, 100, 120],
            "weight": 1.0,
            "hhsize": 1,
            "year": 2018,
        }
    )


def items():
    return pd.DataFrame(
        {
            "hhid": [1, 1, 2, 4, 4, 5, 5],
            "item": ["bread", "meat", "bread", "bread", "meat", "bread", "meat"],
            "quantity": [2.0, 1, 2, 2, 1, 4, 1],
            "value": [200.0, 1000, 200, 300, 1500, 600, 1200],
        }
    )


KCAL = {"bread": 2500.0, "meat": 2000.0}


def test_national_basket_at_regional_unit_values_by_hand():
    # National basket (households 1, 4, 2): bread 6/3 = 2, meat 2/3 per person.
    # Unit values of each governorate's group: Anbar (1, 2) bread 400/4 = 100, meat 1000;
    # Basrah (4, 5) bread 900/6 = 150, meat 2700/2 = 1350.
    # P_Anbar = 2*100 + (2/3)*1000 = 2600/3; P_Basrah = 2*150 + (2/3)*1350 = 3600/3.
    # Equal populations: mean 3100/3, so D = 26/31 and 36/31.
    # The basket gives (2*2500 + (2/3)*2000) = 19000/3 kcal a month; price levels are the food
    # lines, scaled to 2,337 kcal a day: P * 2337 * DAYS / (19000/3).
    d = spatial_deflators(survey(), items=items(), kcal_per_unit=KCAL, quantiles=(0, 0.5))
    assert list(d.columns) == list(DEFLATOR_COLUMNS)
    assert d.governorate.tolist() == ["IQG01", "IQG02"]
    np.testing.assert_allclose(d.deflator, [26 / 31, 36 / 31], rtol=1e-12)
    scale = 2337 * DAYS / (19000 / 3)
    np.testing.assert_allclose(d.price_level, [2600 / 3 * scale, 3600 / 3 * scale], rtol=1e-12)
    assert d.population_share.tolist() == [0.5, 0.5] and d.households.tolist() == [3, 3]
    assert d.attrs == {"method": "food_line_ratio", "reference": "national", "basket": "national"}


def test_regional_baskets_paasche_by_hand():
    # National unit values (group 1, 4, 2): bread 700/6, meat 2500/2 = 1250.
    # Anbar's basket: bread 2, meat 1/2: 700 at its prices, 700/3 + 625 = 2575/3 at national,
    # so 84/103.
    # Basrah's basket: bread 3, meat 1: 1800 at its prices, 350 + 1250 = 1600 at national: 9/8.
    d = spatial_deflators(
        survey(), items=items(), kcal_per_unit=KCAL, quantiles=(0, 0.5), basket="regional"
    )
    p = np.array([84 / 103, 9 / 8])
    np.testing.assert_allclose(d.price_level, p, rtol=1e-12)
    np.testing.assert_allclose(d.deflator, p / p.mean(), rtol=1e-12)


def test_missing_regional_unit_value_falls_back_to_national_with_a_warning():
    no_meat_in_basrah = items().query("not (hhid in [4, 5] and item == 'meat')")
    with pytest.warns(DataWarning, match=r"1 \(governorate, item\) unit values are missing"):
        d = spatial_deflators(
            survey(), items=no_meat_in_basrah, kcal_per_unit=KCAL, quantiles=(0, 0.5)
        )
    # National basket now: bread 2, meat 1/3 (household 1 only); national meat unit value 1000.
    # Costs 200 + 1000/3 and 300 + 1000/3, in the ratio of the price levels.
    np.testing.assert_allclose(
        d.price_level / d.price_level[0], [1, (300 + 1000 / 3) / (200 + 1000 / 3)], rtol=1e-12
    )


def test_cost_per_kcal_levels_and_reference_governorate():
    s = survey().assign(kcal=[1000.0, 1500, 2000, 1000, 1500, 2000])
    # Groups: Anbar 1, 2 -> (60 + 80) / (2500 DAYS) per kcal; Basrah 4, 5 -> 190 / (2500 DAYS).
    # Food lines at 2,000 kcal a day: 140 * 2000 / 2500 = 112 and 190 * 2000 / 2500 = 152.
    d = spatial_deflators(
        s, calories="kcal", quantiles=(0, 0.5), reference="Basrah", calorie_norm=2000
    )
    np.testing.assert_allclose(d.deflator, [140 / 190, 1.0], rtol=1e-12)
    np.testing.assert_allclose(d.price_level, [112.0, 152.0], rtol=1e-12)
    assert d.attrs["basket"] is None


def cpi():
    return pd.DataFrame(
        {
            "year": [2012, 2018] * 3,
            "governorate": ["national", "national", "IQG01", "IQG01", "IQG02", "IQG02"],
            "index": [100.0, 110, 100, 121, 50, 49.5],
        }
    )


def test_cpi_deflators_by_hand():
    # Since 2012 (the base of the 2018 line): national x1.1, Anbar x1.21 (1.1 relative), Basrah
    # x0.99 (0.9 relative). Populations 1:3 (household sizes): mean .25*1.1 + .75*.9 = .95.
    s = survey().assign(hhsize=[1, 0, 0, 3, 0, 0]).iloc[[0, 3]]
    d = spatial_deflators(s, method="cpi", cpi=cpi())
    np.testing.assert_allclose(d.price_level, [1.1, 0.9], rtol=1e-12)
    np.testing.assert_allclose(d.deflator, [1.1 / 0.95, 0.9 / 0.95], rtol=1e-12)
    # Base-year levels carried forward: 0.9 * 1.1 and 1.05 * 0.9.
    d = spatial_deflators(
        s, method="cpi", cpi=cpi(), base={"Anbar": 0.9, "Basrah": 1.05}, reference="IQG02"
    )
    np.testing.assert_allclose(d.deflator, [0.99 / 0.945, 1.0], rtol=1e-12)


def test_deflate_adds_real_consumption_and_keeps_the_input():
    s = survey()
    d = spatial_deflators(s, items=items(), kcal_per_unit=KCAL, quantiles=(0, 0.5))
    out = deflate(s, d)
    assert "consumption_pc_real" not in s.columns
    np.testing.assert_allclose(
        out.consumption_pc_real, s.consumption_pc / np.repeat([26 / 31, 36 / 31], 3), rtol=1e-12
    )
    assert deflate(s, {"IQG01": 2.0, "Basrah": 1.0}, column="real").real.tolist() == [
        50.0,
        100,
        150,
        150,
        250,
        350,
    ]
    # Names and P-codes of the same governorate are one governorate.
    mixed = s.assign(governorate=["IQG01", "Anbar", "الأنبار", "IQG02", "Basrah", "IQ-BA"])
    d = spatial_deflators(mixed, items=items(), kcal_per_unit=KCAL, quantiles=(0, 0.5))
    np.testing.assert_allclose(d.deflator, [26 / 31, 36 / 31], rtol=1e-12)


def test_spatial_errors():
    s = survey()
    with pytest.raises(
        DataError, match=r"spatial deflators: none for 1 governorate\(s\) of the survey \(IQG02\)"
    ):
        deflate(s, {"IQG01": 1.0})
    with pytest.raises(DataError, match=r"must be finite and > 0; not so for IQG02"):
        deflate(s, {"IQG01": 1.0, "IQG02": -1.0})
    with pytest.raises(
        DataError,
        match=r"column 'governorate' holds 'Narnia', not a governorate, in 1 rows \(first ids: 6\)",
    ):
        deflate(s.assign(governorate=["IQG01"] * 5 + ["Narnia"]), {"IQG01": 1.0})
    with pytest.raises(
        ParameterError, match=r"give either items \(with kcal_per_unit\) or calories"
    ):
        spatial_deflators(s)
    with pytest.raises(ParameterError, match=r"basket must be 'national' or 'regional'"):
        spatial_deflators(s.assign(kcal=1.0), calories="kcal", basket="local")
    with pytest.raises(ParameterError, match=r"method must be 'food_line_ratio' or 'cpi'"):
        spatial_deflators(s, method="ppp")
    with pytest.raises(ParameterError, match=r"needs a CPI frame"):
        spatial_deflators(s, method="cpi")
    with pytest.raises(
        DataError, match=r"no series for 1 governorate\(s\) of the survey \(IQG02\)"
    ):
        spatial_deflators(s, method="cpi", cpi=cpi().iloc[:4])
    with pytest.raises(DataError, match=r"no index for 'IQG01' in 2012"):
        spatial_deflators(s, method="cpi", cpi=cpi().drop(index=2))
    with pytest.raises(ParameterError, match=r"reference governorate IQG08 is not in the survey"):
        spatial_deflators(s.assign(kcal=1.0), calories="kcal", reference="Baghdad")
    with pytest.raises(
        DataError,
        match=r"no household in the reference group \(quantiles 0.7-0.75 within the "
        r"governorate\) of IQG01, IQG02",
    ):
        spatial_deflators(s.assign(kcal=1.0), calories="kcal", quantiles=(0.7, 0.75))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), scale=st.floats(0.1, 10))
def test_population_weighted_mean_is_one_and_weight_scale_does_not_matter(seed, scale):
    rng = np.random.default_rng(seed)
    n = 60
    s = pd.DataFrame(
        {
            "governorate": rng.choice(["IQG01", "IQG08", "IQG15"], n),
            "consumption_pc": rng.lognormal(5, 0.6, n),
            "weight": rng.uniform(0.5, 3, n),
            "hhsize": rng.integers(1, 10, n),
        }
    )
    s["food_pc"] = s.consumption_pc * rng.uniform(0.3, 0.7, n)
    s["kcal"] = rng.uniform(1500, 3000, n)
    s.loc[:2, "governorate"] = ["IQG01", "IQG08", "IQG15"]
    d = spatial_deflators(s, calories="kcal", quantiles=(0, 1))
    assert float(d.deflator @ d.population_share) == pytest.approx(1.0, rel=1e-12)
    again = spatial_deflators(s.assign(weight=s.weight * scale), calories="kcal", quantiles=(0, 1))
    np.testing.assert_allclose(again.deflator, d.deflator, rtol=1e-10)
    # Doubling food prices in one governorate doubles its price level.
    dear = s.assign(food_pc=np.where(s.governorate == "IQG08", 2 * s.food_pc, s.food_pc))
    d2 = spatial_deflators(dear, calories="kcal", quantiles=(0, 1))
    np.testing.assert_allclose(d2.price_level, d.price_level * [1, 2, 1], rtol=1e-12)
