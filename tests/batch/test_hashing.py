"""Content hashes of a run's inputs: what makes a run out of date."""

import hashlib
from pathlib import Path

from workbench.batch import hashing
from workbench.batch.hashing import (
    MISSING,
    input_hash,
    package_fingerprint,
    run_inputs,
    sha256_file,
)
from workbench.batch.plan import BatchConfig, plan_runs


def _run(root: Path, reads: list[str]):
    cfg = BatchConfig.model_validate({
        "years": [2024], "languages": ["en"], "governorates": ["Basrah"], "data_dir": "data",
        "notebooks": {"nb": {"path": "nb.ipynb", "per": "governorate", "reads": reads}}})
    return plan_runs(cfg, root=root)[0]


def test_sha256_file_matches_hashlib(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * 3_000_000)  # more than one read chunk
    assert sha256_file(path) == hashlib.sha256(b"x" * 3_000_000).hexdigest()


def test_inputs_cover_notebook_declared_files_globs_and_package(tmp_path):
    (tmp_path / "nb.ipynb").write_text("{}")
    (tmp_path / "data").mkdir()
    for year in (2018, 2024):
        (tmp_path / "data" / f"survey_{year}.parquet").write_bytes(str(year).encode())
    run = _run(tmp_path, ["{data_dir}/survey_{year}.parquet", "{data_dir}/survey_*.parquet",
                          "parameters/absent.yaml", "{data_dir}/nothing_*.csv"])
    inputs = run_inputs(run, tmp_path)
    assert inputs == {
        "notebook:nb.ipynb": sha256_file(tmp_path / "nb.ipynb"),
        "data/survey_2024.parquet": hashlib.sha256(b"2024").hexdigest(),
        "data/survey_2018.parquet": hashlib.sha256(b"2018").hexdigest(),
        "parameters/absent.yaml": MISSING,
        "data/nothing_*.csv": MISSING,
        "package": package_fingerprint(),
    }


def test_content_not_mtime_decides(tmp_path):
    (tmp_path / "nb.ipynb").write_text("{}")
    data = tmp_path / "data" / "survey_2024.parquet"
    data.parent.mkdir()
    data.write_bytes(b"a")
    run = _run(tmp_path, ["{data_dir}/survey_{year}.parquet"])
    before = run_inputs(run, tmp_path)
    data.write_bytes(b"a")  # rewritten, same bytes
    assert run_inputs(run, tmp_path) == before
    data.write_bytes(b"b")
    assert run_inputs(run, tmp_path) != before


def test_input_hash_changes_with_any_part():
    base = input_hash({"a": "1"}, {"year": 2024}, kernel="python3", timeout=10)
    assert base == input_hash({"a": "1"}, {"year": 2024}, kernel="python3", timeout=10)
    assert base != input_hash({"a": "2"}, {"year": 2024}, kernel="python3", timeout=10)
    assert base != input_hash({"a": "1"}, {"year": 2024, "x": 1}, kernel="python3", timeout=10)
    assert base != input_hash({"a": "1"}, {"year": 2024}, kernel="python3", timeout=20)


def test_package_fingerprint_is_version_plus_source_hash(monkeypatch, tmp_path):
    import workbench

    fake = tmp_path / "workbench"
    fake.mkdir()
    (fake / "__init__.py").write_text("x = 1\n")
    monkeypatch.setattr(workbench, "__file__", str(fake / "__init__.py"))
    hashing.package_fingerprint.cache_clear()
    try:
        first = package_fingerprint()
        assert first.startswith(workbench.__version__ + "+")
        hashing.package_fingerprint.cache_clear()
        (fake / "__init__.py").write_text("x = 2\n")
        assert package_fingerprint() != first
    finally:
        hashing.package_fingerprint.cache_clear()
