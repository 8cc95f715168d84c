"""The plotly.js bundles: the vendored basic bundle matches plotly.py, and the charts need no other."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import plotly

import workbench.charts
from workbench.charts import governorate_map, ranked_bars
from workbench.charts.plotlyjs import (
    BASIC_BUNDLE,
    BASIC_TRACES,
    FULL_BUNDLE,
    bundle_for,
    trace_types,
)
from workbench.geography import governorates


def test_the_basic_bundle_is_the_plotly_js_of_the_installed_plotly():
    """plotly.py writes figure JSON for its own plotly.js: the vendored bundle must be that version."""
    header = BASIC_BUNDLE.read_text(encoding="utf-8")[:200]
    version = re.search(r"plotly\.js \(basic - minified\) v(\d+\.\d+\.\d+)", header)
    assert version is not None, header
    assert version.group(1) == plotly.offline.get_plotlyjs_version()
    assert BASIC_BUNDLE.with_name("plotly-LICENSE.txt").read_text().startswith("MIT License")
    assert BASIC_BUNDLE.stat().st_size < FULL_BUNDLE.stat().st_size / 3


def test_the_house_charts_draw_with_the_basic_bundle():
    """Every plotly trace the chart builders construct is one the basic bundle draws."""
    package = Path(workbench.charts.__file__).parent
    built = {name.lower() for path in package.glob("*.py")
             for name in re.findall(r"\bgo\.([A-Z]\w*)\(", path.read_text(encoding="utf-8"))} - {"figure"}
    assert {"bar", "scatter"} <= built <= BASIC_TRACES
    rows = pd.DataFrame({"governorate": [g.pcode for g in governorates()], "estimate": 0.2, "se": 0.01,
                         "ci_low": 0.18, "ci_high": 0.22, "n": 500, "year": 2024, "measure": "headcount"})
    figures = [ranked_bars(rows, measure="headcount", year=2024),
               governorate_map(rows, measure="headcount", year=2024)]
    assert bundle_for(trace_types(f.to_plotly_json() for f in figures)) == BASIC_BUNDLE


def test_other_traces_get_the_full_bundle():
    assert bundle_for({"bar", "choropleth"}) == FULL_BUNDLE and FULL_BUNDLE.is_file()
    assert bundle_for(set()) == BASIC_BUNDLE
