"""Invariance of the survey estimators to rescaling the weights (hypothesis)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.survey import SurveyDesign, mean, proportion, quantile, total


@st.composite
def samples(draw) -> pd.DataFrame:
    """2-4 strata of 2-4 PSUs, 1-5 units each, with a welfare, a category and a domain."""
    rows = []
    for h in range(draw(st.integers(2, 4))):
        for c in range(draw(st.integers(2, 4))):
            rows += [(h, c)] * draw(st.integers(1, 5))
    n = len(rows)
    floats = st.floats(0.1, 1e4, allow_nan=False, allow_infinity=False)
    return pd.DataFrame({
        "h": [r[0] for r in rows], "c": [r[1] for r in rows],
        "w": draw(st.lists(st.one_of(st.integers(1, 50).map(float), floats), min_size=n, max_size=n)),
        "y": draw(st.lists(st.one_of(st.integers(0, 20).map(float), floats), min_size=n, max_size=n)),
        "k": draw(st.lists(st.sampled_from("abc"), min_size=n, max_size=n)),
        "g": np.arange(n) % 2,
    })


def _design(df: pd.DataFrame, scale: float = 1.0) -> SurveyDesign:
    return SurveyDesign(df.assign(w=df["w"] * scale), weight="w", strata="h", psu="c")


COLS = ["estimate", "se", "ci_low", "ci_high"]


@settings(max_examples=60, deadline=None)
@given(samples(), st.floats(1e-3, 1e3))
def test_means_and_proportions_ignore_the_scale_of_weights(df, scale):
    a, b = _design(df), _design(df, scale)
    for make in (lambda d: mean(d, "y", by="g"), lambda d: proportion(d, "k")):
        ta, tb = make(a).table, make(b).table
        np.testing.assert_allclose(tb[COLS], ta[COLS], rtol=1e-9, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(samples(), st.floats(1e-3, 1e3))
def test_totals_scale_with_the_weights(df, scale):
    ta, tb = total(_design(df), "y").table, total(_design(df, scale), "y").table
    np.testing.assert_allclose(tb[COLS], ta[COLS] * scale, rtol=1e-9, atol=1e-9 * scale)


@settings(max_examples=60, deadline=None)
@given(samples(), st.integers(-20, 20))
def test_quantiles_ignore_the_scale_of_weights(df, power):
    """Scaled by a power of two, so that the scaling is exact in floating point.

    With other factors, a cumulative weight exactly equal to p N (common with
    integer weights) can round to either side, and the quantile jumps: a genuine
    discontinuity of the inverse distribution function, not an error.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # small samples: NaN Woodruff bounds are expected
        ta = quantile(_design(df), "y", [0.1, 0.5, 0.9], by="g").table
        tb = quantile(_design(df, 2.0**power), "y", [0.1, 0.5, 0.9], by="g").table
    pd.testing.assert_frame_equal(ta.drop(columns="N"), tb.drop(columns="N"))
