"""Reading files: formats, content sniffing, the example IHSES mapping, and untouched inputs."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyreadstat
import pytest

from workbench.data import load_survey, read_table
from workbench.data.load import sniff
from workbench.errors import DataError, DataWarning

# 4 governorates (COSIT codes) x 2 qadhas x 3 clusters x 3 households.
GOV = {11: ("دهوك", "IQG09"), 12: ("Ninawa", "IQG15"), 23: ("Baghdad", "IQG08"),
       33: ("Al-Basrah", "IQG02")}
N = len(GOV) * 2 * 3 * 3


def ihses_raw() -> pd.DataFrame:
    """An IHSES-like household file with the source names of parameters/surveys/ihses2012.yaml.

    Numbers are floats, as Stata and SPSS store them.
    """
    i = np.arange(N)
    cluster_index = i // 3
    return pd.DataFrame({
        "gov": np.array(list(GOV), dtype=float)[i // 18],
        "qadha": 1.0 + (i // 9) % 2,
        "cluster": 1.0 + cluster_index % 3,
        "hh_no": 1.0 + i % 3,
        "urban_rural": 1.0 + (i // 9) % 2,
        "hh_weight": 200.0 + 10 * i,
        "hh_size": 1.0 + i % 8,
        "head_sex": 1.0 + (i % 5 == 0),
        "head_age": 30.0 + i % 40,
        "head_educ": 1.0 + i % 8,
        "head_work": 1.0 + i % 3,
        "rooms": 1.0 + i % 4,
        "tenure": 1.0 + i % 4,
        "water_src": 1.0 + i % 5,
        "fridge": 1.0, "aircon": 1.0 + i % 2, "car": 2.0, "generator": 1.0, "ration_card": 1.0,
        "cons_month_hh": 600_000.0 + 20_000.0 * i,
        "food_month_hh": 250_000.0 + 5_000.0 * i,
    })


LABELS = {
    "gov": {code: name for code, (name, _) in GOV.items()},
    "urban_rural": {1: "حضر", 2: "ريف"},
    "head_sex": {1: "Male", 2: "Female"},
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_ihses(survey: pd.DataFrame, raw: pd.DataFrame) -> None:
    """The example mapping's result, checked against the raw file value by value."""
    assert len(survey) == N
    assert survey["hhid"].iloc[0] == 11010101 and survey["hhid"].iloc[-1] == 33020303
    assert survey["psu"].iloc[-1] == 330203
    assert survey["stratum"].iloc[-1] == "33-2"
    assert survey["year"].eq(2012).all()
    expected_gov = raw["gov"].map({float(c): p for c, (_, p) in GOV.items()})
    assert survey["governorate"].tolist() == expected_gov.tolist()
    assert survey["area"].tolist() == np.where(raw["urban_rural"] == 1, "urban", "rural").tolist()
    assert survey["head_sex"].tolist() == np.where(raw["head_sex"] == 1, "male", "female").tolist()
    assert survey["head_education"].iloc[:8].tolist() == [
        "none", "none", "primary", "intermediate", "secondary", "higher", "higher", "higher"]
    assert survey["displacement"].eq("non_displaced").all()
    np.testing.assert_array_equal(survey["rooms"], raw["rooms"])
    assert survey["has_car"].eq(False).all() and survey["has_fridge"].all()
    np.testing.assert_allclose(survey["consumption_pc"], raw["cons_month_hh"] / raw["hh_size"],
                               rtol=1e-12)
    np.testing.assert_allclose(survey["food_pc"], raw["food_month_hh"] / raw["hh_size"],
                               rtol=1e-12)
    np.testing.assert_array_equal(survey["weight"], raw["hh_weight"])
    assert survey.attrs["lonely_psu"] == "centre" and survey.attrs["mapping"] == "IHSES 2012"


@pytest.mark.parametrize("ext", [".sav", ".dta"])
def test_stata_and_spss_files_with_value_labels_through_the_example_mapping(tmp_path, ext):
    raw = ihses_raw()
    path = tmp_path / f"ihses2012_hh{ext}"
    write = pyreadstat.write_sav if ext == ".sav" else pyreadstat.write_dta
    write(raw, path, variable_value_labels=LABELS)
    before = digest(path)
    survey = load_survey(path, "ihses2012")
    assert digest(path) == before
    check_ihses(survey, raw)
    assert survey.attrs["source"] == path.name


def test_labels_in_any_spelling_resolve_and_unlabelled_codes_fall_back(tmp_path):
    raw = ihses_raw()
    labels = {"gov": {11: "Dahuk", 12: "نينوى", 23: "بغداد"}}  # 33: no label, the code serves
    path = tmp_path / "hh.sav"
    pyreadstat.write_sav(raw, path, variable_value_labels=labels)
    check_ihses(load_survey(path, "ihses2012"), raw)


def test_read_table_keeps_value_labels_and_reads_only_asked_columns(tmp_path):
    path = tmp_path / "hh.sav"
    pyreadstat.write_sav(ihses_raw(), path, variable_value_labels=LABELS)
    raw = read_table(path, columns=["gov", "hh_size", "not_there"])
    assert list(raw.columns) == ["gov", "hh_size"]
    assert raw.attrs["value_labels"]["gov"][12.0] == "Ninawa"
    assert raw.attrs["file_columns"][:3] == ["gov", "qadha", "cluster"]


def test_csv_with_the_example_mapping(tmp_path):
    raw = ihses_raw()
    path = tmp_path / "ihses2012_hh.csv"
    raw.to_csv(path, index=False)
    check_ihses(load_survey(path, "ihses2012"), raw)


def test_canonical_parquet_and_csv_need_no_mapping(tmp_path):
    canonical = load_survey(_sav(tmp_path), "ihses2012")
    parquet, csv = tmp_path / "survey_2012.parquet", tmp_path / "survey_2012.csv"
    canonical.to_parquet(parquet)
    canonical.to_csv(csv, index=False)
    hashes = digest(parquet), digest(csv)
    from_parquet, from_csv = load_survey(parquet), load_survey(csv, lonely_psu="centre")
    assert (digest(parquet), digest(csv)) == hashes
    pd.testing.assert_frame_equal(from_parquet, canonical)
    pd.testing.assert_frame_equal(from_csv, canonical)
    assert from_parquet.attrs["source"] == "survey_2012.parquet"
    assert from_parquet.attrs["lonely_psu"] == "fail"  # no mapping: the default policy


def test_parquet_attrs_such_as_synthetic_survive(tmp_path):
    canonical = load_survey(_sav(tmp_path), "ihses2012")
    canonical.attrs["synthetic"] = True
    path = tmp_path / "survey_2024.parquet"
    canonical.to_parquet(path)
    assert load_survey(path).attrs["synthetic"] is True


def test_parquet_schema_metadata_such_as_the_demo_synthetic_flag_reaches_attrs(tmp_path):
    """The demo generator writes ``synthetic=true`` into the Arrow schema metadata."""
    canonical = load_survey(_sav(tmp_path), "ihses2012")
    table = pa.Table.from_pandas(canonical, preserve_index=False)
    table = table.replace_schema_metadata({**table.schema.metadata, b"synthetic": b"true",
                                           b"seed": b"0"})
    path = tmp_path / "survey_2012.parquet"
    pq.write_table(table, path)
    survey = load_survey(path)
    assert survey.attrs["synthetic"] is True and survey.attrs["seed"] == "0"
    assert "pandas" not in survey.attrs and "file_columns" not in survey.attrs
    pd.testing.assert_frame_equal(survey, canonical, check_like=False)


def _sav(tmp_path: Path) -> Path:
    path = tmp_path / "raw.sav"
    pyreadstat.write_sav(ihses_raw(), path, variable_value_labels=LABELS)
    return path


NOT_WHAT_IT_SAYS = [
    ("survey.parquet", b"hhid,weight\n1,2.5\n",
     (r"survey\.parquet: the extension '\.parquet' says Parquet, but the content looks like "
     r"CSV text starting 'hhid,weight'")),
    ("survey.dta", b"hhid;weight\n1;2.5\n",
     r"survey\.dta: the extension '\.dta' says Stata \.dta, but the content looks like CSV text"),
    ("survey.sav", b"%PDF-1.7\n...",
     r"survey\.sav: .*says SPSS \.sav, but the content looks like a PDF document"),
    ("survey.csv", b"PK\x03\x04\x14\x00",
     r"survey\.csv: .*looks like a ZIP archive \(an Excel \.xlsx"),
    ("survey.csv", b"<!DOCTYPE html><html><body>Not found", r"looks like an HTML page"),
    ("survey.csv", b"", r"survey\.csv: the file is empty \(0 bytes\); expected CSV text"),
    ("survey.parquet", b"", r"survey\.parquet: the file is empty \(0 bytes\); expected Parquet"),
    ("survey.xlsx", b"PK\x03\x04",
     r"survey\.xlsx: unsupported file type '\.xlsx'; use \.csv, \.dta, \.parquet"),
    ("survey.parquet", b"PAR1garbage-not-really-parquet",
     r"survey\.parquet: cannot be read as Parquet"),
]


@pytest.mark.parametrize(("name", "content", "pattern"), NOT_WHAT_IT_SAYS)
def test_a_file_that_is_not_what_its_extension_says(tmp_path, name, content, pattern):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError, match=pattern):
        read_table(path)
    with pytest.raises(DataError, match=pattern):
        load_survey(path)
    assert path.read_bytes() == content


def test_a_real_file_under_another_real_extension(tmp_path):
    sav = _sav(tmp_path)
    dta = tmp_path / "really_spss.dta"
    dta.write_bytes(sav.read_bytes())
    with pytest.raises(DataError, match=r"really_spss\.dta: the extension '\.dta' says Stata "
                                        r"\.dta, but the content looks like SPSS \.sav"):
        read_table(dta)


@pytest.mark.parametrize("version", [114, 118])
def test_stata_files_written_by_pandas_old_and_new_formats(tmp_path, version):
    raw = ihses_raw()
    path = tmp_path / f"stata{version}.dta"
    raw.to_stata(path, write_index=False, version=version)
    assert sniff(path.read_bytes()[:64]) == "Stata .dta"
    check_ihses(load_survey(path, "ihses2012"), raw)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"nothing\.csv: file not found"):
        load_survey(tmp_path / "nothing.csv")


def test_sniff_recognises_old_stata_versions():
    assert sniff(bytes([114, 2, 1, 0]) + b"\x00" * 60) == "Stata .dta"  # Stata 10 (format 114)
    assert sniff(b"\x00\x01\x02binary") == "binary data of an unknown format"


def test_windows_arabic_csv_is_read_with_a_warning(tmp_path):
    path = tmp_path / "arabic.csv"
    path.write_bytes("hhid,name\n1,بغداد\n".encode("cp1256"))
    with pytest.warns(DataWarning, match=r"arabic\.csv: not UTF-8; read as Windows-1256"):
        raw = read_table(path)
    assert raw["name"].iloc[0] == "بغداد"


def test_utf8_csv_with_bom_reads_without_warning(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("hhid,name\n1,بغداد\n".encode("utf-8-sig"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        raw = read_table(path)
    assert list(raw.columns) == ["hhid", "name"]
