"""Incremental publishing: re-render only the outputs whose inputs changed.

``<site>/.publish-state.json`` records, for each report and format, the hash of
what it was rendered from: the executed notebook, its sidecar, the package
version and the publishing code and templates; HTML pages also depend on the site's
navigation and search index (the set of reports). An output is redone when its
hash differs or the file is gone.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from workbench.files import write_atomic
from workbench.publish.sources import Report

__all__ = ["PublishState", "report_hash", "site_hash"]

STATE_FILE = ".publish-state.json"
_CODE = {".py", ".typ", ".html", ".css", ".js", ".yaml"}


@cache
def _code_digest() -> str:
    """Hash of the publishing code, its templates, the chart code and the catalogue."""
    h = hashlib.sha256()
    for package in ("workbench.publish", "workbench.charts", "workbench.i18n"):
        root = Path(str(resources.files(package)))
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in _CODE):
            h.update(path.read_bytes())
    return h.hexdigest()


def report_hash(report: Report, version: str, extra: str = "") -> str:
    """Hash of one report's inputs: notebook bytes, sidecar, version, templates, ``extra``."""
    h = hashlib.sha256(report.path.read_bytes())
    h.update(json.dumps(report.sidecar, sort_keys=True, default=str).encode())
    h.update(f"{version}|{_code_digest()}|{extra}".encode())
    return h.hexdigest()


def site_hash(index: dict[str, list[dict[str, Any]]], langs: tuple[str, ...], formats: tuple[str, ...],
              shared_assets: bool) -> str:
    """Hash of what every HTML page embeds besides its own report: navigation and search."""
    payload = json.dumps([index, langs, formats, shared_assets], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


class PublishState:
    """The hashes behind the outputs of a site."""

    def __init__(self, out: Path) -> None:
        self.path = out / STATE_FILE
        try:
            self.entries: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            self.entries = {}

    def stale(self, output: Path, digest: str) -> bool:
        """Whether ``output`` must be rendered again."""
        return not output.exists() or self.entries.get(str(output)) != digest

    def mark(self, output: Path, digest: str) -> None:
        self.entries[str(output)] = digest

    def forget(self, output: Path) -> None:
        self.entries.pop(str(output), None)

    def save(self) -> None:
        write_atomic(self.path, json.dumps(self.entries, indent=0, sort_keys=True))
