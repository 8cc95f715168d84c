"""environment.yml (for conda users) lists the same packages as pyproject.toml."""

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = set(project["dependencies"]) | set(project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_lists = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_lists) == 1, "environment.yml needs exactly one pip section"
    listed = set(pip_lists[0])
    assert "-e .[dev]" in listed, "the pip section must install this package"
    assert listed - {"-e .[dev]"} == wanted, (
        "environment.yml and pyproject.toml differ: "
        f"only in pyproject: {sorted(wanted - listed)}; only in environment.yml: {sorted(listed - wanted - {'-e .[dev]'})}"
    )
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert python, "environment.yml must pin a Python version"


def test_requirements_are_ranges_not_exact_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for req in project["dependencies"]:
        assert "==" not in req, f"{req}: pin a compatible range, not one exact version"
