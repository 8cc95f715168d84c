"""Where runs execute: a local pool of worker processes, or a dask cluster.

Both keep one warm kernel per worker (:mod:`workbench.batch.kernel`), are
context managers, and offer ``submit(job)`` (a future of an
:class:`~workbench.batch.job.Outcome`), ``as_completed(futures)``, ``workers``
and ``local`` (whether the workers are children of the batch process).

- :class:`LocalExecutor`: ``jobs`` worker processes (spawned, so no state is
  inherited from the batch process), each executing runs one after another.
- :class:`DaskExecutor`: a ``dask.distributed`` cluster given by its scheduler
  address; each worker thread keeps a kernel. Workers must see the project
  tree at the same path (a shared file system), since runs read the data and
  write the executed notebooks there.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import as_completed as _as_completed
from typing import Any, Literal

from workbench.batch.job import Job, execute_job
from workbench.errors import ParameterError

__all__ = ["DaskExecutor", "LocalExecutor", "default_jobs", "make_executor"]

ExecutorName = Literal["local", "dask"]


def default_jobs() -> int:
    """Cores available to this process."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _exit_with_parent(parent: int, every: float = 1.0) -> None:
    """End this worker when the batch process is gone (killed with SIGKILL, say).

    A pool worker blocks reading its job queue, whose pipe it holds both ends
    of, so it never sees the parent go. Its kernel follows it: ipykernel exits
    when its own parent changes. A run in progress is abandoned, its temp
    files left for the next batch to remove.
    """
    while True:
        time.sleep(every)
        if os.getppid() != parent:
            os._exit(1)


def _init_worker() -> None:
    """Pool worker set-up: quiet papermill, follow the parent, shut kernels down at exit."""
    import logging
    import threading
    from multiprocessing.util import Finalize

    from workbench.batch.kernel import shutdown_kernels

    logging.getLogger("papermill").setLevel(logging.ERROR)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True,
                     name="exit-with-parent").start()
    # Pool workers end with os._exit, which skips atexit; Finalize still runs.
    Finalize(None, shutdown_kernels, exitpriority=10)


class LocalExecutor:
    """A pool of ``jobs`` long-lived worker processes on this machine."""

    local = True

    def __init__(self, jobs: int) -> None:
        if jobs < 1:
            raise ParameterError(f"--jobs must be at least 1; got {jobs}")
        self.workers = jobs
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalExecutor:
        self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_init_worker,
                                         mp_context=multiprocessing.get_context("spawn"))
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        assert self._pool is not None
        self._pool.shutdown(wait=exc_type is None, cancel_futures=True)

    def submit(self, job: Job) -> Future:
        """Queue one run."""
        assert self._pool is not None
        return self._pool.submit(execute_job, job)

    def as_completed(self, futures: Iterable[Future]) -> Iterator[Future]:
        """Futures in the order they finish."""
        return _as_completed(list(futures))


def _dask_worker_setup() -> None:
    import logging

    logging.getLogger("papermill").setLevel(logging.ERROR)


class DaskExecutor:
    """Runs on a ``dask.distributed`` cluster (``tcp://HOST:8786``)."""

    local = False

    def __init__(self, scheduler: str, *, timeout: float = 10) -> None:
        self.scheduler = scheduler
        self.timeout = timeout
        self.workers = 0
        self._client: Any = None

    def __enter__(self) -> DaskExecutor:
        from distributed import Client
        from distributed.diagnostics.plugin import WorkerPlugin

        try:
            self._client = Client(self.scheduler, timeout=self.timeout)
        except (OSError, TimeoutError) as exc:
            raise ParameterError(f"cannot reach the dask scheduler at {self.scheduler} "
                                 f"({exc}); start it with `dask scheduler` or check --scheduler"
                                 ) from exc

        class KernelPlugin(WorkerPlugin):
            """Quiet papermill on set-up; shut the worker's warm kernels down on teardown."""

            def setup(self, worker: Any) -> None:
                _dask_worker_setup()

            def teardown(self, worker: Any) -> None:
                from workbench.batch.kernel import shutdown_kernels

                shutdown_kernels()

        self._client.register_plugin(KernelPlugin(), name="workbench-kernels")
        info = self._client.scheduler_info()
        self.workers = sum(w.get("nthreads", 1) for w in info.get("workers", {}).values())
        if self.workers == 0:
            self._client.close()
            raise ParameterError(f"the dask scheduler at {self.scheduler} has no workers; "
                                 "start some with `dask worker " + self.scheduler + "`")
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def submit(self, job: Job) -> Any:
        """Queue one run on the cluster."""
        key = f"workbench-{'-'.join(map(str, job.key))}-{uuid.uuid4().hex[:8]}"
        return self._client.submit(execute_job, job, key=key, pure=False)

    def as_completed(self, futures: Iterable[Any]) -> Iterator[Any]:
        """Futures in the order they finish."""
        from distributed import as_completed

        return iter(as_completed(list(futures)))


def make_executor(name: ExecutorName, *, jobs: int | None = None,
                  scheduler: str | None = None) -> LocalExecutor | DaskExecutor:
    """The executor named on the command line.

    Raises
    ------
    ParameterError
        For an unknown name, or ``dask`` without a scheduler address.
    """
    if name == "local":
        return LocalExecutor(jobs or default_jobs())
    if name == "dask":
        if not scheduler:
            raise ParameterError("--executor dask needs --scheduler tcp://HOST:8786")
        return DaskExecutor(scheduler)
    raise ParameterError(f"unknown executor {name!r}; valid: local, dask")
