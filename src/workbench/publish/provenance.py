"""Provenance of a report: data files and hashes, parameters, version, run date, manifest.

Read from the sidecar the batch writes beside each executed notebook. Keys are
read under ``provenance`` or at the top level::

    {"provenance": {"data": [{"path": "data/demo/households.parquet", "sha256": "..."}],
                    "parameters": {"governorate": "IQG02", "year": 2024},
                    "package_version": "0.1.0", "run_date": "2026-11-23T12:00:00",
                    "synthetic": true, "manifest": "reports/manifest.json#run-0042"}}

Examples
--------
>>> p = Provenance.from_sidecar({"provenance": {"synthetic": True, "package_version": "0.1.0",
...     "data": [{"path": "data/demo/h.parquet", "sha256": "ab" * 32}]}})
>>> p.synthetic, p.data[0][0]
(True, 'data/demo/h.parquet')
>>> footer_lines(p, "en")[0]
'Data: data/demo/h.parquet (SHA-256 abababababab…)'
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

from workbench.charts.theme import synthetic_banner
from workbench.i18n import Lang, direction, ltr, tr

__all__ = ["Provenance", "banner_html", "footer_html", "footer_lines"]


@dataclass(frozen=True)
class Provenance:
    """What a report was computed from."""

    data: tuple[tuple[str, str], ...] = ()
    parameters: dict[str, Any] = field(default_factory=dict)
    package_version: str = ""
    run_date: str = ""
    synthetic: bool = False
    manifest: str = ""
    notebook: str = ""

    @classmethod
    def from_sidecar(cls, sidecar: dict[str, Any], *, manifest: str = "", notebook: str = "") -> Provenance:
        """Build from a sidecar mapping (missing keys stay empty and print "not recorded")."""
        src = {**sidecar, **(sidecar.get("provenance") or {})}
        data = src.get("data") or src.get("data_files") or []
        if isinstance(data, dict):
            data = [{"path": k, "sha256": v} for k, v in data.items()]
        if not data and src.get("data_file"):
            data = [{"path": src["data_file"], "sha256": src.get("data_sha256", "")}]
        files = tuple((str(d.get("path", "")), str(d.get("sha256", ""))) for d in data if isinstance(d, dict))
        params = src.get("parameters") or {}
        return cls(data=files, parameters=dict(params), package_version=str(src.get("package_version", "")),
                   run_date=str(src.get("run_date", "")), synthetic=bool(src.get("synthetic", False)),
                   manifest=str(src.get("manifest") or src.get("run_id") or manifest),
                   notebook=notebook)


def _params_text(params: dict[str, Any]) -> str:
    shown = {k: v for k, v in params.items() if not str(k).startswith("_")}
    return json.dumps(shown, ensure_ascii=False, separators=(", ", ": "), default=str)[1:-1]


def footer_lines(prov: Provenance, lang: Lang, *, short_hash: bool = True) -> list[str]:
    """The provenance footer as plain-text lines in ``lang``.

    Parameters
    ----------
    prov : Provenance
    lang : {"en", "ar"}
    short_hash : bool
        Print the first 12 hex digits of each hash (the HTML page shows them in full).
    """
    unknown = tr("footer.unknown", lang)
    def iso(text: str) -> str:
        return ltr(text, lang) if text else unknown

    files = "; ".join(f"{iso(path)} ({tr('footer.sha256', lang)} "
                      f"{iso(sha[:12] + '…' if short_hash and sha else sha)})"
                      for path, sha in prov.data) or unknown
    lines = [f"{tr('footer.data', lang)}: {files}",
             f"{tr('footer.parameters', lang)}: {iso(_params_text(prov.parameters))}",
             (f"{tr('footer.version', lang)}: {iso(prov.package_version)} · "
              f"{tr('footer.run_date', lang)}: {iso(prov.run_date)} · "
              f"{tr('footer.manifest', lang)}: {iso(prov.manifest)}")]
    if prov.notebook:
        lines.append(f"{tr('footer.notebook', lang)}: {iso(prov.notebook)}")
    return lines


def footer_html(prov: Provenance, lang: Lang) -> str:
    """The provenance footer of an HTML page (full hashes)."""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in footer_lines(prov, lang, short_hash=False))
    return (f'<footer class="wb-provenance" dir="{direction(lang)}"><h2>{html.escape(tr("footer.heading", lang))}'
            f"</h2><ul>{items}</ul></footer>")


def banner_html(synthetic: bool, lang: Lang) -> str:
    """The "SYNTHETIC DEMO DATA" banner of a page (its only one), or nothing."""
    if not synthetic:
        return ""
    return f'<div class="wb-banner" role="alert">{html.escape(synthetic_banner(lang))}</div>'
