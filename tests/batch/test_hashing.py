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
        "package": package_fingerprint("\n\n" + hashing.KERNEL_CODE),  # a notebook with no cells
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


def test_package_fingerprint_is_version_plus_hash_of_the_code_it_imports(monkeypatch, tmp_path):
    import workbench

    fake = tmp_path / "workbench"
    (fake / "used").mkdir(parents=True)
    (fake / "__init__.py").write_text("x = 1\n")
    (fake / "used" / "__init__.py").write_text("from .helper import f\n")
    (fake / "used" / "helper.py").write_text("def f():\n    from workbench import lazy\n")
    (fake / "used" / "labels.yaml").write_text("a: 1\n")
    (fake / "lazy.py").write_text("y = 1\n")
    (fake / "unused.py").write_text("z = 1\n")
    monkeypatch.setattr(workbench, "__file__", str(fake / "__init__.py"))
    code = "import numpy\nfrom workbench.used import f"
    hashing.package_fingerprint.cache_clear()

    def changes_when(path, text):
        hashing.package_fingerprint.cache_clear()
        before = package_fingerprint(code)
        (fake / path).write_text(text)
        hashing.package_fingerprint.cache_clear()
        return package_fingerprint(code) != before

    try:
        assert package_fingerprint(code).startswith(workbench.__version__ + "+")
        assert changes_when("__init__.py", "x = 2\n")          # the package's own __init__
        assert changes_when("used/helper.py", "def f():\n    from workbench import lazy  # edit\n")
        assert changes_when("lazy.py", "y = 2\n")              # imported inside a function
        assert changes_when("used/labels.yaml", "a: 2\n")      # a data file of an imported package
        assert not changes_when("unused.py", "z = 2\n")        # not imported: runs stay current
    finally:
        hashing.package_fingerprint.cache_clear()


def test_report_notebooks_do_not_depend_on_the_dashboards_or_publishing():
    from workbench.batch import imports

    root = Path(__file__).parents[2] / "src" / "workbench"
    code = imports.notebook_code(Path(__file__).parents[2] / "notebooks" / "poverty_profile.ipynb")
    files = {p.relative_to(root).parts[0] for p in imports.module_files(imports.imported_names(code), root)}
    assert {"reports", "charts", "survey", "poverty", "i18n"} <= files
    assert not files & {"dashboards", "publish", "cli"}


def test_imported_names_resolve_relative_imports():
    from workbench.batch.imports import imported_names

    code = "from . import a\nfrom ..b import c\nimport os\nfrom workbench.x import (y, z)"
    assert imported_names(code, module="workbench.p.q") == {
        "workbench.p", "workbench.p.a", "workbench.b", "workbench.b.c",
        "workbench.x", "workbench.x.y", "workbench.x.z"}
    assert imported_names("from . import a", module="workbench.p", is_package=True) == {
        "workbench.p", "workbench.p.a"}
