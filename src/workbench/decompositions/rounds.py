"""Estimates of change between two independent survey rounds, with their variance.

Two survey rounds are independent cross-section samples. An estimate built
from both, ``theta = f(round a, round b)``, is linearized with respect to the
weights of each round separately: ``u_a`` are its scores (influence values)
with respect to round ``a``'s weights, ``u_b`` those with respect to round
``b``'s. Its variance is the sum of the two design variances,

.. math::

    \\hat V(\\hat\\theta) = \\hat V_a\\Big(\\sum_{i \\in a} u_{ai}\\Big)
                       + \\hat V_b\\Big(\\sum_{j \\in b} u_{bj}\\Big),

each computed from the PSU totals of the scores within its own design
(:func:`workbench.survey.variance.variance_of_psu_totals`).

**Degrees of freedom** (Welch–Satterthwaite; Satterthwaite 1946). Each
variance has the degrees of freedom of its design (PSUs minus strata,
``df_a`` and ``df_b``); their sum is given

.. math::

    \\nu = \\frac{(V_a + V_b)^2}{V_a^2 / df_a + V_b^2 / df_b},

which lies between ``min(df_a, df_b)`` and ``df_a + df_b``, equals ``df_a``
for an estimate from round ``a`` only, and is used for the t-based interval.
When both variances are zero, ``nu = min(df_a, df_b)``.

Tables have the domain columns, a label column (``component``,
``percentile``, ...), then ``estimate, se, ci_low, ci_high, df, n, N, cv`` and
each round's ``n_a, n_b, N_a, N_b``. ``n`` is the smaller of ``n_a`` and
``n_b`` (a change rests on both samples, so
:func:`workbench.charts.disclosure.apply_disclosure` flags it when either is small) and
``N`` is the final round's population ``N_b``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from workbench.errors import DesignError, ParameterError
from workbench.results import Estimate
from workbench.survey import SurveyDesign, Weighting, domains
from workbench.survey.variance import variance_of_psu_totals

__all__ = ["ROUND_COLUMNS", "ChangeEstimate", "RoundDomains", "change_estimate", "paired_domains",
           "round_variance", "welch_satterthwaite"]

ROUND_COLUMNS: tuple[str, ...] = ("n_a", "n_b", "N_a", "N_b")


class ChangeEstimate(Estimate):
    """An :class:`~workbench.results.Estimate` of change between two rounds.

    Its table also holds ``n_a, n_b, N_a, N_b`` (and, for some statistics,
    descriptive columns such as the quantiles of each round): :attr:`by` lists
    only the domain and label columns, from ``meta["by"]`` and ``meta["labels"]``.
    """

    @property
    def by(self) -> list[str]:
        """The domain columns, then the label columns (``component``, ``percentile`` ...)."""
        return [*self.meta.get("by", []), *self.meta.get("labels", [])]


@dataclass(frozen=True, eq=False)
class RoundDomains:
    """The domains of one round, numbered in the order of round ``a``'s.

    Attributes
    ----------
    codes : numpy.ndarray
        Domain of each row of the round.
    labels : pandas.DataFrame
        The ``by`` columns, one row per domain (round ``a``'s order).
    weights : numpy.ndarray
        Estimation weights of the rows.
    n, N : numpy.ndarray
        Rows with a positive weight, and sum of weights, per domain.
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
        return np.bincount(self.codes, weights=values, minlength=self.count)

    def spread(self, per_domain: np.ndarray) -> np.ndarray:
        """Each row's value of a per-domain array."""
        return np.asarray(per_domain)[self.codes]


def paired_domains(design_a: SurveyDesign, design_b: SurveyDesign, by: str | Sequence[str] | None,
                   weighting: Weighting) -> tuple[RoundDomains, RoundDomains, np.ndarray]:
    """The domains of two rounds, with round ``b``'s renumbered in round ``a``'s order.

    Returns
    -------
    doms_a, doms_b : RoundDomains
        ``doms_b.codes`` index round ``a``'s domains; ``labels``, ``n`` and ``N``
        follow round ``a``'s order.
    take_b : numpy.ndarray
        For each domain (in round ``a``'s order), its index among round ``b``'s own
        domains, to reorder per-domain results computed on round ``b`` alone.

    Raises
    ------
    DesignError
        A domain present in one round only.

    Examples
    --------
    >>> a = SurveyDesign(pd.DataFrame({"w": 1.0, "g": ["x", "y", "y"]}), weight="w")
    >>> b = SurveyDesign(pd.DataFrame({"w": 1.0, "g": ["y", "x"]}), weight="w")
    >>> doms_a, doms_b, take_b = paired_domains(a, b, "g", "person")
    >>> doms_b.codes.tolist(), doms_b.n.tolist(), take_b.tolist()
    ([1, 0], [1, 1], [0, 1])
    """
    doms_a, doms_b = (_round_domains(d, by, weighting) for d in (design_a, design_b))
    if by is None:
        return doms_a, doms_b, np.zeros(1, dtype=np.int64)
    keys = doms_a.by
    merged = doms_a.labels.assign(_a=np.arange(doms_a.count)).merge(
        doms_b.labels.assign(_b=np.arange(doms_b.count)), on=keys, how="outer", indicator=True)
    unmatched = merged[merged["_merge"] != "both"]
    if len(unmatched):
        shown = unmatched[keys].assign(only_in=unmatched["_merge"].astype(str).map(
            {"left_only": "round a", "right_only": "round b"}))
        raise DesignError(f"{len(unmatched)} domain(s) are in one round only "
                          f"({shown.to_dict(orient='records')[:5]}): merge or drop them first")
    merged = merged.sort_values("_a")
    take_b = merged["_b"].to_numpy(dtype=np.int64)
    recode = np.empty(doms_b.count, dtype=np.int64)
    recode[take_b] = np.arange(doms_b.count)
    doms_b = RoundDomains(recode[doms_b.codes], doms_a.labels, doms_b.weights, doms_b.n[take_b],
                          doms_b.N[take_b], doms_b.by, doms_b.weighting)
    return doms_a, doms_b, take_b


def _round_domains(design: SurveyDesign, by: str | Sequence[str] | None,
                   weighting: Weighting) -> RoundDomains:
    doms = domains(design, by, weighting)
    return RoundDomains(np.asarray(doms.codes, dtype=np.int64), doms.labels.reset_index(drop=True),
                        doms.weights, doms.n, doms.N, list(doms.by), doms.weighting)


def welch_satterthwaite(v_a: np.ndarray, v_b: np.ndarray, df_a: float, df_b: float) -> np.ndarray:
    """Welch–Satterthwaite degrees of freedom of ``v_a + v_b`` (``min(df_a, df_b)`` if both 0).

    Examples
    --------
    >>> v_a, v_b = np.array([1.0, 1.0, 0.0, 0.0]), np.array([0.0, 1.0, 2.0, 0.0])
    >>> welch_satterthwaite(v_a, v_b, 10, 30).tolist()
    [10.0, 30.0, 30.0, 10.0]
    """
    v_a, v_b = np.asarray(v_a, dtype=float), np.asarray(v_b, dtype=float)
    total = v_a + v_b
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = (np.where(v_a > 0, v_a * v_a / df_a, 0.0)
                       + np.where(v_b > 0, v_b * v_b / df_b, 0.0))
        df = np.where(denominator > 0, total * total / denominator, float(min(df_a, df_b)))
    return df


def round_variance(design: SurveyDesign, totals: np.ndarray) -> np.ndarray:
    """Design variance of each row of ``totals`` (PSU totals of scores, shape ``(K, n_psu)``)."""
    return variance_of_psu_totals(design, totals.reshape(-1, design.n_psu))


def change_estimate(statistic: str, pair: tuple[SurveyDesign, SurveyDesign],
                    doms: tuple[RoundDomains, RoundDomains], rows: pd.DataFrame, domain: np.ndarray,
                    estimate: np.ndarray, variance_a: np.ndarray, variance_b: np.ndarray, *,
                    level: float, meta: Mapping[str, Any], labels: Sequence[str],
                    extra: Mapping[str, np.ndarray] | None = None) -> ChangeEstimate:
    """The tidy :class:`ChangeEstimate` from each round's variance of every estimate.

    Parameters
    ----------
    statistic : str
    pair : (SurveyDesign, SurveyDesign)
        Rounds ``a`` and ``b``.
    doms : (RoundDomains, RoundDomains)
        From :func:`paired_domains`.
    rows : pandas.DataFrame
        Domain and label columns, one row per estimate.
    domain : numpy.ndarray
        Domain index of each row; ``doms_a.count`` for a row of the whole population.
    estimate : numpy.ndarray
        One per row.
    variance_a, variance_b : numpy.ndarray
        Design variance of each row's scores in round ``a``'s design and in
        round ``b``'s (:func:`round_variance` of their PSU totals).
    level : float
    meta : Mapping
        Metadata (``by`` is added).
    labels : sequence of str
        The label columns of ``rows`` (those that are not domains).
    extra : Mapping, optional
        Further columns appended after the round columns.

    Examples
    --------
    The difference of two means of independent simple random samples: the
    variance is the sum of the two variances of a mean, ``1 + 4``, with
    ``(1 + 4)^2 / (1^2 / 1 + 4^2 / 1) = 25 / 17`` degrees of freedom.

    >>> a = SurveyDesign(pd.DataFrame({"y": [1.0, 3.0], "w": 1.0}), weight="w")
    >>> b = SurveyDesign(pd.DataFrame({"y": [2.0, 6.0], "w": 1.0}), weight="w")
    >>> doms = paired_domains(a, b, None, "person")[:2]
    >>> v_a = round_variance(a, -np.array([[-1.0, 1.0]]) / 2)  # PSU totals of -(y - 2) / 2
    >>> v_b = round_variance(b, np.array([[-2.0, 2.0]]) / 2)   # PSU totals of (y - 4) / 2
    >>> est = change_estimate("difference", (a, b), doms, pd.DataFrame(index=range(1)),
    ...                       np.zeros(1, int), np.array([2.0]), v_a, v_b, level=0.95, meta={},
    ...                       labels=[])
    >>> est.table[["estimate", "se", "df", "n", "n_a", "n_b"]].round(6).to_dict("records")
    [{'estimate': 2.0, 'se': 2.236068, 'df': 1.470588, 'n': 2, 'n_a': 2, 'n_b': 2}]
    """
    if not 0 < level < 1:
        raise ParameterError(f"level must be in (0, 1); got {level}")
    design_a, design_b = pair
    doms_a, doms_b = doms
    v_a, v_b = np.asarray(variance_a, dtype=float), np.asarray(variance_b, dtype=float)
    df = welch_satterthwaite(v_a, v_b, design_a.df, design_b.df)
    se = np.sqrt(np.maximum(v_a + v_b, 0.0))
    estimate = np.asarray(estimate, dtype=float)
    with np.errstate(invalid="ignore"):
        q = np.where(df > 0, stats.t.ppf(0.5 + level / 2, np.maximum(df, 1e-300)), np.inf)
        half = np.where(se > 0, q * se, np.where(np.isnan(se), np.nan, 0.0))
    table = rows.reset_index(drop=True).copy()
    table["estimate"] = estimate
    table["se"] = se
    table["ci_low"] = estimate - half
    table["ci_high"] = estimate + half
    table["df"] = df
    n_a, n_b, N_a, N_b = (np.append(x, x.sum())[domain]
                          for x in (doms_a.n, doms_b.n, doms_a.N, doms_b.N))
    table["n"] = np.minimum(n_a, n_b)
    table["N"] = N_b
    with np.errstate(divide="ignore", invalid="ignore"):
        table["cv"] = np.where(estimate != 0, se / np.abs(estimate), np.nan)
    table["n_a"], table["n_b"], table["N_a"], table["N_b"] = n_a, n_b, N_a, N_b
    for name, values in (extra or {}).items():
        table[name] = values
    info = {"weighting": doms_a.weighting, "level": level, "by": doms_a.by, "labels": list(labels),
            "method": "linearization", "rounds": "independent", "df": "welch-satterthwaite"}
    info.update(meta)
    return ChangeEstimate(statistic, table, info)
