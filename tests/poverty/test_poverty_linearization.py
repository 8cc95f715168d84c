"""Linearized variances equal the variance of the numerical derivative w.r.t. PSU weights.

See testkit.numerical_variance. The central differences are accurate to about
1e-9 relative here; the tolerance is 1e-6 (the house tolerance for SEs).
"""

import numpy as np
import pytest
from testkit import numerical_variance, toy_design, toy_frame

from workbench.poverty import fgt, number_poor, sen, sst, watts
from workbench.survey import SurveyDesign

CASES = {
    "fgt0": lambda d, by: fgt(d, "y", line=110.0, by=by),
    "fgt0.5": lambda d, by: fgt(d, "y", line=110.0, alpha=0.5, by=by),
    "fgt1": lambda d, by: fgt(d, "y", line=110.0, alpha=1, by=by),
    "fgt2 household lines": lambda d, by: fgt(d, "y", line="zline", alpha=2, by=by),
    "watts": lambda d, by: watts(d, "y", line=110.0, by=by),
    "sen": lambda d, by: sen(d, "y", line=110.0, by=by),
    "sen household lines": lambda d, by: sen(d, "y", line="zline", by=by),
    "sst": lambda d, by: sst(d, "y", line=110.0, by=by),
    "number_poor": lambda d, by: number_poor(d, "y", line=110.0, by=by),
}


@pytest.mark.parametrize("by", [None, "region"])
@pytest.mark.parametrize("name", list(CASES))
def test_linearized_variance_equals_numerical_derivative(name, by):
    design = toy_design(seed=1)
    run = CASES[name]
    linearized = run(design, by).table["se"].to_numpy() ** 2
    numerical = numerical_variance(design, lambda d: run(d, by).table["estimate"].to_numpy())
    np.testing.assert_allclose(linearized, numerical, rtol=1e-6)


def test_household_weighting_and_a_centred_lonely_stratum():
    df = toy_frame(seed=2)
    df = df[~((df.h == 1) & (df.psu != 4))].reset_index(drop=True)
    design = SurveyDesign(df, weight="w", strata="h", psu="psu", hhsize="size", lonely_psu="centre")
    run = lambda d: sen(d, "y", line=120.0, weighting="household")
    numerical = numerical_variance(design, lambda d: run(d).table["estimate"].to_numpy())
    np.testing.assert_allclose(run(design).se ** 2, numerical, rtol=1e-6)
