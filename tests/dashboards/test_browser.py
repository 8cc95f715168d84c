"""Both dashboards in headless Chromium: first paint, a widget change redrawn as the package computes it,
no error box, Arabic right to left, downloads, screenshots (tests/artifacts/).

Timings (first paint, widget change to redrawn chart) are measured and written to
``tests/artifacts/dashboard_timings.json``; they are reported, not asserted.
"""

from __future__ import annotations

import csv
import io
import json
import time

import numpy as np
import pytest
from numpy.testing import assert_allclose

from workbench.charts import ranked_bars
from workbench.charts.format import format_value
from workbench.dashboards.strategy import STATUSES, StrategyTarget, assess

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLOT = ".wb-dashboard .wb-chart .js-plotly-plot .main-svg"
#: Requests allowed to fail: Voila's page asks a CDN for Font Awesome (no internet here).
CDN = ("cdn.jsdelivr.net",)

# Change a <select> of a control and wait, in the page, for the chart of ``panel`` to show a new
# figure (the chart widget writes the revision it has drawn on its element, `data-revision`):
# returns the milliseconds from the change to the redrawn chart.
CHANGE_AND_WAIT = """async ([control, label, panel]) => {
  const select = document.querySelector(`.${control} select`);
  const chart = document.querySelector(`.${panel}`);
  const before = chart.dataset.revision;
  // ipywidgets writes the labels with non-breaking spaces.
  const option = [...select.options].find(o => o.text.replace(/\u00a0/g, ' ') === label);
  const t0 = performance.now();
  select.value = option.value;
  select.dispatchEvent(new Event('change', {bubbles: true}));
  while (performance.now() - t0 < 60000) {
    await new Promise(r => requestAnimationFrame(r));
    if (chart.dataset.revision !== before && chart.querySelector('.js-plotly-plot .main-svg')) {
      return performance.now() - t0;
    }
  }
  return -1;
}"""
# `_fullData`: plotly.js has decoded the base64 typed arrays of the figure JSON there.
PLOT_DATA = "(panel) => Array.from(document.querySelector(`.${panel} .js-plotly-plot`)._fullData[0].x)"


@pytest.fixture(scope="module")
def timings(artifacts):
    found: dict[str, float] = {}
    yield found
    path = artifacts / "dashboard_timings.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**old, **{k: round(v, 3) for k, v in found.items()}}, indent=1))


class Viewer:
    """One browser page on a dashboard, with the console errors and failed requests it saw."""

    def __init__(self, browser, url: str) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 3400})
        self.page.set_default_timeout(120_000)  # two busy cores: generous, timings are reported apart
        self.problems: list[str] = []
        self.page.on("requestfailed", lambda r: None if any(h in r.url for h in CDN)
                     else self.problems.append(f"failed {r.url}"))
        self.page.on("response", lambda r: self.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error {e}"))
        start = time.perf_counter()
        self.page.goto(url, wait_until="commit")
        self.page.wait_for_selector(PLOT, timeout=180_000)
        self.first_paint = time.perf_counter() - start

    def text(self) -> str:
        return self.page.inner_text("body")

    def assert_clean(self) -> None:
        """No error box, no traceback, no failed request (but the CDN)."""
        assert self.page.locator(".wb-notice-error").count() == 0
        assert self.page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
        text = self.text()
        for bad in ("Traceback", "There was an error when executing", "Something went wrong"):
            assert bad not in text, bad
        assert self.problems == []

    def settle(self) -> None:
        """Let the kernel finish drawing the other parts, so the next change is timed alone."""
        self.page.wait_for_timeout(2500)


def test_index_page(server, browser, artifacts):
    page = browser.new_page(viewport={"width": 1200, "height": 700})
    page.goto(server.url)
    assert page.locator("article.wb-dashboard-link").count() == 4  # two dashboards, two languages
    assert page.get_attribute("section[lang=ar]", "dir") == "rtl"
    page.screenshot(path=str(artifacts / "dashboards_index.png"))
    page.close()


def test_poverty_explorer(server, browser, store, artifacts, timings):
    v = Viewer(browser, f"{server.url}voila/render/poverty_explorer.ipynb")
    timings["explorer_first_paint_s"] = v.first_paint
    page = v.page
    # First paint shows the package's ranking for the latest round.
    shown = page.evaluate(PLOT_DATA, "wb-chart-ranked")
    expected = ranked_bars(store.governorate_rows("headcount", 2024), measure="headcount", year=2024, min_n=30)
    assert_allclose(shown, expected.data[0].x, rtol=1e-9)
    assert page.get_attribute(".wb-chart-ranked .js-plotly-plot", "aria-label") == \
        "Poverty headcount rate by governorate, 2024 percent"   # the chart's name for screen readers
    # Change the round: the ranking is redrawn with the 2012 estimates, the national card follows.
    v.settle()
    ms = page.evaluate(CHANGE_AND_WAIT, ["wb-year", "2012", "wb-chart-ranked"])
    assert ms > 0
    timings["explorer_year_change_to_ranked_chart_ms"] = ms
    expected = ranked_bars(store.governorate_rows("headcount", 2012), measure="headcount", year=2012, min_n=30)
    assert_allclose(page.evaluate(PLOT_DATA, "wb-chart-ranked"), expected.data[0].x, rtol=1e-9)
    national = store.place_row("national", "headcount", 2012)
    page.wait_for_function("(v) => document.querySelector('.wb-card-national').innerText.includes(v)",
                           arg=format_value(national["estimate"], "headcount"))
    # A second change, of the indicator: measured again (the figure cache is cold for it).
    v.settle()
    ms = page.evaluate(CHANGE_AND_WAIT, ["wb-measure", "Poverty gap", "wb-chart-ranked"])
    timings["explorer_measure_change_to_ranked_chart_ms"] = ms
    gap = store.governorate_rows("gap", 2012)
    shown = np.sort(page.evaluate(PLOT_DATA, "wb-chart-ranked"))
    assert_allclose(shown, np.sort(100 * gap.loc[gap["n"] >= 30, "estimate"]), rtol=1e-9)
    page.evaluate(CHANGE_AND_WAIT, ["wb-measure", "Poverty headcount rate", "wb-chart-ranked"])
    v.settle()
    ms = page.evaluate(CHANGE_AND_WAIT, ["wb-compare", "Basrah", "wb-chart-compare"])
    timings["explorer_compare_change_to_chart_ms"] = ms
    v.settle()
    v.assert_clean()
    page.locator(".wb-dashboard").screenshot(path=str(artifacts / "poverty_explorer.png"))
    # The table downloads as CSV, with the same numbers.
    with page.expect_download() as download:
        page.click(".wb-download-csv")
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    iraq = next(r for r in rows if r["Code"] == "national")
    assert float(iraq["Estimate"]) == pytest.approx(100 * national["estimate"], abs=1e-4)
    assert len(rows) == 19 and "hhid" not in rows[0]
    # Arabic: the page reads right to left, the charts are mirrored.
    page.click(".wb-lang button:nth-child(2)")
    page.wait_for_selector(".wb-dashboard.wb-rtl")
    page.wait_for_function("() => { const r = document.querySelector('.wb-chart-ranked .js-plotly-plot')"
                           "._fullLayout.xaxis.range; return r[0] > r[1]; }")  # mirrored: x runs right to left
    assert page.evaluate("getComputedStyle(document.querySelector('.wb-dashboard')).direction") == "rtl"
    assert "مستكشف الفقر" in v.text()
    v.settle()
    v.assert_clean()
    page.locator(".wb-dashboard").screenshot(path=str(artifacts / "poverty_explorer_ar.png"))
    page.close()


def test_strategy_progress(server, browser, store, artifacts, timings):
    v = Viewer(browser, f"{server.url}voila/render/strategy_progress.ipynb")
    timings["progress_first_paint_s"] = v.first_paint
    page = v.page

    def counts(target: StrategyTarget) -> str:
        a = assess(store, target, year=2024, min_n=30)
        c = a[a["governorate"] != "national"]["status"].value_counts()
        return f"{c.get('on_track', 0)} on track, {c.get('uncertain', 0)} too close to call, " \
               f"{c.get('off_track', 0)} off track, {c.get('not_assessed', 0)} not assessed"

    assert counts(StrategyTarget(2018, 2022, 0.25)) in v.text()
    rows = page.locator(".wb-progress-table tbody tr")
    assert rows.count() == 19 and set(rows.evaluate_all("rs => rs.map(r => r.dataset.status)")) <= set(STATUSES)
    v.settle()
    ms = page.evaluate(CHANGE_AND_WAIT, ["wb-target-year", "2030", "wb-chart-progress"])
    assert ms > 0
    timings["progress_target_year_change_to_chart_ms"] = ms
    page.wait_for_function("(t) => document.querySelector('.wb-cards-box').innerText.includes(t)",
                           arg=counts(StrategyTarget(2018, 2030, 0.25)))
    page.evaluate(CHANGE_AND_WAIT, ["wb-target-year", "2022", "wb-chart-progress"])
    v.settle()
    ms = page.evaluate(CHANGE_AND_WAIT, ["wb-place", "Basrah", "wb-chart-trend"])
    timings["progress_place_change_to_trend_ms"] = ms
    title = page.evaluate("document.querySelector('.wb-chart-trend .js-plotly-plot').layout.title.text")
    assert "Basrah" in title
    v.settle()
    v.assert_clean()
    page.locator(".wb-dashboard").screenshot(path=str(artifacts / "strategy_progress.png"))
    page.click(".wb-lang button:nth-child(2)")
    page.wait_for_selector(".wb-dashboard.wb-rtl")
    assert "تقدم الاستراتيجية" in v.text()
    v.settle()
    v.assert_clean()
    page.locator(".wb-dashboard").screenshot(path=str(artifacts / "strategy_progress_ar.png"))
    page.close()


def test_missing_results_page(browser, tmp_path, artifacts, start_server):
    with start_server(tmp_path / "empty", tmp_path / "server.log", pool_size=1) as s:
        page = browser.new_page(viewport={"width": 1200, "height": 500})
        page.goto(f"{s.url}voila/render/poverty_explorer.ipynb", wait_until="commit")
        page.wait_for_selector(".wb-missing", timeout=180_000)
        text = page.inner_text("body")
        assert "No results yet" in text and "workbench batch" in text and "Traceback" not in text
        page.locator(".wb-missing").screenshot(path=str(artifacts / "missing_results.png"))
        page.close()
        assert s.alive()


def test_behind_a_path_prefix_the_charts_load_from_the_server(start_server, results_dir, browser, tmp_path):
    """Deployed as in docs/dashboards.md (``--base-url /dashboards/``): the page and the charts'
    plotly.js come from under the prefix, not through the kernel's fallback."""
    with start_server(results_dir, tmp_path / "server.log", pool_size=0, base_url="/dashboards/") as server:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        bundles = []
        page.on("response", lambda r: bundles.append((r.status, r.url)) if "plotly-basic" in r.url else None)
        page.goto(f"{server.url}voila/render/strategy_progress.ipynb", wait_until="commit")
        page.wait_for_selector(PLOT, timeout=180_000)
        assert [status for status, _ in bundles] == [200]
        assert "/dashboards/workbench/static/plotly-basic.min.js?v=" in bundles[0][1]
        assert page.locator(".wb-notice-error").count() == 0
        page.close()
