"""The parameter loader: finding, validating, caching; errors name the file and the key."""

from pathlib import Path

import pytest
import yaml

from workbench.config import (
    PARAMETERS_ENV,
    PovertyLinesParameters,
    load_parameters,
    parameters_dir,
    weakest_status,
)
from workbench.errors import ParameterError

REAL = Path(__file__).resolve().parents[2] / "parameters" / "poverty_lines.yaml"


@pytest.fixture
def params_dir(tmp_path, monkeypatch):
    """A private copy of parameters/, selected through the environment variable."""
    (tmp_path / "poverty_lines.yaml").write_text(REAL.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv(PARAMETERS_ENV, str(tmp_path))
    return tmp_path


def edit(directory: Path, change) -> None:
    path = directory / "poverty_lines.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")


def test_real_file_loads_with_provenance_for_every_number():
    p = load_parameters("poverty_lines")
    assert isinstance(p, PovertyLinesParameters)
    assert [(b.year, b.line, b.status) for b in p.bases] == [
        (2007, 76896, "V"),
        (2012, 105500, "R"),
    ]
    assert (p.calorie_norm.value, p.calorie_norm.status) == (2337, "R")
    assert set(p.cpi_inflation.status_by_year) == set(p.cpi_inflation.percent)
    # WDI years are verified, the others recalled (iraq.md).
    assert {y for y, s in p.cpi_inflation.status_by_year.items() if s == "V"} == set(
        range(2012, 2024)
    )
    assert p.cost_of_basic_needs.reference_group.quantiles == (0.1, 0.3)
    assert p.cost_of_basic_needs.band.status == "R"


def test_project_root_is_found_without_the_env_var(monkeypatch, tmp_path):
    monkeypatch.delenv(PARAMETERS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)  # not inside the project: found from the package location
    assert parameters_dir() == REAL.parent


def test_env_var_selects_the_directory(params_dir):
    assert parameters_dir() == params_dir
    edit(params_dir, lambda raw: raw["calorie_norm"].update(value=2100))
    assert load_parameters("poverty_lines").calorie_norm.value == 2100


def test_cached_until_the_file_changes(params_dir):
    first = load_parameters("poverty_lines")
    assert load_parameters("poverty_lines") is first
    edit(params_dir, lambda raw: raw["bases"][1].update(line=105000.5))  # size changes too
    again = load_parameters("poverty_lines")
    assert again is not first and again.bases[1].line == 105000.5


def test_negative_line_names_file_and_key(params_dir):
    edit(params_dir, lambda raw: raw["bases"][0].update(line=-5))
    with pytest.raises(
        ParameterError, match=r"poverty_lines\.yaml: .*bases\.0\.line: .*greater than 0.*-5"
    ):
        load_parameters("poverty_lines")


def test_missing_key_and_unknown_key(params_dir):
    edit(params_dir, lambda raw: raw.pop("calorie_norm"))
    with pytest.raises(
        ParameterError, match=r"poverty_lines\.yaml: .*calorie_norm: Field required"
    ):
        load_parameters("poverty_lines")
    edit(
        params_dir,
        lambda raw: raw.update(
            calorie_norm={"value": 2337, "unit": "kcal", "status": "X", "source": "s", "extra": 1}
        ),
    )
    with pytest.raises(ParameterError, match=r"calorie_norm\.status.*calorie_norm\.extra"):
        load_parameters("poverty_lines")


def test_gap_in_inflation_years_and_status(params_dir):
    edit(params_dir, lambda raw: raw["cpi_inflation"]["percent"].pop(2015))
    with pytest.raises(ParameterError, match=r"cpi_inflation: .*missing \[2015\]"):
        load_parameters("poverty_lines")


def test_bases_must_increase(params_dir):
    edit(params_dir, lambda raw: raw["bases"].reverse())
    with pytest.raises(ParameterError, match=r"bases: years must be unique and increasing"):
        load_parameters("poverty_lines")


def test_bad_yaml_unknown_name_missing_dir(params_dir, monkeypatch, tmp_path):
    (params_dir / "poverty_lines.yaml").write_text("bases: [unclosed", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"poverty_lines\.yaml: not valid YAML"):
        load_parameters("poverty_lines")
    with pytest.raises(ParameterError, match=r"no model for parameter file 'nope'"):
        load_parameters("nope")
    monkeypatch.setenv(PARAMETERS_ENV, str(tmp_path / "absent"))
    with pytest.raises(ParameterError, match=r"WORKBENCH_PARAMETERS=.*is not a directory"):
        load_parameters("poverty_lines")


def test_weakest_status():
    assert weakest_status("V") == "C"
    assert weakest_status("V", "C") == "C"
    assert weakest_status("C", "R", "V") == "R"
    assert weakest_status("S", "R") == "S"
    assert weakest_status("R", derived=False) == "R"
