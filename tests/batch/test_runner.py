"""Batches of fixture notebooks on warm kernels: outputs, skipping, failures, isolation."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from workbench.batch import hashing
from workbench.batch.manifest import read_manifest
from workbench.batch.runner import _batch_lock, run_batch
from workbench.cli import app
from workbench.errors import ParameterError


def outputs(root):
    return sorted(p.relative_to(root / "reports/executed").as_posix()
                  for p in (root / "reports/executed").rglob("*") if p.is_file()
                  and p.name != ".batch.lock")


@pytest.mark.slow
def test_batch_writes_notebooks_sidecars_manifest_and_store(tree, batch_file, echo):
    config = batch_file(tree, {"echo": echo}, languages=["en", "ar"])
    result = run_batch(config, root=tree, jobs=2, progress=False)

    assert result.count("done") == 4 and not result.failed
    assert outputs(tree) == [
        "echo/2024/IQG02.ar.figures.json", "echo/2024/IQG02.ar.ipynb",
        "echo/2024/IQG02.figures.json", "echo/2024/IQG02.ipynb",
        "echo/2024/IQG08.ar.figures.json", "echo/2024/IQG08.ar.ipynb",
        "echo/2024/IQG08.figures.json", "echo/2024/IQG08.ipynb",
    ]
    nb = json.loads((tree / "reports/executed/echo/2024/IQG08.ar.ipynb").read_text())
    assert nb["metadata"]["papermill"]["parameters"] == {
        "year": 2024, "lang": "ar", "data_dir": "data", "governorate": "IQG08"}
    printed = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    assert printed.strip() == "IQG08 2024 ar plotly_mimetype"
    counts = [c.get("execution_count") for c in nb["cells"] if c["cell_type"] == "code"]
    assert counts == [1, 2, 3, 4, 5]

    doc = json.loads((tree / "reports/executed/echo/2024/IQG02.figures.json").read_text())
    assert doc["figures"]["answer"] == {"value": 4048, "unit": "number"}
    assert doc["synthetic"] is True and doc["data"][0]["path"] == "data/survey_2024.parquet"
    assert doc["parameters"]["governorate"] == "IQG02"

    manifest = read_manifest(tree / "reports/manifest.sqlite")
    assert len(manifest) == 4 and (manifest["status"] == "done").all()
    assert (manifest["duration"] > 0).all() and manifest["error"].isna().all()
    assert manifest["inputs"][0]["data/survey_2024.parquet"] == hashing.sha256_file(
        tree / "data/survey_2024.parquet")

    est = pd.read_parquet(tree / "reports/results/estimates.parquet")
    # English runs only; IQG08's own row is kept from its own run.
    assert est[["governorate", "estimate", "n"]].to_dict("records") == [
        {"governorate": "IQG02", "estimate": 0.25, "n": 100},
        {"governorate": "IQG08", "estimate": 0.25, "n": 100},
    ]
    kf = json.loads((tree / "reports/results/key_figures.json").read_text())
    assert [(r["governorate"], r["lang"]) for r in kf["runs"]] == [("IQG02", "en"), ("IQG08", "en")]


@pytest.mark.slow
def test_incremental_reruns_only_what_changed(tree, batch_file, echo, monkeypatch):
    notebooks = {"echo": echo, "sleepy": {"path": "notebooks/sleepy.ipynb", "per": "year"}}
    config = batch_file(tree, notebooks)

    def statuses():
        result = run_batch(config, root=tree, jobs=1, progress=False)
        return {f"{r.notebook}/{r.governorate}": r.status for r in result.records}

    assert set(statuses().values()) == {"done"}
    # One worker: both echo runs executed on the same (warm) kernel.
    pids = {json.loads(p.read_text())["figures"]["kernel_pid"]["value"]
            for p in (tree / "reports/executed/echo/2024").glob("*.figures.json")}
    assert len(pids) == 1
    assert statuses() == {"echo/IQG02": "skipped", "echo/IQG08": "skipped",
                          "sleepy/national": "skipped"}
    # Data file the echo notebook declares: only its runs.
    pd.read_parquet(tree / "data/survey_2024.parquet").head(100).to_parquet(
        tree / "data/survey_2024.parquet")
    assert statuses() == {"echo/IQG02": "done", "echo/IQG08": "done", "sleepy/national": "skipped"}
    # Parameters of one notebook in batch.yaml.
    notebooks["sleepy"]["parameters"] = {"seconds": 0.01}
    config = batch_file(tree, notebooks)
    assert statuses() == {"echo/IQG02": "skipped", "echo/IQG08": "skipped",
                          "sleepy/national": "done"}
    # The notebook file itself.
    nb = tree / "notebooks/echo.ipynb"
    nb.write_text(nb.read_text().replace("scale: int = 2", "scale: int = 3"))
    assert statuses() == {"echo/IQG02": "done", "echo/IQG08": "done", "sleepy/national": "skipped"}
    # A deleted output.
    (tree / "reports/executed/echo/2024/IQG08.ipynb").unlink()
    assert statuses() == {"echo/IQG02": "skipped", "echo/IQG08": "done",
                          "sleepy/national": "skipped"}
    # The package (version or source).
    monkeypatch.setattr(hashing, "package_fingerprint", lambda code: "9.9.9+changed")
    assert set(statuses().values()) == {"done"}
    # --force.
    result = run_batch(config, root=tree, jobs=1, progress=False, force=True)
    assert result.count("done") == 3
    history = read_manifest(tree / "reports/manifest.sqlite", history=True)
    assert history["status"].value_counts().to_dict() == {"done": 15, "skipped": 9}


@pytest.mark.slow
def test_a_failing_governorate_does_not_sink_the_batch(tree, batch_file, echo, monkeypatch):
    echo["parameters"] = {"fail_on": "IQG08"}
    batch_file(tree, {"echo": echo}, governorates=["Basrah", "Baghdad", "Duhok"])
    monkeypatch.chdir(tree)
    cli = CliRunner()
    result = cli.invoke(app, ["batch", "--jobs", "1"], env={"COLUMNS": "250"})
    assert result.exit_code == 1, result.output
    assert "1 failed run(s)" in result.output
    assert "ValueError: planned failure for IQG08 (cell 4)" in result.output
    assert "2 done, 1 failed, 0 skipped" in result.output
    assert "workbench batch --retry-failed" in result.output

    executed = tree / "reports/executed/echo/2024"
    failed_nb = json.loads((executed / "IQG08.ipynb").read_text())
    text = json.dumps(failed_nb)
    assert "papermill-error-cell" in text and "planned failure for IQG08" in text
    assert not (executed / "IQG08.figures.json").exists()
    # One worker, runs in order: the run after the failure got a new kernel.
    pid = {g: json.loads((executed / f"{g}.figures.json").read_text())["figures"]["kernel_pid"]
           for g in ("IQG02", "IQG09")}
    assert pid["IQG02"]["value"] != pid["IQG09"]["value"]
    manifest = read_manifest(tree / "reports/manifest.sqlite").set_index("governorate")
    assert manifest["status"].to_dict() == {"IQG02": "done", "IQG08": "failed", "IQG09": "done"}

    # Fix the cause, then retry only the failed run.
    echo["parameters"] = {"fail_on": ""}
    batch_file(tree, {"echo": echo}, governorates=["Basrah", "Baghdad", "Duhok"])
    result = cli.invoke(app, ["batch", "--jobs", "2", "--retry-failed"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "1 done, 0 failed, 0 skipped" in result.output
    history = read_manifest(tree / "reports/manifest.sqlite", history=True)
    assert history[["governorate", "status"]].values.tolist()[-1] == ["IQG08", "done"]
    assert len(history) == 4  # the two good runs were not touched
    assert (executed / "IQG08.figures.json").exists()


@pytest.mark.slow
def test_runs_on_a_warm_kernel_do_not_see_each_other(tree, batch_file):
    # One worker, so both runs share one kernel, the leaky one first.
    config = batch_file(tree, {
        "leaky": {"path": "notebooks/leaky.ipynb", "per": "year"},
        "clean": {"path": "notebooks/clean.ipynb", "per": "year"},
    })
    result = run_batch(config, root=tree, jobs=1, progress=False)
    assert [(r.notebook, r.status, r.error) for r in result.records] == [
        ("leaky", "done", None), ("clean", "done", None)]
    assert result.records[0].worker == result.records[1].worker  # same worker process


def test_dry_run_and_narrowing_from_the_command_line(tree, batch_file, echo, monkeypatch):
    batch_file(tree, {"echo": echo}, years=[2018, 2024], languages=["en", "ar"])
    monkeypatch.chdir(tree)
    result = CliRunner().invoke(app, ["batch", "--governorate", "البصرة", "--year", "2018",
                                      "--lang", "ar", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["run   echo 2018 IQG02 ar", "1 to run, 0 up to date"]
    assert not (tree / "reports/executed/echo").exists()


def test_missing_data_directory_and_a_concurrent_batch_are_user_errors(tree, batch_file, echo):
    config = batch_file(tree, {"echo": echo}, data_dir="data/nowhere")
    with pytest.raises(ParameterError, match=r"data directory .*data/nowhere not found; .*demo"):
        run_batch(config, root=tree, progress=False)
    config = batch_file(tree, {"echo": echo})
    with _batch_lock(tree / "reports/executed/.batch.lock"), \
            pytest.raises(ParameterError, match=r"another batch is running in this tree"):
        run_batch(config, root=tree, progress=False)


def test_unknown_executor_and_dask_without_scheduler(tree, batch_file, echo):
    config = batch_file(tree, {"echo": echo})
    with pytest.raises(ParameterError, match=r"--executor dask needs --scheduler"):
        run_batch(config, root=tree, executor="dask", progress=False)
    with pytest.raises(ParameterError, match=r"unknown executor 'slurm'; valid: local, dask"):
        run_batch(config, root=tree, executor="slurm", progress=False)


@pytest.mark.slow
def test_broken_warmup_fails_every_run_once_clearly(tree, batch_file, echo):
    config = batch_file(tree, {"echo": echo}, warmup="import no_such_module",
                        governorates=["Basrah", "Baghdad", "Duhok"])
    result = run_batch(config, root=tree, jobs=1, progress=False)
    errors = [r.error for r in result.records]
    assert [r.status for r in result.records] == ["failed"] * 3
    assert all("warm-up failed in the kernel: ModuleNotFoundError: No module named "
               "'no_such_module'" in e for e in errors)
    # Only the first run started a kernel; the others failed at once.
    assert [e.endswith("(fix the batch file's warmup)") for e in errors] == [False, True, True]
