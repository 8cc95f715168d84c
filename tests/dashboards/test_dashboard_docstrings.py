"""The docstring examples of the dashboard modules and their chart builders run and hold."""

import doctest
import importlib

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
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
