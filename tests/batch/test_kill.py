"""A batch killed half-way: nothing half-written is ever taken for finished."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.batch.manifest import read_manifest
from workbench.batch.runner import run_batch

WORKBENCH = Path(sys.executable).with_name("workbench")


def wait_for(condition, timeout=90.0, what="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def partials(root):
    return sorted(p.name for p in (root / "reports/executed").rglob("*.partial-*"))


@pytest.mark.slow
def test_sigkill_mid_run_then_rerun(tree, batch_file, echo):
    config = batch_file(tree, {
        "echo": echo,
        "sleepy": {"path": "notebooks/sleepy.ipynb", "per": "year", "parameters": {"seconds": 6}},
    }, governorates=["Basrah"])
    proc = subprocess.Popen([str(WORKBENCH), "batch", "--jobs", "1", "--config", str(config)],
                            cwd=tree, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        manifest = tree / "reports/manifest.sqlite"
        wait_for(lambda: manifest.exists() and
                 "done" in read_manifest(manifest)["status"].tolist(), what="the echo run")
        wait_for(lambda: partials(tree), what="the sleepy run to start")
        os.kill(proc.pid, signal.SIGKILL)  # the batch process only, mid-run
        proc.wait(timeout=10)

        sleepy = tree / "reports/executed/sleepy/2024"
        assert not (sleepy / "national.ipynb").exists()
        assert any(p.startswith("national.partial-") for p in partials(tree))
        assert read_manifest(manifest)[["notebook", "status"]].values.tolist() == [["echo", "done"]]

        result = run_batch(config, root=tree, jobs=1, progress=False)
        assert {(r.notebook, r.status) for r in result.records} == {
            ("echo", "skipped"), ("sleepy", "done")}
        assert (sleepy / "national.ipynb").is_file()
        assert partials(tree) == []
        # The killed batch's worker (and so its kernel) noticed and exited on its own.
        with pytest.raises(ProcessLookupError):
            os.killpg(proc.pid, 0)
        current = read_manifest(manifest).set_index("notebook")["status"].to_dict()
        assert current == {"echo": "done", "sleepy": "done"}
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the killed batch's own worker, if left
        except ProcessLookupError:
            pass
