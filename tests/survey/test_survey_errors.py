"""Bad input gets a clear error; the lonely-PSU policies do what their documentation says."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.errors import DataError, DesignError, ParameterError
from workbench.survey import SurveyDesign, mean, proportion, quantile, ratio, total


@pytest.fixture
def toy() -> pd.DataFrame:
    """Three strata: a (2 PSUs), b (1 PSU), c (2 PSUs); 2 households per PSU."""
    return pd.DataFrame({
        "hhid": [101, 102, 103, 104, 201, 202, 301, 302, 303, 304],
        "h": ["a", "a", "a", "a", "b", "b", "c", "c", "c", "c"],
        "c": [1, 1, 2, 2, 1, 1, 1, 1, 2, 2],
        "w": [10.0, 12, 9, 11, 20, 22, 15, 14, 13, 16],
        "y": [5.0, 7, 3, 4, 9, 8, 2, 6, 5, 1],
        "g": ["x", "y", "x", "y", "x", "y", "x", "y", "x", "x"],
    })


def test_nan_in_welfare_names_column_count_and_ids(toy):
    toy.loc[[2, 5], "y"] = np.nan
    d = SurveyDesign(toy, weight="w", strata="h", psu="c", lonely_psu="centre")
    for estimate in (lambda: mean(d, "y"), lambda: total(d, "y"), lambda: ratio(d, "y", "w"),
                     lambda: quantile(d, "y", 0.5)):
        with pytest.raises(DataError, match=r"column 'y' has 2 missing .*first ids: 103, 202"):
            estimate()


def test_nan_in_weight_names_column_count_and_ids(toy):
    toy.loc[[0, 9], "w"] = np.nan
    with pytest.raises(DataError, match=r"column 'w' must be finite and >= 0; 2 rows .*101, 304"):
        SurveyDesign(toy, weight="w", strata="h", psu="c", lonely_psu="centre")


def test_negative_weight_and_bad_hhsize(toy):
    toy.loc[3, "w"] = -1.0
    with pytest.raises(DataError, match=r"'w' must be finite and >= 0; 1 rows .*104"):
        SurveyDesign(toy, weight="w", strata="h", psu="c", lonely_psu="centre")
    toy.loc[3, "w"] = 1.0
    with pytest.raises(DataError, match=r"'hhsize' must be finite and > 0; 1 rows .*101"):
        SurveyDesign(toy.assign(hhsize=[0] + [3] * 9), weight="w", strata="h", psu="c",
                     hhsize="hhsize", lonely_psu="centre")


def test_missing_strata_or_psu_value(toy):
    toy.loc[4, "c"] = np.nan
    with pytest.raises(DataError, match=r"column 'c' has 1 missing values \(first ids: 201\)"):
        SurveyDesign(toy, weight="w", strata="h", psu="c", lonely_psu="centre")


def test_lonely_psu_fail_names_strata_and_policies(toy):
    with pytest.raises(DesignError, match=r"1 stratum/strata have a single PSU \(b\).*'centre'.*'merge'"):
        SurveyDesign(toy, weight="w", strata="h", psu="c")


def test_unknown_lonely_policy(toy):
    with pytest.raises(DesignError, match="lonely_psu must be one of fail, centre, merge"):
        SurveyDesign(toy, weight="w", strata="h", psu="c", lonely_psu="adjust")


def test_missing_columns(toy):
    with pytest.raises(DataError, match=r"design column\(s\) psu not in the data"):
        SurveyDesign(toy, weight="w", strata="h", psu="psu")
    d = SurveyDesign(toy, weight="w", strata="h", psu="c", lonely_psu="centre")
    with pytest.raises(DataError, match=r"column 'income' not in the data"):
        mean(d, "income")
    with pytest.raises(DataError, match=r"column 'tenure' not in the data"):
        proportion(d, "tenure")
    with pytest.raises(DataError, match=r"domain column\(s\) governorate not in the data"):
        mean(d, "y", by="governorate")


def test_missing_domain_value(toy):
    toy.loc[7, "g"] = None
    d = SurveyDesign(toy, weight="w", strata="h", psu="c", lonely_psu="centre")
    with pytest.raises(DataError, match=r"domain column\(s\) g have 1 missing values \(first ids: 302\)"):
        mean(d, "y", by="g")


def test_missing_category(toy):
    toy.loc[1, "g"] = None
    d = SurveyDesign(toy, weight="w", strata="h", psu="c", lonely_psu="centre")
    with pytest.raises(DataError, match=r"column 'g' has 1 missing values \(first ids: 102\)"):
        proportion(d, "g")


def test_empty_domain(toy):
    d = SurveyDesign(toy, weight="w", strata="h", psu="c", lonely_psu="centre")
    sub = d.subset(toy["g"] == "x")
    with pytest.raises(DesignError, match=r"1 domain\(s\) have no sample units .*'g': 'y'"):
        mean(sub, "y", by="g")
    with pytest.raises(DesignError, match="no sample units"):
        quantile(sub, "y", 0.5, by="g")


def test_fpc_not_constant_within_stratum(toy):
    with pytest.raises(DataError, match=r"'n_pop' \(fpc\) must be constant within each stratum; "
                                        r"it varies in 1 strata \(a\)"):
        SurveyDesign(toy.assign(n_pop=[4, 5] + [4] * 8), weight="w", strata="h", psu="c",
                     fpc="n_pop", lonely_psu="centre")
    with pytest.raises(DataError, match=r"fewer population PSUs than sampled PSUs in 1 strata \(c\)"):
        SurveyDesign(toy.assign(n_pop=[4] * 6 + [1.5] * 4), weight="w", strata="h", psu="c",
                     fpc="n_pop", lonely_psu="centre")


def test_bad_options(toy):
    d = SurveyDesign(toy, weight="w", strata="h", psu="c", lonely_psu="centre")
    with pytest.raises(ParameterError, match=r"probabilities must be numbers in \[0, 1\]"):
        quantile(d, "y", [0.5, 1.5])
    with pytest.raises(ParameterError, match="level must be in"):
        quantile(d, "y", 0.5, level=95)
    with pytest.raises(DesignError, match="weighting must be 'person' or 'household'"):
        mean(d, "y", weighting="persons")
    zero = SurveyDesign(toy.assign(zero=0.0), weight="w", strata="h", psu="c", lonely_psu="centre")
    with pytest.raises(DesignError, match=r"total of 'zero' is zero in 1 domain"):
        ratio(zero, "y", "zero")


def test_too_many_levels(toy):
    big = pd.concat([toy] * 110, ignore_index=True).assign(v=np.arange(1100))
    d = SurveyDesign(big, weight="w", strata="h", psu="c", lonely_psu="centre")
    with pytest.raises(ParameterError, match="1100 distinct values"):
        proportion(d, "v")


# ------------------------------------------------------------------ lonely PSUs
def test_centre_policy_by_hand(toy):
    """A lonely PSU's score total is centred at zero (R's lonely.psu = "adjust"), scale 1."""
    d = SurveyDesign(toy, weight="w", strata="h", psu="c", lonely_psu="centre")
    w, y = toy["w"].to_numpy(), toy["y"].to_numpy()
    ybar = (w * y).sum() / w.sum()
    z = w * (y - ybar) / w.sum()
    t = pd.Series(z).groupby([toy["h"], toy["c"]]).sum()
    var = 2 * (t["a"] - t["a"].mean()).pow(2).sum() + t["b"].pow(2).sum() \
        + 2 * (t["c"] - t["c"].mean()).pow(2).sum()
    assert mean(d, "y").se == pytest.approx(np.sqrt(var), rel=1e-12)
    assert d.df == 5 - 3


def test_merge_policy_documented_rule():
    """Lonely strata join the next in sorted order, the last joins the one before; joins chain.

    Strata 1..7 with lonely 1, 4, 5, 7: {1, 2}, {3}, {4, 5, 6}, {7 with 6}: so {4, 5, 6, 7}.
    """
    psus = {1: 1, 2: 2, 3: 2, 4: 1, 5: 1, 6: 2, 7: 1}
    rows = [(h, c) for h, k in psus.items() for c in range(k) for _ in range(2)]
    rng = np.random.default_rng(3)
    df = pd.DataFrame(rows, columns=["h", "c"]).assign(w=lambda x: rng.uniform(1, 5, len(x)),
                                                       y=lambda x: rng.normal(size=len(x)))
    merged = SurveyDesign(df, weight="w", strata="h", psu="c", lonely_psu="merge")
    assert merged.stratum_labels.tolist() == ["1 + 2", "3", "4 + 5 + 6 + 7"]
    assert merged.psu_per_stratum.tolist() == [3, 2, 5]
    assert (merged.n_psu, merged.df) == (10, 7)
    assert merged.lonely_strata.size == 0
    # The same as recoding the strata by hand (PSUs stay nested in their original strata).
    by_hand = df.assign(hm=df["h"].map({1: 1, 2: 1, 3: 3, 4: 4, 5: 4, 6: 4, 7: 4}),
                        cm=df["h"] * 10 + df["c"])
    manual = SurveyDesign(by_hand, weight="w", strata="hm", psu="cm")
    pd.testing.assert_frame_equal(mean(merged, "y").table, mean(manual, "y").table, rtol=1e-13)


def test_merge_with_fpc_adds_population_psus():
    df = pd.DataFrame({"h": [1, 2, 2], "c": [1, 1, 2], "w": [1.0, 1, 1], "y": [1.0, 2, 4],
                       "npop": [3, 5, 5]})
    d = SurveyDesign(df, weight="w", strata="h", psu="c", fpc="npop", lonely_psu="merge")
    np.testing.assert_allclose(d.sampling_fraction, [3 / 8])


def test_merge_needs_two_strata():
    df = pd.DataFrame({"h": [1, 1], "c": [1, 1], "w": [1.0, 1]})
    with pytest.raises(DesignError, match="only stratum has a single PSU"):
        SurveyDesign(df, weight="w", strata="h", psu="c", lonely_psu="merge")
