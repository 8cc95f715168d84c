"""The dashboards' view of the batch's results: precomputed estimates, read once per kernel.

``workbench batch`` writes ``reports/results/estimates.parquet`` (one tidy table)
and ``reports/results/key_figures.json``. The dashboards read nothing else: no
microdata, no executed notebook. :func:`load_results` splits the table into the
four kinds of rows a dashboard shows:

- **areas**: a governorate (OCHA P-code) or ``national`` as a whole;
- **districts**: rows with a district P-code, in a ``district`` column or as
  ``domain = "district=IQG01Q01"``;
- **profiles**: characteristics of the poor and the non-poor, in columns
  ``characteristic``, ``level`` and ``group`` (``poor`` or ``non_poor``) or as
  ``domain = "characteristic=head_sex;level=female;group=poor"`` (measure
  ``profile_share`` for shares of people, ``profile_mean`` for means);
- **groups**: an estimate for a sub-population, ``domain = "area=urban"``.

Measures carry the names the report notebooks record and the charts and the
catalogue use (``headcount``, ``gap``, ``severity``, ``gini``, ``mean_consumption``,
...; :data:`workbench.measures.FGT_MEASURES`). When several notebooks recorded
the same estimate, the first by notebook name is kept. District, profile and
group rows are optional: a dashboard shows a note where they are absent.

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({
...     "year": [2024, 2024, 2024], "governorate": ["IQG02", "national", "IQG02"],
...     "measure": ["headcount", "headcount", "headcount"], "domain": ["", "", "district=IQG02Q01"],
...     "estimate": [.16, .17, .2], "ci_low": [.13, .16, .1], "ci_high": [.19, .18, .3],
...     "n": [900, 20000, 25]})
>>> store = results_from_frame(rows)
>>> store.areas[["governorate", "measure"]].to_dict("records")
[{'governorate': 'IQG02', 'measure': 'headcount'}, {'governorate': 'national', 'measure': 'headcount'}]
>>> store.districts["district"].tolist()
['IQG02Q01']
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import DataError, first_ids
from workbench.geography import district, governorate

__all__ = [
    "ESTIMATES_FILE",
    "KEY_FIGURES_FILE",
    "MEASURE_ORDER",
    "NATIONAL",
    "RESULTS_ENV",
    "ResultsMissing",
    "ResultsStore",
    "load_results",
    "results_dir",
    "results_from_frame",
]

RESULTS_ENV = "WORKBENCH_RESULTS"
"""Environment variable naming the results folder (``workbench dashboard --results`` sets it)."""
ESTIMATES_FILE = "estimates.parquet"
KEY_FIGURES_FILE = "key_figures.json"
NATIONAL = "national"

#: Order of the measures in the dashboards' menus; others follow alphabetically.
MEASURE_ORDER: tuple[str, ...] = ("headcount", "gap", "severity", "extreme_headcount", "gini",
                                  "mean_consumption", "median_consumption")

_REQUIRED = ("year", "governorate", "measure", "estimate", "ci_low", "ci_high", "n")
_STATS = ("estimate", "se", "ci_low", "ci_high", "df", "n", "N", "suppressed")
_PROFILE_KEYS = ("characteristic", "level", "group")


class ResultsMissing(DataError):
    """The results store does not exist yet: the batch has not been run."""


@dataclass(frozen=True)
class ResultsStore:
    """Precomputed estimates, split by kind of row.

    Attributes
    ----------
    path : pathlib.Path
        The results folder.
    areas : pandas.DataFrame
        ``year, governorate, measure`` then the statistics; ``governorate`` is a
        P-code or ``"national"``.
    districts : pandas.DataFrame
        As ``areas`` plus ``district`` (P-code); may be empty.
    profiles : pandas.DataFrame
        As ``areas`` plus ``characteristic, level, group``; may be empty.
    groups : pandas.DataFrame
        As ``areas`` plus ``dimension, value`` (e.g. ``area``, ``urban``); may be empty.
    key_figures : Mapping
        The parsed ``key_figures.json`` (empty when absent).
    synthetic : bool
        Any estimate comes from synthetic (demo) data.
    signature : tuple
        Modification time and size of the estimates file, to notice a new batch.
    """

    path: Path
    areas: pd.DataFrame
    districts: pd.DataFrame
    profiles: pd.DataFrame
    groups: pd.DataFrame
    key_figures: Mapping[str, Any] = field(default_factory=dict)
    synthetic: bool = False
    signature: tuple[int, int] = (0, 0)

    def years(self) -> list[int]:
        """Survey rounds with estimates, oldest first."""
        return sorted(int(y) for y in self.areas["year"].unique())

    def measures(self) -> list[str]:
        """Measures with governorate estimates, in menu order."""
        present = set(self.areas["measure"])
        known = [m for m in MEASURE_ORDER if m in present]
        return known + sorted(present - set(known))

    def governorate_rows(self, measure: str, year: int, *, national: bool = False) -> pd.DataFrame:
        """The governorates' rows of one measure and round (and the national row, first, if asked)."""
        a = self.areas
        keep = (a["measure"] == measure) & (a["year"] == int(year))
        if not national:
            keep &= a["governorate"] != NATIONAL
        rows = a[keep]
        return rows.sort_values("governorate", key=lambda g: g != NATIONAL, kind="stable").reset_index(drop=True)

    def place_row(self, place: str, measure: str, year: int) -> pd.Series | None:
        """The row of one place (P-code or ``"national"``), measure and round, or None."""
        hit = _select(self.areas, place, measure, year)
        return None if hit.empty else hit.iloc[0]

    def trend_rows(self, place: str, measure: str) -> pd.DataFrame:
        """One place's rows of one measure across rounds, oldest first."""
        return _select(self.areas, place, measure).sort_values("year").reset_index(drop=True)

    def district_rows(self, place: str, measure: str, year: int) -> pd.DataFrame:
        """Districts of one governorate for one measure and round (possibly empty)."""
        return _select(self.districts, place, measure, year)

    def profile_rows(self, place: str, year: int, measure: str = "profile_share") -> pd.DataFrame:
        """Profile of the poor (and non-poor) of one place and round (possibly empty).

        ``profile_share`` rows are shares of people with a characteristic;
        ``profile_mean`` rows (household size, age of the head ...) are means.
        """
        return _select(self.profiles, place, measure, year)

    def group_rows(self, place: str, measure: str, year: int) -> pd.DataFrame:
        """Estimates for sub-populations of one place (possibly empty)."""
        return _select(self.groups, place, measure, year)

    def is_stale(self) -> bool:
        """Whether the estimates file changed on disk since it was read."""
        return _signature(self.path / ESTIMATES_FILE) != self.signature


def _select(rows: pd.DataFrame, place: str, measure: str, year: int | None = None) -> pd.DataFrame:
    """The rows of one place and measure (and round, when given), renumbered from 0."""
    if rows.empty:
        return rows
    keep = (rows["governorate"] == place) & (rows["measure"] == measure)
    if year is not None:
        keep &= rows["year"] == int(year)
    return rows[keep].reset_index(drop=True)


def results_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The results folder: ``path``, else ``$WORKBENCH_RESULTS``, else ``reports/results``.

    A relative ``reports/results`` is looked up from the current directory and its
    parents, so a kernel started in ``notebooks/dashboards/`` finds the project's.
    """
    if path:
        return Path(path).expanduser()
    env = os.environ.get(RESULTS_ENV)
    if env:
        return Path(env).expanduser()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        candidate = folder / "reports" / "results"
        if candidate.is_dir():
            return candidate
    return here / "reports" / "results"


def _signature(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


def load_results(path: str | os.PathLike[str] | None = None) -> ResultsStore:
    """Read the results store written by ``workbench batch``.

    Parameters
    ----------
    path : path-like, optional
        The results folder (see :func:`results_dir` for the default).

    Raises
    ------
    ResultsMissing
        If ``estimates.parquet`` does not exist: the batch has not been run.
    DataError
        If the file cannot be read or breaks the table's rules.
    """
    folder = results_dir(path)
    file = folder / ESTIMATES_FILE
    signature = _signature(file)
    if not file.is_file():
        raise ResultsMissing(f"{file}: no results yet; run `workbench batch` first")
    try:
        table = pd.read_parquet(file)
    except Exception as exc:  # noqa: BLE001 (pyarrow raises several types for a damaged file)
        raise DataError(f"{file}: cannot be read as Parquet ({type(exc).__name__}: {exc}); "
                        "run `workbench batch` again") from None
    key_figures: dict[str, Any] = {}
    kf = folder / KEY_FIGURES_FILE
    if kf.is_file():
        try:
            key_figures = json.loads(kf.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise DataError(f"{kf}: not valid JSON ({exc}); run `workbench batch` again") from None
    return results_from_frame(table, path=folder, key_figures=key_figures, signature=signature,
                              source=str(file))


def _parse_domains(values: pd.Series) -> pd.DataFrame:
    """Turn ``"k=v;k2=v2"`` domain text into columns (one parse per distinct value)."""
    text = values.fillna("").astype(str)
    parsed: dict[str, dict[str, str]] = {}
    for value in text.unique():
        pairs = [part.split("=", 1) for part in value.split(";") if "=" in part]
        parsed[value] = {k.strip(): v.strip() for k, v in pairs}
    keys = sorted({k for d in parsed.values() for k in d})
    return pd.DataFrame({k: text.map({v: d.get(k) for v, d in parsed.items()}) for k in keys},
                        index=values.index)


def _pcodes(values: pd.Series, source: str, column: str) -> pd.Series:
    """Map governorate keys (P-code, name, ISO) to P-codes; ``national`` stays."""
    mapping: dict[str, str] = {}
    bad: list[str] = []
    for value in values.dropna().astype(str).unique():
        if value.lower() in (NATIONAL, "iraq"):
            mapping[value] = NATIONAL
            continue
        try:
            mapping[value] = governorate(value).pcode
        except DataError:
            bad.append(value)
    if bad:
        raise DataError(f"{source}: column {column!r} must hold governorate P-codes or 'national'; "
                        f"{len(bad)} values do not ({first_ids(bad)})")
    return values.astype(str).map(mapping)


def results_from_frame(table: pd.DataFrame, *, path: str | os.PathLike[str] = ".",
                       key_figures: Mapping[str, Any] | None = None,
                       signature: tuple[int, int] = (0, 0),
                       source: str = "estimates table") -> ResultsStore:
    """Build a :class:`ResultsStore` from a tidy estimates table already in memory.

    Raises
    ------
    DataError
        If a required column is missing, or a governorate or district code is unknown.
    """
    missing = [c for c in _REQUIRED if c not in table.columns]
    if missing:
        raise DataError(f"{source}: lacks column(s) {', '.join(missing)}; found "
                        f"{', '.join(map(str, table.columns))}. Run `workbench batch` again")
    t = table.copy()
    for col in _STATS:
        if col not in t.columns:
            t[col] = pd.NA
    t["year"] = pd.to_numeric(t["year"], errors="raise").astype("int64")
    t["measure"] = t["measure"].astype(str)
    t["governorate"] = _pcodes(t["governorate"], source, "governorate")
    for col in ("estimate", "se", "ci_low", "ci_high", "df", "N"):
        t[col] = pd.to_numeric(t[col], errors="coerce").astype("float64")
    t["n"] = pd.to_numeric(t["n"], errors="coerce").astype("Int64")
    t["suppressed"] = t["suppressed"].astype("boolean").fillna(False).astype(bool)
    if "domain" in t.columns:
        parts = _parse_domains(t["domain"])
        for col in parts.columns:
            t[col] = t[col].where(t[col].notna(), parts[col]) if col in t.columns else parts[col]
    if "notebook" in t.columns:
        t = t.sort_values("notebook", kind="stable")
    has = {c: (t[c].notna() & (t[c].astype(str) != "")) if c in t.columns else pd.Series(False, index=t.index)
           for c in ("district", *_PROFILE_KEYS)}
    is_district = has["district"]
    is_profile = has["characteristic"] & ~is_district
    extra = [c for c in t.columns if c not in (*_REQUIRED, *_STATS, "domain", "notebook", "synthetic",
                                               "cv", "deff", "lang", "district", *_PROFILE_KEYS)]
    group_key = t[extra].notna().any(axis=1) if extra else pd.Series(False, index=t.index)
    is_group = group_key & ~is_district & ~is_profile
    base = ["year", "governorate", "measure", *_STATS]

    areas = t[~is_district & ~is_profile & ~is_group]
    areas = areas.drop_duplicates(["year", "governorate", "measure"])[base]

    districts = t[is_district].copy()
    if not districts.empty:
        codes = districts["district"].astype(str)
        known, bad = {}, []
        for code in codes.unique():
            try:
                known[code] = district(code).pcode
            except DataError:
                bad.append(code)
        if bad:
            raise DataError(f"{source}: district codes must be OCHA P-codes; {len(bad)} are not "
                            f"({first_ids(bad)})")
        districts["district"] = codes.map(known)
    districts = districts.drop_duplicates(["year", "governorate", "district", "measure"]).reindex(
        columns=[*base, "district"])

    profiles = t[is_profile].copy()
    for col in ("level", "group"):
        if col not in profiles.columns:
            profiles[col] = ""
    profiles = profiles.fillna({"level": "", "group": ""}).drop_duplicates(
        ["year", "governorate", "measure", *_PROFILE_KEYS]).reindex(columns=[*base, *_PROFILE_KEYS])

    groups = t[is_group].copy()
    if not groups.empty:
        filled = groups[extra].notna()
        groups["dimension"] = filled.idxmax(axis=1)
        cells = groups[extra].to_numpy(dtype=object)
        groups["value"] = cells[np.arange(len(groups)), groups[extra].columns.get_indexer(groups["dimension"])]
        groups = groups[filled.sum(axis=1) == 1]  # one-dimensional sub-populations only
    groups = groups.reindex(columns=[*base, "dimension", "value"])
    groups = groups.drop_duplicates(["year", "governorate", "measure", "dimension", "value"])

    synthetic = bool((key_figures or {}).get("synthetic", False))
    if "synthetic" in t.columns:
        synthetic = synthetic or bool(t["synthetic"].fillna(False).astype(bool).any())
    return ResultsStore(path=Path(path), areas=areas.reset_index(drop=True),
                        districts=districts.reset_index(drop=True),
                        profiles=profiles.reset_index(drop=True), groups=groups.reset_index(drop=True),
                        key_figures=dict(key_figures or {}), synthetic=synthetic, signature=signature)
