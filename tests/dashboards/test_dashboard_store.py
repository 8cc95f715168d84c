"""The results-store reader: the batch's table in, four kinds of rows out; bad input named."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from workbench.batch.store import ESTIMATE_COLUMNS
from workbench.dashboards.store import ResultsMissing, load_results, results_dir, results_from_frame
from workbench.errors import DataError


def _row(**kw):
    base = {"notebook": "poverty_profile", "year": 2024, "governorate": "IQG02", "measure": "headcount",
            "domain": "", "estimate": 0.2, "se": 0.01, "ci_low": 0.18, "ci_high": 0.22, "df": 500.0,
            "n": 900, "N": 3e6, "suppressed": False, "synthetic": True}
    return {**base, **kw}


def test_batch_format_is_split_by_kind_and_measures_renamed():
    table = pd.DataFrame([
        _row(),
        _row(governorate="national", n=20000),
        _row(measure="gap", estimate=0.05),
        _row(domain="district=IQG02Q01", n=25),
        _row(domain="characteristic=head_sex;level=female;group=poor", measure="population_share"),
        _row(domain="area=urban"),
        _row(domain="area=urban;head_sex=female"),  # two dimensions: not a one-way group
    ])
    store = results_from_frame(table)
    assert sorted(store.areas["measure"]) == ["gap", "headcount", "headcount"]
    assert store.districts[["district", "n"]].to_dict("records") == [{"district": "IQG02Q01", "n": 25}]
    assert store.profiles[["characteristic", "level", "group"]].iloc[0].tolist() == ["head_sex", "female", "poor"]
    assert store.groups[["dimension", "value"]].to_dict("records") == [{"dimension": "area", "value": "urban"}]
    assert store.measures() == ["headcount", "gap"]
    assert store.synthetic


def test_explicit_district_and_characteristic_columns_are_read_too():
    table = pd.DataFrame([_row(), _row(district="IQG02Q01"),
                          _row(characteristic="area", level="rural", group="non_poor")])
    store = results_from_frame(table)
    assert len(store.areas) == 1 and len(store.districts) == 1 and len(store.profiles) == 1
    assert store.profiles.iloc[0]["group"] == "non_poor"


def test_absent_optional_rows_give_empty_tables():
    store = results_from_frame(pd.DataFrame([_row(), _row(year=2018)]))
    assert store.districts.empty and store.profiles.empty and store.groups.empty
    assert store.district_rows("IQG02", "headcount", 2024).empty
    assert store.profile_rows("IQG02", 2024).empty
    assert store.years() == [2018, 2024]


def test_names_become_pcodes_and_duplicates_keep_the_first_notebook():
    table = pd.DataFrame([_row(governorate="Basra", notebook="z", estimate=0.3),
                          _row(governorate="IQG02", notebook="a", estimate=0.2)])
    store = results_from_frame(table)
    assert store.areas[["governorate", "estimate"]].to_dict("records") == [{"governorate": "IQG02", "estimate": 0.2}]


def test_unknown_governorate_and_district_are_named():
    with pytest.raises(DataError, match=r"column 'governorate'.*1 values do not \(Atlantis\)"):
        results_from_frame(pd.DataFrame([_row(governorate="Atlantis")]))
    with pytest.raises(DataError, match=r"district codes must be OCHA P-codes; 1 are not \(IQG99Q01\)"):
        results_from_frame(pd.DataFrame([_row(domain="district=IQG99Q01")]))


def test_missing_columns_are_named():
    with pytest.raises(DataError, match=r"lacks column\(s\) ci_low, ci_high"):
        results_from_frame(pd.DataFrame([_row()]).drop(columns=["ci_low", "ci_high"]))


def test_missing_store_says_run_the_batch(tmp_path):
    with pytest.raises(ResultsMissing, match="run `workbench batch` first"):
        load_results(tmp_path)


def test_damaged_files_are_named(tmp_path):
    (tmp_path / "estimates.parquet").write_bytes(b"not parquet")
    with pytest.raises(DataError, match=r"estimates.parquet: cannot be read as Parquet"):
        load_results(tmp_path)
    pd.DataFrame([_row()]).to_parquet(tmp_path / "estimates.parquet")
    (tmp_path / "key_figures.json").write_text("{", encoding="utf-8")
    with pytest.raises(DataError, match=r"key_figures.json: not valid JSON"):
        load_results(tmp_path)


def test_stale_after_a_new_batch(tmp_path):
    pd.DataFrame([_row()]).to_parquet(tmp_path / "estimates.parquet")
    store = load_results(tmp_path)
    assert not store.is_stale()
    pd.DataFrame([_row(), _row(year=2018)]).to_parquet(tmp_path / "estimates.parquet")
    assert store.is_stale()


def test_results_dir_order(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_RESULTS", str(tmp_path / "env"))
    assert results_dir(tmp_path / "given") == tmp_path / "given"
    assert results_dir() == tmp_path / "env"
    monkeypatch.delenv("WORKBENCH_RESULTS")
    (tmp_path / "reports" / "results").mkdir(parents=True)
    (tmp_path / "notebooks" / "dashboards").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "notebooks" / "dashboards")
    assert results_dir() == tmp_path / "reports" / "results"


def test_synthetic_store_has_the_batch_columns_and_reads_back(results_dir, store):
    raw = pd.read_parquet(results_dir / "estimates.parquet")
    assert list(raw.columns) == list(ESTIMATE_COLUMNS)
    assert raw["synthetic"].all()
    assert json.loads((results_dir / "key_figures.json").read_text())["synthetic"] is True
    assert store.years() == [2007, 2012, 2018, 2024]
    assert store.measures() == ["headcount", "gap", "severity", "gini", "mean_consumption"]
    assert set(store.areas["governorate"]) == {f"IQG{i:02d}" for i in range(1, 19)} | {"national"}
    assert not store.districts.empty and not store.profiles.empty
    # The thin cell (Anbar 2007, 24 households) and every row under 30 households is flagged.
    anbar = store.place_row("IQG01", "headcount", 2007)
    assert anbar["n"] == 24 and anbar["suppressed"]
    assert (store.districts["suppressed"] == (store.districts["n"] < 30)).all()
    assert np.isfinite(store.areas["estimate"]).all()
