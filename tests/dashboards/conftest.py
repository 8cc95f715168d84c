"""Fixtures of the dashboard tests: a synthetic results store, and running dashboard servers.

A server is ``workbench dashboard`` itself, started as a subprocess in its own
process group on a free loopback port; teardown ends that group (the server and
the kernels it started) and nothing else.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from workbench.dashboards.store import ResultsStore, load_results
from workbench.dashboards.synthetic import write_synthetic_results

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
WORKBENCH = Path(sys.executable).with_name("workbench")
#: Anbar 2007 sampled thinly, so that a governorate falls under the disclosure threshold.
THIN = {("IQG01", 2007): 24}
STARTUP_TIMEOUT = 180  # seconds; a cold server on two busy cores needs tens of seconds


@pytest.fixture(scope="session")
def results_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic results store in the batch's format (written once per session)."""
    return write_synthetic_results(tmp_path_factory.mktemp("results"), seed=0, thin=THIN)


@pytest.fixture(scope="session")
def store(results_dir: Path) -> ResultsStore:
    return load_results(results_dir)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running ``workbench dashboard``."""

    url: str
    process: subprocess.Popen
    log: Path

    def get(self, path: str, *, timeout: float = 60) -> tuple[int, dict[str, str], str]:
        """Status, headers and body of ``GET path`` (no redirect followed)."""
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(self.url.rstrip("/") + path, timeout=timeout) as r:
                return r.status, dict(r.headers), r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode("utf-8", "replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(f"dashboard server exited:\n{server.log_text()[-3000:]}")
        with contextlib.suppress(OSError):
            if server.get("/", timeout=5)[0] == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"dashboard server not ready after {STARTUP_TIMEOUT} s:\n{server.log_text()[-3000:]}")


def _serve_command(port: int, results: Path, pool_size: int, base_url: str,
                   render_timeout: float | None) -> list[str]:
    if render_timeout is None:
        return [str(WORKBENCH), "dashboard", "--port", str(port), "--results", str(results),
                "--pool-size", str(pool_size), "--base-url", base_url]
    # The command takes its limit from parameters/dashboards.yaml (10 s at least); a test sets its own.
    options = (f"port={port}, results=Path({str(results)!r}), notebooks=notebooks_dir(), "
               f"pool_size={pool_size}, base_url={base_url!r}, render_timeout={render_timeout!r}")
    code = ("from pathlib import Path; from workbench.dashboards.server import ServeOptions, notebooks_dir, "
            f"serve; serve(ServeOptions({options}))")
    return [sys.executable, "-c", code]


@contextlib.contextmanager
def running_server(results: Path, log: Path, *, pool_size: int = 1, base_url: str = "/",
                   render_timeout: float | None = None) -> Iterator[Server]:
    """Start ``workbench dashboard`` on a free loopback port; stop its process group after.

    ``render_timeout`` (seconds a page may take) replaces the settings' value, for tests of the limit.
    The server's output (Voila's log and the kernels') goes to ``log``.
    """
    port = free_port()
    fh = log.open("w", encoding="utf-8")
    process = subprocess.Popen(
        _serve_command(port, results, pool_size, base_url, render_timeout),
        cwd=REPO, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    server = Server(url=f"http://127.0.0.1:{port}{base_url}", process=process, log=log)
    try:
        _wait_ready(server)
        yield server
    finally:
        kernels = _children(process.pid)  # kernels run in sessions of their own
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        # Kernels exit by themselves when their parent is gone; end those that have not.
        deadline = time.monotonic() + 10
        while kernels and time.monotonic() < deadline:
            kernels = [pid for pid in kernels if Path(f"/proc/{pid}").exists()]
            time.sleep(0.5)
        for pid in kernels:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        fh.close()


def _children(pid: int) -> list[int]:
    """Process ids of the children of ``pid`` (Linux /proc), e.g. the server's kernels."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


@pytest.fixture(scope="session")
def start_server():
    """:func:`running_server`, for a test that needs a server of its own."""
    return running_server


@pytest.fixture(scope="session")
def server(results_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One dashboard server on the synthetic results, shared by the browser and security tests."""
    log = tmp_path_factory.mktemp("server") / "server.log"
    with running_server(results_dir, log, pool_size=1) as s:
        yield s


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
