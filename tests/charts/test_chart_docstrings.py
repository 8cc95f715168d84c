"""The docstring examples of the chart, catalogue, report and publishing modules run and hold."""

import doctest
import importlib

import pytest

MODULES = [
    "workbench.i18n",
    "workbench.charts.bars",
    "workbench.charts.disclosure",
    "workbench.charts.format",
    "workbench.charts.maps",
    "workbench.charts.params",
    "workbench.charts.plotlyjs",
    "workbench.charts.select",
    "workbench.charts.tables",
    "workbench.charts.theme",
    "workbench.charts.trends",
    "workbench.publish.document",
    "workbench.publish.failures",
    "workbench.publish.notebook",
    "workbench.publish.provenance",
    "workbench.reports.profile",
    "workbench.reports.text",
    "workbench.strategy",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name, monkeypatch):
    monkeypatch.delenv("WORKBENCH_PARAMETERS", raising=False)   # the project's parameters/ (min_n 30)
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
