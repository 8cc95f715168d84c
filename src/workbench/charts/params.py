"""Find and read the publishing parameter files (``parameters/publish.yaml``, ``geography.yaml``).

The parameters folder is ``$WORKBENCH_PARAMETERS`` when set, else the nearest
``parameters/`` folder at or above the working directory (papermill runs a
notebook from its own folder, which sits below the project root).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from workbench.errors import ParameterError

__all__ = ["min_n", "parameters_dir", "read_parameters"]

DEFAULT_MIN_N = 30


def parameters_dir(start: Path | None = None) -> Path | None:
    """The project's ``parameters/`` folder, or None when there is none.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     (Path(tmp) / "parameters").mkdir()
    ...     (Path(tmp) / "reports" / "x").mkdir(parents=True)
    ...     parameters_dir(Path(tmp) / "reports" / "x") == Path(tmp) / "parameters"
    True
    """
    env = os.environ.get("WORKBENCH_PARAMETERS")
    if env:
        return Path(env)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "parameters").is_dir():
            return folder / "parameters"
    return None


def read_parameters(name: str, start: Path | None = None) -> dict[str, Any]:
    """Read ``parameters/<name>`` as a mapping; an absent file gives ``{}``.

    Raises
    ------
    ParameterError
        If the file exists but is not a YAML mapping.
    """
    folder = parameters_dir(start)
    if folder is None or not (folder / name).is_file():
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


def min_n(start: Path | None = None) -> int:
    """The disclosure threshold ``min_n`` of ``parameters/publish.yaml`` (30 when unset).

    Raises
    ------
    ParameterError
        If ``min_n`` is not a positive integer.
    """
    params = read_parameters("publish.yaml", start)
    value = params.get("min_n", DEFAULT_MIN_N)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ParameterError(f"{params.get('__path__', 'publish.yaml')}: 'min_n' must be a "
                             f"positive integer (households); found {value!r}")
    return value
