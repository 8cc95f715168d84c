"""The key-figures sidecar: what a notebook records and how it is written."""

import json

import numpy as np
import pandas as pd
import pytest

from workbench.batch import figures
from workbench.results import Estimate


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.delenv(figures.RUN_ENV, raising=False)
    figures.reset()
    yield
    figures.reset()


def test_scalars_tables_and_result_objects(tmp_path):
    figures.record("poverty_line", np.float64(131400.0), unit="IQD per person per month")
    figures.record("households", np.int64(412))
    figures.record("by_gov", pd.DataFrame({"governorate": ["IQG02"], "estimate": [0.2],
                                           "se": [np.nan], "n": [12]}))
    est = Estimate("fgt0", pd.DataFrame({"estimate": [0.25], "se": [0.01], "n": [900]}),
                   {"line": 100.0, "by": []})
    figures.record("national", est, year=2024)
    doc = figures.document()
    assert doc["figures"] == {
        "poverty_line": {"value": 131400.0, "unit": "IQD per person per month"},
        "households": {"value": 412},
    }
    assert doc["tables"]["by_gov"]["records"] == [
        {"governorate": "IQG02", "estimate": 0.2, "se": None, "n": 12, "measure": "by_gov"}]
    assert doc["tables"]["national"] == {
        "meta": {"line": 100.0, "by": [], "year": 2024},
        "records": [{"measure": "fgt0", "estimate": 0.25, "se": 0.01, "n": 900}]}
    path = figures.save(tmp_path / "x.figures.json")
    assert json.loads(path.read_text()) == json.loads(json.dumps(doc))
    assert [p.name for p in tmp_path.iterdir()] == ["x.figures.json"]  # no temp file left


def test_unsupported_values_are_refused():
    with pytest.raises(TypeError, match=r"figures.record\('x', ...\): expected a number"):
        figures.record("x", {"a": 1})


def test_sources_carry_hash_and_synthetic_flag(tmp_path, survey, parquet):
    demo = parquet(survey(2024, households_per_psu=1), tmp_path / "demo" / "s.parquet")
    real = parquet(survey(2024, households_per_psu=1), tmp_path / "real" / "s.parquet",
                   synthetic=False)
    src = figures.source(real)
    assert not src.synthetic and len(src.sha256) == 64
    assert figures.document()["synthetic"] is False
    assert figures.source(demo).synthetic
    doc = figures.document()
    assert doc["synthetic"] is True
    assert [d["synthetic"] for d in doc["data"]] == [False, True]


def test_manifest_json_marks_a_folder_synthetic(tmp_path):
    path = tmp_path / "survey_2024.csv"
    path.write_text("a\n1\n")
    assert not figures.is_synthetic(path)
    (tmp_path / "manifest.json").write_text('{"synthetic": true, "seed": 0}')
    assert figures.is_synthetic(path)


def test_missing_source_is_a_data_error(tmp_path):
    from workbench.errors import DataError

    with pytest.raises(DataError, match=r"data file .*nope.parquet not found; .*data demo"):
        figures.source(tmp_path / "nope.parquet")


def test_under_a_batch_the_run_context_decides_path_and_resets_state(tmp_path, monkeypatch):
    target = tmp_path / "IQG02.partial-abc.figures.json"
    monkeypatch.setenv(figures.RUN_ENV, json.dumps({
        "token": "run-1", "figures": str(target), "notebook": "poverty_profile",
        "parameters": {"year": 2024, "governorate": "IQG02"}}))
    figures.record("a", 1)
    assert figures.save() == target
    doc = json.loads(target.read_text())
    assert doc["notebook"] == "poverty_profile"
    assert doc["parameters"] == {"year": 2024, "governorate": "IQG02"}
    assert doc["figures"] == {"a": {"value": 1}}
    assert doc["package_version"] and doc["run_date"] and doc["schema"] == figures.SCHEMA
    # A new run (new token) in the same kernel starts from nothing.
    monkeypatch.setenv(figures.RUN_ENV, json.dumps({"token": "run-2", "figures": str(target)}))
    assert figures.document()["figures"] == {}


def test_outside_a_batch_save_without_path_writes_nothing():
    figures.record("a", 1)
    with pytest.warns(UserWarning, match="not running under `workbench batch`"):
        assert figures.save() is None
