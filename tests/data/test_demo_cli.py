"""``workbench data demo``: help, a run to a directory, and one-line errors."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from workbench.cli import app

runner = CliRunner()


def test_help_describes_the_options():
    result = runner.invoke(app, ["data", "demo", "--help"])
    assert result.exit_code == 0
    for text in ("--seed", "--out", "--years", "--census-households", "SYNTHETIC"):
        assert text in result.output


def test_a_small_run_writes_the_files_and_the_manifest(tmp_path):
    out = tmp_path / "demo"
    result = runner.invoke(app, ["data", "demo", "--seed", "0", "--out", str(out), "--years", "2018",
                                 "--census-households", "3000", "--households", "3000",
                                 "--chunk-size", "1000"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["synthetic"] is True
    assert manifest["options"]["years"] == [2018]
    assert manifest["files"]["frame.parquet"]["rows"] == 3000
    assert {"survey_2018.parquet", "frame.parquet", "registry.parquet", "panel.parquet",
            "cpi.parquet"} <= {p.name for p in out.iterdir()}


@pytest.mark.parametrize(("args", "message"), [
    (["--years", "2010"], r"unknown survey round\(s\) \[2010\].*2007, 2012, 2018, 2024"),
    (["--years", "20x8"], r"--years: '20x8' is not a year"),
    (["--census-households", "0"], r"census_households must be a whole number >= 1; got 0"),
    (["--households", "500"], r"households=500 is too small"),
])
def test_bad_options_are_one_line_errors_with_exit_code_2(tmp_path, args, message):
    result = runner.invoke(app, ["data", "demo", "--out", str(tmp_path), *args])
    assert result.exit_code == 2
    assert re.search(message, " ".join(result.output.split()))
