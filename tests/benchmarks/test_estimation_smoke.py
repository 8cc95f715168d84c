"""Smoke test of benchmarks/estimation.py: its data builder and its workbench path, on 50,000 persons.

No time is asserted (benchmarks are not tests). svy and R are not needed. The
workbench's estimates are checked against a direct computation written here
with pandas group sums: weighted means of the FGT indicators and of welfare,
their linearized SEs from PSU totals (stratified, with replacement at the
first stage), and the Gini from its pairwise definition.
"""

from __future__ import annotations

import doctest
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
LINE = 105_500.0


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("bench_estimation", ROOT / "benchmarks" / "estimation.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


bench = _load_benchmark()


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return bench.build_dataset(50_000, seed=3)


@pytest.fixture(scope="module")
def estimates(data: pd.DataFrame) -> pd.DataFrame:
    return bench.workbench_estimates(data, LINE)


def _mean_and_se(df: pd.DataFrame, values: np.ndarray, in_domain: np.ndarray) -> tuple[float, float]:
    """Weighted domain mean and its linearized SE, written out directly (R's svymean in a svyby)."""
    w = df["weight"].to_numpy() * in_domain
    N = w.sum()
    m = (w * values).sum() / N
    scores = pd.Series(w * (values - m) / N)
    t = scores.groupby([df["stratum"], df["psu"]]).sum()          # PSU totals
    h = t.index.get_level_values(0)
    n_h = t.groupby(h).transform("size").to_numpy()
    dev = t - t.groupby(h).transform("mean")
    return m, float(np.sqrt((n_h / (n_h - 1) * dev.to_numpy() ** 2).sum()))


def _gini_pairwise(y: np.ndarray, w: np.ndarray) -> float:
    """Gini as sum_k sum_j w_k w_j |y_k - y_j| / (2 N T), collapsed to distinct (y, w) pairs."""
    cells = pd.DataFrame({"y": y, "w": w}).groupby(["y", "w"]).size().reset_index(name="m")
    yy, ww = cells["y"].to_numpy(), cells["w"].to_numpy() * cells["m"].to_numpy()
    N, T = ww.sum(), (ww * yy).sum()
    total = sum((ww[i:i + 1000, None] * ww[None, :] * np.abs(yy[i:i + 1000, None] - yy[None, :])).sum()
                for i in range(0, len(yy), 1000))
    return float(total / (2 * N * T))


def test_dataset_has_the_documented_design(data: pd.DataFrame):
    assert len(data) == 50_000 and data.attrs["synthetic"]
    psus = data.groupby("psu").agg(stratum=("stratum", "nunique"), households=("hhid", "nunique"))
    assert (psus["stratum"] == 1).all(), "PSUs are nested in strata"
    assert psus["households"].between(10, 12).all()
    assert data.groupby("stratum")["psu"].nunique().min() >= 3
    assert data["stratum"].nunique() == 36
    assert (data["stratum"] == 2 * (data["gov"] - 1) + data["urban"]).all()
    # Household welfare and weight are the same for every member.
    assert data.groupby("hhid")[["welfare", "weight"]].nunique().max().max() == 1
    again = bench.build_dataset(50_000, seed=3)
    pd.testing.assert_frame_equal(data, again)


def test_subset_keeps_whole_psus_in_every_stratum(data: pd.DataFrame):
    sub = bench.psu_subset(data, 10_000)
    assert 8_000 < len(sub) < 12_000
    assert sub.groupby("stratum")["psu"].nunique().min() >= 2
    whole = data.groupby("psu").size()
    kept = sub.groupby("psu").size()
    assert (kept == whole.loc[kept.index]).all()


def test_workbench_path_matches_a_direct_computation(data: pd.DataFrame, estimates: pd.DataFrame):
    assert len(estimates) == 5 * 37
    assert np.isfinite(estimates[["estimate", "se"]].to_numpy()).all()
    assert (estimates["se"] > 0).all()

    y = data["welfare"].to_numpy()
    gap = np.maximum(LINE - y, 0) / LINE
    derived = {"fgt0": (y < LINE).astype(float), "fgt1": gap, "fgt2": gap**2, "mean": y}
    gov, urban = data["gov"].to_numpy(), data["urban"].to_numpy()
    for g, u in [(-1, -1), (8, 1), (2, 0)]:
        in_domain = np.ones(len(data)) if g < 0 else ((gov == g) & (urban == u)).astype(float)
        for measure, values in derived.items():
            row = estimates.query("measure == @measure and gov == @g and urban == @u")
            m, se = _mean_and_se(data, values, in_domain)
            np.testing.assert_allclose(row["estimate"].item(), m, rtol=1e-10, err_msg=measure)
            np.testing.assert_allclose(row["se"].item(), se, rtol=1e-8, err_msg=measure)
        keep = in_domain > 0
        row = estimates.query("measure == 'gini' and gov == @g and urban == @u")
        np.testing.assert_allclose(row["estimate"].item(),
                                   _gini_pairwise(y[keep], data["weight"].to_numpy()[keep]), rtol=1e-10)


def test_agreement_check_flags_a_difference(estimates: pd.DataFrame):
    other = estimates.assign(se=estimates["se"] * (1 + 1e-6))
    diffs = bench.max_relative_differences(estimates, other)
    assert set(diffs) == {"fgt0", "fgt1", "fgt2", "mean", "gini"}
    assert all(d["estimate"] == 0 and 0.9e-6 < d["se"] < 1.1e-6 for d in diffs.values())


def test_docstring_examples():
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for name in ("build_dataset", "psu_subset", "max_relative_differences"):
        for test in finder.find(getattr(bench, name), name, globs=vars(bench).copy()):
            runner.run(test)
    outcome = runner.summarize(verbose=False)
    assert outcome.attempted >= 8 and outcome.failed == 0
