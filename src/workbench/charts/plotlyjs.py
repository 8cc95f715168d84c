"""The plotly.js that draws the charts in a browser: the small "basic" bundle whenever it can.

Every chart of :mod:`workbench.charts` is made of bar and scatter traces, which
plotly.js's "basic" bundle draws (1.2 MB; vendored in ``charts/js/``, see its
README). plotly.py ships only the full bundle (4.8 MB), which a fresh browser
needs about 1.5 s to start on this machine, against 0.2 s. The dashboards
(:mod:`workbench.dashboards.chart`) and the published HTML pages
(:mod:`workbench.publish.site`) both load the basic bundle, and fall back to the
full one for a figure with another trace type.

Examples
--------
>>> bundle_for({"bar", "scatter"}).name, bundle_for({"bar", "heatmap"}).name
('plotly-basic.min.js', 'plotly.min.js')
>>> sorted(trace_types([{"data": [{"type": "bar"}, {"x": [1]}]}]))
['bar', 'scatter']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import plotly

__all__ = ["BASIC_BUNDLE", "BASIC_TRACES", "FULL_BUNDLE", "bundle_bytes", "bundle_for", "trace_types"]

#: plotly.js's "basic" bundle (npm ``plotly.js-basic-dist-min``, the version plotly.py bundles).
BASIC_BUNDLE = Path(__file__).with_name("js") / "plotly-basic.min.js"
#: The trace types the basic bundle draws.
BASIC_TRACES = frozenset({"scatter", "bar", "pie"})
#: plotly.py's own, full plotly.js.
FULL_BUNDLE = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def trace_types(figures: Iterable[Mapping[str, Any]]) -> set[str]:
    """The trace types of plotly figure JSON (a trace without ``type`` is a scatter)."""
    return {trace.get("type", "scatter") for figure in figures for trace in figure.get("data", [])}


def bundle_for(types: Iterable[str]) -> Path:
    """The smallest bundle that draws every trace type in ``types``."""
    return BASIC_BUNDLE if set(types) <= BASIC_TRACES else FULL_BUNDLE


@cache
def bundle_bytes(bundle: Path) -> bytes:
    """The bundle's content, read once per process (pages, the dashboard server and kernels send it)."""
    return bundle.read_bytes()
