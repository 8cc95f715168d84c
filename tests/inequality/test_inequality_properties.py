"""Properties of the inequality measures, over random samples (hypothesis)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.inequality import atkinson, decile_shares, gini, mld, palma, s80s20, theil
from workbench.survey import SurveyDesign

MEASURES = {
    "gini": gini, "theil": theil, "mld": mld, "palma": palma, "s80s20": s80s20,
    "atkinson0.5": lambda d, v: atkinson(d, v, epsilon=0.5),
    "atkinson2": lambda d, v: atkinson(d, v, epsilon=2),
}


@st.composite
def samples(draw, min_size=6):
    y = draw(st.lists(st.floats(1.0, 1e5), min_size=min_size, max_size=40))
    n = len(y)
    w = draw(st.lists(st.floats(0.5, 100.0), min_size=n, max_size=n))
    return pd.DataFrame({"y": y, "w": w, "h": np.arange(n) % 2, "c": np.arange(n)})


def design(df: pd.DataFrame) -> SurveyDesign:
    return SurveyDesign(df, weight="w", strata="h", psu="c")


@settings(max_examples=60, deadline=None)
@given(samples(min_size=4))
def test_gini_lies_in_zero_one(df):
    g = gini(design(df), "y").estimate
    assert 0 <= g < 1


@settings(max_examples=30, deadline=None)
@given(samples(), st.floats(1e-3, 1e3))
def test_scaling_welfare_changes_no_relative_measure(df, c):
    scaled = df.assign(y=df.y * c)
    for name, measure in MEASURES.items():
        a, b = measure(design(df), "y"), measure(design(scaled), "y")
        assert b.estimate == pytest.approx(a.estimate, rel=1e-8, abs=1e-12), name
        assert b.se == pytest.approx(a.se, rel=1e-6, abs=1e-9), name  # rounding noise of a zero SE


@settings(max_examples=30, deadline=None)
@given(samples(), st.floats(1e-3, 1e3))
def test_scaling_the_weights_changes_nothing(df, c):
    scaled = df.assign(w=df.w * c)
    for name, measure in MEASURES.items():
        a, b = measure(design(df), "y"), measure(design(scaled), "y")
        assert b.estimate == pytest.approx(a.estimate, rel=1e-8, abs=1e-12), name
        assert b.se == pytest.approx(a.se, rel=1e-6, abs=1e-9), name  # rounding noise of a zero SE


@settings(max_examples=30, deadline=None)
@given(samples(min_size=10))
def test_decile_shares_add_up_and_rise(df):
    shares = decile_shares(design(df), "y").table["estimate"].to_numpy()
    assert shares.sum() == pytest.approx(1.0, rel=1e-9)
    assert (shares >= -1e-15).all()
