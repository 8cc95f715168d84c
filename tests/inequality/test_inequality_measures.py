"""Inequality measures: hand-checkable values, domains, metadata and bad input."""

import numpy as np
import pandas as pd
import pytest
from testkit import toy_design

from workbench.errors import DataError, DesignError, ParameterError
from workbench.inequality import atkinson, decile_shares, gini, mld, palma, s80s20, theil
from workbench.survey import SurveyDesign


def unit_design(y, w=None) -> SurveyDesign:
    y = np.asarray(y, dtype=float)
    df = pd.DataFrame({"hhid": np.arange(1, len(y) + 1), "y": y,
                       "w": np.ones(len(y)) if w is None else np.asarray(w, dtype=float)})
    return SurveyDesign(df, weight="w")


def test_gini_by_hand():
    # 1, 2, 3, 4: sum over ordered pairs of |y_i - y_j| = 20, n = 4, mean 2.5
    assert gini(unit_design([1, 2, 3, 4]), "y").estimate == pytest.approx(20 / (2 * 16 * 2.5), rel=1e-12)
    assert gini(unit_design([5, 5, 5]), "y").estimate == pytest.approx(0.0, abs=1e-15)
    assert gini(unit_design([0, 0, 0, 10]), "y").estimate == pytest.approx(0.75, rel=1e-12)


def test_a_weight_of_two_is_a_duplicated_row():
    y = [3.0, 1, 7, 7, 2]
    weighted = unit_design(y, [2, 1, 1, 3, 1])
    duplicated = unit_design([3, 3, 1, 7, 7, 7, 7, 2])
    for measure in (gini, theil, mld, lambda d, v: atkinson(d, v, epsilon=2)):
        assert measure(weighted, "y").estimate == pytest.approx(measure(duplicated, "y").estimate,
                                                                rel=1e-12)


def test_gini_ignores_the_order_of_ties():
    a = unit_design([4, 1, 4, 4, 2], [1, 2, 3, 4, 5])
    b = unit_design([4, 4, 4, 1, 2], [4, 3, 1, 2, 5])
    assert gini(a, "y").estimate == pytest.approx(gini(b, "y").estimate, rel=1e-14)
    assert gini(a, "y").se == pytest.approx(gini(b, "y").se, rel=1e-12)


def test_theil_mld_atkinson_by_hand():
    d = unit_design([1, 2, 3, 6])  # mean 3
    r = np.array([1, 2, 3, 6]) / 3
    assert theil(d, "y").estimate == pytest.approx(np.mean(r * np.log(r)), rel=1e-12)
    assert mld(d, "y").estimate == pytest.approx(-np.mean(np.log(r)), rel=1e-12)
    assert atkinson(d, "y", epsilon=1).estimate == pytest.approx(1 - 36 ** 0.25 / 3, rel=1e-12)
    harmonic = 4 / (1 + 1 / 2 + 1 / 3 + 1 / 6)
    assert atkinson(d, "y", epsilon=2).estimate == pytest.approx(1 - harmonic / 3, rel=1e-12)
    assert atkinson(d, "y", epsilon=0).estimate == pytest.approx(0.0, abs=1e-15)
    assert atkinson(d, "y", epsilon=0.5).statistic == "atkinson0.5"


def test_theil_allows_zero_welfare():
    assert theil(unit_design([0, 2]), "y").estimate == pytest.approx(np.log(2), rel=1e-12)


def test_quantile_shares_follow_laeken():
    # laeken::qsr(1:10) == 10 / 6 (q20 = 3, q80 = 9)
    d = unit_design(np.arange(1, 11))
    assert s80s20(d, "y").estimate == pytest.approx(10 / 6, rel=1e-12)
    d20 = unit_design(np.arange(1, 21))
    assert palma(d20, "y").estimate == pytest.approx(20 / 45, rel=1e-12)
    shares = decile_shares(d20, "y").table
    assert shares["decile"].tolist() == list(range(1, 11))
    assert shares["estimate"].sum() == pytest.approx(1.0, rel=1e-12)


def test_decile_shares_by_domain_come_in_domain_then_decile_order():
    table = decile_shares(toy_design(), "y", by="region").table
    assert table[["region", "decile"]].values.tolist() == (
        [["north", k] for k in range(1, 11)] + [["south", k] for k in range(1, 11)])
    sums = table.groupby("region")["estimate"].sum()
    np.testing.assert_allclose(sums, 1.0, rtol=1e-12)
    assert (table["se"] >= 0).all()


@pytest.mark.parametrize("measure", [gini, theil, mld, atkinson, palma, s80s20])
def test_a_domain_estimate_equals_the_estimate_on_the_subset_design(measure):
    design = toy_design()
    south = design.data.region == "south"
    by_domain = measure(design, "y", by="region").table.set_index("region").loc["south"]
    subset = measure(design.subset(south), "y")
    assert by_domain["estimate"] == pytest.approx(subset.estimate, rel=1e-12)
    assert by_domain["se"] == pytest.approx(subset.se, rel=1e-10)


def test_results_carry_metadata():
    est = gini(toy_design(), "y", by="region", weighting="household")
    assert est.statistic == "gini" and est.meta["variable"] == "y"
    assert est.meta["weighting"] == "household" and est.meta["by"] == ["region"]
    assert set(est.table.columns) >= {"region", "estimate", "se", "ci_low", "ci_high", "df", "n", "N", "cv"}


# ------------------------------------------------------------------ bad input
def test_negative_welfare_is_a_data_error():
    with pytest.raises(DataError, match=r"Gini index needs column 'y' >= 0; 1 rows .*first ids: 2\)"):
        gini(unit_design([1, -2, 3]), "y")


@pytest.mark.parametrize("measure", [mld, lambda d, v: atkinson(d, v, epsilon=1),
                                     lambda d, v: atkinson(d, v, epsilon=2)])
def test_logs_need_positive_welfare(measure):
    with pytest.raises(DataError, match=r"needs column 'y' > 0; 2 rows are not \(first ids: 1, 3\)"):
        measure(unit_design([0, 2, 0, 4]), "y")


def test_atkinson_below_one_allows_zero_welfare():
    assert 0 < atkinson(unit_design([0, 2, 4]), "y", epsilon=0.5).estimate < 1


@pytest.mark.parametrize("epsilon", [-1.0, float("nan")])
def test_bad_epsilon(epsilon):
    with pytest.raises(ParameterError, match="epsilon must be a finite number >= 0"):
        atkinson(unit_design([1, 2]), "y", epsilon=epsilon)


def test_zero_total_welfare_is_a_data_error():
    with pytest.raises(DataError, match="undefined where total welfare is zero"):
        gini(unit_design([0, 0, 0]), "y")
    with pytest.raises(DataError, match="mean 'y' is zero"):
        theil(unit_design([0, 0]), "y")


def test_missing_welfare_is_a_data_error():
    with pytest.raises(DataError, match="column 'y' has 1 missing"):
        gini(unit_design([1, np.nan, 3]), "y")


def test_an_empty_domain_is_a_design_error():
    design = toy_design()
    only_south = design.subset(design.data.region == "south")
    with pytest.raises(DesignError, match="no sample units with a positive weight"):
        gini(only_south, "y", by="region")
