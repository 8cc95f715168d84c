"""Every demo file says it is synthetic, matches the canonical model and the manifest."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from workbench.data.model import TABLES
from workbench.geography import governorates
from workbench.poverty_lines import national_cpi

EXPECTED = {"survey_2007.parquet", "survey_2012.parquet", "survey_2018.parquet",
            "survey_2024.parquet", "frame.parquet", "registry.parquet", "panel.parquet", "cpi.parquet"}


def test_the_manifest_lists_every_file_with_its_hash(demo):
    m = demo.manifest
    assert m["synthetic"] is True and m["seed"] == 0 and m["generator_version"]
    assert set(m["files"]) == EXPECTED
    assert {p.name for p in demo.path.iterdir()} == EXPECTED | {"manifest.json"}  # no temp files left
    for name, entry in m["files"].items():
        data = (demo.path / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
        assert entry["rows"] == pq.ParquetFile(demo.path / name).metadata.num_rows


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_file_is_labelled_synthetic_and_follows_the_model(demo, name):
    schema = pq.read_schema(demo.path / name)
    meta = {k.decode(): v.decode() for k, v in schema.metadata.items()}
    assert meta["synthetic"] == "true"
    assert meta["generator"] == "workbench.data.demo" and meta["seed"] == "0"
    table = TABLES[meta["table"]]
    assert name.startswith(table.name)
    assert schema.names == table.names
    frame = demo.read(name.removesuffix(".parquet"))
    for col in table.columns:
        s = frame[col.name]
        if col.dtype == "category":
            assert list(s.cat.categories) == list(col.values), col.name
        if not col.nullable:
            assert s.notna().all(), col.name
        if col.min is not None:
            assert (s.dropna() > col.min).all() if col.min_exclusive else (s.dropna() >= col.min).all()
        if col.max is not None:
            assert (s.dropna() <= col.max).all(), col.name
    assert not frame.duplicated(list(table.key)).any()


def test_cpi_national_series_is_the_poverty_lines_one_and_governorates_are_synthetic(demo):
    cpi = demo.read("cpi")
    nat = cpi[cpi["governorate"] == "national"].set_index("year")
    ref = national_cpi().set_index("year")
    np.testing.assert_allclose(nat["index"], ref["index"], rtol=1e-12)
    assert (nat["status"].astype(str) == ref["status"]).all()
    assert not nat["synthetic"].any()
    np.testing.assert_allclose(nat["inflation"].dropna(), 100 * nat["index"].pct_change().dropna(), rtol=1e-9)
    gov = cpi[cpi["governorate"] != "national"]
    assert set(gov["governorate"]) == {g.pcode for g in governorates()}
    assert gov["synthetic"].all() and (gov["status"] == "S").all()
    assert np.allclose(gov.loc[gov["year"] == 2012, "index"], 100.0)
    # governorate indices scatter around the national one, averaging to it in logs (population weights)
    share = pd.Series({g.pcode: g.population_2010_thousands for g in governorates()})
    wide = np.log(gov.pivot(index="year", columns="governorate", values="index"))
    mean = wide.mul(share[wide.columns] / share.sum(), axis=1).sum(axis=1)
    np.testing.assert_allclose(mean, np.log(nat["index"]), atol=1e-12)
    assert wide.sub(np.log(nat["index"]), axis=0).abs().max().max() > 0.005


def test_the_loader_accepts_a_demo_round(demo):
    from workbench.data import load_survey

    survey = load_survey(demo.path / "survey_2018.parquet")
    assert len(survey) == demo.manifest["files"]["survey_2018.parquet"]["rows"]
    assert survey.attrs["synthetic"] is True
