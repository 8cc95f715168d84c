"""Data: the canonical model, loaders for real survey files, and the synthetic demo data.

``load_survey``, ``read_table`` and ``validate_survey`` are imported on first use,
so that ``import workbench.data.model`` stays light (pandera is slow to import).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_LAZY = {
    "load_survey": "workbench.data.load",
    "read_table": "workbench.data.load",
    "validate_survey": "workbench.data.validate",
    "load_mapping": "workbench.data.mapping",
}

__all__ = ["load_mapping", "load_survey", "read_table", "validate_survey"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
