"""Settings of the dashboards: ``parameters/dashboards.yaml``, every key optional.

Examples
--------
>>> s = DashboardSettings()
>>> s.strategy.baseline_year, s.strategy.target_year, s.strategy.reduction
(2018, 2022, 0.25)
>>> s.pool_size, s.render_timeout_seconds
(2, 60)
>>> DashboardSettings.model_validate({"strategy": {"target_year": 2030, "reduction": 0.5}}).strategy.rule
'ci'
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from workbench.config import Parameters, load_model, parameters_dir
from workbench.errors import DataError, ParameterError
from workbench.geography import governorate

__all__ = ["SETTINGS_FILE", "DashboardSettings", "StrategySettings", "load_settings"]

SETTINGS_FILE = "dashboards.yaml"


class StrategySettings(Parameters):
    """The strategy's poverty target, as the progress dashboard opens with it.

    ``reduction`` is the relative cut of the poverty rate between the baseline
    round and the target year (0.25: the second strategy's 25%). ``rule`` decides
    "on track": ``ci`` compares the 95% confidence interval with the target path,
    ``point`` the point estimate (see :mod:`workbench.dashboards.strategy`).
    """

    measure: str = "headcount"
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


class DashboardSettings(Parameters):
    """Dashboard and server settings."""

    default_lang: Literal["en", "ar"] = "en"
    default_governorate: str = "IQG08"
    pool_size: int = Field(2, ge=0, le=16, description="pre-heated kernels per dashboard")
    cull_idle_minutes: int = Field(30, ge=1, description="stop a viewer's idle kernel after this")
    render_timeout_seconds: int = Field(
        60, ge=10, le=600, description="a page not complete after this long ends with the friendly message")
    strategy: StrategySettings = StrategySettings()

    @field_validator("default_governorate")
    @classmethod
    def _pcode(cls, value: str) -> str:
        try:
            return governorate(value).pcode
        except DataError as exc:
            raise ValueError(str(exc)) from None


def load_settings(path: str | Path | None = None) -> DashboardSettings:
    """Read ``parameters/dashboards.yaml`` (defaults when there is no such file).

    Raises
    ------
    ParameterError
        Invalid YAML or a key that breaks the model; the message names the key.
    """
    if path is None:
        try:
            path = parameters_dir() / SETTINGS_FILE
        except ParameterError:
            return DashboardSettings()
    path = Path(path)
    if not path.is_file():
        return DashboardSettings()
    return load_model(path, DashboardSettings)
