"""Gaussian kernel density of welfare at a point, per domain, with Osier's bandwidth.

A headcount at a line that depends on estimated means (the counterfactuals of
the growth–redistribution decompositions) is linearized with the density of
welfare at the line (Deville 1999; Osier 2009, sec. 3). The density is the
Gaussian kernel estimate

.. math::

    \\hat f(x) = \\frac{1}{\\hat N h} \\sum_i w_i\\, \\phi\\Big(\\frac{x - y_i}{h}\\Big),
    \\qquad h = \\hat\\sigma\\, \\hat N^{-1/5},

with ``sigma`` the weighted standard deviation of ``y`` (divisor ``N``) and
``N`` the sum of the weights: the bandwidth of Osier (2009), *Survey Research
Methods* 3(3), 167–195, as R's ``convey`` computes it (``h_fun`` and
``densfun(FUN = "F")``, used by ``svyarpr``; each domain its own ``h``, as
``svyarpr`` does for a domain).

Note that ``N`` is the estimated population, not the sample size, so the
bandwidth (and thus the SE of a headcount at an estimated line) changes
slightly when all weights are rescaled: that is convey's convention, kept for
comparability.
"""

from __future__ import annotations

import numpy as np

__all__ = ["kernel_density", "osier_bandwidth"]

_SQRT_2PI = np.sqrt(2.0 * np.pi)


def _by_domain(codes: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    return np.bincount(codes, weights=values, minlength=count)


def osier_bandwidth(y: np.ndarray, w: np.ndarray, codes: np.ndarray, count: int) -> np.ndarray:
    """Bandwidth ``sigma_w / N^(1/5)`` of each domain (convey's ``h_fun``).

    Parameters
    ----------
    y, w : numpy.ndarray
        Values and weights of the rows.
    codes : numpy.ndarray
        Domain of each row, 0 .. ``count`` - 1.
    count : int
        Number of domains.

    Examples
    --------
    >>> y = np.array([1.0, 2, 3, 4])
    >>> osier_bandwidth(y, np.ones(4), np.zeros(4, int), 1).round(6).tolist()
    [0.847311]
    >>> round(float(np.sqrt(1.25) / 4**0.2), 6)
    0.847311
    """
    N = _by_domain(codes, w, count)
    mean = _by_domain(codes, w * y, count) / N
    dev = y - mean[codes]
    sd = np.sqrt(_by_domain(codes, w * dev * dev, count) / N)
    return sd / N**0.2


def kernel_density(y: np.ndarray, w: np.ndarray, codes: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Gaussian kernel density of ``y`` at ``at[d]`` in each domain ``d`` (convey's ``densfun``).

    Parameters
    ----------
    y, w : numpy.ndarray
        Values and weights of the rows.
    codes : numpy.ndarray
        Domain of each row, 0 .. ``len(at)`` - 1.
    at : numpy.ndarray
        The point of each domain.

    Returns
    -------
    numpy.ndarray
        One density per domain. A domain whose values are all equal has no
        spread, and its density is reported as 0.

    Examples
    --------
    >>> y = np.array([1.0, 2, 3, 4])
    >>> h = osier_bandwidth(y, np.ones(4), np.zeros(4, int), 1)[0]
    >>> by_hand = np.exp(-0.5 * ((2.5 - y) / h) ** 2).sum() / np.sqrt(2 * np.pi) / (4 * h)
    >>> f = kernel_density(y, np.ones(4), np.zeros(4, int), np.array([2.5]))[0]
    >>> bool(np.isclose(f, by_hand, rtol=1e-14))
    True
    """
    count = len(at)
    h = osier_bandwidth(y, w, codes, count)
    spread = h > 0
    safe_h = np.where(spread, h, 1.0)
    u = (np.asarray(at)[codes] - y) / safe_h[codes]
    kernel = np.exp(-0.5 * u * u) / _SQRT_2PI
    N = _by_domain(codes, w, count)
    return np.where(spread, _by_domain(codes, w * kernel, count) / (N * safe_h), 0.0)
