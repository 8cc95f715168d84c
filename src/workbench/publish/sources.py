"""Executed notebooks and their JSON sidecars: what there is to publish.

Layout (written by ``workbench batch``)::

    reports/executed/<notebook>/<year>/<place>.ipynb          English edition
    reports/executed/<notebook>/<year>/<place>.ar.ipynb       Arabic edition
    reports/executed/<notebook>/<year>/<place>[.ar].figures.json   key figures, tables, provenance

``<place>`` is a governorate P-code (``IQG01`` ... ``IQG18``) or ``national``.
The Arabic edition may share the English sidecar (the numbers are the same).

What is current comes from the batch's run manifest (``reports/manifest.sqlite``,
:mod:`workbench.batch.manifest`) where there is one: a run whose latest attempt
failed is a :class:`FailedRun`, listed on the site with its error summary, even
when it wrote no notebook or left an older notebook of an earlier success in
place (that one is not published as current). Without a manifest, papermill's
failure mark in a notebook (``metadata.papermill.exception``) is all there is.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.errors import DataError, WorkbenchError
from workbench.geography import governorate
from workbench.i18n import Lang, place_name, tr

__all__ = ["MANIFEST_NAME", "SIDECAR_SUFFIX", "FailedRun", "Report", "RunState", "collect_estimates",
           "discover", "read_runs", "read_sidecar", "scan"]

SIDECAR_SUFFIX = ".figures.json"
MANIFEST_NAME = "manifest.sqlite"
_STEM = re.compile(r"^(?P<place>[A-Za-z0-9_-]+?)(?:\.(?P<lang>ar|en))?$")

Key = tuple[str, int, str, str]   # (notebook, year, place, lang), as the manifest keys its runs


@dataclass(frozen=True)
class _Run:
    """A report type, a year, a place and a language, with their labels."""

    notebook: str
    year: int
    place: str          # P-code or "national"
    lang: Lang

    @property
    def run_key(self) -> Key:
        """``(notebook, year, place, lang)``, the manifest's key."""
        return (self.notebook, self.year, self.place, self.lang)

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


@dataclass(frozen=True)
class Report(_Run):
    """One executed notebook to publish: a report type, a year, a place and a language."""

    path: Path
    sidecar: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class FailedRun(_Run):
    """A run whose latest attempt failed: listed on the site as failed, never published.

    ``error`` is the one-line summary the batch recorded (or papermill's error
    output); ``finished`` and ``batch`` say when, when the manifest knows.
    """

    error: str
    finished: str = ""
    batch: str = ""


@dataclass(frozen=True)
class RunState:
    """The current state of a run in the batch manifest (its latest done or failed attempt)."""

    status: str
    error: str = ""
    finished: str = ""
    batch: str = ""
    manifest: str = ""          # citation: ``manifest.sqlite#batch=<id>``


def read_runs(manifest: Path) -> dict[Key, RunState]:
    """The current state of every run in a batch manifest; empty when the file does not exist.

    Raises
    ------
    DataError
        If the file exists but cannot be read as a manifest (publishing without it
        could show a failed run's older notebook as current).
    """
    if not manifest.is_file():
        return {}
    from workbench.batch.manifest import read_manifest

    try:
        frame = read_manifest(manifest)
    except (sqlite3.Error, pd.errors.DatabaseError, WorkbenchError, KeyError) as exc:
        raise DataError(f"{manifest}: the batch manifest cannot be read ({exc.__cause__ or exc}); publishing needs it to "
                        "know which runs failed. Re-run `workbench batch` or pass --manifest") from None
    cite = f"{manifest.parent.name}/{manifest.name}"
    return {(r.notebook, int(r.year), r.governorate, r.lang): RunState(
                status=r.status, error=r.error or "", batch=r.batch, manifest=f"{cite}#batch={r.batch}",
                finished="" if pd.isna(r.finished) else r.finished.isoformat(timespec="seconds"))
            for r in frame.itertuples()}


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


def _papermill_error(nb: dict[str, Any]) -> str | None:
    """The error summary of a notebook papermill marked as failed, else None."""
    if not nb.get("metadata", {}).get("papermill", {}).get("exception"):
        return None
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                text = " ".join(f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".split())
                return text if len(text) <= 300 else text[:297] + "..."
    return "the notebook is marked as failed by papermill"


def scan(executed: Path, langs: tuple[str, ...] = ("en", "ar"), *,
         runs: Mapping[Key, RunState] | None = None) -> tuple[list[Report], list[FailedRun]]:
    """What there is to publish under ``executed``, and which runs failed.

    Parameters
    ----------
    executed : pathlib.Path
        ``reports/executed``.
    langs : tuple of str
        Editions wanted.
    runs : mapping, optional
        Current state of each run (:func:`read_runs`); by default read from
        ``manifest.sqlite`` beside ``executed``.

    Returns
    -------
    reports : list of Report
        Notebooks whose run is current and succeeded (or that the manifest does
        not know, such as a notebook executed by hand).
    failed : list of FailedRun
        Runs whose latest attempt failed in the manifest, with or without a
        notebook on disk, and notebooks papermill marked as failed.

    Raises
    ------
    DataError
        If ``executed`` does not exist, a file name does not follow the layout, or
        the manifest cannot be read.
    """
    if not executed.is_dir():
        raise DataError(f"{executed}: no executed notebooks folder; run `workbench batch` first "
                        "or pass --executed")
    runs = read_runs(executed.parent / MANIFEST_NAME) if runs is None else runs
    found: list[Report] = []
    failed: dict[Key, FailedRun] = {}
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
        place = _place(m.group("place"), path)
        key: Key = (notebook, int(year_dir), place, lang)
        state = runs.get(key)
        if state is not None and state.status == "failed":
            continue            # listed from the manifest below, whatever notebook is on disk
        error = _papermill_error(json.loads(path.read_text(encoding="utf-8")))
        if error is not None:
            failed[key] = FailedRun(*key, error=error, finished=state.finished if state else "",
                                    batch=state.batch if state else "")
            continue
        sidecar_path = path.with_name(stem + SIDECAR_SUFFIX)
        if not sidecar_path.exists():
            sidecar_path = path.with_name(m.group("place") + SIDECAR_SUFFIX)
        sidecar = read_sidecar(sidecar_path) if sidecar_path.exists() else {}
        found.append(Report(notebook, int(year_dir), place, lang, path=path, sidecar=sidecar))
    for key, state in runs.items():
        if state.status == "failed" and key[3] in langs:
            failed[key] = FailedRun(*key, error=state.error or "no error recorded",
                                    finished=state.finished, batch=state.batch)
    return found, sorted(failed.values(), key=lambda f: f.run_key)


def discover(executed: Path, langs: tuple[str, ...] = ("en", "ar"), *,
             runs: Mapping[Key, RunState] | None = None) -> list[Report]:
    """Every executed notebook under ``executed`` that is current and succeeded (see :func:`scan`).

    A failed run is not published: papermill's failure mark, or a latest attempt
    that failed in the batch manifest (even if an older notebook is still there).

    Raises
    ------
    DataError
        If ``executed`` does not exist or a file name does not follow the layout.
    """
    return scan(executed, langs, runs=runs)[0]


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
