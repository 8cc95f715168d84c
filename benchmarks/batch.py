"""Batch benchmark: ``workbench batch`` against a naive loop of ``papermill`` calls.

One command (from the project root)::

    python benchmarks/batch.py [--jobs 2] [--both-baseline] [--governorate NAME ...]

In one run, on the same demo data (written by ``workbench data demo --seed 0``
into a temporary directory, untimed) and the same notebooks and parameters, it
times:

1. **baseline**: the full English demo batch (18 governorates x 4 rounds of
   ``poverty_profile`` plus the 4 ``national_overview`` runs) as a sequential
   loop of ``papermill`` command-line calls, one process and one kernel per
   notebook, with the same plotly renderer and the same key-figure sidecars;
2. **batch, cold**: ``workbench batch --lang en --jobs N`` from an empty
   output directory and manifest;
3. **batch, unchanged re-run**: the same command again (everything is skipped);
4. **batch, both languages, cold** and its unchanged re-run; with
   ``--both-baseline`` the papermill loop is also timed for both languages
   (about twice the English baseline), otherwise that ratio is not reported.

It checks that both routes computed the same key figures (every sidecar's
``figures`` equal), prints a table, and writes
``benchmarks/results/batch-<timestamp>.json``. The machine's load average is
recorded at start and end: other work on the machine slows both routes, but
not equally, so compare ratios from quiet runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
WORKBENCH = BIN / "workbench"
PAPERMILL = BIN / "papermill"


def _now() -> float:
    return time.perf_counter()


def demo_data(work: Path) -> Path:
    """Write the synthetic demo rounds (seed 0) into ``work/data`` (not timed)."""
    out = work / "data"
    subprocess.run([str(WORKBENCH), "data", "demo", "--seed", "0", "--out", str(out),
                    "--census-households", "1000"], check=True, cwd=REPO,
                   stdout=subprocess.DEVNULL)
    return out


def write_config(work: Path, name: str, data_dir: Path, languages: list[str]) -> Path:
    """The repository's batch file with data and outputs redirected into ``work/name``."""
    cfg = yaml.safe_load((REPO / "parameters" / "batch.yaml").read_text(encoding="utf-8"))
    cfg.update(data_dir=str(data_dir), languages=languages,
               output_dir=str(work / name / "executed"),
               manifest=str(work / name / "manifest.sqlite"),
               results_dir=str(work / name / "results"))
    path = work / f"{name}.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def plan(config: Path, governorates: list[str]) -> list[Any]:
    from workbench.batch.plan import load_config, plan_runs

    return plan_runs(load_config(config), root=REPO, governorates=governorates or None,
                     notebooks=["poverty_profile", "national_overview"] if governorates else None)


def papermill_loop(runs: list[Any], out: Path) -> float:
    """The naive route: one ``papermill`` process per notebook, one after another."""
    from workbench.batch.figures import RUN_ENV
    from workbench.batch.plan import figures_path

    t0 = _now()
    for i, run in enumerate(runs):
        target = out / run.output.relative_to(run.output.parents[2])
        target.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PLOTLY_RENDERER": "plotly_mimetype",
               RUN_ENV: json.dumps({"token": str(i), "figures": str(figures_path(target)),
                                    "notebook": run.notebook, "parameters": dict(run.parameters)})}
        args = [str(PAPERMILL), str(run.source), str(target), "-k", "python3", "--no-progress-bar"]
        for key, value in run.parameters.items():
            args += ["-p", key, str(value)]
        subprocess.run(args, check=True, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return _now() - t0


def workbench_batch(config: Path, jobs: int, governorates: list[str],
                    languages: list[str]) -> tuple[float, str]:
    """Wall time of one ``workbench batch`` command, and its summary line (done/failed/skipped)."""
    args = [str(WORKBENCH), "batch", "--config", str(config), "--jobs", str(jobs)]
    for lang in languages:
        args += ["--lang", lang]
    for gov in governorates:
        args += ["--governorate", gov]
    if governorates:
        args += ["--notebook", "poverty_profile", "--notebook", "national_overview"]
    t0 = _now()
    proc = subprocess.run(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    elapsed = _now() - t0
    if proc.returncode != 0:
        raise SystemExit(f"workbench batch failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    summary = next((line.strip() for line in proc.stderr.splitlines()
                    if re.search(r"\d+ done, \d+ failed, \d+ skipped", line)), "")
    return elapsed, re.sub(r" \(up to date\).*", "", summary)


def key_figures(directory: Path) -> dict[str, Any]:
    """Every sidecar's ``figures`` (run date excluded), by path relative to ``directory``."""
    return {p.relative_to(directory).as_posix():
            json.loads(p.read_text(encoding="utf-8"))["figures"]
            for p in sorted(directory.rglob("*.figures.json"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=None, help="workers (default: cores)")
    parser.add_argument("--both-baseline", action="store_true",
                        help="also time the papermill loop for both languages")
    parser.add_argument("--governorate", action="append", default=[],
                        help="only these governorates (a quick check of the script itself)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    from workbench.batch.executors import default_jobs

    jobs = args.jobs or default_jobs()
    work = Path(tempfile.mkdtemp(prefix="workbench-bench-batch-"))
    load_start = os.getloadavg()
    try:
        data = demo_data(work)
        cfg_en = write_config(work, "batch_en", data, ["en"])
        cfg_both = write_config(work, "batch_both", data, ["en", "ar"])
        runs_en = plan(cfg_en, args.governorate)
        runs_both = plan(cfg_both, args.governorate)
        times: dict[str, float] = {}
        counts: dict[str, str] = {}
        print(f"{len(runs_en)} English runs, {len(runs_both)} in both languages, {jobs} jobs; "
              f"load average {load_start[0]:.2f}", flush=True)

        times["baseline_en"] = papermill_loop(runs_en, work / "baseline_en")
        print(f"papermill loop, English: {times['baseline_en']:.1f} s", flush=True)
        steps = [("batch_en_cold", cfg_en, ["en"]), ("batch_en_rerun", cfg_en, ["en"]),
                 ("batch_both_cold", cfg_both, ["en", "ar"]),
                 ("batch_both_rerun", cfg_both, ["en", "ar"])]
        for key, cfg, langs in steps:
            times[key], counts[key] = workbench_batch(cfg, jobs, args.governorate, langs)
            print(f"{key}: {times[key]:.1f} s ({counts[key]})", flush=True)
        if args.both_baseline:
            times["baseline_both"] = papermill_loop(runs_both, work / "baseline_both")

        same = key_figures(work / "baseline_en") == key_figures(work / "batch_en" / "executed")
        if not same:
            raise SystemExit("the papermill loop and workbench batch computed different figures")
        load_end = os.getloadavg()
        ratio_en = times["baseline_en"] / times["batch_en_cold"]
        rows = [
            ("papermill CLI loop, English", len(runs_en), times["baseline_en"], ""),
            (f"workbench batch --jobs {jobs}, English, cold", len(runs_en),
             times["batch_en_cold"], f"{ratio_en:.1f}x faster"),
            ("workbench batch, English, unchanged re-run", len(runs_en), times["batch_en_rerun"],
             "goal < 10 s"),
            (f"workbench batch --jobs {jobs}, both languages, cold", len(runs_both),
             times["batch_both_cold"],
             f"{times['baseline_both'] / times['batch_both_cold']:.1f}x faster"
             if "baseline_both" in times else "(no baseline: --both-baseline)"),
            ("workbench batch, both languages, unchanged re-run", len(runs_both),
             times["batch_both_rerun"], ""),
        ]
        if "baseline_both" in times:
            rows.insert(3, ("papermill CLI loop, both languages", len(runs_both),
                            times["baseline_both"], ""))
        keys = ["baseline_en", "batch_en_cold", "batch_en_rerun", "batch_both_cold",
                "batch_both_rerun"]
        if "baseline_both" in times:
            keys.insert(3, "baseline_both")
        print("\n| route | notebooks | wall s | s per notebook | runs | |\n"
              "|---|---:|---:|---:|---|---|")
        for key, (name, n, secs, note) in zip(keys, rows, strict=True):
            print(f"| {name} | {n} | {secs:.1f} | {secs / n:.2f} | {counts.get(key, '')} "
                  f"| {note} |")
        if any(not c.startswith("0 done") for k, c in counts.items() if k.endswith("rerun")):
            print("\nWARNING: an 'unchanged' re-run executed notebooks: the package source or the "
                  "parameters changed during the benchmark (another process editing the tree?)")
        print(f"\nkey figures identical in both routes: {same}; load average "
              f"{load_start[0]:.2f} at start, {load_end[0]:.2f} at end")

        results = HERE / "results"
        results.mkdir(exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        (results / f"batch-{stamp}.json").write_text(json.dumps({
            "times_s": times, "runs": counts, "ratio_en_cold": ratio_en,
            "ratio_both_cold": times["baseline_both"] / times["batch_both_cold"]
            if "baseline_both" in times else None,
            "runs_en": len(runs_en), "runs_both": len(runs_both), "jobs": jobs,
            "cpus": os.cpu_count(), "load_average_start": load_start, "load_average_end": load_end,
            "python": platform.python_version(), "platform": platform.platform(),
            "governorates": args.governorate or "all", "key_figures_identical": same,
        }, indent=1), encoding="utf-8")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
