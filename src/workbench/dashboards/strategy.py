"""Progress against the Poverty Reduction Strategy's target, per governorate and nationally.

The target is a relative cut of the poverty rate (the second strategy: 25%)
between a baseline survey round and a target year. Each place gets its own
path: a straight line from its baseline rate to ``(1 - reduction)`` times that
rate in the target year, and flat at that level after it (the goal, once due,
stays due).

**On track** (rule ``ci``, the default) compares a round's 95% confidence
interval with the path value of that round:

- ``on_track``: the whole interval lies at or below the path;
- ``off_track``: the whole interval lies above the path;
- ``uncertain`` ("too close to call"): the interval contains the path value;
- ``not_assessed``: the baseline or the round has no estimate, or rests on
  fewer sampled households than the disclosure threshold, or the round is not
  after the baseline.

Rule ``point`` compares the point estimate only (``on_track`` when at or below
the path, else ``off_track``). The baseline rate is taken as known: its own
sampling error is not carried into the path.

Examples
--------
>>> t = StrategyTarget(baseline_year=2018, target_year=2022, reduction=0.25)
>>> t.path(0.20, [2018, 2020, 2022, 2024])["target"].round(4).tolist()
[0.2, 0.1875, 0.175, 0.1625, 0.15, 0.15, 0.15]
>>> classify(estimate=0.14, ci_low=0.12, ci_high=0.16, target=0.15, rule="ci")
'uncertain'
>>> classify(estimate=0.14, ci_low=0.12, ci_high=0.16, target=0.15, rule="point")
'on_track'
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from workbench.charts import apply_disclosure, target_path
from workbench.dashboards.store import NATIONAL, ResultsStore
from workbench.errors import ParameterError

__all__ = ["STATUSES", "Rule", "Status", "StrategyTarget", "assess", "classify"]

Status = Literal["on_track", "off_track", "uncertain", "not_assessed"]
Rule = Literal["ci", "point"]
STATUSES: tuple[str, ...] = ("on_track", "uncertain", "off_track", "not_assessed")


@dataclass(frozen=True)
class StrategyTarget:
    """A relative cut of the poverty rate from a baseline round to a target year."""

    baseline_year: int
    target_year: int
    reduction: float = 0.25

    def __post_init__(self) -> None:
        if self.target_year <= self.baseline_year:
            raise ParameterError(f"target year {self.target_year} must come after the baseline "
                                 f"round {self.baseline_year}")
        if not 0 < self.reduction < 1:
            raise ParameterError(f"reduction must be between 0 and 1 (0.25 for 25%); got "
                                 f"{self.reduction!r}")

    def at(self, baseline: float, year: int) -> float:
        """The path's value in ``year`` for a place whose baseline rate is ``baseline``."""
        share = min(max(year - self.baseline_year, 0), self.target_year - self.baseline_year)
        return baseline * (1 - self.reduction * share / (self.target_year - self.baseline_year))

    def path(self, baseline: float, years: Iterable[int] = ()) -> pd.DataFrame:
        """The path, one row a year from the baseline to the target year or the last of ``years``.

        Returns
        -------
        pandas.DataFrame
            ``year`` and ``target``; ``attrs`` carry ``base_year``, ``target_year``
            and ``reduction`` for :func:`workbench.charts.trend_lines`' note.
        """
        path = target_path(self.baseline_year, baseline, self.target_year, reduction=self.reduction)
        last = max([self.target_year, *years])
        if last > self.target_year:
            after = np.arange(self.target_year + 1, last + 1)
            path = pd.concat([path, pd.DataFrame({"year": after, "target": path["target"].iloc[-1]})],
                             ignore_index=True)
        path.attrs.update(base_year=self.baseline_year, target_year=self.target_year,
                          reduction=self.reduction)
        return path


def classify(*, estimate: float, ci_low: float, ci_high: float, target: float,
             rule: Rule = "ci") -> Status:
    """The status of one estimate against its path value (see the module docstring)."""
    values = (estimate, ci_low, ci_high, target) if rule == "ci" else (estimate, target)
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in values):
        return "not_assessed"
    if rule == "point":
        return "on_track" if estimate <= target else "off_track"
    if rule != "ci":
        raise ParameterError(f"unknown on-track rule {rule!r}; valid: ci, point")
    if ci_high <= target:
        return "on_track"
    if ci_low > target:
        return "off_track"
    return "uncertain"


def assess(store: ResultsStore, target: StrategyTarget, *, year: int, measure: str = "headcount",
           rule: Rule = "ci", min_n: int | None = None) -> pd.DataFrame:
    """Every place's baseline, estimate in ``year``, path value and status.

    Parameters
    ----------
    store : ResultsStore
    target : StrategyTarget
    year : int
        The round assessed.
    measure : str
        The strategy's indicator (the poverty headcount rate).
    rule : {"ci", "point"}
    min_n : int, optional
        Disclosure threshold (``parameters/publish.yaml``'s when None): rows below
        it count as missing.

    Returns
    -------
    pandas.DataFrame
        One row per place (``national`` first, then the governorates by P-code):
        ``governorate, baseline, baseline_n, estimate, ci_low, ci_high, n,
        target, change, status``.
    """
    rows = store.areas[store.areas["measure"] == measure]
    rows = apply_disclosure(rows, min_n=min_n)
    base = rows[rows["year"] == target.baseline_year].set_index("governorate")
    now = rows[rows["year"] == int(year)].set_index("governorate")
    places = [NATIONAL, *sorted(p for p in set(base.index) | set(now.index) if p != NATIONAL)]
    out = pd.DataFrame({"governorate": places})
    out["baseline"] = base["estimate"].reindex(places).to_numpy()
    out["baseline_n"] = base["n"].reindex(places).to_numpy()
    for col in ("estimate", "ci_low", "ci_high", "n"):
        out[col] = now[col].reindex(places).to_numpy()
    out["target"] = [target.at(b, int(year)) for b in out["baseline"]]
    out["change"] = out["estimate"] - out["baseline"]
    assessed = int(year) > target.baseline_year
    out["status"] = [
        classify(estimate=e, ci_low=lo, ci_high=hi, target=t, rule=rule) if assessed else "not_assessed"
        for e, lo, hi, t in zip(out["estimate"], out["ci_low"], out["ci_high"], out["target"])]
    out.attrs.update(year=int(year), rule=rule, min_n=rows.attrs["min_n"],
                     baseline_year=target.baseline_year, target_year=target.target_year,
                     reduction=target.reduction)
    return out
