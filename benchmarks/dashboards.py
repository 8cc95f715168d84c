"""Dashboard benchmark: the charts' plotly.js and redraws against plotly's own way, in Chromium.

One command (from the project root)::

    python benchmarks/dashboards.py [--repeat 5] [--no-server]

In one run, in headless Chromium (Debian's ``/usr/bin/chromium``), on the poverty
explorer's charts built from the synthetic results store
(``workbench.dashboards.synthetic``, untimed), it times:

1. **start-up**: from the page's start to ``window.Plotly``, with plotly.py's full
   plotly.js (what plotly's JupyterLab renderer runs; the **baseline**) and with the
   basic bundle the dashboards load (:mod:`workbench.charts.plotlyjs`);
2. **first chart**: start-up plus drawing the ranking, the first chart on screen;
3. **redraw**: the ranking changed from the 2024 to the 2012 round, as plotly's
   renderer does it (a new plot in a new element: ``Plotly.newPlot``; the
   **baseline**) and as the dashboards' chart widget does it (``Plotly.react`` on
   the plot on screen); the two alternate, best of ``--repeat``.

Each measure is the best of ``--repeat`` fresh browser contexts (no cache) and is
reported with its ratio to the baseline. Unless ``--no-server``, it then starts
``workbench dashboard`` on the same results and measures what a viewer gets (the
issue's goals: first paint under 5 s, a change to the redrawn chart under 300 ms):
first paint of each dashboard in fresh contexts, and changes of the explorer's round
and indicator. It prints a table and writes ``benchmarks/results/dashboards-<timestamp>.json``
with the machine's load average at start and end (other work on the two cores slows
everything: compare ratios, and absolute times from quiet runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.server
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CHROMIUM = "/usr/bin/chromium"
sys.path.insert(0, str(REPO / "tests" / "dashboards"))

PAGE = """<!doctype html><html><body style="width:1400px">
<div id="ranked" style="width:680px"></div><div id="other" style="width:680px"></div>
<script>window.T0 = performance.now();</script>
<script src="specs.js"></script>
<script src="{bundle}"></script>
<script>
window.R = {{startup: performance.now() - T0}};
(async () => {{
  const t = performance.now();
  await Plotly.newPlot("ranked", SPECS.y2024.data, SPECS.y2024.layout, SPECS.y2024.config);
  R.first_chart = performance.now() - T0;
  R.first_draw = performance.now() - t;
  window.DONE = true;
}})();
</script></body></html>"""

# Redraw the ranking for 2012 as plotly's renderer does (a new plot in a new element) or as the
# chart widget does (Plotly.react on the plot on screen); then back to 2024, untimed.
REDRAW = """async (how) => {
  const spec = SPECS.y2012, back = SPECS.y2024;
  let el = document.getElementById('ranked');
  const t = performance.now();
  if (how === 'newPlot') {
    const fresh = document.createElement('div'); fresh.style.width = '680px';
    el.replaceWith(fresh); Plotly.purge(el); fresh.id = 'ranked'; el = fresh;
    await Plotly.newPlot(el, spec.data, spec.layout, spec.config);
  } else {
    await Plotly.react(el, spec.data, spec.layout, spec.config);
  }
  await new Promise(r => requestAnimationFrame(r));
  const ms = performance.now() - t;
  await Plotly.react(el, back.data, back.layout, back.config);
  return ms;
}"""


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _specs(results: Path) -> dict[str, Any]:
    """The explorer's ranking for 2024 and 2012, as the dashboard sends them."""
    from workbench.dashboards import DASHBOARDS, load_results
    from workbench.dashboards.settings import DashboardSettings

    explorer = DASHBOARDS["poverty_explorer"](load_results(results), DashboardSettings(), "en")
    first = explorer.ranked.spec
    explorer.year.input.value = 2012
    return {"y2024": first, "y2012": explorer.ranked.spec}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def bundles(browser: Any, folder: Path, repeat: int) -> dict[str, dict[str, float]]:
    """Start-up, first chart and redraw, full bundle against basic bundle (best of ``repeat``)."""
    from workbench.charts.plotlyjs import BASIC_BUNDLE, FULL_BUNDLE

    for bundle in (BASIC_BUNDLE, FULL_BUNDLE):
        shutil.copy(bundle, folder / bundle.name)
        (folder / f"{bundle.stem}.html").write_text(PAGE.format(bundle=bundle.name), encoding="utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", _free_port()), partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    found: dict[str, dict[str, list[float]]] = {}
    try:
        for _ in range(repeat):
            for name, bundle in (("full", FULL_BUNDLE), ("basic", BASIC_BUNDLE)):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.goto(f"http://127.0.0.1:{server.server_port}/{bundle.stem}.html")
                page.wait_for_function("window.DONE === true", timeout=60_000)
                runs = found.setdefault(name, {})
                for key, value in page.evaluate("window.R").items():
                    runs.setdefault(key, []).append(value)
                if name == "basic":  # both redraws on the same page and bundle, alternating
                    for _ in range(3):
                        for how in ("newPlot", "react"):
                            runs.setdefault(f"redraw_{how}", []).append(page.evaluate(REDRAW, how))
                context.close()
    finally:
        server.shutdown()
    return {name: {k: min(v) for k, v in runs.items()} for name, runs in found.items()}


def served(browser: Any, results: Path, repeat: int) -> dict[str, Any]:
    """What a viewer gets from ``workbench dashboard``: first paints and changes (best and worst)."""
    from test_browser import CHANGE_AND_WAIT

    port = _free_port()
    out: dict[str, Any] = {}
    with open(results.parent / "dashboard.log", "wb") as log:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "workbench"), "dashboard", "--port",
                                 str(port), "--results", str(results), "--pool-size", "2"], cwd=REPO,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        time.sleep(30)  # the pre-heated kernels
        for name in ("poverty_explorer", "strategy_progress"):
            times = []
            for _ in range(repeat):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/voila/render/{name}.ipynb", wait_until="commit")
                page.wait_for_selector(".wb-chart .js-plotly-plot .main-svg", timeout=120_000)
                times.append(time.perf_counter() - start)
                context.close()
                time.sleep(12)  # the pool refills
            out[f"{name}_first_paint_s"] = times
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"http://127.0.0.1:{port}/voila/render/poverty_explorer.ipynb")
        page.wait_for_selector(".wb-chart .js-plotly-plot .main-svg", timeout=120_000)
        page.wait_for_timeout(3000)
        for control, labels in (("wb-year", ["2012", "2018", "2024"]),
                                ("wb-measure", ["Poverty gap", "Poverty severity", "Poverty headcount rate"])):
            ms = []
            for label in labels:
                ms.append(page.evaluate(CHANGE_AND_WAIT, [control, label, "wb-chart-ranked"]))
                page.wait_for_timeout(1500)
            out[f"explorer_{control.removeprefix('wb-')}_change_ms"] = ms
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-server", action="store_true", help="only the bundle and redraw comparison")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from workbench.dashboards.synthetic import write_synthetic_results

    record: dict[str, Any] = {"started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                              "load_start": _load(), "python": platform.python_version(),
                              "repeat": args.repeat}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        folder = Path(tmp)
        results = write_synthetic_results(folder / "results")
        (folder / "specs.js").write_text("window.SPECS = " + json.dumps(_specs(results)) + ";", encoding="utf-8")
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        record["bundles"] = bundles(browser, folder, args.repeat)
        if not args.no_server:
            record["served"] = served(browser, results, max(2, args.repeat // 2))
        browser.close()
    record["load_end"] = _load()

    full, basic = record["bundles"]["full"], record["bundles"]["basic"]
    print(f"load average at start {record['load_start']}, at end {record['load_end']}")
    print(f"{'measure (ms, best of ' + str(args.repeat) + ')':<44}{'baseline':>10}{'workbench':>11}{'ratio':>8}")
    rows = [("plotly.js start-up (full -> basic bundle)", full["startup"], basic["startup"]),
            ("first chart drawn (full -> basic bundle)", full["first_chart"], basic["first_chart"]),
            ("ranking redrawn (newPlot -> react)", basic["redraw_newPlot"], basic["redraw_react"])]
    for label, base, ours in rows:
        print(f"{label:<44}{base:>10.0f}{ours:>11.0f}{base / ours:>7.1f}x")
    for key, values in record.get("served", {}).items():
        unit = "s" if key.endswith("_s") else "ms"
        print(f"{key:<44} best {min(values):.2f} worst {max(values):.2f} {unit}")
    out = HERE / "results" / f"dashboards-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(record, indent=1), encoding="utf-8")
    print(f"written {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
