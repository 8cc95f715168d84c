"""The docstring examples of the dashboard modules and their chart builders run and hold."""

import doctest
import importlib
from concurrent.futures import ThreadPoolExecutor

import pytest

MODULES = [
    "workbench.dashboards.store",
    "workbench.dashboards.synthetic",
    "workbench.dashboards.settings",
    "workbench.dashboards.server",
    "workbench.dashboards.strategy",
    "workbench.dashboards.export",
    "workbench.dashboards.kit",
    "workbench.dashboards.explorer",
    "workbench.charts.dashboard_extras",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    module = importlib.import_module(name)
    # In a thread of its own: the session's Playwright browser keeps an event loop running in
    # this one, and the server's examples start their own with asyncio.run.
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(doctest.testmod, module, optionflags=doctest.NORMALIZE_WHITESPACE).result()
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
