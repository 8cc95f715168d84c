"""The survey estimators against R's survey package (fixtures in tests/reference/survey).

Tolerances are the house ones: points to 1e-8 relative, SEs, intervals and
design effects to 1e-6 (the differences seen are below 1e-13). Quantiles need
no looser tolerance: their points and interval bounds are data values.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from survey_cases import CASES, HOUSEHOLD_CASES, keyed, reference

pytestmark = pytest.mark.reference

KEYS = ["domain", "level", "quantile"]


def _compare(case: str, est, columns: list[str]) -> None:
    ref = reference()
    ref = ref[ref["case"] == case]
    assert len(ref), f"no R rows for {case}"
    merged = ref.merge(keyed(est), on=KEYS, how="outer", suffixes=("_r", "_py"), indicator=True)
    unmatched = merged[merged["_merge"] != "both"]
    assert unmatched.empty, f"{case}: rows only on one side:\n{unmatched[KEYS + ['_merge']]}"
    for column in columns:
        r = merged[f"{column}_r"].to_numpy(dtype=float)
        py = merged[f"{column}_py"].to_numpy(dtype=float)
        rtol = 1e-8 if column == "estimate" else 1e-6
        # NaN where R has NaN (Woodruff intervals leaving [0, 1]), equal elsewhere.
        np.testing.assert_allclose(py, r, rtol=rtol, atol=0, equal_nan=True, err_msg=f"{case}: {column}")


def _estimate(make):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the NaN-interval warning is tested on its own
        return make()


def test_every_fixture_case_has_a_workbench_call():
    assert set(reference()["case"]) == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_r(case):
    ref = reference()
    columns = ["estimate", "se", "ci_low", "ci_high", "df"]
    if ref.loc[ref["case"] == case, "deff"].notna().any():
        columns.append("deff")
    _compare(case, _estimate(CASES[case]), columns)


@pytest.mark.parametrize("case", sorted(HOUSEHOLD_CASES))
def test_household_rows_with_hhsize_match_person_rows(case):
    """Person weighting (weight x hhsize) on household rows gives R's person-level numbers."""
    _compare(case, _estimate(HOUSEHOLD_CASES[case]), ["estimate", "se", "ci_low", "ci_high", "df"])


def test_fixture_holds_undefined_woodruff_intervals():
    """The fixtures exercise R's NaN bounds for small domains (race x region)."""
    ref = reference()
    assert ref.loc[ref["statistic"] == "quantile", "se"].isna().sum() >= 4


def test_nan_interval_warns():
    with pytest.warns(UserWarning, match=r"Woodruff interval leaves \[0, 1\].*'race': 3"):
        CASES["nh.quantile.zinc.race_region"]()


def test_reference_rows_are_well_formed():
    ref = reference()
    assert not ref.duplicated(["case"] + KEYS).any()
    assert pd.api.types.is_float_dtype(ref["estimate"]) and ref["estimate"].notna().all()
