"""The Poverty Reduction Strategy's poverty target: ``parameters/strategy.yaml``.

One file, read by everything that measures progress against the strategy: the
national overview report (its target path) and the strategy progress dashboard
(as it opens; the viewer may move the baseline, the target year and the cut).
The default is the second strategy (2018-2022): cut the poverty headcount rate
by 25% from its 2018 level by 2022 (``shared/domain/iraq.md``).

Examples
--------
>>> s = StrategySettings()
>>> s.measure, s.baseline_year, s.target_year, s.reduction, s.rule
('headcount', 2018, 2022, 0.25, 'ci')
>>> StrategySettings.model_validate({"target_year": 2030, "reduction": 0.5}).target_year
2030
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from workbench.config import Parameters, load_optional

__all__ = ["STRATEGY_FILE", "StrategySettings", "load_strategy"]

STRATEGY_FILE = "strategy.yaml"


class StrategySettings(Parameters):
    """The strategy's poverty target.

    ``reduction`` is the relative cut of the poverty rate between the baseline
    round and the target year (0.25: the second strategy's 25%). ``rule`` decides
    "on track": ``ci`` compares the 95% confidence interval with the target path,
    ``point`` the point estimate (see :mod:`workbench.dashboards.strategy`).
    """

    measure: Literal["headcount"] = "headcount"
    baseline_year: int = Field(2018, ge=1990, le=2100)
    target_year: int = Field(2022, ge=1990, le=2100)
    reduction: float = Field(0.25, gt=0, lt=1)
    rule: Literal["ci", "point"] = "ci"

    @model_validator(mode="after")
    def _ordered(self) -> StrategySettings:
        if self.target_year <= self.baseline_year:
            raise ValueError(f"target_year ({self.target_year}) must come after baseline_year "
                             f"({self.baseline_year})")
        return self


def load_strategy(path: str | Path | None = None) -> StrategySettings:
    """Read ``parameters/strategy.yaml`` (the defaults when there is no such file).

    Raises
    ------
    ParameterError
        Invalid YAML or a key that breaks the model; the message names the file and the key.
    """
    return load_optional(STRATEGY_FILE, StrategySettings, path)
