"""A publish killed halfway leaves no render process, no Chromium and no half-written file."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.notebooks,
              pytest.mark.skipif(not Path("/proc").is_dir() or shutil.which("chromium") is None,
                                 reason="needs /proc and chromium")]


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_sigterm_stops_workers_and_chromium(executed, tmp_path):
    many = tmp_path / "executed" / "poverty_profile" / "2024"
    many.mkdir(parents=True)
    src = executed / "poverty_profile" / "2024"
    for code in ("IQG01", "IQG02", "IQG03", "IQG04", "IQG05", "IQG06", "IQG07", "IQG08"):
        shutil.copy(src / "IQG02.ipynb", many / f"{code}.ipynb")
    out = tmp_path / "site"
    proc = subprocess.Popen([sys.executable, "-c", "from workbench.cli import main; main()", "publish",
                             "--executed", str(tmp_path / "executed"), "--out", str(out), "--lang", "en",
                             "--format", "pdf", "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        seen |= _descendants(proc.pid)
        if any("chromium" in Path(f"/proc/{p}/cmdline").read_text(errors="ignore")
               for p in seen if _alive(p)):
            break
        time.sleep(0.5)
    assert proc.poll() is None, "publish ended before a Chromium session was seen"
    seen |= _descendants(proc.pid)
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=60) != 0
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(p) for p in seen):
        time.sleep(0.5)
    assert [p for p in seen if _alive(p)] == []
    assert not list(out.rglob("*.tmp"))
