"""Synthetic demo data, calibrated to Iraq's published poverty figures.

``workbench data demo`` (or :func:`generate`) writes, under ``data/demo/``:

- ``survey_<year>.parquet``: IHSES-like rounds (about 25,000 households each)
  whose person-weighted headcount at the official line of the round equals
  the published figure of each governorate (plus one common shift per round,
  so that the national figure holds too); see ``parameters/demo.yaml``;
- ``frame.parquet``: a census-style household frame of the latest round's
  year, with the same covariates and no consumption, written in chunks;
- ``registry.parquet`` and ``panel.parquet``: the SPN welfare database and a
  household panel with a staggered roll-out across governorates;
- ``cpi.parquet``: the national CPI and synthetic governorate CPIs;
- ``manifest.json``: files with their SHA-256, the seed, the generator
  version and the calibration report.

Everything is synthetic and says so (``synthetic=true`` in every file's
schema metadata and in the manifest). The same seed gives the same bytes.

Modules: :mod:`~.parameters` (``demo.yaml``), :mod:`~.population` (the
country), :mod:`~.households` (covariates and assets), :mod:`~.calibration`
(headcount targets), :mod:`~.survey` (sample design), :mod:`~.programs` (PMT
and SPN), :mod:`~.frame`, :mod:`~.panel`, :mod:`~.cpi`, :mod:`~.output`.

Examples
--------
>>> import tempfile, pandas as pd
>>> with tempfile.TemporaryDirectory() as tmp:  # doctest: +SKIP
...     manifest = generate(tmp, seed=0, years=[2018], census_households=10_000)
...     survey = pd.read_parquet(f"{tmp}/survey_2018.parquet")
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from workbench import __version__
from workbench.config import load_parameters
from workbench.data.demo.cpi import cpi_table
from workbench.data.demo.frame import frame_chunks
from workbench.data.demo.output import (
    arrow_table,
    schema,
    sha256,
    write_json,
    write_parquet,
    write_parquet_chunks,
)
from workbench.data.demo.panel import programme_data
from workbench.data.demo.parameters import DemoParameters, load_demo_parameters
from workbench.data.demo.population import world
from workbench.data.demo.survey import survey_round
from workbench.data.model import CPI, FRAME, PANEL, REGISTRY, SURVEY, Table
from workbench.errors import ParameterError

__all__ = [
    "DEFAULT_CENSUS_HOUSEHOLDS",
    "DEFAULT_CHUNK_SIZE",
    "GENERATOR_VERSION",
    "Progress",
    "generate",
]

GENERATOR_VERSION = "1"
"""Bump when the same seed would give different data."""

DEFAULT_CENSUS_HOUSEHOLDS = 200_000
DEFAULT_CHUNK_SIZE = 250_000

Progress = Callable[[str, int, int], None]
"""Progress callback: ``(description, completed steps, total steps)``."""


def _check(params: DemoParameters, years: Sequence[int], census_households: int,
           chunk_size: int, panel_households: int) -> tuple[int, ...]:
    bad = sorted(set(years) - set(params.rounds))
    if bad or not years:
        raise ParameterError(f"unknown survey round(s) {bad or '(none given)'}: demo.yaml has "
                             f"calibration targets for {', '.join(map(str, params.rounds))}")
    for name, value, least in (("census_households", census_households, 1),
                               ("chunk_size", chunk_size, 1),
                               ("panel_households", panel_households, 100)):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ParameterError(f"{name} must be a whole number >= {least}; got {value!r}")
    return tuple(sorted(set(years)))


def _digest(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


def generate(out: str | Path = "data/demo", *, seed: int = 0, years: Sequence[int] | None = None,
             census_households: int = DEFAULT_CENSUS_HOUSEHOLDS, households: int | None = None,
             panel_households: int | None = None, chunk_size: int = DEFAULT_CHUNK_SIZE,
             params: DemoParameters | None = None, progress: Progress | None = None
             ) -> dict[str, Any]:
    """Write the synthetic demo data to ``out``.

    Parameters
    ----------
    out : path
        Output directory (created if needed). Files are replaced atomically.
    seed : int
        Random seed. The same seed gives the same bytes.
    years : sequence of int, optional
        Survey rounds; default every round of ``demo.yaml`` (2007, 2012, 2018, 2024).
    census_households : int
        Rows of the census frame (7.5 million works, in bounded memory).
    households : int, optional
        Planned households per survey round; default ``design.households`` (25,000).
    panel_households : int, optional
        Households in the panel; default ``panel.households``.
    chunk_size : int
        Frame rows generated and written at a time (the memory bound).
    params : DemoParameters, optional
        Default: ``parameters/demo.yaml``.
    progress : callable, optional
        Called as ``progress(description, completed, total)`` after each step.

    Returns
    -------
    dict
        The manifest, as written to ``out/manifest.json``.

    Raises
    ------
    ParameterError
        Unknown round, or a size out of range.
    """
    p = params if params is not None else load_demo_parameters()
    n_households = households if households is not None else int(p.design.households.value)
    n_panel = panel_households if panel_households is not None else p.panel.households
    years = _check(p, list(years) if years is not None else list(p.rounds), census_households,
                   chunk_size, n_panel)
    out = Path(out)
    n_chunks = -(-census_households // chunk_size)
    total = len(years) + n_chunks + 3
    done = 0

    def step(description: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(description, done, total)

    meta = {"synthetic": "true", "generator": "workbench.data.demo",
            "generator_version": GENERATOR_VERSION, "seed": str(seed)}
    files: dict[str, dict[str, Any]] = {}

    def record(name: str, table: Table, rows: int, **extra: Any) -> None:
        path = out / name
        files[name] = {"table": table.name, "rows": rows, "bytes": path.stat().st_size,
                       "sha256": sha256(path), **extra}

    def write(name: str, table: Table, columns: dict, **extra: Any) -> None:
        data = arrow_table(table, columns, {**meta, "table": table.name,
                                            **{k: str(v) for k, v in extra.items()}})
        write_parquet(out / name, data)
        record(name, table, data.num_rows, **extra)

    the_world = world(p, seed)
    calibration: dict[str, Any] = {}
    constants = None
    for year in years:
        survey = survey_round(seed, year, the_world, n_households)
        write(f"survey_{year}.parquet", SURVEY, survey.columns, year=year)
        calibration[str(year)] = survey.report
        constants = survey.constants
        step(f"survey {year}")

    frame_meta = {**meta, "table": FRAME.name, "year": str(constants.year)}
    rows = write_parquet_chunks(
        out / "frame.parquet", schema(FRAME, frame_meta),
        (arrow_table(FRAME, chunk, frame_meta) for chunk in frame_chunks(
            seed, the_world, constants, census_households, chunk_size,
            on_chunk=lambda k, n: step(f"census frame, chunk {k} of {n}"))))
    record("frame.parquet", FRAME, rows, year=constants.year, chunk_size=chunk_size)

    programme = programme_data(seed, the_world, n_panel)
    write("registry.parquet", REGISTRY, programme.registry)
    write("panel.parquet", PANEL, programme.panel)
    step("SPN registry and panel")
    write("cpi.parquet", CPI, cpi_table(seed, the_world))
    step("CPI")

    manifest = {
        "synthetic": True,
        "note": "Synthetic demo data calibrated to published figures; not survey data.",
        "generator": "workbench.data.demo",
        "generator_version": GENERATOR_VERSION,
        "workbench_version": __version__,
        "seed": seed,
        "options": {"years": list(years), "households_per_round": n_households,
                    "census_households": census_households, "chunk_size": chunk_size,
                    "panel_households": n_panel},
        "parameters_sha256": {
            "demo": _digest(p.model_dump(mode="json")),
            "poverty_lines": _digest(load_parameters("poverty_lines").model_dump(mode="json")),
        },
        "files": files,
        "calibration": calibration,
        "panel": programme.report,
    }
    _remove_stale(out, set(files))
    write_json(out / "manifest.json", manifest)
    step("manifest")
    return manifest


def _remove_stale(out: Path, keep: set[str]) -> None:
    """Delete files that the previous manifest in ``out`` listed and this run did not write.

    Only the generator's own earlier outputs are touched (say, ``survey_2007.parquet``
    after a run with ``--years 2018``), so the directory holds exactly one run.
    """
    try:
        previous = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return
    for name in set(previous) - keep:
        if Path(name).name == name:  # a bare file name, never a path elsewhere
            (out / name).unlink(missing_ok=True)
