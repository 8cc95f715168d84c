"""Calibration of the demo data: headcounts at the official line hit the published figures.

Headcounts are computed here with numpy/pandas directly (person weights = weight x hhsize,
poor when consumption_pc < line), independent of the estimator modules. The official line is
recomputed from parameters/poverty_lines.yaml (the 2012 base carried forward with the WDI CPI).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from workbench.geography import governorates
from workbench.poverty_lines import official_line

PARAMETERS = Path(__file__).resolve().parents[2] / "parameters"
ROUNDS = (2007, 2012, 2018, 2024)


def line_from_yaml(year: int) -> float:
    """The official line: the latest base at or before ``year``, times the CPI ratio since."""
    spec = yaml.safe_load((PARAMETERS / "poverty_lines.yaml").read_text(encoding="utf-8"))
    base = max((b for b in spec["bases"] if b["year"] <= year), key=lambda b: b["year"])
    ratio = np.prod([1 + spec["cpi_inflation"]["percent"][t] / 100 for t in range(base["year"] + 1, year + 1)])
    return base["line"] * ratio


def targets_from_yaml() -> dict:
    return yaml.safe_load((PARAMETERS / "demo.yaml").read_text(encoding="utf-8"))["headcount"]


def headcounts(survey: pd.DataFrame, line: float) -> tuple[pd.Series, float]:
    pw = survey["weight"] * survey["hhsize"]
    poor = pw * (survey["consumption_pc"] < line)
    by_gov = 100 * poor.groupby(survey["governorate"]).sum() / pw.groupby(survey["governorate"]).sum()
    return by_gov, 100 * poor.sum() / pw.sum()


def test_the_line_of_each_round():
    assert line_from_yaml(2007) == 76_896
    assert line_from_yaml(2012) == 105_500
    assert line_from_yaml(2018) == pytest.approx(112_700, abs=100)  # iraq.md: "about 112,700"
    for year in ROUNDS:
        assert official_line(year) == pytest.approx(line_from_yaml(year), rel=1e-12)


@pytest.mark.parametrize("year", ROUNDS)
def test_governorate_headcounts_within_2_points_and_national_within_1(demo, year):
    by_gov, national = headcounts(demo.read(f"survey_{year}"), line_from_yaml(year))
    spec = targets_from_yaml()
    target = pd.Series({code: v[year]["value"] for code, v in spec["governorates"].items()})
    miss = (by_gov - target).abs()
    assert len(by_gov) == 18
    assert (miss <= 2.0).all(), miss[miss > 2.0].to_dict()
    assert abs(national - spec["national"][year]["value"]) <= 1.0


@pytest.mark.parametrize("year", ROUNDS)
def test_calibration_is_exact_up_to_the_common_shift(demo, year):
    """By construction: national to a household's weight, governorates to the reported shift."""
    by_gov, national = headcounts(demo.read(f"survey_{year}"), line_from_yaml(year))
    rep = demo.manifest["calibration"][str(year)]["headcount"]
    spec = targets_from_yaml()
    assert national == pytest.approx(spec["national"][year]["value"], abs=0.1)
    calibrated = pd.Series({c: g["calibrated_to"] for c, g in rep["governorates"].items()})
    # one household carries at most ~0.3% of a governorate's people in the smallest strata
    assert ((by_gov - calibrated).abs() <= 0.3).all()
    assert abs(rep["delta_points"]) < 1.0
    for code, g in rep["governorates"].items():
        assert g["achieved"] == pytest.approx(by_gov[code], abs=0.006)  # rounded to 2 dp


def test_the_published_2018_column_is_the_primary_target_and_tagged_v():
    spec = targets_from_yaml()
    assert spec["national"][2018] == {"value": 20.05, "status": "V", "source": "P18, S24"}
    assert {g[2018]["status"] for g in spec["governorates"].values()} == {"V"}
    assert spec["governorates"]["IQG03"][2018]["value"] == 52  # Muthanna, iraq.md


def test_every_target_has_a_status_and_a_source():
    spec = targets_from_yaml()
    for by_year in [spec["national"], *spec["governorates"].values()]:
        for fig in by_year.values():
            assert fig["status"] in {"V", "C", "R"} and fig["source"]


def test_derived_targets_follow_their_documented_rule():
    """2007 gaps = 2012 x k; 2024 = 2018 x k; k makes the population-weighted mean national."""
    spec = targets_from_yaml()
    share = np.array([g.population_2010_thousands for g in governorates()])
    share = share / share.sum()
    codes = [g.pcode for g in governorates()]
    value = {y: np.array([spec["governorates"][c][y]["value"] for c in codes]) for y in ROUNDS}
    derived07 = np.array(["derived" in spec["governorates"][c][2007]["source"] for c in codes])
    assert derived07.sum() == 12
    k07 = (spec["national"][2007]["value"] - share[~derived07] @ value[2007][~derived07]) / (
        share[derived07] @ value[2012][derived07])
    assert k07 == pytest.approx(1.0882, abs=5e-5)
    np.testing.assert_allclose(value[2007][derived07], np.round(value[2012][derived07] * k07, 1))
    k24 = spec["national"][2024]["value"] / (share @ value[2018])
    assert k24 == pytest.approx(0.9023, abs=5e-5)
    np.testing.assert_allclose(value[2024], np.round(value[2018] * k24, 1))


@pytest.mark.parametrize("year", ROUNDS)
def test_no_household_sits_on_the_line(demo, year):
    """The calibrated shift falls between households, so a line rounded to the dinar gives the same."""
    survey = demo.read(f"survey_{year}")
    line = line_from_yaml(year)
    exact, _ = headcounts(survey, line)
    rounded_line, _ = headcounts(survey, round(line))
    pd.testing.assert_series_equal(exact, rounded_line)
