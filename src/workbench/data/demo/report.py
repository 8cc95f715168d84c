"""Summary statistics for the calibration report in ``manifest.json``.

Only what the report needs: the intra-cluster correlation, the Gini index and
the coefficient of variation of weights. Estimation proper lives in the
estimator modules; the demo data must not depend on them.
"""

from __future__ import annotations

import numpy as np

__all__ = ["cv", "gini", "icc_anova", "rounded"]


def icc_anova(y: np.ndarray, cluster: np.ndarray) -> float:
    """One-way ANOVA estimator of the intra-cluster correlation.

    ``(MSB - MSW) / (MSB + (m0 - 1) MSW)`` with ``m0`` the adjusted mean
    cluster size for unequal clusters (Donner 1986).

    Examples
    --------
    >>> y = np.array([1.0, 1.0, 2.0, 2.0, 3.0, 3.0])
    >>> icc_anova(y, np.array([0, 0, 1, 1, 2, 2]))
    1.0
    """
    _, c = np.unique(cluster, return_inverse=True)
    k, n = c.max() + 1, len(y)
    size = np.bincount(c, minlength=k).astype(float)
    means = np.bincount(c, y, minlength=k) / size
    msb = float(size @ (means - y.mean()) ** 2) / (k - 1)
    msw = float(((y - means[c]) ** 2).sum()) / (n - k)
    m0 = (n - float(size @ size) / n) / (k - 1)
    return float((msb - msw) / (msb + (m0 - 1.0) * msw))


def gini(x: np.ndarray, weight: np.ndarray) -> float:
    """Weighted Gini index (the area formula on the weighted Lorenz curve).

    Examples
    --------
    >>> round(gini(np.array([1.0, 1.0, 1.0, 1.0]), np.ones(4)), 12)
    0.0
    >>> round(gini(np.array([0.0, 1.0]), np.ones(2)), 12)
    0.5
    """
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], weight[order]
    cw = np.cumsum(ws) / ws.sum()
    cy = np.cumsum(xs * ws) / (xs @ ws)
    lorenz_area = float(np.sum(np.diff(np.concatenate([[0.0], cw])) * (cy + np.concatenate([[0.0], cy[:-1]])) / 2))
    return 1.0 - 2.0 * lorenz_area


def cv(x: np.ndarray) -> float:
    """Coefficient of variation (population standard deviation over the mean)."""
    return float(np.std(x) / np.mean(x))


def rounded(x: float, digits: int = 4) -> float:
    """A plain float rounded for the manifest (stable JSON)."""
    return round(float(x), digits)
