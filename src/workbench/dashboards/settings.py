"""Settings of the dashboards: ``parameters/dashboards.yaml``, every key optional.

The strategy's target, which the strategy progress dashboard opens with, is
``parameters/strategy.yaml`` (:mod:`workbench.strategy`), shared with the reports.

Examples
--------
>>> s = DashboardSettings()
>>> s.pool_size, s.render_timeout_seconds
(2, 60)
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from workbench.config import Parameters, load_optional
from workbench.errors import DataError
from workbench.geography import governorate

__all__ = ["SETTINGS_FILE", "DashboardSettings", "load_settings"]

SETTINGS_FILE = "dashboards.yaml"


class DashboardSettings(Parameters):
    """Dashboard and server settings."""

    default_lang: Literal["en", "ar"] = "en"
    default_governorate: str = "IQG08"
    pool_size: int = Field(2, ge=0, le=16, description="pre-heated kernels per dashboard")
    cull_idle_minutes: int = Field(30, ge=1, description="stop a viewer's idle kernel after this")
    render_timeout_seconds: int = Field(
        60, ge=10, le=600, description="a page not complete after this long ends with the friendly message")

    @model_validator(mode="before")
    @classmethod
    def _strategy_moved(cls, data: object) -> object:
        if isinstance(data, dict) and "strategy" in data:
            raise ValueError("strategy: the strategy's target is now in parameters/strategy.yaml "
                             "(the same keys, at the top level)")
        return data

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
    return load_optional(SETTINGS_FILE, DashboardSettings, path)
