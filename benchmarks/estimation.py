"""Estimation benchmark: the workbench against ``svy`` and R's ``survey`` at equal results.

One command (``make bench`` runs it)::

    python benchmarks/estimation.py [--persons 10_000_000] [--r-persons 1_000_000] [--repeat 3]

It builds a synthetic national sample of *person rows* (every person of a
household is one row carrying the household's per-capita consumption and
weight), stratified by 18 governorates x urban/rural (36 strata), with PSUs of
10 to 12 households, household sizes of 1 + Poisson(5), weights that vary
between strata (square-root allocation) and within them, and log consumption
with a PSU random effect (intra-cluster correlation). Then it times, in the
same run:

- the workbench: ``SurveyDesign(...)``, then FGT0, FGT1, FGT2, mean consumption
  and the Gini, each with its linearized SE, nationally and for the 36
  governorate x urban/rural domains;
- ``svy`` (Rust-backed, PyPI) on the same rows: the design (``svy.Sample``), the
  FGT indicator columns and the same means (no Gini in svy);
- R's ``survey`` (``svydesign`` + ``svymean`` + ``svyby``) on a subset of whole
  PSUs of about ``--r-persons`` persons, with the workbench timed on the same
  subset, and ``laeken::gini`` for the Gini point estimates (R's ``survey`` has no
  Gini and ``convey`` is not installed).

It checks that the estimates and SEs agree (maximum relative differences), and
measures the workbench's peak memory (tracemalloc, in a separate untimed run)
against the size of the input columns. Results go to
``benchmarks/results/estimation-<timestamp>.json`` and a table is printed.
The data are synthetic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.geography import governorates
from workbench.inequality import gini
from workbench.poverty import fgt
from workbench.survey import SurveyDesign, mean

HERE = Path(__file__).resolve().parent
R_SCRIPT = HERE / "r" / "estimation.R"
RESULTS = HERE / "results"

LINE = 105_500.0
"""Poverty line, IQD per person per month (the official 2012 line, parameters/poverty_lines.yaml)."""
BY = ["gov", "urban"]
INPUT_COLUMNS = ("welfare", "weight", "stratum", "psu", "gov", "urban")
"""The columns the estimators read; their size is the memory yardstick."""


# ----------------------------------------------------------------------------- data
def build_dataset(persons: int = 10_000_000, *, seed: int = 20240601) -> pd.DataFrame:
    """Synthetic national sample of exactly ``persons`` person rows (vectorised).

    Parameters
    ----------
    persons : int
        Number of person rows.
    seed : int
        Seed of the random generator: the same seed gives the same data.

    Returns
    -------
    pandas.DataFrame
        One row per person, sorted by PSU and household: ``gov`` (1..18, the
        number of the OCHA P-code IQGnn), ``urban`` (1 urban, 0 rural),
        ``stratum`` (0..35), ``psu`` (0..), ``hhid`` (0..), ``weight`` (the
        household's sampling weight, so persons count once each) and ``welfare``
        (monthly consumption per person, IQD; the same for every member).
        ``attrs["synthetic"]`` is True.

    Notes
    -----
    Strata are governorate x urban/rural, with population shares from the
    2010 projections in :mod:`workbench.geography`. PSUs are allocated to strata
    in proportion to the square root of their population (at least 3 each), so
    weights differ between strata; within strata they vary with a lognormal PSU
    factor (sd 0.25) and a household factor (sd 0.1). Each PSU has 10 to 12
    households of 1 + Poisson(5) persons; a few household sizes are then moved
    by one person so that the total is exactly ``persons``. Log consumption is
    a governorate effect, an urban premium, a PSU effect (sd 0.3) and a
    household effect (sd 0.5), minus 4% per person above six: the intra-cluster
    correlation of log consumption is about 0.25.

    Examples
    --------
    >>> df = build_dataset(20_000, seed=1)
    >>> len(df), df["stratum"].nunique(), bool(df.attrs["synthetic"])
    (20000, 36, True)
    """
    rng = np.random.default_rng(seed)
    govs = sorted(governorates(), key=lambda g: g.pcode)
    pop = np.array([g.population_2010_thousands for g in govs])
    urban_share = np.array([g.urban_share_2010 for g in govs]) / 100
    # Stratum s = 2 * (governorate index) + urban.
    stratum_pop = np.column_stack([pop * (1 - urban_share), pop * urban_share]).ravel()
    mean_hh, hh_per_psu = 6.0, 11.0
    n_psu_total = persons / (mean_hh * hh_per_psu)
    alloc = np.sqrt(stratum_pop) / np.sqrt(stratum_pop).sum() * n_psu_total
    psu_count = np.maximum(np.round(alloc).astype(np.int64), 3)
    psu_stratum = np.repeat(np.arange(stratum_pop.size), psu_count)
    n_psu = psu_stratum.size

    hh_count = rng.integers(10, 13, n_psu)
    hh_psu = np.repeat(np.arange(n_psu), hh_count)
    size = 1 + rng.poisson(mean_hh - 1, hh_psu.size)
    _adjust_sizes(size, persons, rng)

    # Weights: persons represented per sampled person, by stratum, then varied.
    sample_persons = np.bincount(psu_stratum[hh_psu], weights=size, minlength=stratum_pop.size)
    base = stratum_pop * 1e3 * 1.25 / sample_persons  # 2010 population grown by a quarter
    psu_factor = np.exp(rng.normal(0, 0.25, n_psu))
    hh_weight = base[psu_stratum[hh_psu]] * psu_factor[hh_psu] * np.exp(rng.normal(0, 0.1, hh_psu.size))

    # Log consumption: governorate, urban premium, PSU effect, household effect, size.
    gov_effect = rng.normal(0, 0.15, len(govs))
    psu_gov, psu_urban = psu_stratum // 2, psu_stratum % 2
    psu_level = np.log(170_000) + gov_effect[psu_gov] + 0.2 * psu_urban - 0.1 + rng.normal(0, 0.3, n_psu)
    log_y = psu_level[hh_psu] + rng.normal(0, 0.5, hh_psu.size) - 0.04 * np.maximum(size - 6, 0)
    hh_welfare = np.round(np.exp(log_y), 2)

    person_hh = np.repeat(np.arange(hh_psu.size, dtype=np.int32), size)
    person_psu = hh_psu[person_hh].astype(np.int32)
    s = psu_stratum[person_psu]
    df = pd.DataFrame({
        "gov": (s // 2 + 1).astype(np.int16),
        "urban": (s % 2).astype(np.int8),
        "stratum": s.astype(np.int16),
        "psu": person_psu,
        "hhid": person_hh,
        "weight": hh_weight[person_hh],
        "welfare": hh_welfare[person_hh],
    })
    df.attrs["synthetic"] = True
    return df


def _adjust_sizes(size: np.ndarray, persons: int, rng: np.random.Generator) -> None:
    """Move some household sizes by one person, in place, so that they sum to ``persons``."""
    gap = persons - int(size.sum())
    if gap > 0:
        if gap > size.size:
            raise ValueError(f"cannot reach {persons} persons with {size.size} households")
        size[rng.choice(size.size, gap, replace=False)] += 1
    elif gap < 0:
        can_shrink = np.flatnonzero(size > 1)
        if -gap > can_shrink.size:
            raise ValueError(f"cannot reach {persons} persons with {size.size} households")
        size[rng.choice(can_shrink, -gap, replace=False)] -= 1


def psu_subset(df: pd.DataFrame, persons: int, *, seed: int = 7) -> pd.DataFrame:
    """About ``persons`` rows made of whole PSUs, the same share of PSUs from every stratum.

    Whole PSUs keep the design valid (every stratum keeps at least two PSUs).

    Examples
    --------
    >>> sub = psu_subset(build_dataset(20_000, seed=1), 5_000)
    >>> 4_000 < len(sub) < 6_000, sub["stratum"].nunique()
    (True, 36)
    """
    if persons >= len(df):
        return df
    rng = np.random.default_rng(seed)
    psu_stratum = df.groupby("psu", sort=True)["stratum"].first()
    h = psu_stratum.to_numpy().astype(np.int64)
    # PSUs in random order within each stratum; keep each stratum's first share (two at least).
    order = np.lexsort((rng.random(h.size), h))
    n_h = np.bincount(h)
    position = np.empty(h.size, dtype=np.int64)
    position[order] = np.arange(h.size) - (np.cumsum(n_h) - n_h)[h[order]]
    keep_h = np.maximum(np.round(n_h * persons / len(df)), 2)
    keep = psu_stratum.index[position < keep_h[h]]
    out = df[df["psu"].isin(keep)].reset_index(drop=True)
    out.attrs["synthetic"] = True
    return out


def input_bytes(df: pd.DataFrame) -> int:
    """Size in bytes of the columns the estimators read (:data:`INPUT_COLUMNS`)."""
    return int(sum(df[c].to_numpy().nbytes for c in INPUT_COLUMNS))


# ------------------------------------------------------------------------ timing
COMMON = ("design", "fgt0", "fgt1", "fgt2", "mean")
"""Steps that every tool does: the design, FGT0-2 and the mean, nationally and by domain."""


class Steps:
    """Wall-clock and CPU seconds of named steps, accumulated (``with steps("fgt0"): ...``).

    CPU seconds are those of this process, all threads: on a machine shared with
    other work they are steadier than wall-clock for single-threaded code, and
    larger than wall-clock for multi-threaded code (polars, under svy).
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._name = ""
        self._start = (0.0, 0.0)

    def __call__(self, name: str) -> Steps:
        self._name = name
        return self

    def __enter__(self) -> None:
        self._start = (time.perf_counter(), time.process_time())

    def __exit__(self, *exc: object) -> None:
        wall, cpu = time.perf_counter() - self._start[0], time.process_time() - self._start[1]
        self.seconds[self._name] = self.seconds.get(self._name, 0.0) + wall
        self.cpu[self._name] = self.cpu.get(self._name, 0.0) + cpu


@dataclass
class Timed:
    """Best of several runs: the estimates of the last run, the steps of the fastest (wall-clock)."""

    estimates: pd.DataFrame
    steps: dict[str, float]
    cpu: dict[str, float]
    runs: list[float]

    def total(self, names: tuple[str, ...] | None = None, *, cpu: bool = False) -> float:
        """Seconds of the fastest run over the named steps (all by default); CPU seconds if ``cpu``."""
        source = self.cpu if cpu else self.steps
        return sum(v for k, v in source.items() if names is None or k in names)

    def summary(self) -> dict[str, Any]:
        """Plain-Python record for the JSON."""
        return {"steps": self.steps, "cpu_steps": self.cpu, "runs": self.runs,
                "common": self.total(COMMON), "common_cpu": self.total(COMMON, cpu=True),
                "total": self.total()}


def best_of(repeat: int, work: Callable[[Steps], pd.DataFrame]) -> Timed:
    """Run ``work`` ``repeat`` times (after a garbage collection each time) and keep the fastest."""
    best = Steps()
    runs: list[float] = []
    estimates = pd.DataFrame()
    for _ in range(repeat):
        gc.collect()
        steps = Steps()
        estimates = work(steps)
        runs.append(sum(steps.seconds.values()))
        if runs[-1] <= min(runs):
            best = steps
    return Timed(estimates, best.seconds, best.cpu, runs)


# ------------------------------------------------------------------------ workbench
def workbench_estimates(df: pd.DataFrame, line: float = LINE, steps: Steps | None = None) -> pd.DataFrame:
    """The benchmark's work with the workbench: design, then 5 measures x (national, 36 domains).

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`build_dataset` (or :func:`psu_subset`).
    line : float
        Poverty line.
    steps : Steps, optional
        Records the seconds of ``design``, ``fgt0``, ``fgt1``, ``fgt2``, ``mean``, ``gini``.

    Returns
    -------
    pandas.DataFrame
        Tidy: ``measure, gov, urban, estimate, se`` (``gov`` and ``urban`` are
        -1 for the national row), national rows first.

    Examples
    --------
    >>> t = workbench_estimates(build_dataset(20_000, seed=1))
    >>> len(t), sorted(t["measure"].unique())
    (185, ['fgt0', 'fgt1', 'fgt2', 'gini', 'mean'])
    """
    steps = steps or Steps()
    with steps("design"):
        design = SurveyDesign(df, weight="weight", strata="stratum", psu="psu")
    parts = []
    for by in (None, BY):
        for alpha in (0, 1, 2):
            with steps(f"fgt{alpha}"):
                est = fgt(design, "welfare", line=line, alpha=alpha, by=by)
            parts.append(_tidy(est.statistic, est.table))
        with steps("mean"):
            est = mean(design, "welfare", by=by)
        parts.append(_tidy("mean", est.table))
        with steps("gini"):
            est = gini(design, "welfare", by=by)
        parts.append(_tidy("gini", est.table))
    return pd.concat(parts, ignore_index=True)


def _tidy(measure: str, table: Any, *, estimate: str = "estimate", se: str = "se") -> pd.DataFrame:
    """Rows ``measure, gov, urban, estimate, se`` from a pandas or polars result table."""
    columns = list(table.columns)

    def col(name: str) -> np.ndarray:
        return np.asarray(table[name].to_numpy())

    n = len(table)
    return pd.DataFrame({
        "measure": measure,
        "gov": col("gov").astype(np.int64) if "gov" in columns else np.full(n, -1),
        "urban": col("urban").astype(np.int64) if "urban" in columns else np.full(n, -1),
        "estimate": col(estimate).astype(float),
        "se": col(se).astype(float),
    })


# ------------------------------------------------------------------------------ svy
def svy_estimates(frame: Any, line: float = LINE, steps: Steps | None = None) -> pd.DataFrame:
    """The same work with ``svy``: FGT columns and ``svy.Sample``, then means by domain.

    FGT0-2 are design-based means of the indicator columns ``1[y < z]`` and
    ``(max(z - y, 0) / z) ** alpha``, which is exactly the FGT index and its
    linearized variance. svy has no Gini.

    Parameters
    ----------
    frame : polars.DataFrame
        The :data:`INPUT_COLUMNS` of the dataset (built before timing).
    line : float
    steps : Steps, optional
        Records ``design`` (indicator columns and the sample) and one step per measure.
    """
    import polars as pl
    import svy

    steps = steps or Steps()
    y = pl.col("welfare")
    with steps("design"):
        gap = pl.when(y < line).then((line - y) / line).otherwise(0.0)
        data = frame.with_columns(fgt0=(y < line).cast(pl.Float64), fgt1=gap, fgt2=gap * gap)
        sample = svy.Sample(data, svy.Design(stratum="stratum", psu="psu", wgt="weight"))
    parts = []
    for by in (None, BY):
        for column, measure in (("fgt0", "fgt0"), ("fgt1", "fgt1"), ("fgt2", "fgt2"), ("welfare", "mean")):
            with steps(measure):
                est = sample.estimation.mean(column, by=by)
            parts.append(_tidy(measure, est.to_polars(), estimate="est"))
    return pd.concat(parts, ignore_index=True)


# -------------------------------------------------------------------------------- R
def r_estimates(df: pd.DataFrame, line: float, repeat: int, workdir: Path) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Run ``benchmarks/r/estimation.R`` on ``df``: estimates, timings and versions.

    The columns go to R as raw binary (exact doubles); R times its own work
    with ``system.time``, so reading the data is not counted.
    """
    if shutil.which("Rscript") is None:
        raise RuntimeError("Rscript not found: install r-base-core r-cran-survey r-cran-laeken "
                           "(make bench does), or pass --no-r")
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "n.txt").write_text(f"{len(df)}\n")
    for name in ("gov", "urban", "stratum", "psu"):
        df[name].to_numpy().astype("<i4").tofile(workdir / f"{name}.bin")
    for name in ("weight", "welfare"):
        df[name].to_numpy().astype("<f8").tofile(workdir / f"{name}.bin")
    subprocess.run(["Rscript", str(R_SCRIPT), str(workdir), repr(float(line)), str(repeat)], check=True)
    return (pd.read_csv(workdir / "r_estimates.csv"), pd.read_csv(workdir / "r_timings.csv"),
            (workdir / "r_versions.txt").read_text().strip())


# -------------------------------------------------------------------------- checks
def max_relative_differences(ours: pd.DataFrame, theirs: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Largest ``|ours - theirs| / |theirs|`` of the estimates and SEs, per measure.

    Rows are matched on ``measure, gov, urban``; every row of ``theirs`` must
    have a match. SEs that ``theirs`` does not give (NaN) are skipped.

    Examples
    --------
    >>> a = pd.DataFrame({"measure": ["m"], "gov": [-1], "urban": [-1], "estimate": [1.0], "se": [0.1]})
    >>> b = a.assign(estimate=[1.0 + 1e-9])
    >>> d = max_relative_differences(a, b)["m"]
    >>> bool(d["estimate"] < 2e-9), d["se"], d["rows"]
    (True, 0.0, 1)
    """
    key = ["measure", "gov", "urban"]
    merged = theirs.merge(ours, on=key, how="left", suffixes=("_theirs", "_ours"), validate="1:1")
    if merged["estimate_ours"].isna().any():
        missing = merged.loc[merged["estimate_ours"].isna(), key].head().to_dict(orient="records")
        raise AssertionError(f"rows without a workbench estimate: {missing}")
    out: dict[str, dict[str, float]] = {}
    for measure, g in merged.groupby("measure", sort=False):
        row: dict[str, float] = {"rows": len(g)}
        for stat in ("estimate", "se"):
            theirs_v, ours_v = g[f"{stat}_theirs"].to_numpy(), g[f"{stat}_ours"].to_numpy()
            ok = np.isfinite(theirs_v)
            if ok.any():
                rel = np.abs(ours_v[ok] - theirs_v[ok]) / np.abs(theirs_v[ok])
                row[stat] = float(rel.max())
        out[str(measure)] = row
    return out


# -------------------------------------------------------------------------- memory
def workbench_peak_memory(df: pd.DataFrame, line: float = LINE) -> dict[str, float]:
    """Peak memory the workbench allocates for the whole benchmark's work (tracemalloc).

    numpy reports its buffers to tracemalloc, so the peak counts every array
    the estimators allocate. Run once, untimed (tracing slows Python down).

    Returns
    -------
    dict
        ``input_mb`` (the :data:`INPUT_COLUMNS`), ``extra_peak_mb`` (allocated on
        top of the data at the peak), ``extra_ratio`` (extra / input) and
        ``total_ratio`` ((input + extra) / input).
    """
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        workbench_estimates(df, line)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    size = input_bytes(df)
    return {"input_mb": size / 1e6, "extra_peak_mb": peak / 1e6,
            "extra_ratio": peak / size, "total_ratio": (size + peak) / size}


# ---------------------------------------------------------------------------- report
def _versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {"python": platform.python_version()}
    for name in ("numpy", "pandas", "polars", "svy", "svy-rs"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "not installed"
    try:
        out["workbench_commit"] = subprocess.run(
            ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        out["workbench_commit"] = "unknown"
    return out


def write_json(result: dict[str, Any], directory: Path = RESULTS) -> Path:
    """Write ``result`` to ``directory/estimation-<UTC timestamp>.json`` atomically."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = directory / f"estimation-{stamp}.json"
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        json.dump(result, fh, indent=2)
    os.replace(tmp, path)
    return path


def _seconds(value: float | None) -> str:
    return f"{value:9.2f}s" if value is not None else f"{'-':>10}"


def _table(result: dict[str, Any]) -> str:
    """The printed summary: seconds per step (best run), ratios, memory, agreement."""
    full, sub = result["full"], result.get("subset")
    wb, sv = full["workbench"], full.get("svy")
    out = [(f"synthetic data: {full['persons']:,} person rows, {full['households']:,} households, "
            f"{full['psus']:,} PSUs, 36 strata; wall-clock seconds, best of {result['repeat']} runs"),
           f"{'':30}{'workbench':>10}{'svy':>10}"]
    for step in (*COMMON, "gini"):
        out.append(f"  {step:28}{_seconds(wb['steps'].get(step))}"
                   f"{_seconds(sv['steps'].get(step) if sv else None)}")
    out.append(f"  {'design + FGT0-2 + mean':28}{_seconds(wb['common'])}{_seconds(sv['common'] if sv else None)}"
               + (f"   svy / workbench: {sv['ratio']:.1f}x wall, {sv['cpu_ratio']:.1f}x CPU" if sv else ""))
    out.append(f"  {'all five measures':28}{_seconds(wb['total'])}"
               + ("   (svy has no Gini)" if sv else ""))
    if sub and "r" in sub:
        r = sub["r"]
        out.append(f"subset of whole PSUs: {sub['persons']:,} person rows, {sub['psus']:,} PSUs "
                   f"({r['versions']})")
        out.append(f"{'':30}{'workbench':>10}{'R':>10}")
        out.append(f"  {'design + FGT0-2 + mean':28}{_seconds(sub['workbench']['common'])}"
                   f"{_seconds(r['survey_seconds'])}   R survey / workbench: {r['ratio']:.1f}x wall, "
                   f"{r['cpu_ratio']:.1f}x CPU")
        out.append(f"  {'Gini (R: laeken, no SE)':28}{_seconds(sub['workbench']['steps']['gini'])}"
                   f"{_seconds(r['laeken_gini_seconds'])}   laeken / workbench: {r['gini_ratio']:.1f}x")
    mem = result.get("memory")
    if mem:
        out.append(f"workbench peak memory, all five measures on {full['persons']:,} rows: {mem['extra_peak_mb']:,.0f} MB "
                   f"allocated on top of {mem['input_mb']:,.0f} MB of input columns: "
                   f"{mem['extra_ratio']:.2f}x the input ({mem['total_ratio']:.2f}x counting the input)")
    for name, diffs in result["agreement"].items():
        text = ", ".join(f"{m} {d.get('estimate', float('nan')):.0e}/{d.get('se', float('nan')):.0e}"
                         for m, d in diffs.items())
        out.append(f"max relative difference, estimate/SE, workbench vs {name}: {text}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark; print the table and write the JSON. Returns the result."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=10_000_000, help="person rows (default 10M)")
    parser.add_argument("--r-persons", type=int, default=1_000_000,
                        help="person rows of the subset of whole PSUs that R gets (default 1M)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool; the fastest counts")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--no-svy", action="store_true", help="skip svy")
    parser.add_argument("--no-r", action="store_true", help="skip R")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run")
    args = parser.parse_args(argv)

    started = dt.datetime.now(dt.UTC)
    print(f"building {args.persons:,} synthetic person rows ...", flush=True)
    df = build_dataset(args.persons, seed=args.seed)
    result: dict[str, Any] = {
        "benchmark": "estimation", "synthetic": True, "date": started.isoformat(timespec="seconds"),
        "command": " ".join(["python", "benchmarks/estimation.py",
                             *(argv if argv is not None else sys.argv[1:])]),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "load_average_at_start": list(os.getloadavg())},
        "versions": _versions(), "repeat": args.repeat, "line": LINE, "agreement": {},
    }
    full: dict[str, Any] = {"persons": len(df), "psus": int(df["psu"].nunique()),
                            "households": int(df["hhid"].nunique()), "input_mb": input_bytes(df) / 1e6}
    result["full"] = full

    print("workbench ...", flush=True)
    wb = best_of(args.repeat, lambda s: workbench_estimates(df, LINE, s))
    full["workbench"] = wb.summary()

    if not args.no_svy:
        import polars as pl

        print("svy ...", flush=True)
        frame = pl.from_pandas(df[list(INPUT_COLUMNS)])
        sv = best_of(args.repeat, lambda s: svy_estimates(frame, LINE, s))
        del frame
        full["svy"] = {**sv.summary(), "ratio": sv.total(COMMON) / wb.total(COMMON),
                       "cpu_ratio": sv.total(COMMON, cpu=True) / wb.total(COMMON, cpu=True),
                       "gini": "not available in svy"}
        result["agreement"]["svy"] = max_relative_differences(wb.estimates, sv.estimates)

    if not args.no_r:
        sub = psu_subset(df, args.r_persons)
        subset: dict[str, Any] = {"persons": len(sub), "psus": int(sub["psu"].nunique())}
        result["subset"] = subset
        print(f"workbench on the {len(sub):,}-row subset ...", flush=True)
        wbs = best_of(args.repeat, lambda s: workbench_estimates(sub, LINE, s))
        subset["workbench"] = wbs.summary()
        print("R survey and laeken ...", flush=True)
        with tempfile.TemporaryDirectory(prefix="bench-r-") as tmp:
            r_est, r_time, r_versions = r_estimates(sub, LINE, args.repeat, Path(tmp))
        best = r_time.loc[r_time.groupby("step")["seconds"].idxmin()].set_index("step")
        survey_s, gini_s = float(best.at["survey", "seconds"]), float(best.at["laeken_gini", "seconds"])
        subset["r"] = {"versions": r_versions, "survey_seconds": survey_s, "laeken_gini_seconds": gini_s,
                       "survey_cpu": float(best.at["survey", "cpu"]), "runs": r_time.to_dict(orient="list"),
                       "ratio": survey_s / wbs.total(COMMON),
                       "cpu_ratio": float(best.at["survey", "cpu"]) / wbs.total(COMMON, cpu=True),
                       "gini_ratio": gini_s / wbs.steps["gini"]}
        result["agreement"]["R survey (subset)"] = max_relative_differences(wbs.estimates, r_est)
        del sub

    if not args.no_memory:
        print("peak memory (tracemalloc, untimed) ...", flush=True)
        result["memory"] = workbench_peak_memory(df)

    result["seconds"] = (dt.datetime.now(dt.UTC) - started).total_seconds()
    result["machine"]["load_average_at_end"] = list(os.getloadavg())
    path = write_json(result)
    print(_table(result))
    print(f"results: {path}")
    return result


if __name__ == "__main__":
    main()
