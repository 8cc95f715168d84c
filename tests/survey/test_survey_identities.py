"""Identities between the survey estimators, and hand-checkable results."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.survey import SurveyDesign, mean, proportion, quantile, ratio, total


@pytest.fixture(scope="module")
def households() -> pd.DataFrame:
    """A synthetic household sample: 5 strata of 4 PSUs, 15 households each."""
    rng = np.random.default_rng(7)
    n = 300
    return pd.DataFrame({
        "hhid": np.arange(1000, 1000 + n),
        "stratum": np.repeat(np.arange(5), 60),
        "psu": np.tile(np.repeat(np.arange(4), 15), 5),
        "weight": rng.uniform(50, 150, n),
        "hhsize": rng.integers(1, 9, n),
        "welfare": rng.lognormal(11, 0.5, n),
        "food": rng.lognormal(10, 0.4, n),
        "gov": rng.choice(["Basrah", "Erbil", "Ninewa"], n),
        "urban": rng.integers(0, 2, n),
        "tenure": rng.choice(["owner", "renter", "other"], n, p=[0.6, 0.3, 0.1]),
    })


@pytest.fixture(scope="module")
def design(households) -> SurveyDesign:
    return SurveyDesign(households, weight="weight", strata="stratum", psu="psu", hhsize="hhsize")


STAT = ["estimate", "se", "ci_low", "ci_high", "df", "N"]


def _row(est, **labels) -> pd.Series:
    t = est.table
    mask = np.ones(len(t), dtype=bool)
    for k, v in labels.items():
        mask &= (t[k] == v).to_numpy()
    assert mask.sum() == 1
    return t.loc[mask].iloc[0]


@pytest.mark.parametrize("make", [
    lambda d, **k: mean(d, "welfare", **k),
    lambda d, **k: total(d, "welfare", **k),
    lambda d, **k: ratio(d, "food", "welfare", **k),
    lambda d, **k: proportion(d, "tenure", **k),
    lambda d, **k: quantile(d, "welfare", [0.2, 0.5], **k),
], ids=["mean", "total", "ratio", "proportion", "quantile"])
def test_domain_by_equals_subset(design, households, make):
    """A domain through by= is the same estimate as through design.subset(mask) (R's svyby)."""
    by = make(design, by=["gov", "urban"]).table
    mask = (households["gov"] == "Erbil") & (households["urban"] == 1)
    sub = make(design.subset(mask)).table
    dom = by[(by["gov"] == "Erbil") & (by["urban"] == 1)].drop(columns=["gov", "urban"])
    pd.testing.assert_frame_equal(dom.reset_index(drop=True)[sub.columns], sub, rtol=1e-12)


def test_mean_is_ratio_to_one(design, households):
    d = SurveyDesign(households.assign(one=1.0), weight="weight", strata="stratum", psu="psu",
                     hhsize="hhsize")
    m, r = mean(d, "welfare", by="gov").table, ratio(d, "welfare", "one", by="gov").table
    pd.testing.assert_frame_equal(m[STAT + ["deff"]], r[STAT + ["deff"]], rtol=1e-12)


def test_proportion_of_indicator_is_its_mean(design):
    p = proportion(design, "urban", by="gov").table
    m = mean(design, "urban", by="gov").table
    p1 = p[p["level"] == 1].reset_index(drop=True)
    pd.testing.assert_frame_equal(p1[STAT + ["deff"]], m[STAT + ["deff"]], rtol=1e-12)


def test_proportions_add_up_to_one_and_se_of_two_levels_agree(design):
    p = proportion(design, "urban", by="gov").table
    np.testing.assert_allclose(p.groupby("gov")["estimate"].sum(), 1.0, rtol=1e-14)
    se = p.pivot(index="gov", columns="level", values="se")
    np.testing.assert_allclose(se[0], se[1], rtol=1e-12)


def test_domain_totals_add_up(design):
    by = total(design, "welfare", by="gov").table["estimate"].sum()
    assert by == pytest.approx(total(design, "welfare").estimate, rel=1e-13)


def test_person_weighting_is_weight_times_hhsize(design, households):
    """Person weights are weight x hhsize; household weights the weight alone."""
    persons = SurveyDesign(households.assign(pw=households["weight"] * households["hhsize"]),
                           weight="pw", strata="stratum", psu="psu")
    plain = SurveyDesign(households, weight="weight", strata="stratum", psu="psu")
    for make in (lambda d, **k: mean(d, "welfare", by="gov", **k),
                 lambda d, **k: proportion(d, "tenure", **k),
                 lambda d, **k: quantile(d, "welfare", 0.5, by="urban", **k)):
        pd.testing.assert_frame_equal(make(design).table, make(persons).table, rtol=1e-12)
        pd.testing.assert_frame_equal(make(design, weighting="household").table, make(plain).table,
                                      rtol=1e-12)
    est = mean(design, "welfare")
    assert est.meta["weighting"] == "person"
    assert est.table["N"].iloc[0] == pytest.approx((households["weight"] * households["hhsize"]).sum())
    assert est.table["n"].iloc[0] == len(households)  # n counts households


@pytest.mark.filterwarnings("ignore:quantile of 'welfare'")  # p = 0: no interval below the minimum
def test_quantile_is_the_inverse_ecdf(design, households):
    """With equal weights, qrule "math" is numpy's inverted_cdf (Hyndman-Fan type 1)."""
    d = SurveyDesign(households.assign(w1=1.0), weight="w1", strata="stratum", psu="psu")
    probs = [0.0, 0.1, 0.25, 0.5, 0.9, 1.0]
    got = quantile(d, "welfare", probs).table["estimate"].to_numpy()
    np.testing.assert_array_equal(got, np.quantile(households["welfare"], probs, method="inverted_cdf"))


def test_quantile_hand_checked_with_ties_and_weights():
    """Sorted values 1 1 2 3 with weights 1 1 2 4 (N = 8): F = 2/8, 4/8, 8/8.

    p = 0.25 hits F(1) exactly, so the answer is 1 (R's exact-hit rule); p = 0.26 gives 2;
    p = 0.5 hits F(2) exactly: 2; p = 0.51 gives 3.
    """
    df = pd.DataFrame({"y": [3.0, 1, 2, 1], "w": [4.0, 1, 2, 1]})
    q = quantile(SurveyDesign(df, weight="w"), "y", [0.25, 0.26, 0.5, 0.51, 1.0], level=0.5)
    assert q.table["estimate"].tolist() == [1.0, 2.0, 2.0, 3.0, 3.0]


def test_quantile_interval_brackets_the_estimate_and_se_is_width_over_2t(design):
    from scipy import stats

    q = quantile(design, "welfare", [0.25, 0.5, 0.75], by="gov").table
    assert (q["ci_low"] <= q["estimate"]).all() and (q["estimate"] <= q["ci_high"]).all()
    t = stats.t.ppf(0.975, design.df)
    np.testing.assert_allclose(q["se"], (q["ci_high"] - q["ci_low"]) / (2 * t), rtol=1e-14)


def test_unused_categorical_level_is_zero(design, households):
    cat = pd.Categorical(households["tenure"], categories=["owner", "renter", "other", "squatter"])
    d = SurveyDesign(households.assign(tenure=cat), weight="weight", strata="stratum", psu="psu")
    p = proportion(d, "tenure").table
    assert p["level"].tolist() == ["owner", "renter", "other", "squatter"]
    assert p.loc[3, "estimate"] == 0 and p.loc[3, "se"] == 0


def test_subset_keeps_the_design(design, households):
    sub = design.subset(households["gov"] == "Basrah")
    assert (sub.df, sub.n_psu, sub.n_strata) == (design.df, design.n_psu, design.n_strata)
    assert households["weight"].gt(0).all()  # the raw data are not modified
    assert (sub.data["weight"] == 0).sum() == (households["gov"] != "Basrah").sum()


def test_missing_values_outside_a_subset_are_ignored(design, households):
    """R's svymean(~x, subset(design, !is.na(x))): values outside the domain are never read."""
    holes = households["welfare"].where(households["gov"] != "Ninewa")
    d = SurveyDesign(households.assign(welfare=holes), weight="weight", strata="stratum", psu="psu",
                     hhsize="hhsize")
    inside = households["gov"] != "Ninewa"
    got = mean(d.subset(inside), "welfare").table
    want = mean(design.subset(inside), "welfare").table
    pd.testing.assert_frame_equal(got, want)


def test_fpc_as_fraction_or_count(households):
    counts = households.assign(npsu=10 + households["stratum"])
    fractions = counts.assign(npsu=4 / counts["npsu"])
    a = SurveyDesign(counts, weight="weight", strata="stratum", psu="psu", fpc="npsu")
    b = SurveyDesign(fractions, weight="weight", strata="stratum", psu="psu", fpc="npsu")
    plain = SurveyDesign(counts, weight="weight", strata="stratum", psu="psu")
    assert mean(a, "welfare").se == pytest.approx(mean(b, "welfare").se, rel=1e-12)
    assert mean(a, "welfare").se < mean(plain, "welfare").se


def test_domain_labels_sorted_like_a_groupby(design, households):
    codes, labels = design.domains(["gov", "urban"])
    want = households.groupby(["gov", "urban"], sort=True).ngroup().to_numpy()
    np.testing.assert_array_equal(codes, want)
    assert labels.to_dict(orient="list") == (
        households.groupby(["gov", "urban"]).size().index.to_frame(index=False).to_dict(orient="list"))


@pytest.mark.filterwarnings("ignore:quantile of 'y'")
def test_quantile_below_the_first_weight_is_the_minimum():
    """p N below the first weight: the minimum. R 4.1's qrule_math returns the second value
    here (its ``last()`` helper returns 1 when nothing qualifies); see the fixtures' README."""
    df = pd.DataFrame({"y": [1.0, 2, 3], "w": [5.0, 1, 1]})
    assert quantile(SurveyDesign(df, weight="w"), "y", 0.1).estimate == 1.0


def test_proportion_of_bool_equals_of_0_1(design, households):
    d = SurveyDesign(households.assign(urban=households["urban"] == 1), weight="weight",
                     strata="stratum", psu="psu", hhsize="hhsize")
    a, b = proportion(d, "urban", by="gov").table, proportion(design, "urban", by="gov").table
    assert a["level"].tolist() == [False, True] * 3
    pd.testing.assert_frame_equal(a.drop(columns="level"), b.drop(columns="level"))
