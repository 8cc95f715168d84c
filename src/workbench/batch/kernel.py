"""Warm kernels: one long-lived Jupyter kernel per worker, reused across runs.

Starting a kernel and importing pandas and plotly costs seconds, and a
notebook of this project computes for a fraction of that. So each worker
starts one kernel, runs the batch file's ``warmup`` code in it once, and then
executes notebook after notebook on it through papermill (a custom papermill
engine, :class:`WarmEngine`, hands papermill's notebook client the live
kernel instead of starting one). Before each run the user namespace is reset
and the process state restored (:mod:`workbench.batch.isolation`), so runs do
not see each other's variables. Papermill still does everything else:
parameter injection, cell metadata, and the highlighted error cell of a
failed run.

Kernels talk over IPC sockets in a private temporary directory and die with
their worker (ipykernel watches its parent process).
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import papermill
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import Engine, papermill_engines

__all__ = [
    "ENGINE",
    "RENDERER",
    "KernelError",
    "WarmEngine",
    "WarmKernel",
    "kernel_for_thread",
    "shutdown_kernels",
]

ENGINE = "workbench-warm"
RENDERER = "plotly_mimetype"
"""Plotly renderer of batch runs: figure JSON in the notebook, no image export per run."""

_log = logging.getLogger(__name__)


class KernelError(RuntimeError):
    """A warm kernel could not start, warm up, or be prepared for a run."""


class WarmEngine(Engine):
    """Papermill engine that executes on an already running :class:`WarmKernel`."""

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, *, warm_kernel: WarmKernel,
                                 log_output: bool = False, start_timeout: int = 60,
                                 execution_timeout: int | None = None, **kwargs: Any) -> Any:
        client = PapermillNotebookClient(
            nb_man, km=warm_kernel.km, kernel_name=kernel_name, timeout=execution_timeout,
            startup_timeout=start_timeout, log=_log, log_output=log_output,
        )
        client.kc = warm_kernel.kc  # reuse the live client: nothing is started or shut down
        return client.execute()


papermill_engines.register(ENGINE, WarmEngine)


class WarmKernel:
    """A Jupyter kernel kept alive across notebook runs.

    Parameters
    ----------
    kernel_name : str
        Kernel spec name (``python3``).
    warmup : str
        Code run once after start (imports), so that runs do not pay for it.
    cwd : str
        Working directory of the kernel process.
    startup_timeout : float
        Seconds to wait for the kernel to answer.

    Attributes
    ----------
    stale : bool
        Set after a failed run: :func:`kernel_for_thread` restarts the kernel
        before the next run.

    Examples
    --------
    >>> k = WarmKernel("python3", warmup="import json")      # doctest: +SKIP
    >>> k.prepare(cwd=".", env={})                            # doctest: +SKIP
    >>> k.execute("nb.ipynb", "out.ipynb", {"year": 2024}, timeout=600)  # doctest: +SKIP
    >>> k.close()                                             # doctest: +SKIP
    """

    def __init__(self, kernel_name: str = "python3", *, warmup: str = "", cwd: str | None = None,
                 startup_timeout: float = 120) -> None:
        self.kernel_name = kernel_name
        self.warmup = warmup
        self.cwd = cwd or os.getcwd()
        self.startup_timeout = startup_timeout
        self.km: AsyncKernelManager | None = None
        self.kc: Any = None
        self.stale = False
        self._sockets: Path | None = None

    def start(self) -> None:
        """Start the kernel and run the warm-up code in it."""
        env = {**os.environ, "PLOTLY_RENDERER": RENDERER, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        self._sockets = Path(tempfile.mkdtemp(prefix="workbench-kernel-"))
        self.km = AsyncKernelManager(kernel_name=self.kernel_name, transport="ipc",
                                     ip=str(self._sockets / f"k-{uuid.uuid4().hex[:8]}"))
        run_sync(self.km.start_kernel)(
            extra_arguments=["--HistoryManager.enabled=False"], env=env, cwd=self.cwd,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)
        except RuntimeError as exc:
            self.close()
            raise KernelError(f"kernel {self.kernel_name!r} did not start: {exc}") from exc
        try:
            self._run(f"{self.warmup}\nimport workbench.batch.isolation\n"
                      "workbench.batch.isolation.snapshot()", what="warm-up")
        except KernelError as exc:
            self.close()
            # Warm-up code fails the same way every time: later runs fail at once.
            _broken[(self.kernel_name, self.warmup, self.cwd)] = str(exc)
            raise
        self.stale = False

    async def _async_run(self, code: str, timeout: float) -> dict[str, Any]:
        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        while True:
            reply = await self.kc.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"]

    def _run(self, code: str, *, what: str, timeout: float = 600) -> None:
        content = run_sync(self._async_run)(code, timeout)
        if content["status"] != "ok":
            raise KernelError(f"{what} failed in the kernel: {content.get('ename')}: "
                              f"{content.get('evalue')}")

    @property
    def alive(self) -> bool:
        """Whether the kernel process is running."""
        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def prepare(self, *, cwd: str, env: Mapping[str, str]) -> None:
        """Fresh user namespace and restored process state for the next run."""
        self._run("get_ipython().reset(new_session=True)\n"
                  "__import__('workbench.batch.isolation', fromlist=['begin_run'])"
                  f".begin_run({cwd!r}, {dict(env)!r})", what="run set-up", timeout=60)

    def execute(self, source: str | os.PathLike[str], output: str | os.PathLike[str],
                parameters: Mapping[str, Any], *, timeout: int | None) -> Any:
        """Execute a notebook with papermill on this kernel, writing ``output``.

        Raises
        ------
        papermill.PapermillExecutionError
            When a cell fails (the output notebook is written first, error cell marked).
        """
        return papermill.execute_notebook(
            str(source), str(output), parameters=dict(parameters), engine_name=ENGINE,
            kernel_name=self.kernel_name, warm_kernel=self, progress_bar=False,
            execution_timeout=timeout, request_save_on_cell_execute=True,
        )

    def close(self) -> None:
        """Shut the kernel down (best effort; safe to call twice)."""
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception as exc:  # noqa: BLE001 - shutting down; the kernel may be gone
                _log.debug("kernel shutdown: %s", exc)
            self.km = None
        if self._sockets is not None:
            shutil.rmtree(self._sockets, ignore_errors=True)
            self._sockets = None

    def restart(self) -> None:
        """Replace the kernel with a new, warmed-up one."""
        self.close()
        self.start()


_kernels: dict[int, WarmKernel] = {}
_kernels_lock = threading.Lock()
_broken: dict[tuple[str, str, str], str] = {}
"""Warm-up failures of this process, by (kernel name, warm-up code, working directory)."""


def kernel_for_thread(kernel_name: str, warmup: str, cwd: str) -> WarmKernel:
    """The calling thread's warm kernel, started (or replaced) as needed.

    A worker thread keeps one kernel; nbclient's event loop is per thread, so
    a kernel is only ever used from the thread that started it.

    Raises
    ------
    KernelError
        If the kernel does not start, or its warm-up code fails (then every
        later call with the same warm-up fails at once, without a new kernel).
    """
    wanted = (kernel_name, warmup, cwd)
    if wanted in _broken:
        raise KernelError(f"{_broken[wanted]} (fix the batch file's warmup)")
    ident = threading.get_ident()
    with _kernels_lock:
        kernel = _kernels.get(ident)
    if kernel is not None and (kernel.kernel_name, kernel.warmup, kernel.cwd) != wanted:
        kernel.close()
        kernel = None
    if kernel is None:
        kernel = WarmKernel(kernel_name, warmup=warmup, cwd=cwd)
        kernel.start()
    elif kernel.stale or not kernel.alive:
        kernel.restart()
    with _kernels_lock:
        _kernels[ident] = kernel
    return kernel


def shutdown_kernels() -> None:
    """Shut down every warm kernel of this process."""
    with _kernels_lock:
        kernels = list(_kernels.values())
        _kernels.clear()
    for kernel in kernels:
        kernel.close()


atexit.register(shutdown_kernels)
