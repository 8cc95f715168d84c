"""Growth incidence curves: laeken's quantiles, hand-computable curves, summaries, bad input."""

import numpy as np
import pandas as pd
import pytest
from testkit import eusilc, eusilc_design, reference

from workbench.errors import DataError, ParameterError
from workbench.growth_incidence import growth_incidence, weighted_quantiles
from workbench.survey import SurveyDesign


def unit(y) -> SurveyDesign:
    return SurveyDesign(pd.DataFrame({"y": np.asarray(y, dtype=float), "w": 1.0}), weight="w")


@pytest.mark.reference
def test_percentiles_match_laeken_weighted_quantile():
    ref = reference("inequality")
    ref = ref[ref.measure.str.startswith("percentile")]
    data = eusilc()
    q = weighted_quantiles(data.eqIncome.to_numpy(), data.rb050.to_numpy(), np.arange(1, 100) / 100)
    np.testing.assert_allclose(q, ref["estimate"], rtol=1e-12)


@pytest.mark.reference
def test_curve_between_two_versions_of_eusilc():
    a = eusilc_design()
    data = eusilc()
    b = eusilc_design(data.assign(eqIncome=data.eqIncome * np.where(data.eqIncome < 15000, 1.2, 1.05)))
    gic = growth_incidence(a, b, "eqIncome", line=10859.236)
    low = gic.percentile <= 20
    np.testing.assert_allclose(gic.loc[low, "growth"], 0.2, rtol=1e-12)
    assert gic.attrs["pro_poor_growth"] == pytest.approx(0.2, rel=1e-12)
    assert 0.05 < gic.attrs["mean_growth"] < 0.2
    assert gic.attrs["headcount_a"] == pytest.approx(0.14444218167533551, rel=1e-12)


def test_a_hand_curve():
    a = unit([10, 20, 30, 40])
    b = unit([20, 30, 30, 80])
    gic = growth_incidence(a, b, "y", percentiles=[10, 30, 60, 90], line=25)
    # laeken quantiles: p = 0.1 -> 1st value, 0.3 -> 2nd, 0.6 -> 3rd, 0.9 -> 4th
    assert gic.welfare_a.tolist() == [10, 20, 30, 40]
    np.testing.assert_allclose(gic.growth, [1.0, 0.5, 0.0, 1.0], rtol=1e-15)
    assert gic.poor.tolist() == [True, True, False, False]  # headcount 0.5
    assert gic.attrs["pro_poor_growth"] == pytest.approx(0.75, rel=1e-15)
    assert gic.attrs["mean_growth"] == pytest.approx(160 / 100 - 1, rel=1e-15)


def test_annualised_growth():
    gic = growth_incidence(unit([10, 20]), unit([40, 80]), "y", percentiles=[25, 75], years=2)
    np.testing.assert_allclose(gic.growth, 1.0, rtol=1e-15)  # 4x over 2 years = 100% a year
    assert gic.attrs["mean_growth"] == pytest.approx(1.0, rel=1e-15)
    assert "pro_poor_growth" not in gic.attrs


def test_no_poor_percentile_leaves_the_pro_poor_rate_out():
    gic = growth_incidence(unit([10, 20, 30, 40]), unit([20, 30, 30, 80]), "y", line=5)
    assert not gic.poor.any() and "pro_poor_growth" not in gic.attrs


def test_bad_input():
    with pytest.raises(ParameterError, match="strictly between 0 and 100"):
        growth_incidence(unit([1, 2]), unit([1, 2]), "y", percentiles=[0, 50])
    with pytest.raises(ParameterError, match="years must be a positive number"):
        growth_incidence(unit([1, 2]), unit([1, 2]), "y", years=0)
    with pytest.raises(DataError, match=r"zero at percentile\(s\) \[10.0\]"):
        growth_incidence(unit([0, 2, 3, 4]), unit([1, 2, 3, 4]), "y", percentiles=[10, 50])
