"""Weighted quantiles and the reference group."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import DataError, ParameterError
from workbench.poverty_lines import reference_group, weighted_quantile
from workbench.poverty_lines.reference import share_below


def six_households():
    # Person weights = weight x hhsize = 2, 2, 1, 1, 2, 2 (10 persons). The share of
    # persons strictly poorer than each household: 0, .2, .4, .5, .6, .8.
    return pd.DataFrame(
        {
            "hhid": [11, 12, 13, 14, 15, 16],
            "consumption_pc": [50.0, 70, 90, 110, 150, 200],
            "weight": 1.0,
            "hhsize": [2, 2, 1, 1, 2, 2],
        }
    )


def test_weighted_quantile_by_hand():
    s = six_households()
    w = s.weight * s.hhsize
    # F: 50 -> .2, 70 -> .4, 90 -> .5, 110 -> .6, 150 -> .8, 200 -> 1.
    q = weighted_quantile(s.consumption_pc, w, [0, 0.1, 0.2, 0.21, 0.5, 0.55, 1])
    np.testing.assert_array_equal(q, [50, 50, 50, 70, 90, 110, 200])


def test_weighted_quantile_equal_weights_matches_numpy_inverted_cdf():
    rng = np.random.default_rng(1)
    x = rng.lognormal(size=101)
    p = np.linspace(0, 1, 37)
    np.testing.assert_array_equal(
        weighted_quantile(x, np.ones_like(x), p), np.quantile(x, p, method="inverted_cdf")
    )


def test_weighted_quantile_integer_weights_equal_replication():
    x = np.array([3.0, 1.0, 2.0])
    w = np.array([2, 1, 3])
    p = np.linspace(0, 1, 25)
    np.testing.assert_array_equal(
        weighted_quantile(x, w, p), np.quantile(np.repeat(x, w), p, method="inverted_cdf")
    )


def test_weighted_quantile_errors():
    with pytest.raises(ParameterError, match=r"probabilities must be in \[0, 1\]"):
        weighted_quantile([1.0], [1.0], 1.5)
    with pytest.raises(DataError, match=r"weights finite and >= 0"):
        weighted_quantile([1.0, 2.0], [1.0, -1.0], 0.5)
    with pytest.raises(DataError, match=r"all weights are zero"):
        weighted_quantile([1.0, 2.0], [0.0, 0.0], 0.5)
    with pytest.raises(DataError, match=r"same length"):
        weighted_quantile([1.0, 2.0], [1.0], 0.5)


def test_share_below_with_ties_and_groups():
    y = np.array([5.0, 1, 5, 3, 2, 2])
    w = np.array([1.0, 1, 1, 1, 2, 2])
    g = np.array([0, 0, 0, 0, 1, 1])
    # Group 0: 1 -> 0, 3 -> 1/4, 5 and 5 -> 2/4. Group 1: tied at 2 -> 0.
    np.testing.assert_allclose(share_below(y, w, g), [0.5, 0, 0.5, 0.25, 0, 0])


def test_reference_group_second_and_third_deciles_by_hand():
    g = reference_group(six_households())  # default (0.10, 0.30): share below in [.1, .3)
    assert g.quantiles == (0.1, 0.3)
    assert g.members.tolist() == [False, True, False, False, False, False]
    assert (g.households, g.persons, g.cutoffs) == (1, 2.0, (50.0, 70.0))
    wider = reference_group(six_households(), quantiles=(0.2, 0.5))
    assert wider.members.nonzero()[0].tolist() == [1, 2]  # shares .2 and .4
    assert wider.persons == 3.0
    poorest = reference_group(six_households(), quantiles=(0, 0.2))
    assert poorest.members.nonzero()[0].tolist() == [0]


def test_household_weights_on_request():
    g = reference_group(six_households(), quantiles=(0.3, 0.5), hhsize=None)
    # Household shares below: 0, 1/6, 2/6, 3/6, ...: only the third household is in [.3, .5).
    assert g.members.nonzero()[0].tolist() == [2]


def test_reference_group_errors():
    s = six_households()
    with pytest.raises(ParameterError, match=r"0 <= low < high <= 1"):
        reference_group(s, quantiles=(0.3, 0.1))
    with pytest.raises(DataError, match=r"no household between the 0.21 and 0.22 quantiles"):
        reference_group(s, quantiles=(0.21, 0.22))
    bad = s.assign(weight=[1.0, -1, 1, 1, 1, np.nan])
    with pytest.raises(
        DataError, match=r"'weight' must be complete and finite; 1 rows .*first ids: 16"
    ):
        reference_group(bad)
    with pytest.raises(DataError, match=r"'weight' must be > 0; 1 rows .*first ids: 12"):
        reference_group(bad.assign(weight=[1.0, -1, 1, 1, 1, 1]))
    with pytest.raises(DataError, match=r"no column 'consumption_pc'"):
        reference_group(s.drop(columns="consumption_pc"))


@settings(max_examples=60, deadline=None)
@given(
    data=st.lists(st.tuples(st.integers(1, 30), st.integers(1, 5)), min_size=2, max_size=40),
    lo=st.floats(0.01, 0.98),
    width=st.floats(0.01, 0.5),
)
def test_membership_is_between_the_weighted_quantiles(data, lo, width):
    """Members are exactly the households with Q(lo) < y <= Q(hi) (for lo > 0)."""
    hi = min(lo + width, 1.0)
    y = np.array([d[0] for d in data], dtype=float)
    w = np.array([d[1] for d in data], dtype=float)
    s = pd.DataFrame({"consumption_pc": y, "weight": w, "hhsize": 1})
    q_lo, q_hi = weighted_quantile(y, w, [lo, hi])
    expected = (y > q_lo) & (y <= q_hi)
    if not expected.any():
        with pytest.raises(DataError):
            reference_group(s, quantiles=(lo, hi))
        return
    np.testing.assert_array_equal(reference_group(s, quantiles=(lo, hi)).members, expected)
