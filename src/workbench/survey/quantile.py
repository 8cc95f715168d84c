"""Quantiles with Woodruff (1952) confidence intervals, for many domains at once.

The point estimate is the inverse of the weighted empirical distribution
function, left-continuous: the smallest value ``x`` with ``F(x) >= p``, where
``F(x) = sum(w 1[y <= x]) / sum(w)`` (R survey's ``qrule = "math"``, Hyndman and
Fan type 1 with weights).

The interval (Woodruff 1952; Lumley 2010, sec. 2.4.1) is built on the scale of
probabilities and mapped back: with ``F_hat = F(q_hat)`` and its linearized SE
(that of a proportion), the interval is
``[F^-1(F_hat - t s), F^-1(F_hat + t s)]`` with ``t`` the Student quantile on the
design degrees of freedom. Its half-width divided by ``t`` is reported as the
standard error, as R's ``svyquantile(..., interval.type = "mean")`` reports it.

Vectorised: the rows are sorted once by (domain, value); each quantile of every
domain is then one ``searchsorted`` on the cumulative weights, and the SEs of
all domains one pass over the rows for the (domain, PSU) cell totals. Only the
requested probabilities are looped over.

Differences from R ``survey`` 4.1 (documented, both at the edges):

- when ``p * N_d`` is below the weight of the smallest observation of a domain,
  R returns the *second* smallest value (its helper ``last()`` returns 1 when no
  cumulative weight is ``<= p N``); this returns the smallest, which is the
  inverse of the distribution function;
- R's ``svyby`` uses the degrees of freedom of each domain (PSUs with domain
  members minus their strata); the workbench uses the design's, as for every
  other estimate. R gives the same numbers with ``svyquantile(..., df = degf(design))``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

from workbench.errors import ParameterError, warn
from workbench.results import Estimate, tidy_table
from workbench.survey.design import SurveyDesign, Weighting
from workbench.survey.linearization import domains
from workbench.survey.variance import cell_total_variance

__all__ = ["quantile"]


def quantile(design: SurveyDesign, variable: str, q: float | Sequence[float], *,
             by: str | Sequence[str] | None = None, weighting: Weighting = "person",
             level: float = 0.95) -> Estimate:
    """Weighted quantiles with Woodruff confidence intervals and standard errors.

    The same as R's ``svyquantile(~variable, design, q, interval.type = "mean",
    ci = TRUE, df = degf(design))`` (``qrule = "math"``), and with ``by`` as
    ``svyby`` of it.

    Parameters
    ----------
    design : SurveyDesign
    variable : str
        Numeric column.
    q : float or sequence of float
        Probabilities in [0, 1] (0.5 for the median).
    by : str or sequence of str, optional
        Domain columns.
    weighting : {"person", "household"}
    level : float
        Confidence level of the Woodruff interval.

    Returns
    -------
    Estimate
        One row per domain and probability: the domain columns, ``quantile``
        (the probability), then ``estimate, se, ci_low, ci_high, df, n, N, cv``.
        ``ci_low`` and ``ci_high`` are the Woodruff interval, which need not be
        symmetric about the estimate; ``se`` is its width over ``2 t``.

    Warns
    -----
    DataWarning
        When the interval on the probability scale leaves [0, 1] (extreme
        quantiles of small domains): R reports NaN there, and so does this, for
        ``ci_low`` or ``ci_high`` and ``se``.

    Examples
    --------
    Two strata of six PSUs (R's ``svyquantile`` gives the same numbers):

    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": np.arange(1.0, 13), "w": [1.0, 2] * 6,
    ...                    "h": [1] * 6 + [2] * 6, "c": list(range(6)) * 2})
    >>> m = quantile(SurveyDesign(df, weight="w", strata="h", psu="c"), "y", [0.25, 0.5])
    >>> m.table[["quantile", "estimate", "ci_low", "ci_high"]].to_dict(orient="list")
    {'quantile': [0.25, 0.5], 'estimate': [4.0, 6.0], 'ci_low': [2.0, 5.0], 'ci_high': [8.0, 8.0]}
    >>> m.table["se"].round(6).tolist()
    [1.346415, 0.673208]
    """
    probs = np.atleast_1d(np.asarray(q, dtype=float))
    if probs.ndim != 1 or probs.size == 0 or not np.all((probs >= 0) & (probs <= 1)):
        raise ParameterError(f"quantile probabilities must be numbers in [0, 1]; got {q!r}")
    if not 0 < level < 1:
        raise ParameterError(f"level must be in (0, 1); got {level}")
    doms = domains(design, by, weighting)
    y = design.column(variable)
    cdf = _WeightedCDF(y, doms.weights, doms.codes, doms.count)
    t = stats.t.ppf(0.5 + level / 2, design.df) if design.df > 0 else np.inf

    D, Q = doms.count, probs.size
    w, cells, d = doms.weights, doms.cells, doms.cells.domain
    est, lo, hi = np.empty((D, Q)), np.empty((D, Q)), np.empty((D, Q))
    for j, p in enumerate(probs):  # a loop over the requested probabilities only
        est[:, j] = cdf.inverse(np.full(D, p))
        # Woodruff: the share of the domain at or below the estimate, with its linearized SE.
        # Cell totals of the scores w (1[y <= q] - share) / N are (A - share B) / N.
        q_of = doms.spreader(est[:, j])
        A, = cells.sum_blocks(lambda b, q_of=q_of: (np.where(y[b.rows] <= q_of(b), w[b.rows], 0.0),), 1)
        share = doms.cell_sum(A) / doms.N
        totals = (A - share[d] * doms.cell_weights) / doms.N[d]
        se_share = np.sqrt(cell_total_variance(design, cells, totals))
        p_lo, p_hi = share - t * se_share, share + t * se_share
        with np.errstate(invalid="ignore"):
            lo[:, j] = np.where(p_lo >= 0, cdf.inverse(np.where(p_lo >= 0, p_lo, 0.0)), np.nan)
            hi[:, j] = np.where(p_hi <= 1, cdf.inverse(np.where(p_hi <= 1, p_hi, 1.0)), np.nan)

    se = (hi - lo) / (2 * t)
    undefined = np.isnan(se)
    if undefined.any():
        d, j = np.nonzero(undefined)
        shown = [{**doms.labels.iloc[a].to_dict(), "quantile": float(probs[b])}
                 for a, b in zip(d[:5], j[:5])]
        warn(f"quantile of {variable!r}: the Woodruff interval leaves [0, 1] on the probability "
             f"scale for {undefined.sum()} domain(s) and quantile(s) {shown}, so its bound and the SE "
             "are NaN (as in R); the domain is too small for this quantile")

    labels = doms.labels.iloc[np.repeat(np.arange(D), Q)].reset_index(drop=True)
    labels["quantile"] = np.tile(probs, D)
    table = tidy_table(labels, est.ravel(), se.ravel() ** 2, df=design.df,
                       n=np.repeat(doms.n, Q), N=np.repeat(doms.N, Q), level=level)
    table["ci_low"] = lo.ravel()
    table["ci_high"] = hi.ravel()
    info = {"weighting": doms.weighting, "level": level, "by": doms.by, "variable": variable,
            "method": "linearization", "interval": "woodruff", "qrule": "math"}
    return Estimate("quantile", table, info)


class _WeightedCDF:
    """Weighted empirical distribution functions of many domains, sorted once.

    Rows with zero weight are left out, as in R's ``qrule_math``.
    """

    def __init__(self, y: np.ndarray, w: np.ndarray, codes: np.ndarray, n_domains: int) -> None:
        if not np.all(w > 0):
            keep = np.flatnonzero(w > 0)
            y, w, codes = y[keep], w[keep], codes[keep]
        # Sort by value (ties in any order: they do not change the answer), then stably by
        # domain with a radix sort on small integer codes: rows grouped by domain, sorted within.
        by_value = np.argsort(y)
        small = np.uint8 if n_domains <= 1 << 8 else np.uint16 if n_domains <= 1 << 16 else np.int64
        order = by_value[np.argsort(codes[by_value].astype(small), kind="stable")]
        self.x = y[order]
        self.count = np.bincount(codes, minlength=n_domains)
        self.start = np.concatenate([[0], np.cumsum(self.count)[:-1]])
        ws = w[order]
        # Running weight over all domains (increasing: searchable), and within each domain.
        self.running = np.cumsum(ws)
        self.offset = self.running[self.start] - ws[self.start]
        self.cumw = self.running - np.repeat(self.offset, self.count)
        self.total = self.cumw[self.start + self.count - 1]

    def inverse(self, p: np.ndarray) -> np.ndarray:
        """The smallest ``x`` with ``F_d(x) >= p_d`` in each domain ``d``.

        As R's ``qrule_math``: ``k`` is the number of rows with cumulative weight
        ``<= p N``; the answer is the ``k``-th value when ``p - cumw_k / N == 0``
        exactly, and the ``(k + 1)``-th otherwise.
        """
        target = p * self.total
        start, count, cumw = self.start, self.count, self.cumw
        # Count of rows at or below the target, searched on the running weight and then
        # checked on the within-domain weight (they can differ by rounding).
        k = np.searchsorted(self.running, self.offset + target, side="right") - start
        k = np.clip(k, 0, count)
        up = (k < count) & (cumw[start + np.minimum(k, count - 1)] <= target)
        k = k + up
        down = (k > 0) & (cumw[start + np.maximum(k - 1, 0)] > target)
        k = k - down
        last = start + np.maximum(k - 1, 0)
        exact = (k > 0) & (p - cumw[last] / self.total == 0)
        return self.x[np.where(exact, last, start + np.minimum(k, count - 1))]
