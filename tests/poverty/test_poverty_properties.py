"""Properties of the poverty measures, over random samples (hypothesis)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.poverty import fgt, number_poor, sen, sst, watts
from workbench.survey import SurveyDesign

welfare = st.lists(st.floats(1.0, 1000.0), min_size=4, max_size=30)


@st.composite
def samples(draw):
    y = draw(welfare)
    n = len(y)
    w = draw(st.lists(st.floats(0.5, 50.0), min_size=n, max_size=n))
    strata = np.arange(n) % 2
    return pd.DataFrame({"y": y, "w": w, "h": strata, "c": np.arange(n)})


def design(df: pd.DataFrame) -> SurveyDesign:
    return SurveyDesign(df, weight="w", strata="h", psu="c")


@settings(max_examples=40, deadline=None)
@given(samples(), st.floats(0.01, 1000.0))
def test_scaling_the_weights_changes_nothing_but_totals(df, c):
    scaled = df.assign(w=df.w * c)
    for measure in (fgt, watts, sen, sst):
        a, b = measure(design(df), "y", line=200.0), measure(design(scaled), "y", line=200.0)
        assert b.estimate == pytest.approx(a.estimate, rel=1e-9, abs=1e-12)
        assert b.se == pytest.approx(a.se, rel=1e-6, abs=1e-12)
    assert number_poor(design(scaled), "y", line=200.0).estimate == pytest.approx(
        c * number_poor(design(df), "y", line=200.0).estimate, rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(samples(), st.floats(1.0, 1000.0), st.floats(0.0, 500.0), st.sampled_from([0.0, 0.5, 1.0, 2.0]))
def test_fgt_does_not_fall_when_the_line_rises(df, line, step, alpha):
    d = design(df)
    low = fgt(d, "y", line=line, alpha=alpha).estimate
    high = fgt(d, "y", line=line + step, alpha=alpha).estimate
    assert high >= low - 1e-12


@settings(max_examples=40, deadline=None)
@given(samples(), st.floats(1.0, 1500.0))
def test_fgt_does_not_rise_with_alpha(df, line):
    d = design(df)
    p0, p1, p2 = (fgt(d, "y", line=line, alpha=a).estimate for a in (0, 1, 2))
    assert 0 <= p2 <= p1 + 1e-12 and p1 <= p0 + 1e-12 and p0 <= 1


@settings(max_examples=40, deadline=None)
@given(samples(), st.floats(1.0, 1500.0))
def test_sen_and_sst_lie_between_their_bounds(df, line):
    d = design(df)
    p0, p1 = fgt(d, "y", line=line).estimate, fgt(d, "y", line=line, alpha=1).estimate
    s = sen(d, "y", line=line).estimate
    assert p1 - 1e-12 <= s <= p0 + 1e-12
    assert p1 - 1e-12 <= sst(d, "y", line=line).estimate <= 2 * p1 + 1e-12
