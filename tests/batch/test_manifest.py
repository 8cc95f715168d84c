"""The run manifest: every attempt recorded; the current state of each run; read as a frame."""

import sqlite3

import pandas as pd
import pytest

from workbench.batch.manifest import Manifest, RunRecord, read_manifest
from workbench.errors import ParameterError


def rec(status, *, gov="IQG02", batch="b1", started="2026-01-01T10:00:00.000+00:00", **kw):
    return RunRecord(batch=batch, notebook="poverty_profile", year=2024, governorate=gov, lang="en",
                     parameters={"year": 2024, "governorate": gov}, input_hash=f"h-{status}",
                     inputs={"package": "0.1+abc"}, status=status, duration=2.5,
                     output=f"reports/executed/poverty_profile/2024/{gov}.ipynb",
                     started=started, finished=started, **kw)


def test_current_is_the_latest_executed_attempt(tmp_path):
    path = tmp_path / "m.sqlite"
    with Manifest(path) as m:
        m.record(rec("failed", error="ValueError: boom (cell 4)"))
        m.record(rec("done", batch="b2"))
        m.record(rec("skipped", batch="b3"))
        m.record(rec("done", gov="IQG08"))
        current = m.current()
    assert {k: r.status for k, r in current.items()} == {
        ("poverty_profile", 2024, "IQG02", "en"): "done",
        ("poverty_profile", 2024, "IQG08", "en"): "done",
    }
    assert current[("poverty_profile", 2024, "IQG02", "en")].batch == "b2"


def test_read_manifest_frames_current_and_history(tmp_path):
    path = tmp_path / "m.sqlite"
    with Manifest(path) as m:
        m.record(rec("failed", error="ValueError: boom (cell 4)"))
        m.record(rec("skipped", batch="b2"))
    current = read_manifest(path)
    history = read_manifest(path, history=True)
    assert current["status"].tolist() == ["failed"]
    assert current.loc[0, "error"] == "ValueError: boom (cell 4)"
    assert current.loc[0, "parameters"] == {"year": 2024, "governorate": "IQG02"}
    assert current.loc[0, "inputs"] == {"package": "0.1+abc"}
    assert current.loc[0, "started"] == pd.Timestamp("2026-01-01T10:00:00", tz="UTC")
    assert history["status"].tolist() == ["failed", "skipped"]
    assert list(current.columns) == [
        "batch", "notebook", "year", "governorate", "lang", "status", "parameters", "input_hash",
        "inputs", "duration", "output", "figures", "error", "started", "finished", "worker",
        "package_version"]


def test_status_is_constrained(tmp_path):
    with Manifest(tmp_path / "m.sqlite") as m, pytest.raises(sqlite3.IntegrityError):
        m.record(rec("running"))


def test_no_manifest_yet_is_a_clear_error(tmp_path):
    with pytest.raises(ParameterError, match=r"no run manifest at .*; run `workbench batch` first"):
        read_manifest(tmp_path / "none.sqlite")
