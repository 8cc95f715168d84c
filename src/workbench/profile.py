"""The poverty profile: characteristics of poor and non-poor people side by side.

For each characteristic (household size, head's sex, education and
employment, displacement status, dwelling and assets, SPN receipt, PDS ...)
the profile gives its mean (numbers) or proportion (true/false values and each
category) among the poor and among the non-poor, with linearized SEs, and a
design-based test of the difference.

Both groups are domains of the full design (R's ``svyby``): nothing is
subset. The difference ``poor - non_poor`` is linearized as one combined
score, the poor's mean score minus the non-poor's, so its variance includes
the covariance of the two domain means, as ``svycontrast(svyby(...,
covmat=TRUE), ...)`` in R. The Wald statistic ``t = difference / se`` is
referred to Student's t with the design's degrees of freedom (PSUs minus
strata). A difference with a zero SE has ``t = 0`` and ``p = 1`` when it is
zero, ``t = +-inf`` and ``p = 0`` otherwise.

The poverty line is fixed (a number, or each household's line). Poor means
welfare strictly below the line.

A domain whose sample holds no poor (or no non-poor) unit, such as a rich
governorate with a small sample, is not an error: the side with no
observations is not estimable, so its means and SEs, the difference and its
test are NaN, and the column ``empty_group`` says why (``"poor"`` or
``"non_poor"``; ``""`` where both sides were observed). A
:class:`~workbench.errors.DataWarning` names those domains.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from workbench.data.model import SURVEY
from workbench.errors import DataError, warn
from workbench.inequality._checks import row_ids, welfare_values
from workbench.poverty.line import Line, describe_line, line_values
from workbench.survey import SurveyDesign, Weighting, domain_total_variance, domains

__all__ = ["PROFILE_CHARACTERISTICS", "PovertyProfile", "poverty_profile"]

#: Canonical survey columns shown by default, in this order, when present in the data.
PROFILE_CHARACTERISTICS: tuple[str, ...] = (
    "hhsize", "head_sex", "head_age", "head_education", "head_employment", "displacement", "area",
    "rooms", "owns_dwelling", "improved_water", "has_fridge", "has_ac", "has_car", "has_generator",
    "spn_receipt", "pds_holder",
)


@dataclass(frozen=True)
class PovertyProfile:
    """A poverty profile: one row per domain, characteristic and level.

    Attributes
    ----------
    table : pandas.DataFrame
        The ``by`` columns, then ``characteristic``, ``level`` (the category, or
        ``""``), ``kind`` (``mean`` or ``proportion``), ``poor``, ``poor_se``,
        ``non_poor``, ``non_poor_se``, ``difference`` (poor minus non-poor),
        ``difference_se``, ``ci_low``, ``ci_high`` (of the difference), ``t``,
        ``df``, ``p_value``, ``n_poor``, ``n_non_poor``, ``N_poor``, ``N_non_poor``,
        ``empty_group`` (``"poor"`` or ``"non_poor"`` when that side of the domain
        has no sample unit, so its columns and the test are NaN; else ``""``).
    meta : Mapping
        Variable, line, weighting, level, by, method.
    """

    table: pd.DataFrame
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))

    def to_frame(self) -> pd.DataFrame:
        """The profile table (a copy)."""
        return self.table.copy()

    def __str__(self) -> str:
        meta = ", ".join(f"{k}={v}" for k, v in self.meta.items() if v is not None and k != "by")
        shown = self.table.drop(columns=["ci_low", "ci_high", "df", "N_poor", "N_non_poor"])
        body = shown.to_string(index=False, float_format=lambda v: f"{v:,.4g}")
        return f"poverty profile ({meta})\n{body}"

    def _repr_html_(self) -> str:
        meta = ", ".join(f"{k}={v}" for k, v in self.meta.items() if v is not None and k != "by")
        return (f"<p><b>poverty profile</b> <small>{meta}</small></p>"
                + self.table.to_html(index=False, float_format=lambda v: f"{v:,.4g}"))


def _indicators(design: SurveyDesign, column: str) -> list[tuple[str, str, np.ndarray]]:
    """(level, kind, values) for one characteristic: a mean, or one proportion per category."""
    if column not in design.data.columns:
        raise DataError(f"characteristic {column!r} not in the data; columns are: "
                        f"{', '.join(map(str, design.data.columns))}")
    values = design.data[column]
    missing = values.isna().to_numpy()
    if missing.any():
        raise DataError(f"characteristic {column!r} has {int(missing.sum())} missing values "
                        f"(first ids: {row_ids(design, missing)}); recode them (e.g. as a category "
                        "'unknown') before the profile")
    declared = SURVEY.column(column) if column in SURVEY.names else None
    numeric = pd.api.types.is_numeric_dtype(values)  # bool columns are numeric too
    if pd.api.types.is_bool_dtype(values) or (declared is not None and declared.dtype == "bool"):
        flags = values.to_numpy(dtype=float) if numeric else np.full(len(values), np.nan)
        bad = ~np.isin(flags, (0.0, 1.0))
        if bad.any():
            raise DataError(f"characteristic {column!r} must be true/false (or 1/0); {int(bad.sum())} "
                            f"rows are not (first ids: {row_ids(design, bad)})")
        return [("", "proportion", flags)]
    if numeric and (declared is None or declared.dtype != "category"):
        return [("", "mean", values.to_numpy(dtype=float))]
    if declared is not None and declared.values:
        levels = [v for v in declared.values if (values == v).any()]
        levels += sorted(set(values.astype(str)) - set(levels))
    elif isinstance(values.dtype, pd.CategoricalDtype):
        levels = [str(v) for v in values.cat.categories if (values == v).any()]
    else:
        levels = sorted(values.astype(str).unique())
    text = values.astype(str).to_numpy()
    return [(level, "proportion", (text == level).astype(float)) for level in levels]


def poverty_profile(design: SurveyDesign, welfare: str, *, line: Line,
                    characteristics: Sequence[str] | None = None,
                    by: str | Sequence[str] | None = None, weighting: Weighting = "person",
                    level: float = 0.95) -> PovertyProfile:
    """Characteristics of poor and non-poor people, with SEs and a test of each difference.

    Parameters
    ----------
    design : SurveyDesign
    welfare : str
        Per-capita welfare column.
    line : float or str
        Poverty line, or a column holding each household's line.
    characteristics : sequence of str, optional
        Columns to profile. Numbers give means; true/false values and text or
        categories give proportions (one row per category). By default the
        canonical columns of :data:`PROFILE_CHARACTERISTICS` found in the data
        (minus the ``by`` columns).
    by : str or sequence of str, optional
        Domains (e.g. governorate); the full design is kept.
    weighting : {"person", "household"}
        Shares of people (default) or of households.
    level : float
        Confidence level of the interval for the difference.

    Returns
    -------
    PovertyProfile

    Raises
    ------
    DataError
        A characteristic that is absent or has missing values.

    Warns
    -----
    DataWarning
        Domains without poor or without non-poor sample units: that side is not
        estimable (NaN), nor is the difference, and ``empty_group`` flags them.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [50.0, 60, 150, 200], "w": 1.0, "size": [6, 4, 2, 3],
    ...                    "h": [1, 2, 1, 2]})
    >>> p = poverty_profile(SurveyDesign(df, weight="w", hhsize="size"), "y", line=100,
    ...                     characteristics=["size"], weighting="household")
    >>> p.table[["characteristic", "poor", "non_poor", "difference"]].to_dict("records")
    [{'characteristic': 'size', 'poor': 5.0, 'non_poor': 2.5, 'difference': 2.5}]

    Nobody poor in region "b": its poor side and the difference are not estimable.

    >>> import warnings
    >>> df["r"] = ["a", "a", "b", "b"]
    >>> df.loc[1, "y"] = 120.0
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     p = poverty_profile(SurveyDesign(df, weight="w", hhsize="size"), "y", line=100,
    ...                         characteristics=["size"], by="r", weighting="household")
    >>> p.table[["r", "poor", "non_poor", "difference", "empty_group"]].to_dict("records")
    [{'r': 'a', 'poor': 6.0, 'non_poor': 4.0, 'difference': 2.0, 'empty_group': ''}, {'r': 'b', 'poor': nan, 'non_poor': 2.5, 'difference': nan, 'empty_group': 'poor'}]
    >>> str(caught[0].message)[:60]
    "poverty profile: 1 domain(s) have no poor sample units (r='b"
    """
    doms = domains(design, by, weighting)
    y = welfare_values(design, welfare, measure="the poverty profile")
    poor = y < line_values(design, line)
    w = doms.weights
    D = doms.count
    group = doms.codes * 2 + poor
    n_group = np.bincount(group, weights=(w > 0).astype(float), minlength=2 * D).astype(np.int64)
    N_group = np.bincount(group, weights=w, minlength=2 * D)
    observed = (n_group > 0) & (N_group > 0)            # each side of each domain, [non-poor, poor] * D
    empty = np.where(~observed[1::2], "poor", np.where(~observed[0::2], "non_poor", ""))
    _warn_empty(doms.labels, doms.by, empty)
    N_safe = np.where(observed, N_group, 1.0)           # an empty side has no rows, hence no scores
    if characteristics is None:
        characteristics = [c for c in PROFILE_CHARACTERISTICS
                           if c in design.data.columns and c not in doms.by]
    t_quantile = stats.t.ppf(0.5 + level / 2, design.df) if design.df > 0 else np.inf
    blocks = []
    for column in characteristics:  # one vectorised pass over rows per characteristic
        for lev, kind, x in _indicators(design, column):
            means = np.bincount(group, weights=w * x, minlength=2 * D) / N_safe
            scores = w * (x - means[group]) / N_safe[group]
            var = domain_total_variance(design, scores, group, 2 * D)
            diff_var = domain_total_variance(design, np.where(poor, scores, -scores), doms.codes, D)
            means, var = np.where(observed, means, np.nan), np.where(observed, var, np.nan)
            diff_var = np.where(empty == "", diff_var, np.nan)
            blocks.append(_block(doms.labels, column, lev, kind, means, var, diff_var))
    if not blocks:
        raise DataError("no characteristics to profile: none of the canonical columns is in the data; "
                        "pass characteristics=[...]")
    table = pd.concat(blocks, ignore_index=True)
    se = table["difference_se"].to_numpy()
    diff = table["difference"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se > 0, diff / se, np.where(diff == 0, 0.0, np.sign(diff) * np.inf))
    t = np.where(np.isnan(diff), np.nan, t)              # no test where a side is not estimable
    table["ci_low"] = diff - t_quantile * se
    table["ci_high"] = diff + t_quantile * se
    table["t"] = t
    table["df"] = design.df
    table["p_value"] = 2 * stats.t.sf(np.abs(t), design.df) if design.df > 0 else np.where(t == 0, 1.0, 0.0)
    table["n_poor"] = np.tile(n_group[1::2], len(blocks))
    table["n_non_poor"] = np.tile(n_group[0::2], len(blocks))
    table["N_poor"] = np.tile(N_group[1::2], len(blocks))
    table["N_non_poor"] = np.tile(N_group[0::2], len(blocks))
    table["empty_group"] = np.tile(empty, len(blocks))
    meta = {"variable": welfare, "line": describe_line(line), "weighting": doms.weighting,
            "level": level, "by": doms.by, "method": "linearization"}
    return PovertyProfile(table, meta)


def _warn_empty(labels: pd.DataFrame, by: Sequence[str], empty: np.ndarray) -> None:
    """One DataWarning per side naming the domains (first five) where it has no sample unit."""
    for side, word in (("poor", "poor"), ("non_poor", "non-poor")):
        idx = np.flatnonzero(empty == side)
        if not idx.size:
            continue
        names = ("; ".join(", ".join(f"{k}={v!r}" for k, v in row.items())
                           for row in labels.iloc[idx[:5]].to_dict(orient="records"))
                 if by else "the whole sample")
        warn(f"poverty profile: {idx.size} domain(s) have no {word} sample units ({names}); "
             f"their {word} means, the difference and its test are not estimable (NaN, "
             f"empty_group={side!r})")


def _block(labels: pd.DataFrame, column: str, lev: str, kind: str, means: np.ndarray,
           var: np.ndarray, diff_var: np.ndarray) -> pd.DataFrame:
    """The rows of one characteristic level, one per domain."""
    block = labels.reset_index(drop=True).copy()
    block["characteristic"] = column
    block["level"] = lev
    block["kind"] = kind
    block["poor"] = means[1::2]
    block["poor_se"] = np.sqrt(var[1::2])
    block["non_poor"] = means[0::2]
    block["non_poor_se"] = np.sqrt(var[0::2])
    block["difference"] = means[1::2] - means[0::2]
    block["difference_se"] = np.sqrt(diff_var)
    return block
