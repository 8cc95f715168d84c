"""The examples in the decompositions' docstrings run and give what they say.

tests/poverty/test_estimator_docstrings.py runs the package's own docstring; this runs
the modules of the package.
"""

import doctest
import importlib

import pytest

MODULES = [
    "workbench.decompositions.rounds", "workbench.decompositions.density",
    "workbench.decompositions.growth_redistribution", "workbench.decompositions.contributions",
    "workbench.decompositions.sectoral",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
