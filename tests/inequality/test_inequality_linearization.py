"""Linearized variances equal the variance of the numerical derivative w.r.t. PSU weights.

The Gini, Theil, MLD and Atkinson indices are smooth in the weights, so the
check applies directly (testkit.numerical_variance).

Quantile shares (S80/S20, Palma, deciles) are step functions of the weights
through the quantile. Their check uses a smoothed twin: the interpolated
Lorenz ordinate ``T~(p) = sum_{i<j} w_i y_i + (pN - C_{j-1}) y_j`` (``j`` the
row where the cumulative weight passes ``pN``), whose exact derivative is
``(y_k - q_p) 1[y_k <= q_p] + p q_p`` with ``q_p = y_j``: the workbench's
linearized variable. The twin is shifted by a constant so that its value at
the sample weights equals laeken's, so the ratios built from it have the same
value and, if the workbench is right, the same derivative.
"""

import numpy as np
import pytest
from testkit import numerical_variance, toy_design

from workbench.inequality import atkinson, decile_shares, gini, mld, palma, s80s20, theil
from workbench.inequality.ordering import order_within, quantile_index
from workbench.survey import SurveyDesign

SMOOTH = {
    "gini": lambda d, by: gini(d, "y", by=by),
    "theil": lambda d, by: theil(d, "y", by=by),
    "mld": lambda d, by: mld(d, "y", by=by),
    "atkinson0.5": lambda d, by: atkinson(d, "y", epsilon=0.5, by=by),
    "atkinson1": lambda d, by: atkinson(d, "y", epsilon=1, by=by),
    "atkinson2": lambda d, by: atkinson(d, "y", epsilon=2, by=by),
    "gini household-weighted": lambda d, by: gini(d, "y", by=by, weighting="household"),
}


@pytest.mark.parametrize("by", [None, "region", ["region", "h"]])
@pytest.mark.parametrize("name", list(SMOOTH))
def test_smooth_measures(name, by):
    design = toy_design(seed=3)
    run = SMOOTH[name]
    linearized = run(design, by).table["se"].to_numpy() ** 2
    numerical = numerical_variance(design, lambda d: run(d, by).table["estimate"].to_numpy())
    np.testing.assert_allclose(linearized, numerical, rtol=1e-6)


def _lorenz_totals(design: SurveyDesign, probs, anchor: SurveyDesign) -> np.ndarray:
    """Smoothed T~(p) for each domain (region) and p, shifted to laeken's T(q_p) at ``anchor``."""
    def raw(d: SurveyDesign) -> tuple[np.ndarray, np.ndarray]:
        codes = d.data["region"].map({"north": 0, "south": 1}).to_numpy()
        y, w = d.data["y"].to_numpy(), d.weights("person")
        o = order_within(codes, y, w, 2)
        smooth, laeken = [], []
        for p in probs:
            j = quantile_index(o, p)
            before = o.cum_w[j] - o.w[j]
            smooth.append(o.cum_wy[j] - o.w[j] * o.y[j] + (p * o.N - before) * o.y[j])
            laeken.append(np.bincount(codes, weights=np.where(y <= o.y[j][codes], w * y, 0), minlength=2))
        return np.array(smooth), np.array(laeken)

    smooth_anchor, laeken_anchor = raw(anchor)
    return raw(design)[0] + (laeken_anchor - smooth_anchor)


def _totals(d: SurveyDesign) -> np.ndarray:
    codes = d.data["region"].map({"north": 0, "south": 1}).to_numpy()
    return np.bincount(codes, weights=d.weights("person") * d.data["y"].to_numpy(), minlength=2)


@pytest.mark.parametrize("measure, top, bottom", [(s80s20, 0.8, 0.2), (palma, 0.9, 0.4)])
def test_top_bottom_ratios(measure, top, bottom):
    design = toy_design(seed=4)
    est = measure(design, "y", by="region").table

    def twin(d):
        below_top, below_bottom = _lorenz_totals(d, [top, bottom], design)
        return (_totals(d) - below_top) / below_bottom

    np.testing.assert_allclose(twin(design), est["estimate"], rtol=1e-12)
    np.testing.assert_allclose(est["se"] ** 2, numerical_variance(design, twin), rtol=1e-6)


def test_decile_shares():
    design = toy_design(seed=5)
    est = decile_shares(design, "y", by="region").table

    def twin(d):
        below = _lorenz_totals(d, [k / 10 for k in range(1, 10)], design)
        total = _totals(d)
        cumulative = np.vstack([np.zeros(2), below, total])
        return (np.diff(cumulative, axis=0) / total).T.ravel()  # region-major, as the table

    np.testing.assert_allclose(twin(design), est["estimate"], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(est["se"] ** 2, numerical_variance(design, twin), rtol=1e-6)
