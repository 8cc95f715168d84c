"""Standard errors of changes between two rounds: numerical derivatives, hand cases, identities.

The numerical check (tests/poverty/testkit.py) differentiates an estimator with
respect to each PSU's weights; across two independent rounds the variance is the
sum of that check on round a (round b fixed) and on round b (round a fixed).
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from testkit import numerical_variance, reweighted, toy_design

from workbench.decompositions import (
    datt_ravallion,
    huppi_ravallion,
    shapley_growth_redistribution,
)
from workbench.decompositions.density import kernel_density, osier_bandwidth
from workbench.decompositions.rounds import welch_satterthwaite
from workbench.poverty import fgt
from workbench.survey import SurveyDesign

A, B = toy_design(seed=0), toy_design(seed=7)


def two_round_numerical_variance(run, a, b):
    """``run(design_a, design_b) -> estimates``: numerical variance from both rounds."""
    return numerical_variance(a, lambda d: run(d, b)) + numerical_variance(b, lambda d: run(a, d))


DECOMPOSITIONS = {
    "base": lambda a, b, **kw: datt_ravallion(a, b, "y", **kw),
    "final": lambda a, b, **kw: datt_ravallion(a, b, "y", reference="final", **kw),
    "shapley": lambda a, b, **kw: shapley_growth_redistribution(a, b, "y", **kw),
}


@pytest.mark.parametrize("by", [None, "region"])
@pytest.mark.parametrize("alpha", [0.5, 1, 2])
def test_growth_redistribution_ses_equal_the_numerical_derivative(alpha, by):
    # alpha > 0: the index is continuous in the line, so the counterfactual lines'
    # contribution (dP/dz, analytic) is caught by the numerical derivative too.
    for name, decompose in DECOMPOSITIONS.items():
        def run(a, b, decompose=decompose):
            return decompose(a, b, line="zline", alpha=alpha, by=by).table["estimate"].to_numpy()

        result = decompose(A, B, line="zline", alpha=alpha, by=by).table
        numerical = two_round_numerical_variance(run, A, B)
        np.testing.assert_allclose(result["se"] ** 2, numerical, rtol=1e-6, err_msg=name)


@pytest.mark.parametrize("alpha", [0, 1])
def test_huppi_ravallion_ses_equal_the_numerical_derivative(alpha):
    def run(a, b):
        return huppi_ravallion(a, b, "y", line=120.0, alpha=alpha, by=["region", "h"]).table[
            "estimate"].to_numpy()

    result = huppi_ravallion(A, B, "y", line=120.0, alpha=alpha, by=["region", "h"]).table
    numerical = two_round_numerical_variance(run, A, B)
    # the national population shares are 1 exactly: both variances are 0 (up to rounding)
    np.testing.assert_allclose(result["se"] ** 2, numerical, rtol=1e-6, atol=1e-20)


def test_headcount_growth_se_by_hand():
    # Simple random samples (each unit its own PSU), unit weights, line 10: the growth
    # component of the base decomposition is C - P_a with C = F_a(s), s = mu_a / mu_b.
    ya = np.array([4.0, 7, 9, 11, 13, 20, 26])
    yb = np.array([6.0, 8, 12, 14, 17, 25])
    z = 10.0
    result = datt_ravallion(SurveyDesign(pd.DataFrame({"y": ya, "w": 1.0}), weight="w"),
                            SurveyDesign(pd.DataFrame({"y": yb, "w": 1.0}), weight="w"),
                            "y", line=z, alpha=0).table.set_index("component")
    na, nb, mu_a, mu_b = len(ya), len(yb), ya.mean(), yb.mean()
    s = mu_a / mu_b
    r = ya / z
    h = np.sqrt(np.mean((r - r.mean()) ** 2)) / na**0.2  # Osier: sd (divisor N) / N^(1/5)
    f = sum(np.exp(-0.5 * ((s - ri) / h) ** 2) / np.sqrt(2 * np.pi) for ri in r) / (na * h)
    C, Pa = np.mean(ya < s * z), np.mean(ya < z)
    u_a = ((ya < s * z) - C) / na + f / mu_b * (ya - mu_a) / na - ((ya < z) - Pa) / na
    u_b = -f * s / mu_b * (yb - mu_b) / nb
    variance = na / (na - 1) * np.sum(u_a**2) + nb / (nb - 1) * np.sum(u_b**2)
    assert result.loc["growth", "estimate"] == pytest.approx(C - Pa, abs=1e-15)
    assert result.loc["growth", "se"] == pytest.approx(np.sqrt(variance), rel=1e-12)


def test_levels_have_their_own_rounds_se_and_df():
    result = datt_ravallion(A, B, "y", line=120.0, alpha=1).table.set_index("component")
    fgt_a, fgt_b = fgt(A, "y", line=120.0, alpha=1), fgt(B, "y", line=120.0, alpha=1)
    assert result.loc["fgt_a", "se"] == pytest.approx(fgt_a.se, rel=1e-12)
    assert result.loc["fgt_b", "se"] == pytest.approx(fgt_b.se, rel=1e-12)
    assert result.loc["fgt_a", "df"] == A.df and result.loc["fgt_b", "df"] == B.df
    assert result.loc["change", "se"] == pytest.approx(np.hypot(fgt_a.se, fgt_b.se), rel=1e-12)
    v_a, v_b = fgt_a.se**2, fgt_b.se**2
    df = (v_a + v_b) ** 2 / (v_a**2 / A.df + v_b**2 / B.df)
    assert result.loc["change", "df"] == pytest.approx(df, rel=1e-12)
    q = stats.t.ppf(0.975, df)
    assert result.loc["change", "ci_high"] - result.loc["change", "estimate"] == pytest.approx(
        q * result.loc["change", "se"], rel=1e-12)
    assert result.loc["change", "n"] == min(len(A.data), len(B.data))
    assert result.loc["change", "N"] == pytest.approx(result.loc["change", "N_b"], rel=1e-15)


def test_welch_satterthwaite_bounds():
    rng = np.random.default_rng(1)
    v_a, v_b = rng.uniform(0, 1, 50), rng.uniform(0, 1, 50)
    df = welch_satterthwaite(v_a, v_b, 20, 60)
    assert np.all((df >= 20 - 1e-9) & (df <= 80 + 1e-9))
    assert welch_satterthwaite(np.array([0.0]), np.array([0.0]), 20, 60).tolist() == [20.0]


@pytest.mark.parametrize("alpha", [1, 2])
def test_rescaling_the_weights_of_a_round_changes_nothing(alpha):
    before = shapley_growth_redistribution(A, B, "y", line=120.0, alpha=alpha, by="region").table
    after = shapley_growth_redistribution(reweighted(A, np.full(len(A.data), 7.0)), B, "y",
                                          line=120.0, alpha=alpha, by="region").table
    np.testing.assert_allclose(after["estimate"], before["estimate"], rtol=1e-12)
    np.testing.assert_allclose(after["se"], before["se"], rtol=1e-10)


def test_kernel_density_of_a_normal_sample():
    y = stats.norm.ppf((np.arange(20000) + 0.5) / 20000)  # a smooth standard normal sample
    codes = np.zeros(len(y), dtype=np.int64)
    f = kernel_density(y, np.ones(len(y)), codes, np.array([0.0, 1.0])[:1])
    h = osier_bandwidth(y, np.ones(len(y)), codes, 1)
    assert h[0] == pytest.approx(np.std(y) / 20000**0.2, rel=1e-12)
    assert f[0] == pytest.approx(stats.norm.pdf(0), rel=0.01)  # smoothing bias h^2 f''/2 ~ 0.3%


def test_kernel_density_per_domain_and_without_spread():
    y = np.array([1.0, 2, 3, 4, 5, 5, 5])
    codes = np.array([0, 0, 0, 0, 1, 1, 1])
    f = kernel_density(y, np.ones(7), codes, np.array([2.5, 5.0]))
    alone = kernel_density(y[:4], np.ones(4), np.zeros(4, dtype=np.int64), np.array([2.5]))
    assert f[0] == pytest.approx(alone[0], rel=1e-14) and f[1] == 0.0
