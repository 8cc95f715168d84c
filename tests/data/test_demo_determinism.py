"""The same seed gives the same bytes; rounds do not depend on which other rounds are generated."""

from __future__ import annotations

import hashlib

import pyarrow.parquet as pq

from workbench.data.demo import generate

SMALL = {"households": 3_000, "census_households": 5_000, "chunk_size": 2_000,
         "panel_households": 500}


def hashes(path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.iterdir())}


def test_same_seed_same_bytes_in_two_directories(tmp_path):
    generate(tmp_path / "a", seed=3, years=[2018], **SMALL)
    generate(tmp_path / "b", seed=3, years=[2018], **SMALL)
    a, b = hashes(tmp_path / "a"), hashes(tmp_path / "b")
    assert len(a) == 6 and a == b  # five Parquet files and the manifest


def test_another_seed_other_data_and_a_round_independent_of_the_others(tmp_path):
    one = generate(tmp_path / "one", seed=3, years=[2018], **SMALL)
    two = generate(tmp_path / "two", seed=3, years=[2012, 2018], **SMALL)
    other = generate(tmp_path / "other", seed=4, years=[2018], **SMALL)
    digest = "survey_2018.parquet"
    assert one["files"][digest]["sha256"] == two["files"][digest]["sha256"]
    assert one["files"][digest]["sha256"] != other["files"][digest]["sha256"]


def test_no_timestamps_in_parquet_metadata(tmp_path):
    generate(tmp_path, seed=0, years=[2018], **SMALL)
    for path in tmp_path.glob("*.parquet"):
        meta = pq.ParquetFile(path).metadata
        kv = {k.decode(): v.decode() for k, v in (meta.metadata or {}).items()}
        assert set(kv) <= {"synthetic", "generator", "generator_version", "seed", "table", "year",
                           "ARROW:schema"}, kv.keys()
        assert meta.created_by.startswith("parquet-cpp-arrow version")


def test_a_smaller_run_removes_the_files_of_the_previous_one(tmp_path):
    generate(tmp_path, seed=0, years=[2012, 2018], **SMALL)
    manifest = generate(tmp_path, seed=0, years=[2018], **SMALL)
    assert "survey_2012.parquet" not in manifest["files"]
    assert {p.name for p in tmp_path.iterdir()} == set(manifest["files"]) | {"manifest.json"}
