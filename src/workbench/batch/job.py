"""One notebook run as a worker executes it: temp files, atomic moves, an outcome.

:func:`execute_job` runs in a worker process (a local pool worker or a dask
worker) on that worker's warm kernel. The notebook is executed into a temp
file beside its final path (``<stem>.partial-<token>.ipynb``), its sidecar
likewise, and both are moved into place with :func:`os.replace` once the run
has ended. A run that dies half-way leaves only ``.partial-`` files, which the
next batch removes (:func:`remove_partials`); the manifest records a run only
after its files are in place.

A failed run keeps its partly executed notebook at the final path, with
papermill's highlighted error cell, and no sidecar (a stale one is removed), so
nothing it computed reaches the results store.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.batch.figures import RUN_ENV
from workbench.batch.plan import figures_path

__all__ = ["PARTIAL", "Job", "Outcome", "execute_job", "remove_partials"]

PARTIAL = ".partial-"
"""Marker in the names of temp files of runs in progress."""


@dataclass(frozen=True)
class Job:
    """What a worker needs to execute one run (picklable).

    Attributes
    ----------
    key : tuple
        ``(notebook, year, governorate, lang)``.
    source, output : str
        Notebook file and final path of the executed notebook.
    parameters : dict
        Injected parameters.
    cwd : str
        Working directory of the run (the project root).
    kernel, warmup : str
        Kernel name and warm-up code.
    timeout : int
        Seconds per cell.
    context : dict
        What the key-figures sidecar records about the run (notebook name, parameters).
    parent_pid : int, optional
        The batch process; a local worker whose batch has died does not move
        its files into place.
    """

    key: tuple[str, int, str, str]
    source: str
    output: str
    parameters: Mapping[str, Any]
    cwd: str
    kernel: str = "python3"
    warmup: str = ""
    timeout: int = 1800
    context: Mapping[str, Any] = field(default_factory=dict)
    parent_pid: int | None = None


@dataclass(frozen=True)
class Outcome:
    """How a run ended."""

    key: tuple[str, int, str, str]
    status: str
    duration: float
    started: str
    finished: str
    output: str | None = None
    figures: str | None = None
    error: str | None = None
    worker: str = ""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _summary(exc: BaseException) -> str:
    """One line: the exception's name and message, with the cell for notebook errors."""
    ename = getattr(exc, "ename", None)
    if ename is not None:
        text = f"{ename}: {exc.evalue} (cell {exc.exec_count})"  # type: ignore[attr-defined]
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:297] + "..."


def _orphaned(job: Job) -> bool:
    return job.parent_pid is not None and os.getppid() != job.parent_pid


def execute_job(job: Job) -> Outcome:
    """Execute one run on this thread's warm kernel and move its files into place.

    Never raises for a failing notebook: the failure is the outcome.
    """
    from workbench.batch.kernel import RENDERER, kernel_for_thread

    started, t0 = _now(), time.perf_counter()
    output = Path(job.output)
    token = uuid.uuid4().hex[:10]
    tmp_nb = output.with_name(output.name.removesuffix(".ipynb") + f"{PARTIAL}{token}.ipynb")
    tmp_fig = figures_path(tmp_nb)
    final_fig = figures_path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    env = {"PLOTLY_RENDERER": RENDERER,
           RUN_ENV: json.dumps({**job.context, "token": token, "figures": str(tmp_fig)},
                               default=str)}
    status, error, kernel = "done", None, None
    try:
        kernel = kernel_for_thread(job.kernel, job.warmup, job.cwd)
        kernel.prepare(cwd=job.cwd, env=env)
        kernel.execute(job.source, tmp_nb, job.parameters, timeout=job.timeout)
    except Exception as exc:  # noqa: BLE001 - any failure of one run is that run's outcome
        # papermill's PapermillExecutionError for a failing cell; else a kernel that
        # died, timed out or could not start.
        status, error = "failed", _summary(exc)
        if kernel is not None:
            kernel.stale = True  # the next run gets a new kernel: nothing of this one leaks
    elapsed, finished = time.perf_counter() - t0, _now()

    worker = f"{socket.gethostname()}:{os.getpid()}"
    if _orphaned(job):
        for tmp in (tmp_nb, tmp_fig):
            tmp.unlink(missing_ok=True)
        return Outcome(job.key, "failed", elapsed, started, finished,
                       error="the batch process ended before this run finished", worker=worker)

    figures_out: str | None = None
    if status == "done" and tmp_fig.is_file():
        os.replace(tmp_fig, final_fig)
        figures_out = str(final_fig)
    else:
        tmp_fig.unlink(missing_ok=True)
        final_fig.unlink(missing_ok=True)
    output_out: str | None = None
    if tmp_nb.is_file():
        os.replace(tmp_nb, output)
        output_out = str(output)
    elif status == "done":
        status, error = "failed", "papermill wrote no output notebook"
    return Outcome(job.key, status, elapsed, started, finished, output_out, figures_out, error,
                   worker)


def remove_partials(directory: str | os.PathLike[str]) -> int:
    """Delete temp files left by runs that never finished; return how many.

    Call only while holding the batch lock (no run of this tree is in progress).
    """
    directory = Path(directory)
    if not directory.is_dir():
        return 0
    count = 0
    for path in directory.rglob(f"*{PARTIAL}*"):
        if path.is_file():
            path.unlink(missing_ok=True)
            count += 1
    return count
