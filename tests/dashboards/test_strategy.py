"""The strategy's target path and the on-track rule."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from workbench.dashboards.settings import DashboardSettings, load_settings
from workbench.dashboards.store import results_from_frame
from workbench.dashboards.strategy import StrategyTarget, assess, classify
from workbench.errors import ParameterError
from workbench.strategy import StrategySettings, load_strategy

SECOND = StrategyTarget(baseline_year=2018, target_year=2022, reduction=0.25)


def test_path_is_linear_to_the_target_year_then_flat():
    path = SECOND.path(0.2005, [2018, 2024])
    assert path["year"].tolist() == list(range(2018, 2025))
    # 20.05% cut by 25% is 15.0375% in 2022; a quarter of the way is 2019.
    assert_allclose(path["target"], [0.2005, 0.18796875, 0.1754375, 0.16290625, 0.150375, 0.150375, 0.150375],
                    rtol=1e-12)
    assert path.attrs == {"base_year": 2018, "target_year": 2022, "reduction": 0.25}
    assert SECOND.at(0.2005, 2020) == pytest.approx(0.1754375, rel=1e-12)
    assert SECOND.at(0.2005, 2016) == pytest.approx(0.2005, rel=1e-12)  # before the baseline: no cut yet


def test_bad_targets_are_refused():
    with pytest.raises(ParameterError, match="target year 2018 must come after the baseline round 2018"):
        StrategyTarget(baseline_year=2018, target_year=2018)
    with pytest.raises(ParameterError, match="reduction must be between 0 and 1"):
        StrategyTarget(baseline_year=2018, target_year=2022, reduction=25)


@pytest.mark.parametrize(("low", "high", "expected"), [
    (0.10, 0.15, "on_track"),     # upper bound on the path counts as on track
    (0.10, 0.1501, "uncertain"),
    (0.15, 0.20, "uncertain"),    # lower bound on the path: not above it
    (0.1501, 0.20, "off_track"),
])
def test_ci_rule_boundaries(low, high, expected):
    assert classify(estimate=(low + high) / 2, ci_low=low, ci_high=high, target=0.15, rule="ci") == expected


def test_point_rule_and_missing_values():
    assert classify(estimate=0.15, ci_low=0.1, ci_high=0.2, target=0.15, rule="point") == "on_track"
    assert classify(estimate=0.151, ci_low=0.1, ci_high=0.2, target=0.15, rule="point") == "off_track"
    assert classify(estimate=math.nan, ci_low=0.1, ci_high=0.2, target=0.15) == "not_assessed"
    assert classify(estimate=0.1, ci_low=0.05, ci_high=0.15, target=math.nan) == "not_assessed"
    with pytest.raises(ParameterError, match="unknown on-track rule 'median'"):
        classify(estimate=0.1, ci_low=0.05, ci_high=0.15, target=0.2, rule="median")  # type: ignore[arg-type]


def _rows(place, year, est, low, high, n=500):
    return {"year": year, "governorate": place, "measure": "headcount", "estimate": est, "se": 0.01,
            "ci_low": low, "ci_high": high, "n": n}


def test_assess_each_place_against_its_own_path():
    store = results_from_frame(pd.DataFrame([
        _rows("national", 2018, 0.20, 0.19, 0.21), _rows("national", 2024, 0.14, 0.13, 0.149),
        _rows("IQG02", 2018, 0.40, 0.35, 0.45), _rows("IQG02", 2024, 0.36, 0.32, 0.40),
        _rows("IQG08", 2018, 0.12, 0.10, 0.14), _rows("IQG08", 2024, 0.13, 0.095, 0.16),
        _rows("IQG03", 2018, 0.30, 0.2, 0.4, n=12), _rows("IQG03", 2024, 0.2, 0.15, 0.25),
    ]))
    a = assess(store, SECOND, year=2024, min_n=30).set_index("governorate")
    assert list(a.index) == ["national", "IQG02", "IQG03", "IQG08"]
    assert_allclose(a.loc[["national", "IQG02", "IQG08"], "target"], [0.15, 0.30, 0.09], rtol=1e-12)
    assert a["status"].to_dict() == {"national": "on_track", "IQG02": "off_track",
                                     "IQG03": "not_assessed",  # baseline below 30 households
                                     "IQG08": "off_track"}
    assert_allclose(a.loc["IQG02", "change"], -0.04, rtol=1e-9)
    # A round that is not after the baseline is not assessed.
    assert set(assess(store, SECOND, year=2018, min_n=30)["status"]) == {"not_assessed"}


def test_the_strategy_target_defaults_to_the_second_strategy_and_names_bad_keys(tmp_path):
    s = StrategySettings()
    assert (s.measure, s.baseline_year, s.target_year, s.reduction) == ("headcount", 2018, 2022, 0.25)
    assert load_strategy(tmp_path / "absent.yaml") == s
    bad = tmp_path / "strategy.yaml"
    bad.write_text("reduction: 1.5\nrule: hope\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"strategy.yaml: 2 invalid key\(s\): reduction.*rule"):
        load_strategy(bad)
    bad.write_text("target_year: 2016\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"target_year \(2016\) must come after baseline_year \(2018\)"):
        load_strategy(bad)


def test_dashboard_settings_name_bad_keys_and_the_moved_strategy(tmp_path):
    assert load_settings(tmp_path / "absent.yaml") == DashboardSettings()
    bad = tmp_path / "dashboards.yaml"
    bad.write_text("pool_size: -1\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="pool_size"):
        load_settings(bad)
    bad.write_text("default_governorate: Atlantis\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="default_governorate"):
        load_settings(bad)
    bad.write_text("strategy:\n  target_year: 2030\n", encoding="utf-8")   # where it was until 2026-11
    with pytest.raises(ParameterError, match="parameters/strategy.yaml"):
        load_settings(bad)


def test_the_project_parameter_files_are_valid():
    assert load_settings().pool_size >= 0
    assert load_strategy().rule in ("ci", "point")
