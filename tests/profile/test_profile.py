"""The poverty profile: R's svyby + svycontrast on eusilc, hand cases, canonical columns, bad input."""

import numpy as np
import pandas as pd
import pytest
from testkit import eusilc_design, reference, toy_frame

from workbench.errors import DataError, DataWarning
from workbench.profile import PROFILE_CHARACTERISTICS, poverty_profile
from workbench.survey import SurveyDesign, mean

REF = reference("poverty")
LINE = float(REF.loc[REF.measure == "arpt", "estimate"].iloc[0])


def ref(measure: str, domain: str = "") -> pd.Series:
    return REF[(REF.measure == measure) & (REF.domain == domain)].iloc[0]


@pytest.fixture(scope="module")
def eusilc_profile():
    return poverty_profile(eusilc_design(), "eqIncome", line=LINE,
                           characteristics=["age", "hsize", "rb090"], by=None)


@pytest.mark.reference
@pytest.mark.parametrize("characteristic, level, name", [
    ("age", "", "age"), ("hsize", "", "hsize"), ("rb090", "female", "female__")])
def test_means_differences_and_p_values_match_r(eusilc_profile, characteristic, level, name):
    row = eusilc_profile.table.set_index(["characteristic", "level"]).loc[(characteristic, level)]
    for group in ("poor", "non_poor", "difference"):
        expected = ref(f"profile_{name}_{group}")
        assert row[group] == pytest.approx(expected.estimate, rel=1e-8)
        assert row[f"{group}_se"] == pytest.approx(expected.se, rel=1e-6)
    assert row["p_value"] == pytest.approx(ref(f"profile_{name}_p_value").estimate, rel=1e-6)
    assert row["df"] == 14818


@pytest.mark.reference
def test_t_statistic_matches_svyttest(eusilc_profile):
    row = eusilc_profile.table.set_index("characteristic").loc["age"]
    expected = ref("profile_age_svyttest")
    assert row["difference"] == pytest.approx(expected.estimate, rel=1e-8)
    assert row["t"] == pytest.approx(expected.se, rel=1e-6)  # the fixture keeps t in its se column


@pytest.mark.reference
def test_differences_by_region_match_r():
    profile = poverty_profile(eusilc_design(), "eqIncome", line=LINE, characteristics=["age", "hsize"],
                              by="db040").table.set_index(["characteristic", "db040"])
    expected = REF[REF.measure.isin(["profile_age_difference", "profile_hsize_difference"])
                   & (REF.domain != "")]
    for _, e in expected.iterrows():
        row = profile.loc[(e.measure.split("_")[1], e.domain)]
        assert row["difference"] == pytest.approx(e.estimate, rel=1e-8)
        assert row["difference_se"] == pytest.approx(e.se, rel=1e-6)


def test_a_hand_profile():
    df = pd.DataFrame({"hhid": [1, 2, 3, 4, 5], "y": [50.0, 60, 150, 200, 90], "w": 1.0,
                       "hhsize": [6, 4, 2, 3, 5],
                       "has_car": [False, True, True, True, False],
                       "head_sex": ["female", "male", "male", "male", "male"]})
    design = SurveyDesign(df, weight="w", hhsize="hhsize")
    table = poverty_profile(design, "y", line=100, weighting="household").table
    table = table.set_index(["characteristic", "level"])
    assert table.loc[("hhsize", ""), ["poor", "non_poor"]].tolist() == [5.0, 2.5]
    assert table.loc[("has_car", ""), ["poor", "non_poor", "kind"]].tolist() == [1 / 3, 1.0, "proportion"]
    # categories in the canonical model's order: male, female
    assert table.loc["head_sex"].index.tolist() == ["male", "female"]
    assert table.loc[("head_sex", "female"), "poor"] == pytest.approx(1 / 3)
    person = poverty_profile(design, "y", line=100).table.set_index(["characteristic", "level"])
    assert person.loc[("head_sex", "female"), "poor"] == pytest.approx(6 / 15)  # people, not households
    assert person.loc[("hhsize", ""), ["n_poor", "n_non_poor"]].tolist() == [3, 2]


def test_default_characteristics_are_the_canonical_columns_present():
    frame = toy_frame().rename(columns={"size": "hhsize"})
    frame["area"] = np.where(frame.h == 0, "urban", "rural")
    frame["displacement"] = "non_displaced"
    frame["pds_holder"] = frame.index % 3 == 0
    design = SurveyDesign(frame, weight="w", strata="h", psu="psu", hhsize="hhsize")
    profile = poverty_profile(design, "y", line=120.0, by="area")
    shown = list(dict.fromkeys(profile.table["characteristic"]))
    assert shown == [c for c in PROFILE_CHARACTERISTICS if c in ("hhsize", "displacement", "pds_holder")]
    assert set(profile.table["area"]) == {"urban", "rural"}
    constant = profile.table.set_index("characteristic").loc["displacement"]
    assert (constant["difference"] == 0).all() and (constant["t"] == 0).all()
    assert (constant["p_value"] == 1).all()
    assert "poverty profile" in str(profile) and "<table" in profile._repr_html_()


def test_the_difference_se_includes_the_covariance_of_the_two_means():
    design = SurveyDesign(toy_frame().rename(columns={"size": "hhsize"}), weight="w", strata="h",
                          psu="psu", hhsize="hhsize")
    row = poverty_profile(design, "y", line=120.0, characteristics=["hhsize"]).table.iloc[0]
    independent = np.hypot(row["poor_se"], row["non_poor_se"])
    assert row["difference_se"] != pytest.approx(independent, rel=1e-3)


def test_missing_characteristic_values_are_a_data_error():
    frame = toy_frame()
    frame["has_car"] = pd.Series([True, None] * (len(frame) // 2), dtype=object)
    design = SurveyDesign(frame, weight="w", strata="h", psu="psu")
    with pytest.raises(DataError, match=r"characteristic 'has_car' has 36 missing values .*1001, 1003"):
        poverty_profile(design, "y", line=120.0, characteristics=["has_car"])
    with pytest.raises(DataError, match="characteristic 'nope' not in the data"):
        poverty_profile(design, "y", line=120.0, characteristics=["nope"])


def test_true_false_columns_must_be_true_or_false():
    frame = toy_frame()
    frame["owns_dwelling"] = np.where(frame.index % 2 == 0, "yes", "no")
    design = SurveyDesign(frame, weight="w", strata="h", psu="psu")
    with pytest.raises(DataError, match=r"'owns_dwelling' must be true/false \(or 1/0\); 72 rows"):
        poverty_profile(design, "y", line=120.0, characteristics=["owns_dwelling"])
    frame["owns_dwelling"] = frame.index % 2
    design = SurveyDesign(frame, weight="w", strata="h", psu="psu")
    row = poverty_profile(design, "y", line=120.0, characteristics=["owns_dwelling"]).table.iloc[0]
    assert row["kind"] == "proportion" and 0 < row["poor"] < 1


def test_coded_categories_of_the_canonical_model_give_proportions():
    frame = toy_frame()
    frame["head_education"] = frame.index % 3  # integer codes, declared a category
    design = SurveyDesign(frame, weight="w", strata="h", psu="psu")
    table = poverty_profile(design, "y", line=120.0, characteristics=["head_education"]).table
    assert table["level"].tolist() == ["0", "1", "2"] and (table["kind"] == "proportion").all()
    np.testing.assert_allclose(table["poor"].sum(), 1.0, rtol=1e-12)


def _region_profile(frame: pd.DataFrame, **kwargs) -> pd.DataFrame:
    design = SurveyDesign(frame, weight="w", strata="h", psu="psu", hhsize="size")
    return poverty_profile(design, "y", line=120.0, characteristics=["size", "has_car"], by="region",
                           **kwargs).table.set_index(["region", "characteristic"])


def _with_car(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(has_car=frame.index % 3 == 0)


@pytest.mark.parametrize("north_y, empty, side, other", [
    (1000.0, "poor", "no poor", "non_poor"), (10.0, "non_poor", "no non-poor", "poor")])
def test_a_domain_without_poor_or_non_poor_is_flagged_not_an_error(north_y, empty, side, other):
    """A rich (or all-poor) region: that side is not estimable, the other side is its domain mean,
    the test is omitted, and the other regions are exactly what they were."""
    frame = _with_car(toy_frame())
    before = _region_profile(frame)
    frame.loc[frame.region == "north", "y"] = north_y
    with pytest.warns(DataWarning, match=rf"1 domain\(s\) have {side} sample units \(region='north'\)"):
        after = _region_profile(frame)
    north = after.loc["north"]
    assert (north["empty_group"] == empty).all()
    assert north[[empty, f"{empty}_se", "difference", "difference_se", "ci_low", "ci_high", "t",
                  "p_value"]].isna().all().all()
    assert (north[f"n_{empty}"] == 0).all() and (north[f"N_{empty}"] == 0).all()
    # Everybody in the north is on the other side: its column is the domain mean, with its SE.
    design = SurveyDesign(frame.assign(has_car=frame["has_car"].astype(float)), weight="w", strata="h",
                          psu="psu", hhsize="size")
    for column in ("size", "has_car"):
        direct = mean(design, column, by="region").table.set_index("region").loc["north"]
        assert north.loc[column, other] == pytest.approx(direct["estimate"], rel=1e-12)
        assert north.loc[column, f"{other}_se"] == pytest.approx(direct["se"], rel=1e-8)
    # The south is a domain of its own: nothing in it moved.
    pd.testing.assert_frame_equal(after.loc["south"], before.loc["south"], rtol=1e-12)
    assert (after.loc["south", "empty_group"] == "").all()


def test_a_sample_without_poor_is_flagged_as_a_whole():
    frame = _with_car(toy_frame()).assign(y=1000.0)
    design = SurveyDesign(frame, weight="w", strata="h", psu="psu", hhsize="size")
    with pytest.warns(DataWarning, match=r"have no poor sample units \(the whole sample\)"):
        table = poverty_profile(design, "y", line=120.0, characteristics=["size"]).table
    assert table["empty_group"].tolist() == ["poor"] and table["poor"].isna().all()
    assert table["non_poor"].iloc[0] == pytest.approx(mean(design, "size").estimate, rel=1e-12)


def test_both_sides_observed_are_not_flagged(recwarn):
    table = _region_profile(_with_car(toy_frame())).reset_index()
    assert (table["empty_group"] == "").all() and table[["poor", "t", "p_value"]].notna().all().all()
    assert not [w for w in recwarn if issubclass(w.category, DataWarning)]


def test_no_canonical_columns_and_no_list_is_a_data_error():
    design = SurveyDesign(toy_frame(), weight="w", strata="h", psu="psu")
    with pytest.raises(DataError, match="no characteristics to profile"):
        poverty_profile(design, "y", line=120.0)
