"""Run a batch: plan, skip what is up to date, execute the rest, record, collect.

:func:`run_batch` is what ``workbench batch`` calls:

1. read ``parameters/batch.yaml`` and narrow it (:mod:`.plan`);
2. take the batch lock (one batch per tree at a time) and delete temp files of
   runs that a killed batch left behind;
3. hash each run's inputs and skip those whose last successful run had the
   same hash and whose files are still there (:mod:`.hashing`, :mod:`.manifest`);
4. execute the others in parallel, with a progress bar counting done, failed
   and skipped runs; record each in the manifest once its files are in place;
5. collect the sidecars into the results store (:mod:`.store`).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from workbench.batch import hashing
from workbench.batch.executors import ExecutorName, make_executor
from workbench.batch.job import Job, Outcome, remove_partials
from workbench.batch.manifest import Manifest, RunRecord
from workbench.batch.plan import DEFAULT_CONFIG, BatchConfig, Run, load_config, plan_runs
from workbench.errors import ParameterError

__all__ = ["BatchResult", "run_batch"]


@dataclass
class BatchResult:
    """What a batch did: one manifest record per planned run, and the store's files.

    ``pending`` lists the runs that were (or, in a dry run, would be) executed.
    """

    records: list[RunRecord] = field(default_factory=list)
    pending: list[Run] = field(default_factory=list)
    results: dict[str, Path] = field(default_factory=dict)
    removed_partials: int = 0

    def count(self, status: str) -> int:
        """Number of runs with this status."""
        return sum(r.status == status for r in self.records)

    @property
    def failed(self) -> list[RunRecord]:
        """The failed runs."""
        return [r for r in self.records if r.status == "failed"]


@contextmanager
def _batch_lock(path: Path) -> Iterator[None]:
    """Exclusive lock on the tree's batch; released by the OS even if the process is killed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            raise ParameterError(f"another batch is running in this tree (lock {path}, "
                                 f"held by {fh.read().strip() or 'another process'}); "
                                 "wait for it to finish") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{socket.gethostname()}:{os.getpid()}\n")
        fh.flush()
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _up_to_date(prev: RunRecord | None, run: Run, digest: str) -> bool:
    if prev is None or prev.status != "done" or prev.input_hash != digest:
        return False
    if not run.output.is_file():
        return False
    return prev.figures is None or Path(prev.figures).is_file()


def _progress(console: Console, show: bool) -> Progress:
    return Progress(
        TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(),
        TextColumn("[green]{task.fields[done]} done[/] · [red]{task.fields[failed]} failed[/] · "
                   "[dim]{task.fields[skipped]} skipped[/]"),
        TimeElapsedColumn(), TextColumn("{task.fields[last]}", style="dim"),
        console=console, transient=False, disable=not show,
    )


def run_batch(
    config: str | os.PathLike[str] | BatchConfig = DEFAULT_CONFIG,
    *,
    root: str | os.PathLike[str] | None = None,
    governorates: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    notebooks: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
    jobs: int | None = None,
    executor: ExecutorName = "local",
    scheduler: str | None = None,
    retry_failed: bool = False,
    force: bool = False,
    dry_run: bool = False,
    console: Console | None = None,
    progress: bool = True,
) -> BatchResult:
    """Run a batch of notebooks.

    Parameters
    ----------
    config : path or BatchConfig
        The batch file (default ``parameters/batch.yaml``).
    root : path, optional
        Project root: the batch file's paths are relative to it and runs
        execute in it. Default: the current directory.
    governorates, years, notebooks, languages : sequence, optional
        Narrow the batch (see :func:`workbench.batch.plan.plan_runs`).
    jobs : int, optional
        Local worker processes (default: the cores available).
    executor : {"local", "dask"}
    scheduler : str, optional
        Dask scheduler address, ``tcp://HOST:8786`` (for ``executor="dask"``).
    retry_failed : bool
        Run only the planned runs whose last attempt failed.
    force : bool
        Run everything planned, up to date or not.
    dry_run : bool
        Decide what would run and what would be skipped; execute, record and
        delete nothing.
    console : rich.console.Console, optional
        Where the progress bar goes.
    progress : bool
        Show the progress bar.

    Returns
    -------
    BatchResult
        One record per planned run (``done``, ``failed`` or ``skipped``); with
        ``dry_run``, ``records`` holds the skipped runs and ``pending`` the ones
        that would execute.

    Raises
    ------
    ParameterError
        For a bad batch file or option, a missing data directory, or a batch
        already running in the same tree.
    """
    root = Path(root or os.getcwd()).resolve()
    cfg = config if isinstance(config, BatchConfig) else load_config(config)
    runs = plan_runs(cfg, root=root, governorates=governorates, years=years,
                     notebooks=notebooks, languages=languages)
    data_dir = root / cfg.data_dir
    if not data_dir.is_dir():
        raise ParameterError(f"data directory {data_dir} not found; for the demo data run "
                             "`workbench data demo --seed 0`, or set data_dir in the batch file")
    console = console or Console(stderr=True)
    result = BatchResult()
    batch_id = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{os.getpid()}"
    memo: dict[Path, str] = {}

    manifest_path = root / cfg.manifest
    with _batch_lock(root / cfg.output_dir / ".batch.lock"):
        if dry_run and not manifest_path.is_file():
            return BatchResult(pending=runs)  # nothing has run yet; create nothing
        with Manifest(manifest_path) as manifest:
            current = manifest.current()
            todo: list[tuple[Run, dict[str, str], str]] = []
            skipped: list[RunRecord] = []
            for run in runs:
                inputs = hashing.run_inputs(run, root, memo, warmup=cfg.warmup)
                digest = hashing.input_hash(inputs, run.parameters, kernel=cfg.kernel,
                                            timeout=cfg.timeout)
                prev = current.get(run.key)
                if retry_failed and (prev is None or prev.status != "failed"):
                    continue
                if not force and not retry_failed and _up_to_date(prev, run, digest):
                    skipped.append(_record(batch_id, run, inputs, digest, status="skipped",
                                           output=str(run.output), figures=prev.figures,
                                           started=_now(), finished=_now()))
                else:
                    todo.append((run, inputs, digest))
            result.pending = [run for run, _, _ in todo]
            if dry_run:
                result.records = skipped
                return result
            result.removed_partials = remove_partials(root / cfg.output_dir)
            for rec in skipped:
                manifest.record(rec)
            result.records.extend(skipped)
            if todo:
                result.records.extend(_execute(todo, cfg, root, batch_id, manifest, executor,
                                               jobs, scheduler, len(skipped), console, progress))
            elif progress:
                console.print(f"[dim]nothing to run: {len(skipped)} run(s) up to date[/]")
        result.results = _collect(root, cfg)
    return result


def _record(batch: str, run: Run, inputs: dict[str, str], digest: str,
            **fields: object) -> RunRecord:
    from workbench import __version__

    return RunRecord(batch=batch, notebook=run.notebook, year=run.year,
                     governorate=run.governorate, lang=run.lang,
                     parameters=dict(run.parameters), input_hash=digest, inputs=inputs,
                     package_version=__version__, **fields)  # type: ignore[arg-type]


def _job(run: Run, cfg: BatchConfig, root: Path, parent_pid: int | None) -> Job:
    return Job(key=run.key, source=str(run.source), output=str(run.output),
               parameters=dict(run.parameters), cwd=str(root), kernel=cfg.kernel,
               warmup=cfg.warmup, timeout=cfg.timeout,
               context={"notebook": run.notebook, "parameters": dict(run.parameters)},
               parent_pid=parent_pid)


def _execute(todo: list[tuple[Run, dict[str, str], str]], cfg: BatchConfig, root: Path,
             batch_id: str, manifest: Manifest, executor_name: ExecutorName, jobs: int | None,
             scheduler: str | None, n_skipped: int, console: Console,
             show: bool) -> list[RunRecord]:
    records: list[RunRecord] = []
    counts = {"done": 0, "failed": 0, "skipped": n_skipped}
    with make_executor(executor_name, jobs=jobs, scheduler=scheduler) as pool, \
            _progress(console, show) as bar:
        task = bar.add_task("batch", total=len(todo) + n_skipped, completed=n_skipped,
                            last="", **counts)
        parent = os.getpid() if pool.local else None
        futures = {pool.submit(_job(run, cfg, root, parent)): (run, inputs, digest)
                   for run, inputs, digest in todo}
        for future in pool.as_completed(futures):
            run, inputs, digest = futures[future]
            try:
                outcome: Outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker fails its run, not the batch
                outcome = Outcome(run.key, "failed", 0.0, _now(), _now(),
                                  error=f"worker lost: {type(exc).__name__}: {exc}")
            rec = _record(batch_id, run, inputs, digest, status=outcome.status,
                          duration=outcome.duration, output=outcome.output,
                          figures=outcome.figures, error=outcome.error,
                          started=outcome.started, finished=outcome.finished,
                          worker=outcome.worker)
            manifest.record(rec)
            records.append(rec)
            counts[outcome.status] += 1
            bar.update(task, advance=1, last=f"{run.label}: {outcome.status}", **counts)
    return records


def _collect(root: Path, cfg: BatchConfig) -> dict[str, Path]:
    from workbench.batch.store import collect

    return collect(root / cfg.manifest, root / cfg.results_dir)
