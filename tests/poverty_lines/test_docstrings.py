"""The docstring examples of the poverty-line modules and the parameter loader run and hold."""

import doctest
import importlib

import pytest

MODULES = [
    "workbench.config",
    "workbench.poverty_lines",
    "workbench.poverty_lines.update",
    "workbench.poverty_lines.reference",
    "workbench.poverty_lines.cbn",
    "workbench.poverty_lines.spatial",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
