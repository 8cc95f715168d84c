"""Poverty measures against R (laeken 0.5.2, survey 4.1-1) on laeken's eusilc.

Fixtures: tests/reference/poverty/ (make_reference.R, README.md). The line is
laeken's at-risk-of-poverty threshold, held fixed. Tolerances: points rtol
1e-8, SEs rtol 1e-6.
"""

import numpy as np
import pandas as pd
import pytest
from testkit import eusilc, eusilc_design, reference

from workbench.poverty import fgt, number_poor, sen, sst, watts
from workbench.survey import SurveyDesign

pytestmark = pytest.mark.reference

REF = reference("poverty")
LINE = float(REF.loc[REF.measure == "arpt", "estimate"].iloc[0])


def _expected(measure: str) -> pd.DataFrame:
    return REF[REF.measure == measure].set_index("domain")


def _compare(result, measure: str, *, check_se: bool = True) -> None:
    ref = _expected(measure)
    national = result(None).table
    np.testing.assert_allclose(national["estimate"], ref.loc[[""], "estimate"], rtol=1e-8)
    regional = result("db040").table.set_index("db040")
    regions = ref.drop(index="").index
    np.testing.assert_allclose(regional.loc[regions, "estimate"], ref.loc[regions, "estimate"], rtol=1e-8)
    if check_se:
        np.testing.assert_allclose(national["se"], ref.loc[[""], "se"], rtol=1e-6)
        np.testing.assert_allclose(regional.loc[regions, "se"], ref.loc[regions, "se"], rtol=1e-6)


@pytest.fixture(scope="module")
def design():
    return eusilc_design()


def test_headcount_at_laekens_threshold_is_laekens_arpr(design):
    _compare(lambda by: fgt(design, "eqIncome", line=LINE, by=by), "arpr", check_se=False)


@pytest.mark.parametrize("alpha", [0, 0.5, 1, 2])
def test_fgt_and_its_se_at_a_fixed_line_match_svymean(design, alpha):
    _compare(lambda by: fgt(design, "eqIncome", line=LINE, alpha=alpha, by=by), f"fgt{alpha:g}")


def test_number_of_poor_matches_svytotal(design):
    _compare(lambda by: number_poor(design, "eqIncome", line=LINE, by=by), "number_poor")


def test_watts_matches_svymean_on_positive_incomes():
    data = eusilc()
    design = eusilc_design(data[data.eqIncome > 0].reset_index(drop=True))
    _compare(lambda by: watts(design, "eqIncome", line=LINE, by=by), "watts")


def test_sen_matches_laeken_gini_of_the_poor(design):
    _compare(lambda by: sen(design, "eqIncome", line=LINE, by=by), "sen")


def test_sst_matches_laeken_gini_of_the_gaps(design):
    _compare(lambda by: sst(design, "eqIncome", line=LINE, by=by), "sst")


def test_person_weights_from_a_household_file_match_a_person_file_clustered_in_households():
    people = eusilc()
    households = people.drop_duplicates("db030").reset_index(drop=True)
    design = SurveyDesign(households, weight="rb050", strata="db040", psu="db030", hhsize="hsize")
    _compare(lambda by: fgt(design, "eqIncome", line=LINE, by=by), "fgt0_households")
    as_households = fgt(design, "eqIncome", line=LINE, weighting="household").estimate
    assert as_households != pytest.approx(fgt(design, "eqIncome", line=LINE).estimate, rel=1e-3)
