"""Charts in the dashboards: a plotly figure in a widget that redraws in place.

:class:`PlotlyChart` is an anywidget whose browser side (``static/chart.js``)
draws the figure with plotly.js's small "basic" bundle, which the dashboard
server serves (:mod:`workbench.charts.plotlyjs`: scatter, bar and pie traces,
all that the charts of :mod:`workbench.charts` use), draws the charts on screen
first, and redraws a changed figure with ``Plotly.react`` instead of a new plot.
:class:`ChartPanel` is what a dashboard holds: the widget, a cache of figures
per view, and a message in place of the chart when there is nothing to draw.

Why not the plotly mime bundle in an ``ipywidgets.Output`` (the default way):
the page then loads the full plotly.js (4.8 MB, about 1.5 s of start-up on
this machine before the first chart) and every redraw replaces the whole plot;
and not ``plotly.graph_objects.FigureWidget``: it sends its 5 MB JavaScript
bundle with every widget.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import cache
from pathlib import Path
from typing import Any

import anywidget
import plotly.graph_objects as go
import plotly.io as pio
import traitlets

from workbench.charts.plotlyjs import BASIC_BUNDLE, BASIC_TRACES, bundle_bytes, trace_types

__all__ = ["BUNDLE_ROUTE", "PLOTLY_CONFIG", "ChartPanel", "PlotlyChart", "figure_spec", "plotly_path"]

STATIC = Path(__file__).with_name("static")
#: URL path (under the server's base URL) of the bundle; the server routes exactly this file.
BUNDLE_ROUTE = "workbench/static/plotly-basic.min.js"

#: Plotly options: no logo, no link to an online editor. Not "responsive": the widget follows
#: its container's width itself (plotly's option would also size the plot to the container's
#: height, which the page does not fix).
PLOTLY_CONFIG: dict[str, Any] = {"displaylogo": False,
                                 "modeBarButtonsToRemove": ["sendDataToCloud", "lasso2d", "select2d"]}


@cache
def plotly_path() -> str:
    """The bundle's URL path with a content hash, so that browsers may cache it for good."""
    digest = hashlib.sha256(bundle_bytes(BASIC_BUNDLE)).hexdigest()[:16]
    return f"{BUNDLE_ROUTE}?v={digest}"


def figure_spec(fig: go.Figure) -> dict[str, Any]:
    """The figure as plain JSON (``data``, ``layout``, ``config``) for the browser.

    Raises
    ------
    ValueError
        If a trace type is not one the dashboards' plotly.js bundle draws.
    """
    spec = json.loads(pio.to_json(fig, validate=False))
    types = trace_types([spec])
    if not types <= BASIC_TRACES:
        raise ValueError(f"trace type(s) {sorted(types - BASIC_TRACES)} are not in the dashboards' plotly.js "
                         f"bundle ({', '.join(sorted(BASIC_TRACES))}); see workbench/charts/js/README.md")
    spec["config"] = PLOTLY_CONFIG
    return spec


class PlotlyChart(anywidget.AnyWidget):
    """One plotly figure, or a message in its place (see the module docstring).

    Attributes
    ----------
    figure : dict
        ``data``, ``layout`` and ``config`` of the figure (empty: none).
    notice : str
        HTML shown instead of the figure when not empty.
    revision : int
        Counts the changes; the browser writes the revision it has drawn on
        the element (``data-revision``).
    """

    _esm = STATIC / "chart.js"
    _plotly = traitlets.Unicode("").tag(sync=True)
    figure = traitlets.Dict().tag(sync=True)
    notice = traitlets.Unicode("").tag(sync=True)
    revision = traitlets.Int(0).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(_plotly=plotly_path(), **kwargs)
        self.on_msg(self._answer)

    def _answer(self, _: PlotlyChart, content: dict[str, Any], buffers: list[bytes]) -> None:
        """Send plotly.js to a browser that could not fetch it from the dashboard server."""
        if isinstance(content, dict) and content.get("type") == "plotly.js":
            self.send({"type": "plotly.js"}, buffers=[bundle_bytes(BASIC_BUNDLE)])

    def set(self, *, figure: dict[str, Any] | None = None, notice: str = "") -> None:
        """Show ``figure``, or ``notice`` instead; one message to the browser."""
        with self.hold_sync():
            self.figure = figure or {}
            self.notice = notice
            self.revision += 1


class ChartPanel:
    """A dashboard's place for one chart, with the figures of the views already seen.

    Parameters
    ----------
    css : str
        CSS class naming the panel (``wb-chart-ranked`` ...), used by tests and styles.
    """

    #: Figures kept per panel, so that going back to a view costs nothing.
    CACHE_SIZE = 48

    def __init__(self, css: str) -> None:
        self.widget = PlotlyChart(layout={"width": "100%"})
        self.widget.add_class("wb-chart")
        self.widget.add_class(css)
        self.key: Hashable | None = None
        self._cache: OrderedDict[Hashable, dict[str, Any]] = OrderedDict()

    def show(self, key: Hashable, build: Callable[[], go.Figure]) -> None:
        """Show the figure of view ``key``, built by ``build()`` unless it is cached.

        ``key`` must name everything the figure depends on (selection and language).
        """
        spec = self._cache.pop(key, None)
        if spec is None:
            spec = figure_spec(build())
        self._cache[key] = spec
        while len(self._cache) > self.CACHE_SIZE:
            self._cache.popitem(last=False)
        if key != self.key:
            self.key = key
            self.widget.set(figure=spec)

    @property
    def spec(self) -> dict[str, Any] | None:
        """The plotly JSON (``data``, ``layout``, ``config``) shown now, or None when a message is shown."""
        return None if self.key is None else self._cache[self.key]

    def message(self, html_text: str) -> None:
        """Replace the chart with an HTML message."""
        self.key = None
        self.widget.set(notice=html_text)
