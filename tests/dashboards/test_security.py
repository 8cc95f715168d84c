"""Security of the running dashboard server: no Jupyter endpoints, no files, no code, no tracebacks."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import json
import re
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Jupyter and Voila endpoints a viewer must not reach.
CLOSED = ["/api/contents", "/api/contents/poverty_explorer.ipynb", "/voila/api/contents",
          "/voila/api/contents/poverty_explorer.ipynb", "/voila/tree", "/voila/tree/", "/tree", "/notebooks",
          "/notebooks/poverty_explorer.ipynb", "/lab", "/lab/tree", "/api/kernels", "/api/sessions",
          "/api/kernelspecs", "/api/terminals", "/api/config/notebook", "/login", "/logout",
          "/voila/render/", "/voila/render/national_overview.ipynb"]
#: Attempts to read a file outside the dashboards' folder (or a notebook's source inside it).
TRAVERSALS = [
    "/voila/files/../../pyproject.toml", "/voila/files/%2e%2e/%2e%2e/pyproject.toml",
    "/voila/files/..%2f..%2fpyproject.toml", "/voila/files/poverty_explorer.ipynb",
    "/voila/files//etc/passwd", "/voila/static/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/voila/static/../../../../pyproject.toml", "/voila/templates/lab/static/../../../../../../../etc/passwd",
    "/voila/templates/../../../../etc/passwd", "/voila/labextensions/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/voila/render/..%2f..%2fnotebooks%2fnational_overview.ipynb",
    "/voila/render/../../notebooks/poverty_profile.ipynb",
    "/workbench/static/chart.js", "/workbench/static/README.md", "/workbench/static/../chart.py",
    "/workbench/static/..%2fchart.py", "/workbench/static/", "/workbench/static/plotly-basic.min.js/../../server.py",
]
LEAKS = ("root:x:0:0", "[build-system]", '"cell_type"', "Traceback", 'File "/')


@pytest.mark.parametrize("path", CLOSED)
def test_jupyter_endpoints_are_closed(server, path):
    status, _, body = server.get(path)
    assert status in (403, 404), (path, status)
    assert "Traceback" not in body


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_file_outside_the_dashboards_folder(server, path):
    import urllib.parse

    status, _, body = server.get(urllib.parse.quote(path, safe="/%.:"))
    assert status in (400, 403, 404), (path, status)
    assert not any(leak in body for leak in LEAKS), path


def test_error_pages_are_friendly_and_bilingual(server):
    status, headers, body = server.get("/no/such/page")
    assert status == 404 and "Page not found" in body and "الصفحة غير موجودة" in body
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]


def test_pages_may_load_nothing_from_elsewhere(server):
    status, headers, _ = server.get("/voila/render/poverty_explorer.ipynb", timeout=240)
    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert status == 200 and policy["default-src"] == "'self'" and policy["connect-src"] == "'self' ws: wss:"
    assert "http" not in headers["Content-Security-Policy"]  # no outside host allowed


def test_the_charts_plotly_js_is_served_and_cacheable(server):
    from workbench.charts.plotlyjs import BASIC_BUNDLE
    from workbench.dashboards.chart import plotly_path

    status, headers, body = server.get("/" + plotly_path())
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert "immutable" in headers["Cache-Control"] and headers["X-Content-Type-Options"] == "nosniff"
    assert body == BASIC_BUNDLE.read_text(encoding="utf-8")


def test_pages_load_only_the_extensions_the_dashboards_need(server):
    from workbench.dashboards.server import PAGE_EXTENSIONS

    status, _, body = server.get("/voila/render/strategy_progress.ipynb", timeout=240)
    config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                  body, re.DOTALL).group(1))
    loaded = {e["name"] for e in config["federated_extensions"]}
    assert status == 200 and loaded <= set(PAGE_EXTENSIONS) and "anywidget" in loaded
    assert "jupyterlab-plotly" not in loaded  # 4.8 MB of JavaScript the charts do not use


def test_index_lists_the_dashboards_only(server):
    status, headers, body = server.get("/")
    assert status == 200 and headers["X-Frame-Options"] == "SAMEORIGIN"
    links = re.findall(r'href="([^"]+)"', body)
    assert links == ["/voila/render/poverty_explorer.ipynb", "/voila/render/strategy_progress.ipynb"] * 2
    assert "Poverty explorer" in body and "مستكشف الفقر" in body
    assert server.get("/poverty_explorer")[0] == 302


def test_dashboard_page_has_no_source_microdata_or_traceback(server):
    status, _, body = server.get("/voila/render/strategy_progress.ipynb", timeout=240)
    assert status == 200
    assert "application/vnd.jupyter.widget-view+json" in body  # the dashboard rendered
    for forbidden in ("from workbench.dashboards import show", "hhid", "consumption_pc", "Traceback",
                      "There was an error when executing"):
        assert forbidden not in body


def test_the_template_cannot_be_switched_from_the_url(server):
    status, _, body = server.get("/voila/render/poverty_explorer.ipynb?voila-template=reveal&template=reveal",
                                 timeout=240)
    assert status == 200 and "reveal.js" not in body


def _message(msg_type: str, content: dict, session: str) -> str:
    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "viewer", "session": session,
                   "date": dt.datetime.now(dt.UTC).isoformat(), "version": "5.3"},
        "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []})


async def _talk(url: str, kernel_id: str, marker: Path) -> list[str]:
    from tornado.websocket import websocket_connect

    ws = await websocket_connect(f"{url.replace('http', 'ws', 1)}api/kernels/{kernel_id}/channels")
    session = uuid.uuid4().hex
    await ws.write_message(_message("execute_request", {
        "code": f"open({str(marker)!r}, 'w').write('x')", "silent": False, "store_history": False,
        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}, session))
    await ws.write_message(_message("comm_info_request", {}, session))
    seen: list[str] = []
    deadline = asyncio.get_running_loop().time() + 10  # listen 10 s in all
    while (left := deadline - asyncio.get_running_loop().time()) > 0:
        try:
            msg = await asyncio.wait_for(ws.read_message(), timeout=left)
        except TimeoutError:
            break
        if msg is None:
            break
        seen.append(json.loads(msg)["header"]["msg_type"])
    ws.close()
    return seen


def test_a_viewer_cannot_execute_code_in_its_kernel(server, tmp_path):
    status, _, body = server.get("/voila/render/strategy_progress.ipynb", timeout=240)
    assert status == 200
    kernel_id = re.search(r'"kernelId": "([0-9a-f-]+)"', body).group(1)
    marker = tmp_path / "written-by-viewer-code"
    # In a thread of its own: Playwright's session-wide event loop runs in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        seen = pool.submit(asyncio.run, _talk(server.url, kernel_id, marker)).result()
    assert "comm_info_reply" in seen  # the channel works for widgets...
    assert "execute_reply" not in seen and "execute_input" not in seen  # ...but runs no code
    assert not marker.exists()
