"""Growth incidence curves: laeken's quantiles, hand-computable curves, summaries, SEs, bad input."""

import warnings

import numpy as np
import pandas as pd
import pytest
from testkit import eusilc, eusilc_design, numerical_variance, reference, toy_design

from workbench.errors import DataError, DesignError, ParameterError
from workbench.growth_incidence import growth_incidence, weighted_quantiles
from workbench.poverty import fgt
from workbench.survey import SurveyDesign, quantile


def unit(y, **columns) -> SurveyDesign:
    return SurveyDesign(pd.DataFrame({"y": np.asarray(y, dtype=float), "w": 1.0, **columns}), weight="w")


def summary(gic) -> dict[str, float]:
    return gic.summary.table.set_index("indicator")["estimate"].to_dict()


@pytest.mark.reference
def test_percentiles_match_laeken_weighted_quantile():
    ref = reference("inequality")
    ref = ref[ref.measure.str.startswith("percentile")]
    data = eusilc()
    q = weighted_quantiles(data.eqIncome.to_numpy(), data.rb050.to_numpy(), np.arange(1, 100) / 100)
    np.testing.assert_allclose(q, ref["estimate"], rtol=1e-12)


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore::workbench.errors.DataWarning")  # tiny samples: NaN SEs
def test_curve_between_two_versions_of_eusilc():
    a = eusilc_design()
    data = eusilc()
    b = eusilc_design(data.assign(eqIncome=data.eqIncome * np.where(data.eqIncome < 15000, 1.2, 1.05)))
    gic = growth_incidence(a, b, "eqIncome", line=10859.236)
    curve = gic.curve.table
    low = curve.percentile <= 20
    np.testing.assert_allclose(curve.loc[low, "estimate"], 0.2, rtol=1e-12)
    parts = summary(gic)
    assert parts["pro_poor_growth"] == pytest.approx(0.2, rel=1e-12)
    assert 0.05 < parts["mean_growth"] < 0.2
    assert parts["headcount_a"] == pytest.approx(0.14444218167533551, rel=1e-12)


@pytest.mark.filterwarnings("ignore::workbench.errors.DataWarning")  # tiny samples: NaN SEs
def test_a_hand_curve():
    a = unit([10, 20, 30, 40])
    b = unit([20, 30, 30, 80])
    gic = growth_incidence(a, b, "y", percentiles=[10, 30, 60, 90], line=25)
    curve = gic.curve.table
    # laeken quantiles: p = 0.1 -> 1st value, 0.3 -> 2nd, 0.6 -> 3rd, 0.9 -> 4th
    assert curve.welfare_a.tolist() == [10, 20, 30, 40]
    np.testing.assert_allclose(curve.estimate, [1.0, 0.5, 0.0, 1.0], rtol=1e-15)
    assert curve.poor.tolist() == [True, True, False, False]  # headcount 0.5
    parts = summary(gic)
    assert parts["pro_poor_growth"] == pytest.approx(0.75, rel=1e-15)
    assert parts["mean_growth"] == pytest.approx(160 / 100 - 1, rel=1e-15)
    assert gic.curve.by == ["percentile"] and gic.summary.by == ["indicator"]


@pytest.mark.filterwarnings("ignore::workbench.errors.DataWarning")  # tiny samples: NaN SEs
def test_annualised_growth():
    gic = growth_incidence(unit([10, 20]), unit([40, 80]), "y", percentiles=[25, 75], years=2)
    np.testing.assert_allclose(gic.curve.table.estimate, 1.0, rtol=1e-15)  # 4x over 2 years = 100% a year
    assert summary(gic) == pytest.approx({"mean_growth": 1.0}, rel=1e-15)


@pytest.mark.filterwarnings("ignore::workbench.errors.DataWarning")  # tiny samples: NaN SEs
def test_no_poor_percentile_leaves_the_pro_poor_rate_out():
    gic = growth_incidence(unit([10, 20, 30, 40]), unit([20, 30, 30, 80]), "y", line=5)
    assert not gic.curve.table.poor.any() and "pro_poor_growth" not in summary(gic)


def larger(seed: int) -> SurveyDesign:
    """A toy design large enough for Woodruff intervals of the quartiles in each region."""
    return toy_design(seed=seed, psu_per_stratum=10, hh_per_psu=10)


def test_percentile_ses_are_the_delta_method_of_woodruff_ses():
    a, b = larger(0), larger(7)
    pct = [25, 40, 50, 60, 75]
    curve = growth_incidence(a, b, "y", percentiles=pct, by="region", years=3).curve.table
    qa = quantile(a, "y", np.array(pct) / 100, by="region").table
    qb = quantile(b, "y", np.array(pct) / 100, by="region").table
    slope = (curve.welfare_b / curve.welfare_a) ** (1 / 3) / 3
    v_a, v_b = (slope * qa.se / curve.welfare_a) ** 2, (slope * qb.se / curve.welfare_b) ** 2
    assert np.isfinite(curve.se).all()
    np.testing.assert_allclose(curve.se, np.sqrt(v_a + v_b), rtol=1e-12)
    np.testing.assert_allclose(curve.df, (v_a + v_b) ** 2 / (v_a**2 / a.df + v_b**2 / b.df), rtol=1e-10)


def test_pro_poor_growth_of_one_percentile_is_its_growth():
    a, b = larger(0), larger(7)
    headcount = fgt(a, "y", line=60.0).estimate
    pct = [100 * headcount / 2, 60, 80]
    gic = growth_incidence(a, b, "y", percentiles=pct, line=60.0)
    first = gic.curve.table.iloc[0]
    pro_poor = gic.summary.table.set_index("indicator").loc["pro_poor_growth"]
    assert pro_poor["estimate"] == pytest.approx(first["estimate"], rel=1e-15)
    assert pro_poor["se"] == pytest.approx(first["se"], rel=1e-12)


def test_pro_poor_growth_se_averages_correlated_percentiles():
    a, b = larger(0), larger(7)
    gic = growth_incidence(a, b, "y", percentiles=[10, 15, 20, 25, 30], line=120.0)
    curve = gic.curve.table[gic.curve.table.poor]
    se = gic.summary.table.set_index("indicator").loc["pro_poor_growth", "se"]
    # between perfectly correlated (the mean of the SEs) and independent percentiles
    assert np.sqrt(np.sum(curve.se**2)) / len(curve) < se <= curve.se.mean() * (1 + 1e-12)


@pytest.mark.filterwarnings("ignore::workbench.errors.DataWarning")  # tiny samples: NaN SEs
def test_mean_growth_se_equals_the_numerical_derivative():
    a, b = toy_design(seed=0), toy_design(seed=7)

    def run(x, y):
        result = growth_incidence(x, y, "y", percentiles=[50], by="region", years=2).summary.table
        return result["estimate"].to_numpy()

    result = growth_incidence(a, b, "y", percentiles=[50], by="region", years=2).summary.table
    numerical = numerical_variance(a, lambda d: run(d, b)) + numerical_variance(b, lambda d: run(a, d))
    np.testing.assert_allclose(result["se"] ** 2, numerical, rtol=1e-6)


def test_domains_give_each_domain_its_own_curve():
    a, b = larger(0), larger(7)
    by_region = growth_incidence(a, b, "y", percentiles=[25, 50, 75], by="region", line=120.0)
    for region in ("north", "south"):
        alone = growth_incidence(a.subset(a.data.region == region), b.subset(b.data.region == region),
                                 "y", percentiles=[25, 50, 75], line=120.0)
        for part in ("curve", "summary"):
            mine = getattr(by_region, part).table
            mine = mine[mine.region == region].drop(columns="region").reset_index(drop=True)
            pd.testing.assert_frame_equal(mine, getattr(alone, part).table, rtol=1e-12)
    frame = by_region.to_frame()
    assert set(frame["measure"]) == {"growth_incidence", "growth_incidence_summary"}


def test_nan_ses_where_the_woodruff_interval_leaves_the_unit_interval():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gic = growth_incidence(unit(np.arange(1, 31)), unit(np.arange(2, 32)), "y", percentiles=[1, 50])
    assert np.isnan(gic.curve.table.se.iloc[0]) and np.isfinite(gic.curve.table.se.iloc[1])
    assert any("Woodruff interval leaves [0, 1]" in str(w.message) for w in caught)


def test_bad_input():
    with pytest.raises(ParameterError, match="strictly between 0 and 100"):
        growth_incidence(unit([1, 2]), unit([1, 2]), "y", percentiles=[0, 50])
    with pytest.raises(ParameterError, match="years must be a positive number"):
        growth_incidence(unit([1, 2]), unit([1, 2]), "y", years=0)
    with pytest.raises(DataError, match=r"zero at percentile\(s\) \[10.0\]"):
        growth_incidence(unit([0, 2, 3, 4]), unit([1, 2, 3, 4]), "y", percentiles=[10, 50])
    with pytest.raises(DataError, match=r"zero at \[\{'g': 'x', 'percentile': 10.0\}\]"):
        growth_incidence(unit([0, 2, 3, 4], g=["x"] * 4), unit([1, 2, 3, 4], g=["x"] * 4), "y",
                         percentiles=[10, 50], by="g")
    with pytest.raises(DesignError, match="in one round only"):
        growth_incidence(unit([1, 2], g=["x", "y"]), unit([1, 2], g=["x", "x"]), "y", by="g")
