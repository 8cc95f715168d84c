"""parameters/demo.yaml is validated; a broken file is one clear ParameterError."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest
import yaml

import workbench.data.demo as demo_pkg
from workbench.data.demo.parameters import load_demo_parameters
from workbench.errors import ParameterError

DEMO_YAML = Path(__file__).resolve().parents[2] / "parameters" / "demo.yaml"


def broken(tmp_path: Path, edit) -> Path:
    raw = yaml.safe_load(DEMO_YAML.read_text(encoding="utf-8"))
    edit(raw)
    path = tmp_path / "demo.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def test_the_repository_file_is_valid(demo_params):
    assert demo_params.rounds == (2007, 2012, 2018, 2024)
    assert len(demo_params.headcount.governorates) == 18


@pytest.mark.parametrize(("edit", "message"), [
    (lambda r: r["headcount"]["governorates"].pop("IQG03"), r"missing \['IQG03'\]"),
    (lambda r: r["headcount"]["national"][2018].update(status="X"), r"headcount\.national\.2018\.status"),
    (lambda r: r["design"]["response"].update({12: 0.9}), r"response: probabilities must add up to 1"),
    (lambda r: r["spn"]["rollout"][2016].append("IQG99"), r"rollout: each governorate P-code"),
])
def test_a_broken_file_names_the_key(tmp_path, edit, message):
    with pytest.raises(ParameterError, match=rf"demo\.yaml: .*{message}"):
        load_demo_parameters(broken(tmp_path, edit))


def test_the_examples_in_the_docstrings_run():
    failures = 0
    for mod in pkgutil.iter_modules(demo_pkg.__path__, demo_pkg.__name__ + "."):
        failures += doctest.testmod(importlib.import_module(mod.name), optionflags=doctest.ELLIPSIS).failed
    assert failures == 0
