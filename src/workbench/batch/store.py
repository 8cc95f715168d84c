"""The results store: every key figure of the batch in two files.

After a batch, :func:`collect` reads the sidecars of the current successful
runs in the manifest and writes

- ``reports/results/estimates.parquet``: one tidy table with the columns
  :data:`ESTIMATE_COLUMNS` (``notebook, year, governorate, measure, domain,
  estimate, se, ci_low, ci_high, df, n, N, suppressed, synthetic``);
- ``reports/results/key_figures.json``: the scalar key figures of each run,
  with its provenance.

Language is dropped: the numbers of the Arabic edition are those of the
English one, so only English runs are read (an Arabic run is read only when
its English twin is missing). ``governorate`` is an OCHA P-code or
``national``; ``domain`` is ``""`` for a whole governorate or the country, and
``"area=urban"``-style text for a sub-population (columns of a table other than
the fixed ones). A profile records the comparison table of all governorates,
so the same estimate appears in many sidecars: one row is kept per notebook,
year, governorate, domain and measure, preferring the run of that governorate.

The publishing step and the dashboards read only these files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.batch.manifest import read_manifest
from workbench.files import atomic_path, write_atomic

__all__ = ["ESTIMATE_COLUMNS", "collect", "read_estimates"]

ESTIMATE_COLUMNS: tuple[str, ...] = (
    "notebook", "year", "governorate", "measure", "domain", "estimate", "se", "ci_low",
    "ci_high", "df", "n", "N", "suppressed", "synthetic",
)
_STATS = ("estimate", "se", "ci_low", "ci_high", "df", "n", "N", "suppressed")
_IGNORED = {"cv", "deff", "lang"}


def _runs_to_read(manifest: Path) -> pd.DataFrame:
    runs = read_manifest(manifest)
    runs = runs[(runs["status"] == "done") & runs["figures"].notna()]
    runs = runs[runs["figures"].map(lambda p: Path(p).is_file()).astype(bool)]
    # English first, so drop_duplicates keeps the English run of each key.
    runs = runs.assign(_ar=runs["lang"] != "en").sort_values(
        ["notebook", "year", "governorate", "_ar"])
    return runs.drop_duplicates(["notebook", "year", "governorate"]).drop(columns="_ar")


def _table_rows(run: pd.Series, doc: dict[str, Any]) -> list[pd.DataFrame]:
    frames = []
    for name, table in doc.get("tables", {}).items():
        frame = pd.DataFrame.from_records(table.get("records", []))
        if frame.empty:
            continue
        if "measure" not in frame:
            frame["measure"] = name
        if "year" not in frame:
            frame["year"] = run["year"]
        if "governorate" not in frame:
            frame["governorate"] = run["governorate"]
        domain_cols = [c for c in frame.columns
                       if c not in ESTIMATE_COLUMNS and c not in _IGNORED]
        frame["domain"] = (
            frame[domain_cols].astype(str).apply(
                lambda row: ";".join(f"{c}={v}" for c, v in row.items()), axis=1)
            if domain_cols else ""
        )
        frame["notebook"] = run["notebook"]
        frame["synthetic"] = bool(doc.get("synthetic", False))
        frame["_own"] = frame["governorate"] == run["governorate"]
        frames.append(frame)
    return frames


def _estimates(frames: list[pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        table = pd.DataFrame({c: [] for c in ESTIMATE_COLUMNS})
    else:
        table = pd.concat(frames, ignore_index=True)
        for col in _STATS:
            if col not in table:
                table[col] = None
        table = (table.sort_values("_own", ascending=False, kind="stable")
                 .drop_duplicates(["notebook", "year", "governorate", "domain", "measure"])
                 .loc[:, list(ESTIMATE_COLUMNS)])
    for col in ("estimate", "se", "ci_low", "ci_high", "df", "N"):
        table[col] = pd.to_numeric(table[col], errors="coerce").astype("float64")
    table["n"] = pd.to_numeric(table["n"], errors="coerce").astype("Int64")
    table = table.astype({"notebook": "string", "year": "int64", "governorate": "string",
                          "measure": "string", "domain": "string", "suppressed": "boolean",
                          "synthetic": "bool"})
    return table.sort_values(["notebook", "year", "governorate", "domain", "measure"]
                             ).reset_index(drop=True)


def collect(manifest: str | os.PathLike[str],
            results_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Collect the sidecars of the current successful runs into the results store.

    Parameters
    ----------
    manifest : path-like
        The run manifest.
    results_dir : path-like
        Where ``estimates.parquet`` and ``key_figures.json`` go (written atomically).

    Returns
    -------
    dict
        ``{"estimates": path, "key_figures": path}``.
    """
    from workbench import __version__

    results_dir = Path(results_dir)
    frames: list[pd.DataFrame] = []
    entries: list[dict[str, Any]] = []
    for _, run in _runs_to_read(Path(manifest)).iterrows():
        doc = json.loads(Path(run["figures"]).read_text(encoding="utf-8"))
        frames.extend(_table_rows(run, doc))
        entries.append({
            "notebook": run["notebook"], "year": int(run["year"]),
            "governorate": run["governorate"], "lang": run["lang"],
            "output": run["output"], "sidecar": run["figures"],
            "synthetic": bool(doc.get("synthetic", False)), "data": doc.get("data", []),
            "parameters": doc.get("parameters", {}), "run_date": doc.get("run_date"),
            "package_version": doc.get("package_version"), "figures": doc.get("figures", {}),
        })
    estimates = _estimates(frames)
    key_figures = {
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "package_version": __version__,
        "manifest": str(manifest),
        "synthetic": any(e["synthetic"] for e in entries),
        "runs": entries,
    }
    paths = {"estimates": results_dir / "estimates.parquet",
             "key_figures": results_dir / "key_figures.json"}
    with atomic_path(paths["estimates"]) as tmp:
        estimates.to_parquet(tmp, index=False)
    write_atomic(paths["key_figures"], json.dumps(key_figures, ensure_ascii=False, indent=1))
    return paths


def read_estimates(results_dir: str | os.PathLike[str] = "reports/results") -> pd.DataFrame:
    """The tidy estimates table of the last batch (``estimates.parquet``)."""
    return pd.read_parquet(Path(results_dir) / "estimates.parquet")
