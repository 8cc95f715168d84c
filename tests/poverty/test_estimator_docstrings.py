"""The examples in the estimators' docstrings run and give what they say."""

import doctest
import importlib

import pytest

MODULES = [
    "workbench.poverty.fgt", "workbench.poverty.watts", "workbench.poverty.sen",
    "workbench.poverty.line", "workbench.inequality.gini", "workbench.inequality.entropy",
    "workbench.inequality.atkinson", "workbench.inequality.shares", "workbench.inequality.ordering",
    "workbench.decompositions", "workbench.growth_incidence", "workbench.profile",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
