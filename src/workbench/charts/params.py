"""Read the publishing parameter files (``parameters/publish.yaml``, ``geography.yaml``).

The folder is :func:`workbench.config.parameters_dir`; every key is optional, so
a missing folder or file gives the defaults.
"""

from __future__ import annotations

import os
from typing import Any

import yaml

from workbench.config import PARAMETERS_ENV, parameters_dir
from workbench.errors import ParameterError

__all__ = ["min_n", "read_parameters"]

DEFAULT_MIN_N = 30


def read_parameters(name: str) -> dict[str, Any]:
    """Read ``parameters/<name>`` as a mapping; an absent file gives ``{}``.

    Raises
    ------
    ParameterError
        If the file exists but is not a YAML mapping.

    Examples
    --------
    >>> read_parameters("publish.yaml")["min_n"], read_parameters("no_such_file.yaml")
    (30, {})
    """
    try:
        folder = parameters_dir()
    except ParameterError:
        if os.environ.get(PARAMETERS_ENV):
            raise  # a folder was named and is missing: say so, don't fall back to defaults
        return {}
    if not (folder / name).is_file():
        return {}
    path = folder / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML ({exc}); fix the file") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: expected a mapping of keys to values, found "
                             f"{type(data).__name__}")
    data["__path__"] = str(path)
    return data


def min_n() -> int:
    """The disclosure threshold ``min_n`` of ``parameters/publish.yaml`` (30 when unset).

    Raises
    ------
    ParameterError
        If ``min_n`` is not a positive integer.

    Examples
    --------
    >>> min_n()  # the project's parameters/publish.yaml
    30
    """
    params = read_parameters("publish.yaml")
    value = params.get("min_n", DEFAULT_MIN_N)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ParameterError(f"{params.get('__path__', 'publish.yaml')}: 'min_n' must be a "
                             f"positive integer (households); found {value!r}")
    return value
