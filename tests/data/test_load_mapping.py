"""The YAML mapping format: each key, its mistakes, and how mapping problems are reported."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.data import load_mapping, load_survey
from workbench.data.mapping import SurveyMapping, apply_mapping, mapping_dirs
from workbench.data.model import SURVEY
from workbench.errors import DataError, DataWarning, ParameterError

# A complete mapping for a flat file with its own names; tests change one entry at a time.
BASE = {
    "survey": "Mini survey",
    "lonely_psu": "merge",
    "columns": {
        "hhid": "id",
        "year": {"value": 2018},
        "governorate": {"from": "province", "codes": "governorate"},
        "area": {"from": "milieu", "codes": {"U": "urban", "R": "rural"}},
        "stratum": {"from": ["strat", "milieu"]},
        "psu": "cluster",
        "weight": "wt",
        "hhsize": "size",
        "head_sex": {"from": "sex", "codes": {1: "male", 2: "female"}},
        "head_age": "age",
        "head_education": {"from": "educ", "codes": {0: "none", 1: "primary", 2: "secondary"}},
        "head_employment": {"from": "work", "codes": {"yes": "employed", "no": "inactive"}},
        "displacement": {"value": "non_displaced"},
        "consumption_pc": {"from": "cons_year", "divide_by": "size", "scale": "1/12"},
    },
}


def flat_file() -> pd.DataFrame:
    """Eight households in two strata (Basrah in three spellings, Anbar in Arabic), 2 PSUs each."""
    return pd.DataFrame({
        "id": range(1, 9),
        "province": ["Basrah", "al-Basrah", "BASRA", "Basrah",
                     "الأنبار", "الانبار", "Anbar", "Anbar"],
        "milieu": ["U"] * 4 + ["R"] * 4,
        "strat": [3.0] * 4 + [4.0] * 4,
        "cluster": [10, 10, 11, 11, 20, 20, 21, 21],
        "wt": [100.0, 100, 120, 120, 80, 80, 90, 90],
        "size": [4, 5, 6, 3, 7, 8, 2, 5],
        "sex": [1, 2, 1, 1, 2, 1, 1, 1],
        "age": [40, 35, 52, 61, 29, 44, 70, 38],
        "educ": [0, 1, 2, 1, 0, 0, 2, 1],
        "work": ["yes", "no", "Yes ", "yes", "no", "yes", "yes", "NO"],
        "cons_year": [2_400_000.0, 3_000_000, 3_600_000, 1_800_000, 4_200_000, 4_800_000, 1_200_000,
                      3_000_000],
        "interview_month": [1, 2, 3, 4, 5, 6, 7, 8],
    })


def mapping_with(**columns: object) -> SurveyMapping:
    cols = {**BASE["columns"], **columns}
    return SurveyMapping.model_validate({**BASE, "columns": {k: v for k, v in cols.items() if v}})


def load_frame(raw: pd.DataFrame, spec: SurveyMapping) -> pd.DataFrame:
    """Map and validate a raw frame as load_survey does, without writing a file."""
    from workbench.data.validate import check_survey

    mapped = apply_mapping(raw, spec)
    return check_survey(mapped.frame, source="mini.csv", origins=mapped.origins,
                        problems=mapped.problems, lonely_psu=spec.lonely_psu)


def test_flat_file_maps_to_the_canonical_table():
    raw = flat_file()
    before = raw.copy()
    survey = load_frame(raw, mapping_with())
    pd.testing.assert_frame_equal(raw, before)  # the raw frame is not modified
    assert survey["governorate"].tolist() == ["IQG02"] * 4 + ["IQG01"] * 4
    assert survey["stratum"].tolist() == ["3-U"] * 4 + ["4-R"] * 4
    assert survey["head_employment"].tolist() == ["employed", "inactive", "employed", "employed",
                                                  "inactive", "employed", "employed", "inactive"]
    np.testing.assert_allclose(survey["consumption_pc"], raw["cons_year"] / 12 / raw["size"],
                               rtol=1e-12)
    assert survey["year"].eq(2018).all() and list(survey.columns) == [
        c for c in SURVEY.names if c in BASE["columns"]]


def test_a_psu_in_two_strata_is_reported_with_its_source_column():
    raw = flat_file()
    raw.loc[4, "cluster"] = 10  # a Basrah PSU number in an Anbar row
    with pytest.raises(DataError, match=r"column 'psu' \(from 'cluster'\): a PSU must lie in one "
                                        r"stratum; broken by 3 rows \(first hhids: 1, 2, 5\)"):
        load_frame(raw, mapping_with())


def test_unmapped_codes_are_reported_with_their_source_column():
    raw = flat_file()
    raw.loc[2, "sex"] = 9
    raw.loc[5, "educ"] = 7
    with pytest.raises(DataError) as info:
        load_frame(raw, mapping_with())
    msg = str(info.value)
    assert ("column 'head_sex' (from 'sex'): must be one of male, female; broken by 1 row "
            "(first hhids: 3; found: '9')") in msg
    assert "column 'head_education' (from 'educ'): must be one of none, primary" in msg
    assert "(first hhids: 6; found: '7')" in msg


def test_missing_codes_and_null_codes_become_missing_values():
    raw = flat_file()
    raw.loc[[0, 3], "age"] = 99
    spec = mapping_with(head_age={"from": "age", "missing": [98, 99]},
                        head_sex={"from": "sex", "codes": {1: "male", 2: None}})
    with pytest.raises(DataError) as info:
        load_frame(raw, spec)
    msg = str(info.value)
    assert ("column 'head_age' (from 'age'): missing values (NaN), which the model does not allow "
            "here; broken by 2 rows (first hhids: 1, 4)") in msg
    assert "column 'head_sex' (from 'sex'): missing values (NaN)" in msg
    assert "broken by 2 rows (first hhids: 2, 5)" in msg


def test_text_in_a_derived_column_is_reported_as_a_wrong_type():
    raw = flat_file().astype({"cons_year": object})
    raw.loc[6, "cons_year"] = "refused"
    with pytest.raises(DataError, match=r"column 'consumption_pc' \(from 'cons_year' / 'size'\): "
                                        r"wrong type: must be a finite number \(float\); broken by "
                                        r"1 row \(first hhids: 7; found: 'refused'\)"):
        load_frame(raw, mapping_with())


def test_integer_key_from_several_columns_uses_widths():
    spec = mapping_with(hhid={"from": ["cluster", "id"], "widths": [3, 2]})
    assert load_frame(flat_file(), spec)["hhid"].tolist()[:3] == [1001, 1002, 1103]


def test_a_key_part_longer_than_its_width_is_reported():
    spec = mapping_with(hhid={"from": ["cluster", "id"], "widths": [1, 2]})
    pattern = (r"column 'hhid' \(from 'cluster' \+ 'id'\): a part is longer than its width "
               r"\[1, 2\]; 8 rows \(first rows: 1, 2, 3, 4, 5, \.\.\.\)")
    with pytest.raises(DataError, match=pattern):
        load_frame(flat_file(), spec)


def test_keep_carries_source_columns_along():
    spec = SurveyMapping.model_validate({**BASE, "keep": ["interview_month"]})
    survey = load_frame(flat_file(), spec)
    assert survey.columns[-1] == "interview_month" and survey["interview_month"].iloc[-1] == 8


def test_absent_source_columns_are_reported_together(tmp_path):
    raw = flat_file().drop(columns=["wt", "size"])
    path = tmp_path / "mini.csv"
    raw.to_csv(path, index=False)
    yaml_path = tmp_path / "mini.yaml"
    spec = mapping_with(rooms="n_rooms")
    yaml_path.write_text(_yaml(spec), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_survey(path, yaml_path)
    lines = str(info.value).splitlines()
    assert lines[0] == "mini.csv: 2 problems with the survey table, one per rule:"
    assert lines[1].startswith(f"  - optional columns mapped in {yaml_path} from source columns "
                               "that are not in the file: rooms needs 'n_rooms'; the file has: id, "
                               "province, milieu, strat, cluster, sex")
    assert lines[2].startswith(
        "  - missing required columns: weight (from 'wt'; not in the file: 'wt'), hhsize (from "
        "'size'; not in the file: 'size'), consumption_pc (from 'cons_year' / 'size'; not in the "
        "file: 'size'); columns present: id, province")
    assert lines[-1] == (f"Fix them in the source file or in the mapping {yaml_path}; "
                         "the source file was not changed.")


def _yaml(spec: SurveyMapping) -> str:
    import yaml

    body = spec.model_dump(by_alias=True, exclude_none=True, exclude={"path"},
                           exclude_defaults=True)
    body["survey"] = spec.survey
    return yaml.safe_dump(body, allow_unicode=True, sort_keys=False)


def test_lonely_psu_comes_from_the_keyword_then_the_mapping_then_fail(tmp_path):
    raw = flat_file()
    raw.loc[raw["cluster"] == 11, "cluster"] = 10  # Basrah-U keeps one PSU
    path, yaml_path = tmp_path / "mini.csv", tmp_path / "mini.yaml"
    raw.assign(province="Basrah").to_csv(path, index=False)
    yaml_path.write_text(_yaml(mapping_with()), encoding="utf-8")
    with pytest.warns(DataWarning, match="lonely_psu='merge'"):
        assert load_survey(path, yaml_path).attrs["lonely_psu"] == "merge"
    with pytest.warns(DataWarning, match="lonely_psu='centre'"):
        load_survey(path, yaml_path, lonely_psu="centre")
    with pytest.raises(ParameterError, match="lonely_psu must be one of fail, centre, merge"):
        load_survey(path, yaml_path, lonely_psu="ignore")  # type: ignore[arg-type]


def test_the_example_mapping_is_found_by_name_and_is_documented():
    spec = load_mapping("ihses2012")
    assert spec.path is not None and spec.path.name == "ihses2012.yaml"
    assert (spec.path.parent / "README.md").is_file()
    assert set(spec.columns) >= {c.name for c in SURVEY.columns if c.required}
    assert "ILLUSTRATIVE" in spec.path.read_text(encoding="utf-8")


def test_an_unknown_mapping_name_lists_the_known_ones():
    with pytest.raises(ParameterError, match=r"no survey mapping named 'ihses1988' in .*known: .*"
                                             r"ihses2012"):
        load_mapping("ihses1988")


def test_mapping_dirs_honour_the_environment(monkeypatch, tmp_path):
    (tmp_path / "surveys").mkdir()
    (tmp_path / "surveys" / "mine.yaml").write_text(_yaml(mapping_with()), encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_PARAMETERS", str(tmp_path))
    assert mapping_dirs()[0] == tmp_path / "surveys"
    assert load_mapping("mine").survey == "Mini survey"


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("survey: x\ncolumns: {hhid: id, income: inc}\n",
         r"not canonical survey columns: income; valid: hhid, year"),
        ("survey: x\ncolumns: {hhid: {from: id, value: 3}}\n",
         r"columns\.hhid: .*give exactly one of 'from' \(a source column\) or 'value'"),
        ("survey: x\ncolumns: {psu: {from: [a, b]}}\n",
         r"'psu' is an integer built from several columns: give 'widths'"),
        ("survey: x\ncolumns: {hhid: {form: id}}\n", r"columns\.hhid\.form: Extra inputs"),
        ("survey: x\nlonely_psu: drop\ncolumns: {hhid: id}\n",
         r"lonely_psu: Input should be 'fail'"),
        ("columns: {hhid: id}\n", r"survey: Field required"),
        ("survey: [unclosed\n", r"not valid YAML"),
        ("- just\n- a list\n", r"expected a mapping with keys survey, columns"),
    ],
)
def test_a_malformed_mapping_is_a_parameter_error_naming_the_file(tmp_path, text, pattern):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError, match=rf"broken\.yaml: .*{pattern}"):
        load_mapping(path)


def test_a_missing_mapping_file(tmp_path):
    with pytest.raises(ParameterError, match=r"gone\.yaml: survey mapping file not found"):
        load_mapping(tmp_path / "gone.yaml")
