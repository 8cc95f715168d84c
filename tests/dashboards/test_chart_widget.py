"""The dashboards' chart widget: figure JSON for the small plotly.js bundle, in-place updates, the cache."""

from __future__ import annotations

import json
import re

import plotly.graph_objects as go
import pytest

from workbench.charts.plotlyjs import BASIC_BUNDLE, BASIC_TRACES
from workbench.charts.theme import themed
from workbench.dashboards.chart import (
    ChartPanel,
    PlotlyChart,
    figure_spec,
    plotly_path,
)


def _bars(title: str = "t") -> go.Figure:
    return go.Figure(go.Bar(x=[1, 2], y=["a", "b"], orientation="h"), layout={"title": title, "height": 300})


def test_figure_spec_is_plain_json_with_the_house_config():
    fig = _bars()
    fig.add_trace(go.Scatter(x=[1], y=["a"], mode="text", text=["1"]))
    spec = figure_spec(themed(fig, title="t", source=None))
    assert [t["type"] for t in spec["data"]] == ["bar", "scatter"]
    assert set(spec["layout"]["template"]["data"]) == {"bar", "scatter", "pie"}  # the lean house template
    assert spec["layout"]["template"]["layout"]["plot_bgcolor"] == "white"
    assert spec["config"]["displaylogo"] is False
    json.dumps(spec)  # nothing but JSON types


def test_figure_spec_refuses_a_trace_the_bundle_cannot_draw():
    with pytest.raises(ValueError, match=r"\['heatmap'\].*scatter, bar|bar, pie, scatter"):
        figure_spec(go.Figure(go.Heatmap(z=[[1, 2]])))
    assert {"scatter", "bar"} <= BASIC_TRACES


def test_a_new_figure_is_one_message_and_the_same_view_none():
    panel = ChartPanel("wb-chart-test")
    sent: list[dict] = []
    panel.widget.send_state = lambda key=None: sent.append(set(key))  # what would go to the browser
    panel.show(("a",), lambda: _bars("A"))
    assert panel.widget.revision == 1 and panel.spec["layout"]["title"]["text"] == "A"
    assert len(sent) == 1 and sent[0] == {"figure", "revision"}
    panel.show(("a",), lambda: pytest.fail("a cached view is not rebuilt"))
    assert panel.widget.revision == 1 and len(sent) == 1  # the same view: nothing sent
    panel.show(("b",), lambda: _bars("B"))
    panel.show(("a",), lambda: pytest.fail("a cached view is not rebuilt"))
    assert panel.widget.revision == 3 and panel.widget.figure["layout"]["title"]["text"] == "A"


def test_a_message_replaces_the_chart():
    panel = ChartPanel("wb-chart-test")
    panel.show(("a",), lambda: _bars())
    panel.message("<p>none</p>")
    assert panel.spec is None and panel.widget.figure == {} and panel.widget.notice == "<p>none</p>"
    panel.show(("a",), lambda: pytest.fail("cached"))
    assert panel.widget.notice == "" and panel.widget.figure["data"][0]["type"] == "bar"
    assert panel.widget.revision == 3


def test_the_widget_knows_where_the_bundle_is_served():
    chart = PlotlyChart()
    assert chart._plotly == plotly_path()
    assert re.fullmatch(r"workbench/static/plotly-basic\.min\.js\?v=[0-9a-f]{16}", chart._plotly)
    assert "wb-chart-test" in ChartPanel("wb-chart-test").widget._dom_classes


def test_the_kernel_sends_plotly_js_where_the_server_does_not_serve_it():
    """In JupyterLab the bundle's address answers 404: the browser asks the widget for it."""
    chart = PlotlyChart()
    sent = []
    chart.send = lambda content, buffers=None: sent.append((content, buffers))
    chart._answer(chart, {"type": "something else"}, [])
    assert sent == []
    chart._answer(chart, {"type": "plotly.js"}, [])
    assert sent[0][0] == {"type": "plotly.js"} and sent[0][1] == [BASIC_BUNDLE.read_bytes()]
