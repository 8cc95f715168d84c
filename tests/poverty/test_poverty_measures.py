"""Poverty measures: hand-checkable values, domains, metadata and bad input."""

import numpy as np
import pandas as pd
import pytest
from testkit import toy_design, toy_frame

from workbench.errors import DataError, DesignError, ParameterError
from workbench.poverty import fgt, headcount, number_poor, poverty_gap, sen, severity, sst, watts
from workbench.survey import SurveyDesign

LINE = 100.0


@pytest.fixture
def four():
    """Four people: 40 and 80 are poor under a line of 100 (weights 1, 3, 2, 2)."""
    df = pd.DataFrame({"hhid": [1, 2, 3, 4], "y": [40.0, 80, 100, 250], "w": [1.0, 3, 2, 2]})
    return SurveyDesign(df, weight="w")


def test_fgt_by_hand(four):
    # gaps 0.6 and 0.2; the person exactly at the line is not poor (y < z, as laeken::arpr)
    assert fgt(four, "y", line=LINE).estimate == pytest.approx(4 / 8, rel=1e-12)
    assert fgt(four, "y", line=LINE, alpha=1).estimate == pytest.approx((0.6 + 3 * 0.2) / 8, rel=1e-12)
    assert fgt(four, "y", line=LINE, alpha=2).estimate == pytest.approx((0.36 + 3 * 0.04) / 8, rel=1e-12)
    assert fgt(four, "y", line=LINE, alpha=0.5).estimate == pytest.approx(
        (0.6**0.5 + 3 * 0.2**0.5) / 8, rel=1e-12)


def test_aliases_and_statistic_names(four):
    assert headcount(four, "y", line=LINE).statistic == "fgt0"
    assert poverty_gap(four, "y", line=LINE).statistic == "fgt1"
    assert severity(four, "y", line=LINE).statistic == "fgt2"
    assert fgt(four, "y", line=LINE, alpha=1.5).statistic == "fgt1.5"
    est = severity(four, "y", line=LINE)
    assert est.meta["line"] == LINE and est.meta["alpha"] == 2.0 and est.meta["variable"] == "y"
    assert est.estimate == fgt(four, "y", line=LINE, alpha=2).estimate


def test_watts_sen_sst_and_number_poor_by_hand(four):
    assert watts(four, "y", line=LINE).estimate == pytest.approx(
        (np.log(100 / 40) + 3 * np.log(100 / 80)) / 8, rel=1e-12)
    # Gini among the poor (40 with weight 1, 80 with weight 3): sum w w |d| / (2 N T)
    g_p = 2 * 1 * 3 * 40 / (2 * 4 * (40 + 240))
    p0, p1 = 0.5, (0.6 + 0.6) / 8
    assert sen(four, "y", line=LINE).estimate == pytest.approx(p1 + g_p * (p0 - p1), rel=1e-12)
    # gap ratios 0.6 (w 1), 0.2 (w 3), 0 (w 4): Gini of gaps over everyone
    gaps, w = np.array([0.6, 0.2, 0.0]), np.array([1.0, 3, 4])
    g_g = np.sum(np.outer(w, w) * np.abs(gaps[:, None] - gaps[None, :])) / (2 * 8 * np.sum(w * gaps))
    assert sst(four, "y", line=LINE).estimate == pytest.approx(p1 * (1 + g_g), rel=1e-12)
    assert number_poor(four, "y", line=LINE).estimate == 4.0


def test_sen_equals_headcount_times_gap_when_the_poor_are_equal():
    df = pd.DataFrame({"y": [50.0, 50, 200], "w": [1.0, 2, 1]})
    d = SurveyDesign(df, weight="w")
    assert sen(d, "y", line=LINE).estimate == pytest.approx(0.75 * 0.5, rel=1e-12)


def test_no_poor_gives_zero_with_zero_se():
    d = SurveyDesign(pd.DataFrame({"y": [150.0, 200, 300], "w": 1.0}), weight="w")
    for measure in (fgt, watts, sen, sst):
        est = measure(d, "y", line=LINE)
        assert est.estimate == 0.0 and est.se == 0.0


def test_person_weighting_is_the_default_and_household_on_request():
    df = pd.DataFrame({"y": [50.0, 150], "w": [1.0, 1.0], "size": [6, 2]})
    d = SurveyDesign(df, weight="w", hhsize="size")
    assert fgt(d, "y", line=LINE).estimate == 0.75
    assert fgt(d, "y", line=LINE, weighting="household").estimate == 0.5
    assert number_poor(d, "y", line=LINE).estimate == 6.0
    assert fgt(d, "y", line=LINE).meta["weighting"] == "person"


def test_a_column_of_household_lines():
    design = toy_design()
    frame = design.data
    by_line = fgt(design, "y", line="zline", alpha=1).estimate
    w = frame.w * frame["size"]
    gap = np.where(frame.y < frame.zline, (frame.zline - frame.y) / frame.zline, 0)
    assert by_line == pytest.approx(np.sum(w * gap) / np.sum(w), rel=1e-12)
    assert fgt(design, "y", line="zline").meta["line"] == "zline"


@pytest.mark.parametrize("measure", [fgt, watts, sen, sst, number_poor])
def test_a_domain_estimate_equals_the_estimate_on_the_subset_design(measure):
    design = toy_design()
    north = design.data.region == "north"
    by_domain = measure(design, "y", line=110.0, by="region").table.set_index("region").loc["north"]
    subset = measure(design.subset(north), "y", line=110.0)
    assert by_domain["estimate"] == pytest.approx(subset.estimate, rel=1e-12)
    assert by_domain["se"] == pytest.approx(subset.se, rel=1e-10)
    assert by_domain["df"] == subset.table["df"].iloc[0] == design.df


def test_two_domain_columns():
    table = fgt(toy_design(), "y", line=110.0, by=["region", "h"]).table
    assert list(table.columns[:2]) == ["region", "h"] and len(table) == 6
    assert (table["n"] > 0).all()


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("alpha", [-0.5, float("nan"), float("inf")])
def test_bad_alpha(four, alpha):
    with pytest.raises(ParameterError, match="alpha must be a finite number >= 0"):
        fgt(four, "y", line=LINE, alpha=alpha)


@pytest.mark.parametrize("line", [0, -10.0, float("nan"), float("inf")])
@pytest.mark.parametrize("measure", [fgt, watts, sen, sst, number_poor])
def test_bad_line(four, line, measure):
    with pytest.raises(ParameterError, match="poverty line must be a finite number > 0"):
        measure(four, "y", line=line)


def test_bad_line_type(four):
    with pytest.raises(ParameterError, match="line must be a number or a column name"):
        fgt(four, "y", line=True)


def test_a_line_column_with_non_positive_lines_names_the_rows():
    df = pd.DataFrame({"hhid": [7, 8, 9], "y": [1.0, 2, 3], "w": 1.0, "z": [10.0, 0, -1]})
    with pytest.raises(ParameterError, match=r"poverty line column 'z' must be > 0; 2 rows .*8, 9"):
        fgt(SurveyDesign(df, weight="w"), "y", line="z")


def test_missing_welfare_is_a_data_error():
    df = toy_frame()
    df.loc[[3, 5], "y"] = np.nan
    design = SurveyDesign(df, weight="w", strata="h", psu="psu")
    with pytest.raises(DataError, match=r"column 'y' has 2 missing .*1003, 1005"):
        fgt(design, "y", line=LINE)


def test_missing_weight_is_a_data_error_of_the_design():
    df = toy_frame()
    df.loc[4, "w"] = np.nan
    with pytest.raises(DataError, match=r"column 'w' must be finite"):
        SurveyDesign(df, weight="w", strata="h", psu="psu")


def test_negative_welfare_is_a_data_error(four):
    df = four.data.assign(y=[-1.0, 80, 100, 250])
    with pytest.raises(DataError, match=r"needs column 'y' >= 0; 1 rows .*first ids: 1\)"):
        fgt(SurveyDesign(df, weight="w"), "y", line=LINE)


def test_watts_needs_positive_welfare_and_names_the_rows():
    df = pd.DataFrame({"hhid": [11, 12, 13], "y": [0.0, 0, 50], "w": 1.0})
    with pytest.raises(DataError, match=r"Watts index needs column 'y' > 0; 2 rows .*11, 12"):
        watts(SurveyDesign(df, weight="w"), "y", line=LINE)


def test_an_empty_domain_is_a_design_error():
    design = toy_design()
    only_north = design.subset(design.data.region == "north")
    with pytest.raises(DesignError, match="no sample units with a positive weight"):
        fgt(only_north, "y", line=LINE, by="region")


def test_a_domain_with_one_psu_keeps_the_full_design():
    # The domain lives in one PSU of a stratum that has others: its variance comes from the
    # zero scores of the other PSUs, as in R's svyby; the design's lonely-PSU policy is not needed.
    df = toy_frame()
    df["tiny"] = np.where(df.psu == 0, "one_psu", "rest")
    design = SurveyDesign(df, weight="w", strata="h", psu="psu", hhsize="size")
    # A total: the PSU's total t against n_h - 1 zeros gives n_h / (n_h - 1) * (t^2 (1 - 1/n_h)) = t^2.
    poor = number_poor(design, "y", line=150.0, by="tiny").table.set_index("tiny").loc["one_psu"]
    assert poor["se"] == pytest.approx(poor["estimate"], rel=1e-12)
    # A ratio: its scores add up to zero in the one PSU, so its linearized variance is zero
    # (R's svyby(~g, ~tiny, design, svymean) gives 8.3e-17 here: rounding of that zero).
    table = fgt(design, "y", line=150.0, by="tiny").table.set_index("tiny")
    assert table.loc["one_psu", "se"] == pytest.approx(0.0, abs=1e-12)
    assert table.loc["rest", "se"] > 0


def test_a_lonely_stratum_follows_the_design_policy():
    df = toy_frame()
    df = df[~((df.h == 2) & (df.psu != 8))]  # stratum 2 keeps one PSU
    with pytest.raises(DesignError, match="single PSU"):
        SurveyDesign(df, weight="w", strata="h", psu="psu")
    centred = SurveyDesign(df, weight="w", strata="h", psu="psu", lonely_psu="centre")
    merged = SurveyDesign(df, weight="w", strata="h", psu="psu", lonely_psu="merge")
    a, b = fgt(centred, "y", line=LINE), fgt(merged, "y", line=LINE)
    assert a.estimate == b.estimate and a.se > 0 and b.se > 0 and a.se != b.se
