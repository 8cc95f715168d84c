"""Smoke test of benchmarks/dashboards.py: its bundle and redraw comparison runs (no time asserted)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian chromium not installed")]


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("bench_dashboards", ROOT / "benchmarks" / "dashboards.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_bundle_comparison_measures_both_bundles_and_both_redraws(tmp_path):
    from playwright.sync_api import sync_playwright

    from workbench.dashboards.synthetic import write_synthetic_results

    bench = _load_benchmark()
    specs = bench._specs(write_synthetic_results(tmp_path / "results"))
    assert specs["y2024"]["data"][0]["x"] != specs["y2012"]["data"][0]["x"]   # the redraw changes the chart
    (tmp_path / "specs.js").write_text("window.SPECS = " + json.dumps(specs) + ";", encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=bench.CHROMIUM, args=["--no-sandbox"])
        found = bench.bundles(browser, tmp_path, repeat=1)
        browser.close()
    assert set(found) == {"full", "basic"}
    assert {"startup", "first_chart", "first_draw"} <= set(found["full"])
    assert {"redraw_newPlot", "redraw_react"} <= set(found["basic"])
    assert all(value > 0 for runs in found.values() for value in runs.values())
