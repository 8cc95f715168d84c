"""Decompositions and growth incidence against R (tests/reference/decompositions/).

Two rounds from eusilc (odd and even households), PSUs of 12 household groups per
region and round, round b's welfare grown (see the README there). Tolerances:
points 1e-8; SEs that R computes by the same linearization 1e-6 (svycontrast's
symbolic derivatives, or the influence function written out in R); SEs from
replicate weights (a different variance estimator) as documented below.
"""

from functools import cache

import numpy as np
import pandas as pd
import pytest
from testkit import REFERENCE, eusilc

from workbench.decompositions import datt_ravallion, huppi_ravallion, shapley_growth_redistribution
from workbench.growth_incidence import growth_incidence
from workbench.survey import SurveyDesign

pytestmark = pytest.mark.reference

LINE = 10859.236
LOW_LINE_REGIONS = ["Burgenland", "Carinthia", "Lower Austria", "Salzburg"]
# Replicate-weight SEs are another estimator of the same variance: they agree with the
# linearization up to the sampling noise of both (the fixture is fixed, so these are checks
# of a documented agreement, not of random draws; README.md has the table).
# - Jackknife (alpha >= 1): nationally (108 PSUs a round) within 1.04% (a residual; the rest
#   within 0.4%); in a region (12 PSUs a round, 22 df) the two estimators differ by up to 12.3%.
# - Bootstrap (alpha = 0; 2000 replicates, Monte Carlo error ~1.6% of an SE): it also sees the
#   step-function noise of a headcount at a moving line, which the first-order linearization
#   leaves out: up to 11.7% nationally and 17.5% in a region (growth and redistribution). The
#   residual at alpha = 0 is not compared (see check_replicates).
TOLERANCE = {("jackknife", True): 0.02, ("jackknife", False): 0.15,
             ("bootstrap", True): 0.15, ("bootstrap", False): 0.20}


@cache
def rounds() -> tuple[SurveyDesign, SurveyDesign]:
    data = eusilc()
    income = data.eqIncome.to_numpy()
    first = (data.db030 % 2 == 1).to_numpy()
    data = data.assign(psu=(data.db030 // 2) % 12,
                       y=np.where(first, income, np.where(income < 12000, income * 1.12, income * 1.03)),
                       zline=np.where(data.db040.isin(LOW_LINE_REGIONS), 10000.0, 11500.0))
    a, b = (SurveyDesign(data[part].reset_index(drop=True), weight="rb050", strata="db040", psu="psu")
            for part in (first, ~first))
    return a, b


@cache
def reference() -> pd.DataFrame:
    table = pd.read_csv(REFERENCE / "decompositions" / "reference.csv", keep_default_na=False)
    for column in ("estimate", "se"):
        table[column] = pd.to_numeric(table[column])  # "" (R's NA) -> NaN
    return table


def tidy(result, by: str | None) -> pd.DataFrame:
    table = result.table.copy()
    table["domain"] = "" if by is None else table[by].astype(str)
    return table[["domain", "component", "estimate", "se"]]


def compare(case: str, ours: pd.DataFrame) -> pd.DataFrame:
    """R's rows of ``case`` with ours alongside (``estimate``/``se`` R, ``*_py`` ours)."""
    ref = reference()
    merged = ref[ref.case == case].merge(ours, on=["domain", "component"], how="left",
                                         suffixes=("", "_py"), validate="many_to_one")
    assert len(merged) and merged["estimate_py"].notna().all(), case
    np.testing.assert_allclose(merged["estimate_py"], merged["estimate"], rtol=1e-8, atol=1e-12,
                               err_msg=case)
    exact = merged[merged.method.isin(["svycontrast", "influence"])]
    np.testing.assert_allclose(exact["se_py"], exact["se"], rtol=1e-6, err_msg=case)
    return merged


def check_replicates(merged: pd.DataFrame, case: str) -> None:
    for method in ("jackknife", "bootstrap"):
        rows = merged[merged.method == method]
        if method == "bootstrap":
            # The residual at alpha = 0: its first-order terms nearly cancel, so the
            # linearized SE misses the second-order noise the bootstrap sees (README).
            rows = rows[rows.component != "residual"]
        for national in (True, False):
            part = rows[(rows.domain == "") == national]
            if len(part):
                np.testing.assert_allclose(part["se_py"], part["se"], rtol=TOLERANCE[method, national],
                                           err_msg=f"{case} {method} national={national}")


FUNCTIONS = {
    "datt_ravallion.base": lambda a, b, **kw: datt_ravallion(a, b, "y", reference="base", **kw),
    "datt_ravallion.final": lambda a, b, **kw: datt_ravallion(a, b, "y", reference="final", **kw),
    "shapley": lambda a, b, **kw: shapley_growth_redistribution(a, b, "y", **kw),
}


@pytest.mark.parametrize("alpha", [0, 1, 2])
@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_growth_redistribution(name, alpha):
    a, b = rounds()
    run = FUNCTIONS[name]
    ours = pd.concat([tidy(run(a, b, line=LINE, alpha=alpha), None),
                      tidy(run(a, b, line=LINE, alpha=alpha, by="db040"), "db040")])
    merged = compare(f"{name}.alpha{alpha}", ours)
    assert set(merged.domain) == {"", *a.data.db040.unique()}
    check_replicates(merged, name)


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_growth_redistribution_with_household_lines_and_a_pair_of_lines(name):
    a, b = rounds()
    run = FUNCTIONS[name]
    for alpha in (0, 1):
        merged = compare(f"{name}.alpha{alpha}.zline", tidy(run(a, b, line="zline", alpha=alpha), None))
        check_replicates(merged, name)
    for alpha in (0, 2):
        compare(f"{name}.alpha{alpha}.pair", tidy(run(a, b, line=(LINE, 11300.0), alpha=alpha), None))


@pytest.mark.parametrize("alpha", [0, 1, 2])
def test_huppi_ravallion(alpha):
    a, b = rounds()
    ours = tidy(huppi_ravallion(a, b, "y", line=LINE, alpha=alpha, by="db040"), "db040")
    merged = compare(f"huppi_ravallion.alpha{alpha}", ours)
    assert len(merged) == 9 * 8 + 6


@pytest.mark.parametrize("years", [None, 2])
def test_growth_of_the_mean(years):
    a, b = rounds()
    case = "mean_growth" if years is None else "mean_growth.years2"
    parts = []
    for by in (None, "db040"):
        table = growth_incidence(a, b, "y", percentiles=[50], by=by, years=years).summary.table
        parts.append(table.assign(domain="" if by is None else table[by], component=table.indicator))
    assert len(compare(case, pd.concat(parts)[["domain", "component", "estimate", "se"]])) == 10


@pytest.mark.filterwarnings("ignore::workbench.errors.DataWarning")  # Vorarlberg's 5th percentile
def test_growth_incidence_curve_and_pro_poor_growth():
    a, b = rounds()
    regional = [5, 10, 25, 50, 75, 90, 95]
    curves, pro_poor = [], []
    for by, pct in ((None, range(1, 100)), ("db040", regional)):
        gic = growth_incidence(a, b, "y", percentiles=pct, by=by, line=LINE)
        domain = "" if by is None else gic.curve.table[by]
        curves.append(gic.curve.table.assign(domain=domain,
                                             component=gic.curve.table.percentile.map("{:g}".format)))
        s = gic.summary.table
        pro_poor.append(s.assign(domain="" if by is None else s[by], component=s.indicator))
    columns = ["domain", "component", "estimate", "se"]
    merged = compare("growth_incidence", pd.concat(curves)[columns])
    assert len(merged) == 99 + 9 * 7
    # R's svyquantile and the workbench give NaN for the same Woodruff interval (Vorarlberg, 5%)
    assert (merged.se.isna() == merged.se_py.isna()).all() and merged.se.isna().sum() == 1
    assert len(compare("pro_poor_growth", pd.concat(pro_poor)[columns])) == 10
