"""Scale-out: the same batch on a real dask.distributed cluster (a scheduler and two workers)."""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.batch.manifest import read_manifest
from workbench.batch.runner import run_batch

DASK = Path(sys.executable).with_name("dask")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cluster(tmp_path):
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, shut down afterwards."""
    from distributed import Client

    address = f"tcp://127.0.0.1:{free_port()}"
    common = {"cwd": tmp_path, "start_new_session": True, "stdout": subprocess.DEVNULL,
              "stderr": subprocess.DEVNULL}
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port",
                               address.rsplit(":", 1)[1], "--no-dashboard"], **common)]
    procs += [subprocess.Popen([str(DASK), "worker", address, "--nthreads", "1", "--host",
                                "127.0.0.1", "--no-dashboard", "--name", f"w{i}"], **common)
              for i in range(2)]
    try:
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            proc.send_signal(signal.SIGTERM)
        for proc in reversed(procs):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # anything of theirs still running
            except ProcessLookupError:
                pass


@pytest.mark.slow
def test_batch_on_a_dask_cluster(tree, batch_file, echo, cluster):
    echo["parameters"] = {"fail_on": "IQG09"}
    config = batch_file(tree, {"echo": echo}, governorates=["Basrah", "Baghdad", "Duhok", "Anbar"])
    result = run_batch(config, root=tree, executor="dask", scheduler=cluster, progress=False)

    status = {r.governorate: r.status for r in result.records}
    assert status == {"IQG02": "done", "IQG08": "done", "IQG09": "failed", "IQG01": "done"}
    executed = tree / "reports/executed/echo/2024"
    assert sorted(p.name for p in executed.glob("*.ipynb")) == [
        "IQG01.ipynb", "IQG02.ipynb", "IQG08.ipynb", "IQG09.ipynb"]
    manifest = read_manifest(tree / "reports/manifest.sqlite")
    workers = set(manifest["worker"])
    assert f"{socket.gethostname()}:{os.getpid()}" not in workers  # ran on the cluster
    assert 1 <= len(workers) <= 2
    # Unchanged re-run through the cluster: nothing executes.
    again = run_batch(config, root=tree, executor="dask", scheduler=cluster, progress=False)
    assert {r.governorate: r.status for r in again.records} == {
        "IQG02": "skipped", "IQG08": "skipped", "IQG09": "failed", "IQG01": "skipped"}


@pytest.mark.slow  # waits for the connection timeout
def test_unreachable_scheduler_is_a_user_error(tree, batch_file, echo):
    from workbench.errors import ParameterError

    config = batch_file(tree, {"echo": echo})
    with pytest.raises(ParameterError, match=r"cannot reach the dask scheduler at tcp://127.0.0.1"):
        run_batch(config, root=tree, executor="dask",
                  scheduler=f"tcp://127.0.0.1:{free_port()}", progress=False)
