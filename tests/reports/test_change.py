"""The change since the previous round, on the demo data, against closed forms by hand.

The decomposition's own SEs are validated in ``tests/reference/decompositions``;
here: that the report compares real consumption (earlier round in later prices,
both at the later line), that the estimates are those closed forms give, and
the table, sentence and disclosure built on them.
"""

import numpy as np
import pandas as pd
import pytest

from workbench import reports
from workbench.poverty_lines import official_line
from workbench.reports.change import (
    change_report_table,
    change_table,
    deflator,
    incidence_table,
    previous_round,
    real_design,
    records,
    since_previous,
)
from workbench.reports.text import change_sentence

ARABIC = range(0x0600, 0x06FF)
MINUS = "\u2212"


def pts(value: float, sign: str = "+") -> str:
    """Percentage points as the report prints them: one decimal, a true minus sign."""
    return f"{100 * value:{sign}.1f}".replace("-", MINUS)


def has_arabic(text: str) -> bool:
    return any(ord(c) in ARABIC for c in text)


@pytest.fixture(scope="module")
def rounds(demo):
    return (reports.load_round(demo.path, 2018, declare=False),
            reports.load_round(demo.path, 2024, declare=False))


@pytest.fixture(scope="module")
def change(rounds):
    return change_table(*rounds)


def persons(frame):
    return (frame["weight"] * frame["hhsize"]).to_numpy(), frame["consumption_pc"].to_numpy()


def headcount(w, y, line):
    return float(w[y < line].sum() / w.sum())


def test_previous_round():
    assert previous_round([2007, 2012, 2018, 2024], 2024) == 2018
    assert previous_round([2024, 2007, 2012], 2018) == 2012
    assert previous_round([2007, 2012], 2007) is None


def test_real_design_carries_the_earlier_round_into_later_prices(rounds):
    a, b = rounds
    ratio = official_line(2024) / official_line(2018)
    assert deflator(a, b) == pytest.approx(ratio, rel=1e-12)
    before = a.design.data["consumption_pc"].copy()
    real = real_design(a, b)
    np.testing.assert_allclose(real.data["consumption_pc"], before * ratio, rtol=1e-12)
    pd.testing.assert_series_equal(a.design.data["consumption_pc"], before)  # round a untouched
    assert real.n_psu == a.design.n_psu and real.df == a.design.df


def test_change_equals_the_headcounts_and_the_components_add_up(demo, rounds, change):
    a, b = rounds
    est = change.set_index("component")["estimate"]
    wa, ya = persons(demo.read("survey_2018"))
    wb, yb = persons(demo.read("survey_2024"))
    # Each round at its own official line in its own prices: the rescaling leaves P_a unchanged.
    assert est["fgt_a"] == pytest.approx(headcount(wa, ya, a.line), abs=1e-12)
    assert est["fgt_b"] == pytest.approx(headcount(wb, yb, b.line), abs=1e-12)
    assert est["change"] == pytest.approx(est["fgt_b"] - est["fgt_a"], abs=1e-12)
    assert est["growth"] + est["redistribution"] == pytest.approx(est["change"], abs=1e-12)
    # Shapley by hand, in real terms: growth = mean of P(mu_b, L_a) - P_a and P_b - P(mu_a, L_b).
    ya_real = ya * deflator(a, b)
    mu_a, mu_b = np.average(ya_real, weights=wa), np.average(yb, weights=wb)
    c = headcount(wa, ya_real * mu_b / mu_a, b.line)
    d = headcount(wb, yb * mu_a / mu_b, b.line)
    growth = 0.5 * ((c - est["fgt_a"]) + (est["fgt_b"] - d))
    assert est["growth"] == pytest.approx(growth, abs=1e-12)
    assert (change["n_a"] == len(ya)).all() and (change["n_b"] == len(yb)).all()
    assert not change["suppressed"].any()
    assert (change["ci_low"] < change["estimate"]).all() and (change["estimate"] < change["ci_high"]).all()
    assert change.attrs["year_a"] == 2018 and change.attrs["year_b"] == 2024


def test_records_are_tidy_for_the_results_store(change):
    tidy = records(change)
    assert list(tidy["measure"]) == ["headcount_start", "headcount_end", "headcount_change",
                                     "growth_component", "redistribution_component"]
    # The tidy columns and year_a (the store's domain): no sample sizes or labels leak into it.
    assert list(tidy.columns) == ["measure", "year", "year_a", "governorate", "estimate", "se", "ci_low",
                                  "ci_high", "df", "n", "N", "suppressed"]
    assert (tidy["year"] == 2024).all() and (tidy["year_a"] == 2018).all()


def test_report_table_shows_points_ci_and_both_samples(change):
    t = change_report_table(change, lang="en")
    est = change.set_index("component")
    assert t.header == ["Component", "Estimate", "Std. error", "95% CI", "Households sampled, 2018",
                        "Households sampled, 2024"]
    assert [r[0] for r in t.rows] == ["Poverty headcount rate, 2018 (%)", "Poverty headcount rate, 2024 (%)",
                                      "Change (percentage points)", "Growth component (points)",
                                      "Redistribution component (points)"]
    assert t.rows[0][1] == pts(est.loc["fgt_a", "estimate"], "")
    assert t.rows[2][1] == pts(est.loc["fgt_b", "estimate"] - est.loc["fgt_a", "estimate"])
    low, high = est.loc["growth", ["ci_low", "ci_high"]]
    assert t.rows[3][3] == f"{pts(low, '')}–{pts(high, '')}"
    assert "-" not in "".join(c for r in t.rows for c in r[1:4])  # no hyphen: it typesets as a dash
    assert t.rows[4][4] == f"{int(est.loc['fgt_a', 'n_a']):,}"
    assert all(r[5] == f"{int(est.loc['fgt_b', 'n_b']):,}" for r in t.rows)
    ar = change_report_table(change, lang="ar")
    assert all(has_arabic(h) for h in ar.header) and all(has_arabic(r[0]) for r in ar.rows)


def test_small_samples_are_suppressed(change):
    huge = 10**6
    t = change_report_table(change, min_n=huge)
    assert all(r[1] == f"n < {huge}" and r[2] == "" for r in t.rows)
    assert t.note and all(t.suppressed)
    assert change_sentence(change_table_like(change, huge), "en", min_n=huge) == (
        f"The samples are too small to publish the change (n < {huge}).")


def change_table_like(change, min_n):
    from workbench.charts.disclosure import apply_disclosure

    out = apply_disclosure(change.drop(columns="suppressed"), min_n=min_n)
    out.attrs.update(change.attrs)
    return out


def test_sentence_en_and_ar(change):
    est = change.set_index("component")
    fall = -est.loc["change", "estimate"]
    assert fall > 0 and est.loc["change", "ci_high"] < 0  # the demo's headcount fell, CI below zero
    en = change_sentence(change, "en")
    low, high = -est.loc["change", "ci_high"], -est.loc["change", "ci_low"]
    assert en.startswith(f"Between 2018 and 2024, the poverty headcount rate fell by {100 * fall:.1f} "
                         f"percentage points (95% CI {100 * low:.1f} to {100 * high:.1f}); ")
    g, r = est.loc["growth", "estimate"], est.loc["redistribution", "estimate"]
    assert g < 0 and r < 0
    assert en.endswith(f"growth in mean consumption accounts for a fall of {-100 * g:.1f} points, "
                       f"changes in inequality for a fall of {-100 * r:.1f} points.")
    ar = change_sentence(change, "ar")
    assert has_arabic(ar) and "انخفضت" in ar and f"{100 * fall:.1f}" in ar
    assert "-" not in ar and MINUS not in ar  # no sign for the PDF engine to misplace


def test_sentence_says_when_the_change_is_within_sampling_error():
    t = pd.DataFrame({"component": ["change", "growth", "redistribution"],
                      "estimate": [0.004, -0.0004, 0.0044], "ci_low": [-0.006, -0.01, 0.0],
                      "ci_high": [0.014, 0.01, 0.009], "suppressed": False})
    t.attrs.update(year_a=2012, year_b=2018)
    assert change_sentence(t, "en") == (
        "Between 2012 and 2018, the poverty headcount rate rose by 0.4 percentage points (within "
        "sampling error: the 95% confidence interval includes zero); growth in mean consumption "
        "accounts for less than 0.1 points, changes in inequality for a rise of 0.4 points.")


def test_incidence_is_annual_real_growth_of_the_quantiles(demo, rounds):
    a, b = rounds
    curve, summary = incidence_table(a, b, percentiles=[10, 50, 90])
    assert curve.attrs["years"] == 6 and (curve["measure"] == "growth_incidence").all()
    assert list(records(curve, "percentile")["percentile"]) == [10, 50, 90]
    # Growth from the quantiles it reports, annualised over 6 years.
    expected = (curve["welfare_b"] / curve["welfare_a"]) ** (1 / 6) - 1
    np.testing.assert_allclose(curve["estimate"], expected, rtol=1e-12)
    # The 2018 median in 2024 prices, by hand (laeken: first value whose weight share exceeds p).
    wa, ya = persons(demo.read("survey_2018"))
    order = np.argsort(ya, kind="stable")
    share = np.cumsum(wa[order]) / wa.sum()
    median = ya[order][np.argmax(share > 0.5)] * deflator(a, b)
    assert curve.loc[curve["percentile"] == 50, "welfare_a"].item() == pytest.approx(median, rel=1e-12)
    wb, yb = persons(demo.read("survey_2024"))
    mean_growth = (np.average(yb, weights=wb) / np.average(ya * deflator(a, b), weights=wa)) ** (1 / 6) - 1
    got = summary.set_index("indicator")["estimate"]
    assert got["mean_growth"] == pytest.approx(mean_growth, rel=1e-10)
    assert (curve["ci_low"] < curve["estimate"]).all() and (curve["estimate"] < curve["ci_high"]).all()


def test_docstring_examples_hold():
    import doctest

    import workbench.reports.change as module

    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_the_section_since_the_previous_round_is_the_tables_it_shows(rounds, change):
    earlier, later = rounds
    assert since_previous([later], later) is None  # the first round has no change to show
    section = since_previous([earlier, later], later)
    assert (section.earlier.year, section.later.year) == (earlier.year, later.year)
    pd.testing.assert_frame_equal(section.decomposition, change)
    assert section.text("en").endswith(change_sentence(change, "en"))
    assert has_arabic(section.text("ar"))
    assert section.chart("en", source="Source: test").layout.title.text
