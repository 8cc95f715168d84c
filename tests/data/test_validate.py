"""Validation of the canonical survey table: every rule, its message, and the schema's source."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from workbench.data import load_survey, validate_survey
from workbench.data.model import EDUCATION, SURVEY
from workbench.data.validate import LONELY_PSU, survey_schema
from workbench.errors import DataError, DataWarning, ParameterError

# 3 governorates x urban/rural = 6 strata, 2 PSUs each, 3 households per PSU.
N_STRATA, PSU_PER_STRATUM, HH_PER_PSU = 6, 2, 3
N = N_STRATA * PSU_PER_STRATUM * HH_PER_PSU


def canonical_survey() -> pd.DataFrame:
    """A small, valid canonical survey round; household ids are 1001, 1002, ..."""
    i = np.arange(N)
    psu = i // HH_PER_PSU
    stratum = psu // PSU_PER_STRATUM
    gov = np.array(["IQG09", "IQG08", "IQG02"])[stratum // 2]
    area = np.array(["urban", "rural"])[stratum % 2]
    consumption = 100_000.0 + 5_000.0 * i
    return pd.DataFrame({
        "hhid": 1001 + i,
        "year": 2024,
        "governorate": gov,
        "area": area,
        "stratum": pd.Series(gov).str.cat(area, sep="-"),
        "psu": 501 + psu,
        "weight": 150.0 + i,
        "hhsize": 1 + i % 7,
        "head_sex": np.where(i % 4 == 0, "female", "male"),
        "head_age": 25 + i % 50,
        "head_education": np.array(EDUCATION)[i % 5],
        "head_employment": np.array(["employed", "unemployed", "inactive"])[i % 3],
        "displacement": np.where(i % 9 == 0, "returnee", "non_displaced"),
        "pds_holder": i % 2 == 0,
        "consumption_pc": consumption,
        "food_pc": 0.4 * consumption,
    })


@pytest.fixture
def survey() -> pd.DataFrame:
    return canonical_survey()


def broken(survey: pd.DataFrame, tmp_path, name: str = "round.csv") -> str:
    """Write ``survey`` as CSV, load it, and return the DataError message."""
    path = tmp_path / name
    survey.to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        load_survey(path)
    return str(info.value)


def test_valid_frame_passes_with_canonical_dtypes(survey):
    before = survey.copy()
    out = validate_survey(survey, "round.csv")
    pd.testing.assert_frame_equal(survey, before)  # input untouched
    assert list(out.columns) == [c for c in SURVEY.names if c in survey.columns]
    assert out["area"].dtype == pd.CategoricalDtype(["urban", "rural"])
    assert out["hhid"].dtype == np.int64 and out["weight"].dtype == np.float64
    assert out["pds_holder"].dtype == bool
    np.testing.assert_array_equal(out["consumption_pc"], survey["consumption_pc"])
    assert out.attrs == {"source": "round.csv", "lonely_psu": "fail"}


def test_extra_columns_are_kept_after_canonical_ones(survey):
    out = validate_survey(survey.assign(note="x").iloc[:, ::-1])
    assert out.columns[-1] == "note" and out.columns[0] == "hhid"


def test_index_of_the_input_is_kept(survey):
    indexed = survey.set_axis(survey["hhid"] * 10)
    assert (validate_survey(indexed).index == indexed.index).all()


def test_schema_is_built_from_the_model_declarations():
    schema = survey_schema()
    assert list(schema.columns) == SURVEY.names
    for col in SURVEY.columns:
        assert schema.columns[col.name].required == col.required
        assert schema.columns[col.name].nullable == col.nullable
    assert schema.columns["weight"].metadata["rules"] == ["must be > 0"]
    assert schema.columns["head_age"].metadata["rules"] == ["must be >= 10", "must be <= 110"]
    assert schema.unique == list(SURVEY.key)


def test_missing_required_columns_lists_what_is_missing_and_what_is_there(survey, tmp_path):
    msg = broken(survey.drop(columns=["weight", "psu"]), tmp_path)
    assert re.search(r"^round\.csv: 1 problem with the survey table", msg)
    assert "missing required columns: psu, weight; columns present: hhid, year, governorate" in msg


def put(column: str, hhids: list[int], value: object):
    """An edit of the valid round: ``column`` set to ``value`` for the households ``hhids``."""
    def edit(d: pd.DataFrame) -> pd.DataFrame:
        rows = d["hhid"].isin(hhids)
        return d.assign(**{column: d[column].astype(object).where(~rows, value)})
    return edit


def food_twice_consumption(d: pd.DataFrame) -> pd.DataFrame:
    return d.assign(food_pc=np.where(d.hhid == 1013, 2 * d.consumption_pc, d.food_pc))


# (edit, pattern): each edit breaks one rule; the pattern pins column, rule, count, first ids.
RULES = {
    "text-in-weight": (put("weight", [1003, 1004], "unknown"),
                       (r"column 'weight': wrong type: must be a finite number \(float\); broken by "
                       r"2 rows \(first hhids: 1003, 1004; found: 'unknown'\)")),
    "negative-weight": (put("weight", [1007], -2.0),
                        (r"column 'weight': must be > 0; broken by 1 row "
                        r"\(first hhids: 1007; found: -2\)")),
    "zero-weight": (put("weight", list(range(1030, 1037)), 0.0),
                    (r"column 'weight': must be > 0; broken by 7 rows "
                    r"\(first hhids: 1030, 1031, 1032, 1033, 1034, \.\.\.; found: 0\)")),
    "unknown-governorate": (put("governorate", [1002], "IQG99"),
                            (r"column 'governorate': unknown governorate; broken by 1 row "
                            r"\(first hhids: 1002; found: 'IQG99'\); valid P-codes: IQG09 Duhok, "
                            r".*IQG02 Basrah")),
    "governorate-name-hint": (put("governorate", [1002], "Ninawa"),
                              (r"found: 'Ninawa'\) \(these look like names or COSIT codes: convert "
                              r"them with 'codes: governorate'")),
    "duplicate-hhid": (put("hhid", [1005, 1009], 1001),
                       (r"column 'hhid': duplicate household id \(hhid must be unique\); broken by "
                       r"3 rows \(first hhids: 1001\); 1 id repeated")),
    "household-size-0": (put("hhsize", [1010], 0),
                         (r"column 'hhsize': must be >= 1; broken by 1 row "
                         r"\(first hhids: 1010; found: 0\)")),
    "negative-consumption": (put("consumption_pc", [1011], -1.0),
                             (r"column 'consumption_pc': must be >= 0; broken by 1 row "
                             r"\(first hhids: 1011; found: -1\)")),
    "nan-in-required": (put("consumption_pc", [1012, 1020], np.nan),
                        (r"column 'consumption_pc': missing values \(NaN\), which the model does "
                        r"not allow here; broken by 2 rows \(first hhids: 1012, 1020\)")),
    "psu-spans-strata": (put("psu", [1007], 501),  # 1007 is in the second stratum
                         (r"column 'psu': a PSU must lie in one stratum; broken by 4 rows "
                         r"\(first hhids: 1001, 1002, 1003, 1007\); PSUs in several strata: 501")),
    "food-above-consumption": (food_twice_consumption,
                               (r"column 'food_pc': must be <= consumption_pc \(food is part of "
                               r"consumption\); broken by 1 row \(first hhids: 1013\)")),
    "category-outside-set": (put("head_sex", [1014], "M"),
                             (r"column 'head_sex': must be one of male, female; broken by 1 row "
                             r"\(first hhids: 1014; found: 'M'\)")),
    "fraction-in-int": (put("hhsize", [1015], 2.5),
                        (r"column 'hhsize': wrong type: must be a whole number \(int\); broken by "
                        r"1 row \(first hhids: 1015; found: 2\.5\)")),
    "text-in-bool": (put("pds_holder", [1016], "maybe"),
                     (r"column 'pds_holder': wrong type: must be true/false, 1/0 or yes/no "
                     r"\(bool\); broken by 1 row \(first hhids: 1016; found: 'maybe'\)")),
}


@pytest.mark.parametrize(("edit", "pattern"), RULES.values(), ids=RULES.keys())
def test_each_rule_names_file_column_rule_count_and_first_ids(survey, tmp_path, edit, pattern):
    msg = broken(edit(survey), tmp_path, name="ihses_2024.csv")
    assert msg.startswith("ihses_2024.csv: 1 problem with the survey table")
    assert re.search(pattern, msg), msg
    assert msg.endswith("Fix them in the source file; it was not changed.")


def test_empty_file_with_a_header_is_reported(survey, tmp_path):
    msg = broken(survey.iloc[:0], tmp_path, name="empty.csv")
    assert "empty.csv: 1 problem" in msg
    assert "the table has no rows (0 households)" in msg


def test_row_numbers_stand_in_for_a_missing_household_id(survey):
    bad = survey.assign(hhid=survey["hhid"].astype(float)).assign(weight=-1.0)
    bad.loc[0, "hhid"] = np.nan
    with pytest.raises(DataError, match=r"must be > 0; broken by 36 rows \(first hhids: row 1, "
                                        r"1002, 1003, 1004, 1005, \.\.\.; found: -1\)"):
        validate_survey(bad)


def test_all_violations_are_collected_one_line_per_rule(survey, tmp_path):
    bad = survey.drop(columns=["head_age"]).assign(
        weight=np.where(survey.hhid == 1001, -1.0, survey.weight),
        hhsize=np.where(survey.hhid == 1002, 0, survey.hhsize),
        governorate=np.where(survey.hhid == 1003, "Atlantis", survey.governorate),
    )
    bad.loc[bad.hhid == 1004, "hhid"] = 1005
    msg = broken(bad, tmp_path)
    lines = msg.splitlines()
    assert lines[0] == "round.csv: 5 problems with the survey table, one per rule:"
    rules = [line for line in lines if line.startswith("  - ")]
    assert len(rules) == 5
    assert rules[0].startswith("  - missing required column: head_age")
    for part in ("'weight': must be > 0", "'hhsize': must be >= 1", "unknown governorate",
                 "duplicate household id"):
        assert sum(part in r for r in rules) == 1, part


def test_wrong_type_is_not_reported_again_as_missing(survey):
    bad = survey.assign(weight=survey["weight"].astype(object))
    bad.loc[3, "weight"] = "abc"
    with pytest.raises(DataError) as info:
        validate_survey(bad)
    assert "1 problem" in str(info.value) and "NaN" not in str(info.value)


def test_lonely_psu_is_a_warning_naming_strata_and_policy(survey):
    one_psu = survey[survey["psu"] != 502]  # stratum IQG09-urban keeps PSU 501 only
    pattern = (r"round\.parquet: 1 stratum with a single PSU \(IQG09-urban\); "
               r"policy lonely_psu='centre': the survey design will centre")
    with pytest.warns(DataWarning, match=pattern):
        out = validate_survey(one_psu, "round.parquet", lonely_psu="centre")
    assert out.attrs["lonely_psu"] == "centre"
    assert len(out) == len(one_psu)


@pytest.mark.parametrize("policy", LONELY_PSU)
def test_every_policy_is_named_in_the_warning(survey, policy):
    with pytest.warns(DataWarning, match=f"lonely_psu='{policy}'"):
        validate_survey(survey[survey["psu"] != 502], lonely_psu=policy)


def test_no_warning_when_every_stratum_has_two_psus(survey):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        validate_survey(survey)


def test_unknown_lonely_psu_policy_is_a_parameter_error(survey):
    with pytest.raises(ParameterError,
                       match="lonely_psu must be one of fail, centre, merge; got 'drop'"):
        validate_survey(survey, lonely_psu="drop")  # type: ignore[arg-type]


def test_optional_columns_may_be_absent_but_if_present_follow_the_model(survey):
    assert "rooms" not in survey and "rooms" in validate_survey(survey.assign(rooms=2))
    # Unanswered dwelling and asset questions are allowed (nullable in the model) ...
    survey["rooms"] = np.where(survey["hhid"] % 2 == 0, np.nan, 3)
    assert validate_survey(survey)["rooms"].isna().sum() == 18
    # ... but the values that are there still follow the model's bounds.
    survey["rooms"] = np.where(survey["hhid"] % 2 == 0, np.nan, 0)
    with pytest.raises(DataError, match=r"column 'rooms': must be >= 1"):
        validate_survey(survey)


def test_codes_as_text_and_floats_are_accepted(survey):
    """CSV or Stata types: floats for integers, text for bools, numbers for strata."""
    loose = survey.assign(hhid=survey["hhid"].astype(float), pds_holder=np.where(
        survey["pds_holder"], "yes", "no"), stratum=(survey["psu"] - 501) // 2 + 100.0)
    out = validate_survey(loose)
    assert out["hhid"].dtype == np.int64
    assert out["pds_holder"].tolist() == survey["pds_holder"].tolist()
    assert out["stratum"].iloc[0] == "100"
