"""Executed notebooks and their JSON sidecars: what there is to publish.

Layout (written by ``workbench batch``)::

    reports/executed/<notebook>/<year>/<place>.ipynb          English edition
    reports/executed/<notebook>/<year>/<place>.ar.ipynb       Arabic edition
    reports/executed/<notebook>/<year>/<place>[.ar].figures.json   key figures, tables, provenance

``<place>`` is a governorate P-code (``IQG01`` ... ``IQG18``) or ``national``.
The Arabic edition may share the English sidecar (the numbers are the same).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.errors import DataError
from workbench.geography import governorate
from workbench.i18n import Lang, place_name, tr

__all__ = ["SIDECAR_SUFFIX", "Report", "collect_estimates", "discover", "read_sidecar"]

SIDECAR_SUFFIX = ".figures.json"
_STEM = re.compile(r"^(?P<place>[A-Za-z0-9_-]+?)(?:\.(?P<lang>ar|en))?$")


@dataclass(frozen=True)
class Report:
    """One executed notebook to publish: a report type, a year, a place and a language."""

    notebook: str
    year: int
    place: str          # P-code or "national"
    lang: Lang
    path: Path
    sidecar: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> str:
        """Site-relative path without language or extension: ``poverty_profile/2024/IQG02``."""
        return f"{self.notebook}/{self.year}/{self.place}"

    @property
    def is_national(self) -> bool:
        return self.place == "national"

    def place_label(self, lang: Lang | None = None) -> str:
        return place_name(self.place, lang or self.lang)

    def report_label(self, lang: Lang | None = None) -> str:
        return tr(f"report.{self.notebook}", lang or self.lang,
                  default=self.notebook.replace("_", " ").capitalize())

    def title(self, lang: Lang | None = None) -> str:
        lang = lang or self.lang
        return tr("report.title", lang, report=self.report_label(lang), place=self.place_label(lang),
                  year=self.year)


def read_sidecar(path: Path) -> dict[str, Any]:
    """Read a ``.figures.json`` sidecar.

    Raises
    ------
    DataError
        If the file is not a JSON object.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: sidecar is not valid JSON ({exc}); re-run the batch for it") from None
    if not isinstance(data, dict):
        raise DataError(f"{path}: sidecar must be a JSON object, found {type(data).__name__}")
    return data


def _place(text: str, path: Path) -> str:
    if text.lower() == "national":
        return "national"
    try:
        return governorate(text).pcode
    except DataError:
        raise DataError(f"{path}: file name {text!r} is neither a governorate P-code nor 'national'; "
                        "executed notebooks are named <P-code>[.ar].ipynb") from None


def discover(executed: Path, langs: tuple[str, ...] = ("en", "ar")) -> list[Report]:
    """Every executed notebook under ``executed`` in the requested languages.

    Notebooks that papermill marked as failed (``metadata.papermill.exception``)
    are skipped: a failed run is not published.

    Raises
    ------
    DataError
        If ``executed`` does not exist or a file name does not follow the layout.
    """
    if not executed.is_dir():
        raise DataError(f"{executed}: no executed notebooks folder; run `workbench batch` first "
                        "or pass --executed")
    found: list[Report] = []
    for path in sorted(executed.glob("*/*/*.ipynb")):
        notebook, year_dir = path.parent.parent.name, path.parent.name
        if not year_dir.isdigit():
            continue
        stem = path.name[: -len(".ipynb")]
        m = _STEM.match(stem)
        if not m:
            continue
        lang = m.group("lang") or "en"
        if lang not in langs:
            continue
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("papermill", {})
        if meta.get("exception"):
            continue
        sidecar_path = path.with_name(stem + SIDECAR_SUFFIX)
        if not sidecar_path.exists():
            sidecar_path = path.with_name(m.group("place") + SIDECAR_SUFFIX)
        sidecar = read_sidecar(sidecar_path) if sidecar_path.exists() else {}
        found.append(Report(notebook=notebook, year=int(year_dir), place=_place(m.group("place"), path),
                            lang=lang, path=path, sidecar=sidecar))
    return found


_TABLE_COLUMNS = ("governorate", "estimate", "n")


def _sidecar_tables(sidecar: dict[str, Any]) -> list[pd.DataFrame]:
    tables = sidecar.get("tables") or {}
    if isinstance(tables, list):
        tables = {"estimates": tables}
    frames = []
    for entry in tables.values():
        # {"name": [records]} or, as workbench.batch.figures writes, {"name": {"meta": ..., "records": [...]}}
        records = entry.get("records") if isinstance(entry, dict) else entry
        if isinstance(records, list) and records:
            frame = pd.DataFrame.from_records(records)
            if all(c in frame.columns for c in _TABLE_COLUMNS):
                frames.append(frame)
    return frames


def collect_estimates(reports: list[Report], results: Path | None = None) -> pd.DataFrame:
    """The tidy table of governorate estimates behind the landing page and the search index.

    Reads ``results/estimates.parquet`` (the batch's collected store) when it exists,
    keeping whole-governorate rows (empty ``domain``), else gathers the sidecars' tables with ``governorate``, ``estimate`` and ``n``
    columns (the first record of a measure, year and governorate wins).

    Returns
    -------
    pandas.DataFrame
        Columns include ``measure, year, governorate, estimate, ci_low, ci_high, n``
        (``governorate`` is a P-code or ``national``); empty when there is nothing.
    """
    if results is not None and (results / "estimates.parquet").is_file():
        frame = pd.read_parquet(results / "estimates.parquet")
    else:
        frames = [f.assign(year=f["year"] if "year" in f.columns else r.year)
                  for r in reports if r.lang == "en" or not any(x.lang == "en" for x in reports)
                  for f in _sidecar_tables(r.sidecar)]
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if frame.empty or "governorate" not in frame.columns:
        return pd.DataFrame(columns=["measure", "year", "governorate", "estimate", "ci_low", "ci_high", "n"])
    frame = frame[frame["governorate"].notna()].copy()
    if "domain" in frame.columns:   # whole governorates only, not sub-domains within them
        frame = frame[frame["domain"].isna() | (frame["domain"].astype(str).str.strip() == "")]
    frame["governorate"] = [_place(str(g), results or Path("sidecars")) for g in frame["governorate"]]
    if "measure" not in frame.columns:
        frame["measure"] = "headcount"
    keys = [c for c in ("measure", "year", "governorate") if c in frame.columns]
    return frame.drop_duplicates(keys).reset_index(drop=True)
