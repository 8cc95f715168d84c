"""Design-based variance of estimated totals, for many domains in one pass.

Every estimator in the workbench reduces to totals of linearized scores
(influence values): ``u_i = w_i * z_i`` for a total, ``w_i (y_i - R x_i) / X`` for
a ratio, and so on (Binder 1983; Deville 1999). This module computes the
variance of ``sum_i u_i`` within each domain under a stratified multistage
design, with the with-replacement approximation at the first stage:

.. math::

    \\hat V = \\sum_h (1 - f_h) \\frac{n_h}{n_h - 1} \\sum_{i \\in h} (t_{hi} - \\bar t_h)^2

where ``t_hi`` is the PSU total of the scores. It matches R's ``svyrecvar`` for
one-stage designs (``survey`` 4.x). Scores for a domain are zero outside the
domain: the full design is kept, as in R's ``svyby``.

Estimators total their scores into the non-empty (domain, PSU) cells
(:mod:`workbench.survey.cells`, one pass over the rows) and
:func:`cell_total_variance` works on those totals alone: a PSU where a domain
has no rows has a zero total, whose squared deviation from the stratum mean is
added in closed form. :func:`domain_total_variance` takes any domain codes and
works on a dense (domains x PSUs) array.
"""

from __future__ import annotations

import numpy as np

from workbench.survey.cells import Cells
from workbench.survey.design import SurveyDesign

__all__ = ["cell_total_variance", "domain_total_variance", "psu_totals", "variance_of_psu_totals"]


def _stratum_scale(design: SurveyDesign) -> np.ndarray:
    """``(1 - f_h) n_h / (n_h - 1)`` of each stratum (1 for a lonely PSU's stratum, before the fpc)."""
    n_h = design.psu_per_stratum.astype(float)
    return np.where(n_h > 1, n_h / np.maximum(n_h - 1, 1), 1.0) * (1.0 - design.sampling_fraction)


def cell_total_variance(design: SurveyDesign, cells: Cells, totals: np.ndarray) -> np.ndarray:
    """Variance of each domain's total from the totals of its scores in its non-empty cells.

    The same as :func:`variance_of_psu_totals` on the dense (domains x PSUs)
    array that has ``totals`` in the cells and zeros elsewhere: the ``n_h - k``
    PSUs of stratum ``h`` where a domain has no rows each add the squared
    stratum mean of its totals.

    Parameters
    ----------
    design : SurveyDesign
    cells : Cells
        The cells of the domains (:func:`workbench.survey.cells.cells_of`).
    totals : numpy.ndarray
        Total of the weighted scores in each cell, shape ``(cells,)``, or
        ``(cells, K)`` for K estimates at once.

    Returns
    -------
    numpy.ndarray
        One variance per domain, shape ``(domains,)`` or ``(domains, K)``.

    Examples
    --------
    One stratum of two PSUs, one domain: ``2 / (2 - 1) * ((1 - 2)^2 + (3 - 2)^2) = 4``.

    >>> import pandas as pd
    >>> from workbench.survey.cells import cells_of
    >>> d = SurveyDesign(pd.DataFrame({"w": [1.0] * 4, "c": [1, 1, 2, 2]}), weight="w", psu="c")
    >>> cell_total_variance(d, cells_of(d, None, 1), np.array([1.0, 3.0]))
    array([4.])
    """
    H, D = design.n_strata, cells.n_domains
    t = np.asarray(totals, dtype=float).reshape(cells.count, -1)
    K = t.shape[1]
    n_h = np.tile(design.psu_per_stratum.astype(float), D)[:, None]
    key = cells.stratum_key if K == 1 else (cells.stratum_key[:, None] * K + np.arange(K)).ravel()
    centre = np.bincount(key, weights=t.ravel(), minlength=D * H * K).reshape(D * H, K) / n_h
    if design.lonely_strata.size:
        # A lonely PSU's total is centred at zero (R's survey.lonely.psu = "adjust"), as below.
        centre.reshape(D, H, K)[:, design.lonely_strata] = 0.0
    dev = t - centre[cells.stratum_key]
    ss = np.bincount(key, weights=(dev * dev).ravel(), minlength=D * H * K).reshape(D * H, K)
    ss += (n_h - cells.filled[:, None]) * centre * centre
    variance = np.einsum("dhk,h->dk", ss.reshape(D, H, K), _stratum_scale(design))
    return variance[:, 0] if np.ndim(totals) == 1 else variance


def psu_totals(design: SurveyDesign, scores: np.ndarray, domain: np.ndarray,
               n_domains: int) -> np.ndarray:
    """Totals of ``scores`` by domain and PSU, shape ``(n_domains, n_psu)``: one ``bincount``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = SurveyDesign(pd.DataFrame({"w": [1.0] * 4, "c": [1, 1, 2, 2]}), weight="w", psu="c")
    >>> psu_totals(d, np.array([1.0, 2, 3, 4]), np.array([0, 1, 0, 0]), 2).tolist()
    [[1.0, 7.0], [2.0, 0.0]]
    """
    n_psu = design.n_psu
    return np.bincount(domain * n_psu + design.psu_code, weights=scores,
                       minlength=n_domains * n_psu).reshape(n_domains, n_psu)


def variance_of_psu_totals(design: SurveyDesign, t: np.ndarray) -> np.ndarray:
    """Variance of ``t.sum(axis=1)`` from PSU totals ``t`` of shape ``(K, n_psu)``.

    Each of the K rows is one estimate (a domain, or a domain and a level of a
    categorical variable): its PSU totals of linearized scores. Estimators that
    can form PSU totals without a score per row (proportions, Woodruff intervals)
    call this directly.

    Examples
    --------
    One stratum of two PSUs: ``2 / (2 - 1) * ((1 - 2)^2 + (3 - 2)^2) = 4``.

    >>> import pandas as pd
    >>> d = SurveyDesign(pd.DataFrame({"w": [1.0] * 4, "c": [1, 1, 2, 2]}), weight="w", psu="c")
    >>> variance_of_psu_totals(d, np.array([[1.0, 3.0]]))
    array([4.])
    """
    K = t.shape[0]
    n_strata = design.n_strata
    psu_h = design.psu_stratum
    n_h = design.psu_per_stratum.astype(float)
    # Stratum means of PSU totals: shape (K, H).
    kh = (np.arange(K)[:, None] * n_strata + psu_h[None, :]).ravel()
    sums = np.bincount(kh, weights=t.ravel(), minlength=K * n_strata).reshape(K, n_strata)
    centre = sums / n_h
    if design.lonely_strata.size:
        # R's survey.lonely.psu = "adjust" (survey 4.x ``onestrat``): a lonely PSU's total is
        # not centred at its stratum mean but at zero, the population mean of the scores of
        # a mean or ratio.
        centre[:, design.lonely_strata] = 0.0
    dev = t - centre[:, psu_h]
    ss = np.bincount(kh, weights=(dev * dev).ravel(), minlength=K * n_strata).reshape(K, n_strata)
    return ss @ _stratum_scale(design)


def domain_total_variance(design: SurveyDesign, scores: np.ndarray, domain: np.ndarray,
                          n_domains: int) -> np.ndarray:
    """Variance of the total of ``scores`` within each domain.

    Parameters
    ----------
    design : SurveyDesign
    scores : numpy.ndarray
        Linearized scores, weights already applied, one per row. A row's score
        counts only in its own domain.
    domain : numpy.ndarray
        Domain code of each row, 0 .. ``n_domains`` - 1.
    n_domains : int

    Returns
    -------
    numpy.ndarray
        Variance for each domain, shape ``(n_domains,)``.

    Examples
    --------
    Two strata of two PSUs each, one domain:

    >>> import pandas as pd
    >>> df = pd.DataFrame({"w": [1.0] * 4, "h": [1, 1, 2, 2], "c": [1, 2, 1, 2]})
    >>> d = SurveyDesign(df, weight="w", strata="h", psu="c")
    >>> domain_total_variance(d, np.array([1.0, 3.0, 2.0, 2.0]), np.zeros(4, int), 1)
    array([4.])
    """
    return variance_of_psu_totals(design, psu_totals(design, scores, domain, n_domains))
