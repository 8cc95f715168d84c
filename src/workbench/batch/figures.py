"""Key figures of an executed notebook, written to a JSON sidecar.

A notebook records what the site index and the dashboards need, so that they
never re-compute:

>>> from workbench.batch import figures
>>> figures.reset()
>>> figures.record("poverty_line", 131400.0, unit="IQD per person per month")
>>> figures.document()["figures"]["poverty_line"]
{'value': 131400.0, 'unit': 'IQD per person per month'}

then ends with ``figures.save()``. Under ``workbench batch`` the sidecar goes
beside the executed notebook, as ``<stem>.figures.json``; run by hand, pass a
path to :func:`save`.

The sidecar holds:

- ``figures``: scalar key figures, ``{name: {"value": ..., **meta}}``;
- ``tables``: tidy tables as records, ``{name: {"meta": {...}, "records": [...]}}``,
  with the columns ``measure, year, governorate, estimate, se, ci_low, ci_high,
  df, n, N, suppressed`` where relevant (``measure`` defaults to the name);
- ``data``: each data file the notebook declared with :func:`source` (path,
  SHA-256, synthetic flag), and ``synthetic: true`` when any of them is demo data;
- ``notebook``, ``parameters``, ``package_version``, ``run_date``.

This module runs inside notebook kernels: it imports nothing heavy at load.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import warnings
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from workbench.files import write_atomic

__all__ = [
    "RUN_ENV",
    "SCHEMA",
    "Source",
    "document",
    "is_synthetic",
    "record",
    "reset",
    "save",
    "source",
]

RUN_ENV = "WORKBENCH_RUN"
"""Environment variable through which ``workbench batch`` tells a run where its
sidecar goes: JSON with ``token``, ``figures`` (path), ``notebook`` and ``parameters``."""

SCHEMA = "workbench.figures/1"


@dataclass(frozen=True)
class Source:
    """A data file a notebook read: its path, content hash and whether it is synthetic."""

    path: str
    sha256: str
    synthetic: bool


@dataclass
class _Recorder:
    token: str | None
    context: dict[str, Any]
    sources: list[Source] = field(default_factory=list)
    scalars: dict[str, dict[str, Any]] = field(default_factory=dict)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)


_recorder: _Recorder | None = None


def _run_context() -> tuple[str | None, dict[str, Any]]:
    raw = os.environ.get(RUN_ENV)
    if not raw:
        return None, {}
    context = json.loads(raw)
    return context.get("token"), context


def _current() -> _Recorder:
    """The recorder of the current run; a new one when ``workbench batch`` started another."""
    global _recorder
    token, context = _run_context()
    if _recorder is None or (token is not None and _recorder.token != token):
        _recorder = _Recorder(token, context)
    return _recorder


def reset() -> None:
    """Forget everything recorded so far (a new run starts)."""
    global _recorder
    _recorder = None


def _json_safe(obj: Any) -> Any:
    """Plain JSON values: numpy scalars and arrays unwrapped, NaN and inf to None.

    Examples
    --------
    >>> _json_safe({"a": float("nan"), "b": (1, 2.5), "c": Path("x")})
    {'a': None, 'b': [1, 2.5], 'c': 'x'}
    """
    if isinstance(obj, Mapping):
        return {str(k): _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(v) for v in obj]
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if hasattr(obj, "tolist"):  # numpy scalars and arrays
        return _json_safe(obj.tolist())
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return str(obj)


def is_synthetic(path: str | os.PathLike[str]) -> bool:
    """Whether a data file is synthetic demo data.

    True when a Parquet file's schema metadata has ``synthetic = "true"``, or
    when ``manifest.json`` in its folder says ``"synthetic": true``.
    """
    path = Path(path)
    if path.suffix == ".parquet" and path.is_file():
        import pyarrow.parquet as pq

        meta = pq.read_schema(path).metadata or {}
        if meta.get(b"synthetic", b"").decode().strip().lower() == "true":
            return True
    manifest = path.parent / "manifest.json"
    if manifest.is_file():
        try:
            return json.loads(manifest.read_text(encoding="utf-8")).get("synthetic") is True
        except (json.JSONDecodeError, AttributeError):
            return False
    return False


def source(path: str | os.PathLike[str]) -> Source:
    """Declare a data file the notebook reads; its hash and synthetic flag go in the sidecar.

    Raises
    ------
    DataError
        If the file does not exist.
    """
    from workbench.batch.hashing import sha256_file
    from workbench.errors import DataError

    path = Path(path)
    if not path.is_file():
        raise DataError(f"data file {path} not found; for the demo data run "
                        "`workbench data demo --seed 0`, or set data_dir")
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = path.resolve().as_posix()
    src = Source(shown, sha256_file(path), is_synthetic(path))
    rec = _current()
    rec.sources = [s for s in rec.sources if s.path != src.path] + [src]
    return src


def record(name: str, value: Any, **meta: Any) -> None:
    """Record a key figure (a scalar) or a tidy table under ``name``.

    Parameters
    ----------
    name : str
        Unique within the notebook; recording it again replaces it.
    value : scalar, pandas.DataFrame or result object
        A number, string or bool; a tidy DataFrame; or a result object with
        ``to_frame()`` and ``meta`` (:class:`workbench.results.Estimate`).
    **meta
        Unit, line, notes ... stored beside the value.

    Raises
    ------
    TypeError
        For any other kind of value.
    """
    rec = _current()
    if hasattr(value, "to_frame") and hasattr(value, "meta"):
        table, meta = value.to_frame(), {**dict(value.meta), **meta}
    elif hasattr(value, "to_dict") and hasattr(value, "columns"):
        table = value
    elif value is None or isinstance(value, (bool, int, float, str)) or hasattr(value, "dtype"):
        rec.scalars[name] = _json_safe({"value": value, **meta})
        return
    else:
        raise TypeError(f"figures.record({name!r}, ...): expected a number, string, bool, "
                        f"DataFrame or result object; got {type(value).__name__}")
    table = table.reset_index(drop=True)
    if "measure" not in table.columns:
        table = table.assign(measure=name)
    records = json.loads(table.to_json(orient="records", date_format="iso"))
    rec.tables[name] = {"meta": _json_safe(meta), "records": records}


def document() -> dict[str, Any]:
    """The sidecar as a dict: what :func:`save` writes."""
    from workbench import __version__

    rec = _current()
    return {
        "schema": SCHEMA,
        "notebook": rec.context.get("notebook"),
        "parameters": rec.context.get("parameters", {}),
        "synthetic": any(s.synthetic for s in rec.sources),
        "data": [asdict(s) for s in rec.sources],
        "package_version": __version__,
        "run_date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "figures": rec.scalars,
        "tables": rec.tables,
    }


def save(path: str | os.PathLike[str] | None = None) -> Path | None:
    """Write the sidecar atomically and return its path.

    Parameters
    ----------
    path : path-like, optional
        Where to write. By default the path ``workbench batch`` set for this
        run; outside a batch, without a path, nothing is written (a warning
        says so) and None is returned.
    """
    rec = _current()
    target = path if path is not None else rec.context.get("figures")
    if target is None:
        warnings.warn("figures.save(): not running under `workbench batch` and no path given; "
                      "nothing written", stacklevel=2)
        return None
    return write_atomic(target, json.dumps(document(), ensure_ascii=False, indent=1))
