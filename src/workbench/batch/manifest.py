"""The run manifest: every run of every batch, in one SQLite file.

Why SQLite (the standard library's :mod:`sqlite3`) rather than JSON: each
finished run is committed as one small transaction, so a batch killed at any
moment leaves a consistent manifest holding every run that finished before it
and nothing half-written; a JSON file would have to be rewritten whole, and
atomically, after every run. Queries ("the last successful run of this
notebook, year, governorate and language") are one indexed SELECT, and
pandas reads the table directly.

Table ``runs`` holds one row per attempt: ``done``, ``failed``, or ``skipped``
(inputs unchanged since the last successful run, nothing executed). The
*current* state of a run is its latest ``done`` or ``failed`` row.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     with Manifest(Path(d, "m.sqlite")) as m:
...         m.record(RunRecord(batch="b1", notebook="nb", year=2024, governorate="IQG01",
...                            lang="en", parameters={"year": 2024}, input_hash="h",
...                            inputs={}, status="done", duration=1.5, output="o.ipynb",
...                            started="2026-01-01T00:00:00+00:00",
...                            finished="2026-01-01T00:00:01+00:00"))
...     read_manifest(Path(d, "m.sqlite"))[["notebook", "year", "status"]].to_dict("records")
[{'notebook': 'nb', 'year': 2024, 'status': 'done'}]
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_MANIFEST", "Manifest", "RunRecord", "Status", "read_manifest"]

Status = Literal["done", "failed", "skipped"]
DEFAULT_MANIFEST = Path("reports/manifest.sqlite")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    batch       TEXT NOT NULL,
    notebook    TEXT NOT NULL,
    year        INTEGER NOT NULL,
    governorate TEXT NOT NULL,
    lang        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('done', 'failed', 'skipped')),
    parameters  TEXT NOT NULL,
    input_hash  TEXT NOT NULL,
    inputs      TEXT NOT NULL,
    duration    REAL,
    output      TEXT,
    figures     TEXT,
    error       TEXT,
    started     TEXT,
    finished    TEXT,
    worker      TEXT,
    package_version TEXT
);
CREATE INDEX IF NOT EXISTS runs_key ON runs (notebook, year, governorate, lang, status);
"""

_CURRENT = """
SELECT * FROM runs WHERE id IN (
    SELECT MAX(id) FROM runs WHERE status != 'skipped'
    GROUP BY notebook, year, governorate, lang)
ORDER BY notebook, year, governorate, lang
"""

_COLUMNS = ("batch", "notebook", "year", "governorate", "lang", "status", "parameters",
            "input_hash", "inputs", "duration", "output", "figures", "error", "started",
            "finished", "worker", "package_version")


@dataclass(frozen=True)
class RunRecord:
    """One row of the manifest.

    Attributes
    ----------
    batch : str
        Identifier of the batch invocation (its start time and process id).
    notebook, year, governorate, lang
        The run's key (``governorate`` is a P-code or ``national``).
    parameters : dict
        Parameters injected into the notebook.
    input_hash : str
        Hash of ``inputs``, the parameters and the execution settings.
    inputs : dict
        Content hash of each input (notebook, data files, package).
    status : {"done", "failed", "skipped"}
    duration : float
        Wall seconds of the execution (0 for a skipped run).
    output, figures : str
        Paths of the executed notebook and its key-figures sidecar (None when absent).
    error : str
        One-line error summary of a failed run.
    started, finished : str
        ISO 8601 UTC timestamps.
    worker : str
        ``host:pid`` of the process that ran it.
    package_version : str
    """

    batch: str
    notebook: str
    year: int
    governorate: str
    lang: str
    parameters: dict[str, Any]
    input_hash: str
    inputs: dict[str, str]
    status: Status
    duration: float = 0.0
    output: str | None = None
    figures: str | None = None
    error: str | None = None
    started: str | None = None
    finished: str | None = None
    worker: str | None = None
    package_version: str | None = field(default=None)

    @property
    def key(self) -> tuple[str, int, str, str]:
        """``(notebook, year, governorate, lang)``."""
        return (self.notebook, self.year, self.governorate, self.lang)


class Manifest:
    """The manifest file, opened for a batch (a context manager).

    Only the batch's main process writes to it; each :meth:`record` is one
    committed transaction.
    """

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_MANIFEST) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=30)
        self._db.row_factory = sqlite3.Row
        with self._db:
            self._db.executescript(_SCHEMA)

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def record(self, rec: RunRecord) -> None:
        """Append one attempt and commit it."""
        row = asdict(rec)
        row["parameters"] = json.dumps(rec.parameters, sort_keys=True, default=str)
        row["inputs"] = json.dumps(rec.inputs, sort_keys=True)
        with self._db:
            self._db.execute(
                f"INSERT INTO runs ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_COLUMNS))})",
                [row[c] for c in _COLUMNS],
            )

    def current(self) -> dict[tuple[str, int, str, str], RunRecord]:
        """The latest executed (done or failed) attempt of every run, by key."""
        out = {}
        for row in self._db.execute(_CURRENT):
            rec = _record(row)
            out[rec.key] = rec
        return out


def _record(row: sqlite3.Row) -> RunRecord:
    values = {c: row[c] for c in _COLUMNS}
    values["parameters"] = json.loads(values["parameters"])
    values["inputs"] = json.loads(values["inputs"])
    return RunRecord(**values)


def read_manifest(path: str | os.PathLike[str] = DEFAULT_MANIFEST, *,
                  history: bool = False) -> pd.DataFrame:
    """The manifest as a DataFrame, for reports that cite their runs.

    Parameters
    ----------
    path : path-like
        The manifest file (default ``reports/manifest.sqlite``, relative to the
        current directory).
    history : bool
        Every attempt, skipped ones included, in order; by default only the
        current state of each run (its latest ``done`` or ``failed`` attempt).

    Returns
    -------
    pandas.DataFrame
        Columns ``batch, notebook, year, governorate, lang, status, parameters,
        input_hash, inputs, duration, output, figures, error, started,
        finished, worker, package_version``; ``parameters`` and ``inputs``
        are dicts, ``started`` and ``finished`` UTC timestamps.

    Raises
    ------
    ParameterError
        If the file does not exist (no batch has run yet).
    """
    import pandas as pd

    from workbench.errors import ParameterError

    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"no run manifest at {path}; run `workbench batch` first")
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        query = "SELECT * FROM runs ORDER BY id" if history else _CURRENT
        frame = pd.read_sql_query(query, db).drop(columns="id")
    for col in ("parameters", "inputs"):
        frame[col] = frame[col].map(json.loads)
    for col in ("started", "finished"):
        frame[col] = pd.to_datetime(frame[col], utc=True, format="ISO8601")
    return frame.reset_index(drop=True)
