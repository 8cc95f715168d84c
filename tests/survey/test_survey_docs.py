"""The examples in the survey modules' docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["design", "cells", "variance", "linearization", "estimators", "proportion", "quantile"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"workbench.survey.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"workbench.survey.{name} has no examples"
    assert result.failed == 0


def test_package_example():
    import workbench.survey

    assert doctest.testmod(workbench.survey).failed == 0
