"""The synthetic results store: reproducible, and its numbers are the survey's, computed independently."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose

from workbench.dashboards.synthetic import SYNTHETIC_LINE, synthetic_estimates, synthetic_survey


def _person_share(survey: pd.DataFrame, mask: pd.Series, within: pd.Series | None = None) -> float:
    w = survey["weight"] * survey["hhsize"]
    base = w if within is None else w * within
    return float((base * mask).sum() / base.sum())


def test_same_seed_same_survey_other_seed_other_survey():
    a = synthetic_survey(2018, seed=3, households=96)
    pd.testing.assert_frame_equal(a, synthetic_survey(2018, seed=3, households=96))
    assert not a["consumption_pc"].equals(synthetic_survey(2018, seed=4, households=96)["consumption_pc"])


def test_survey_is_in_the_canonical_shape():
    s = synthetic_survey(2024, households=96, thin={"IQG01": 24})
    assert s["hhid"].is_unique
    assert (s.groupby("stratum")["psu"].nunique() >= 2).all()  # no lonely PSU
    assert (s.groupby("psu")["stratum"].nunique() == 1).all()  # PSUs nested in strata
    assert (s["governorate"] == "IQG01").sum() == 24
    assert s["district"].str[:5].eq(s["governorate"]).all()


def test_point_estimates_equal_a_direct_computation(store):
    # Closed forms (person-weighted shares and means): rtol 1e-10.
    survey = synthetic_survey(2024, seed=0, households=600)
    poor = survey["consumption_pc"] < SYNTHETIC_LINE
    nat = store.place_row("national", "headcount", 2024)
    assert_allclose(nat["estimate"], _person_share(survey, poor), rtol=1e-10)
    basra = survey["governorate"] == "IQG02"
    assert_allclose(store.place_row("IQG02", "headcount", 2024)["estimate"],
                    _person_share(survey[basra], poor[basra]), rtol=1e-10)
    gap = np.where(poor, 1 - survey["consumption_pc"] / SYNTHETIC_LINE, 0.0)
    w = survey["weight"] * survey["hhsize"]
    assert_allclose(store.place_row("national", "gap", 2024)["estimate"], (w * gap).sum() / w.sum(), rtol=1e-10)
    assert_allclose(store.place_row("national", "mean_consumption", 2024)["estimate"],
                    (w * survey["consumption_pc"]).sum() / w.sum(), rtol=1e-10)
    # The profile: share of poor people living in female-headed households.
    female = survey["head_sex"] == "female"
    p = store.profile_rows("national", 2024)
    row = p[(p["characteristic"] == "head_sex") & (p["group"] == "poor")].iloc[0]
    assert_allclose(row["estimate"], _person_share(survey, female, within=poor), rtol=1e-10)


def test_small_cells_are_flagged_and_ci_contains_estimate():
    t = synthetic_estimates(years=(2012,), households=96, thin={("IQG05", 2012): 24})
    assert (t["suppressed"] == (t["n"] < 30)).all()
    assert t.loc[(t["governorate"] == "IQG05") & (t["domain"] == ""), "suppressed"].all()
    assert ((t["ci_low"] <= t["estimate"]) & (t["estimate"] <= t["ci_high"])).all()
