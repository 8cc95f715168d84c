"""Category labels of bar charts are never clipped: measured in Chromium with plotly.js, and in kaleido's PNG.

The report's district chart (Maysan holds the longest district name, "Al-Mejar Al-Kabir")
and a chart with a much longer label, in English and Arabic (axis on the right), at a
phone's width, the PDF image's width (``PRINT_WIDTH``) and a desktop's.
"""

from __future__ import annotations

import json
import shutil
from importlib import resources

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from workbench.charts.dashboard_extras import district_bars
from workbench.charts.theme import themed
from workbench.geography import districts
from workbench.publish.figures import PRINT_WIDTH

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian chromium not installed")]

LONG = {"en": "Al-Mejar Al-Kabir and the Marshes of Southern Maysan",
        "ar": "المجر الكبير وأهوار جنوب ميسان الكبرى والمناطق المحيطة"}
WIDTHS = (360, PRINT_WIDTH)    # a phone, and the PDF image
_PLOTLY = resources.files("plotly").joinpath("package_data/plotly.min.js").read_text(encoding="utf-8")

# Each y tick label's box against the figure's SVG and the plot area, in CSS pixels.
GEOMETRY = """() => { const plot = document.getElementById('p');
  const svg = plot.querySelector('svg.main-svg').getBoundingClientRect();
  const area = plot.querySelector('.draglayer .xy .nsewdrag').getBoundingClientRect();
  return Array.from(plot.querySelectorAll('.ytick text')).map(t => { const r = t.getBoundingClientRect();
    return {label: t.textContent, inside: r.left >= svg.left - 0.5 && r.right <= svg.right + 0.5,
            gap: Math.max(area.left - r.right, r.left - area.right)}; }); }"""

# The same in a static SVG from kaleido (drawn at the page's origin, one unit a pixel):
# the plot area is the subplot's axes clip rectangle.
KALEIDO_GEOMETRY = """() => { const svg = document.querySelector('svg.main-svg').getBoundingClientRect();
  const clip = document.querySelector('clipPath.axesclip[id$="xy"] rect');
  const left = +clip.getAttribute('x'), right = left + +clip.getAttribute('width');
  return Array.from(document.querySelectorAll('.ytick text')).map(t => { const r = t.getBoundingClientRect();
    return {label: t.textContent, inside: r.left >= svg.left - 0.5 && r.right <= svg.right + 0.5,
            gap: Math.max(left - r.right, r.left - right)}; }); }"""


def _maysan(lang: str) -> go.Figure:
    codes = [d.pcode for d in districts() if d.governorate_pcode == "IQG14"]
    est = np.linspace(0.2, 0.55, len(codes))
    table = pd.DataFrame({"district": codes, "estimate": est, "ci_low": est - 0.05, "ci_high": est + 0.08,
                          "n": 240})
    return district_bars(table, measure="headcount", place="IQG14", year=2024, lang=lang,
                         source="household survey (synthetic demo data)", min_n=30)


def _long(lang: str) -> go.Figure:
    labels = ["Al-Kahla" if lang == "en" else "الكحلاء", LONG[lang], "Qalat Saleh" if lang == "en" else "قلعة صالح"]
    fig = go.Figure(go.Bar(x=[30.0, 48.0, 55.0], y=labels, orientation="h"))
    fig.add_trace(go.Scatter(x=[36.0, 55.0, 63.0], y=labels, mode="text", text=["30%", "48%", "55%"],
                             textposition="middle left" if lang == "ar" else "middle right", cliponaxis=False))
    return themed(fig, title="Poverty headcount rate by district", source="test", lang=lang)


def _draw(page, fig: go.Figure, width: int) -> list[dict]:
    """Draw ``fig`` as the site does (no fixed width, plotly.js) in a page ``width`` pixels wide."""
    page.set_viewport_size({"width": width, "height": 900})
    spec = json.loads(fig.to_json())
    spec["layout"].pop("width", None)
    page.evaluate("s => { Plotly.purge('p'); return Plotly.newPlot('p', s.data, s.layout); }", spec)
    return page.evaluate(GEOMETRY)


def _page(browser):
    page = browser.new_page()
    page.set_content("<html><body style='margin:0'><div id='p'></div></body></html>")
    page.add_script_tag(content=_PLOTLY)
    return page


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("build", [_maysan, _long], ids=["maysan-districts", "long-label"])
def test_labels_fit_inside_the_figure_and_clear_of_the_axis(browser, build, lang):
    page = _page(browser)
    problems = []
    try:
        for width in WIDTHS:
            ticks = _draw(page, build(lang), width)
            assert len(ticks) >= 3
            problems += [f"{t['label']!r} clipped at {width}px" for t in ticks if not t["inside"]]
            problems += [f"{t['label']!r} touches the axis at {width}px" for t in ticks if t["gap"] < 3]
    finally:
        page.close()
    assert problems == []


@pytest.mark.parametrize("build", [_maysan, _long], ids=["maysan-districts", "long-label"])
def test_kaleido_lays_the_pdf_image_out_the_same_way(browser, build):
    """The PDF's chart image comes from kaleido: its own layout (as SVG, ``PRINT_WIDTH`` wide)
    keeps every label inside the image and clear of the axis, in English and Arabic."""
    import plotly.io as pio

    page = browser.new_page()
    problems = []
    try:
        for lang in ("en", "ar"):
            fig = build(lang)
            svg = pio.to_image(fig, format="svg", width=PRINT_WIDTH, height=fig.layout.height or 500)
            page.set_content(f"<html><body style='margin:0'>{svg.decode()}</body></html>")
            ticks = page.evaluate(KALEIDO_GEOMETRY)
            assert len(ticks) >= 3
            problems += [f"{t['label']!r} clipped ({lang})" for t in ticks if not t["inside"]]
            problems += [f"{t['label']!r} touches the axis ({lang})" for t in ticks if t["gap"] < 3]
    finally:
        page.close()
    assert problems == []
