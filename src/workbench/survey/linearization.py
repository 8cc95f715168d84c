"""From linearized scores to a finished :class:`~workbench.results.Estimate`.

An estimator supplies, for each domain, its point estimate and, for each row,
the weighted score (influence value) whose domain total linearizes it. This
module turns them into variances, t-based intervals, ``n`` and ``N``. Every
estimator in the workbench (means, ratios, FGT, Gini, ...) goes through here,
so they all share one definition of the design variance and of the table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import DesignError
from workbench.results import Estimate, tidy_table
from workbench.survey.design import SurveyDesign, Weighting
from workbench.survey.variance import domain_total_variance

__all__ = ["Domains", "domains", "finish", "group_sum"]


@dataclass(frozen=True)
class Domains:
    """Domain codes of the rows and what each domain holds.

    Attributes
    ----------
    codes : numpy.ndarray
        Domain of each row.
    labels : pandas.DataFrame
        The ``by`` columns, one row per domain.
    weights : numpy.ndarray
        Estimation weights of the rows (persons or households).
    n : numpy.ndarray
        Unweighted number of rows with a positive weight, per domain.
    N : numpy.ndarray
        Sum of weights per domain.
    by : list of str
    weighting : str
    """

    codes: np.ndarray
    labels: pd.DataFrame
    weights: np.ndarray
    n: np.ndarray
    N: np.ndarray
    by: list[str]
    weighting: str

    @property
    def count(self) -> int:
        """Number of domains."""
        return len(self.labels)

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Per-domain sums of ``values`` (one per row)."""
        return group_sum(self.codes, values, self.count)

    def spread(self, per_domain: np.ndarray) -> np.ndarray:
        """Each row's value of a per-domain array."""
        return np.asarray(per_domain)[self.codes]


def group_sum(codes: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Sums of ``values`` by integer group code (a thin, fast ``bincount``)."""
    return np.bincount(codes, weights=values, minlength=n_groups)


def domains(design: SurveyDesign, by: str | Sequence[str] | None,
            weighting: Weighting = "person") -> Domains:
    """Domains of an estimate, with their sample sizes and weighted populations.

    Raises
    ------
    DesignError
        If a domain has no sample unit with a positive weight.

    Examples
    --------
    >>> df = pd.DataFrame({"w": [1.0, 2, 3, 4], "size": [1, 2, 1, 2], "g": ["a", "b", "a", "b"]})
    >>> doms = domains(SurveyDesign(df, weight="w", hhsize="size"), "g")
    >>> doms.labels["g"].tolist(), doms.n.tolist(), doms.N.tolist()
    (['a', 'b'], [2, 2], [4.0, 12.0])
    """
    codes, labels = design.domains(by)
    w = design.weights(weighting)
    D = len(labels)
    n = np.bincount(codes, weights=(w > 0).astype(float), minlength=D).astype(np.int64)
    N = np.bincount(codes, weights=w, minlength=D)
    empty = np.flatnonzero(n == 0)
    if empty.size:
        shown = labels.iloc[empty[:5]].to_dict(orient="records")
        raise DesignError(f"{empty.size} domain(s) have no sample units with a positive weight: {shown}")
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    return Domains(codes, labels, w, n, N, by_cols, design.weighting_label(weighting))


def finish(design: SurveyDesign, statistic: str, doms: Domains, estimate: np.ndarray,
           scores: np.ndarray, *, level: float = 0.95, meta: Mapping[str, Any] | None = None,
           deff: np.ndarray | None = None) -> Estimate:
    """Variance from scores, then the tidy result.

    Parameters
    ----------
    design : SurveyDesign
    statistic : str
        Name of the statistic (``mean``, ``fgt0`` ...).
    doms : Domains
    estimate : numpy.ndarray
        Point estimate per domain.
    scores : numpy.ndarray
        Weighted linearized score of each row, for its own domain.
    level : float
        Confidence level of the t interval (design degrees of freedom).
    meta : Mapping, optional
        Extra metadata (variable, line, year, method ...).
    deff : numpy.ndarray, optional
        Design effects per domain.

    Examples
    --------
    A weighted mean by hand: its score is ``w (y - ybar) / N``.

    >>> df = pd.DataFrame({"y": [1.0, 2, 3, 4], "w": [1.0, 1, 2, 2],
    ...                    "h": [1, 1, 2, 2], "c": [1, 2, 1, 2]})
    >>> design = SurveyDesign(df, weight="w", strata="h", psu="c")
    >>> doms = domains(design, None)
    >>> y = design.column("y")
    >>> ybar = doms.sum(doms.weights * y) / doms.N
    >>> scores = doms.weights * (y - doms.spread(ybar)) / doms.spread(doms.N)
    >>> est = finish(design, "mean", doms, ybar, scores)
    >>> round(est.estimate, 4), round(est.se, 4)
    (2.8333, 0.3727)
    """
    variance = domain_total_variance(design, scores, doms.codes, doms.count)
    table = tidy_table(doms.labels, estimate, variance, df=design.df, n=doms.n, N=doms.N,
                       level=level, deff=deff)
    info = {"weighting": doms.weighting, "level": level, "by": doms.by, "method": "linearization"}
    info.update(meta or {})
    return Estimate(statistic, table, info)
