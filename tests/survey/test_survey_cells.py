"""The (domain, PSU) cells and the design's caches give the same numbers as the direct computation.

Every way the rows can be laid out takes a different path: rows sorted by PSU
(sums run by run) or shuffled (a bincount), domains made of whole PSUs (one
cell per PSU) or cutting across PSUs (one cell per domain and PSU). Each must
give the variance of the dense (domains x PSUs) computation, and the same
estimates whatever the row order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.inequality import gini
from workbench.poverty import fgt, number_poor
from workbench.survey import (
    SurveyDesign,
    domain_total_variance,
    domains,
    finish,
    mean,
    proportion,
    quantile,
)
from workbench.survey.cells import BLOCK_ROWS, cells_of


def _sample(seed: int = 5, n_psu: int = 120, order: str = "psu, sex") -> pd.DataFrame:
    """Households in PSUs of 6 to 14, in 8 strata; ``region`` is made of whole PSUs, ``sex`` is not."""
    rng = np.random.default_rng(seed)
    size = rng.integers(6, 15, n_psu)
    psu = np.repeat(np.arange(n_psu) * 7 + 3, size)  # labels are not 0..n-1
    stratum = np.repeat(rng.integers(0, 8, n_psu), size)
    region = np.repeat(rng.integers(0, 5, n_psu), size)
    n = psu.size
    df = pd.DataFrame({
        "stratum": stratum, "psu": psu, "region": region,
        "sex": rng.choice(["f", "m"], n),
        "w": rng.uniform(50, 150, n),
        "y": np.round(rng.lognormal(5, 0.6, n), 1),
        "z": rng.choice([120.0, 150.0], n),
    })
    if order == "psu, sex":  # as a survey file: by PSU, and by sex within a PSU
        return df.sort_values(["psu", "sex"], kind="stable").reset_index(drop=True)
    if order == "psu, y":  # by PSU, sex changing from row to row
        return df.sort_values(["psu", "y"], kind="stable").reset_index(drop=True)
    return df.sample(frac=1.0, random_state=seed).reset_index(drop=True)


ORDERS = ("psu, sex", "psu, y", "shuffled")
LAYOUTS = [(order, by) for order in ORDERS for by in (None, "region", "sex", ["region", "sex"])]


@pytest.mark.parametrize(("order", "by"), LAYOUTS)
def test_cell_variance_equals_the_dense_variance(order, by):
    design = SurveyDesign(_sample(order=order), weight="w", strata="stratum", psu="psu")
    doms = domains(design, by)
    scores = np.random.default_rng(1).normal(size=len(design.data))
    dense = domain_total_variance(design, scores, doms.codes, doms.count)
    est = finish(design, "x", doms, np.zeros(doms.count), scores)
    np.testing.assert_allclose(est.table["se"] ** 2, dense, rtol=1e-12)


@pytest.mark.parametrize(("order", "by"), LAYOUTS)
def test_cell_sums_are_domain_by_psu_sums(order, by):
    design = SurveyDesign(_sample(order=order), weight="w", strata="stratum", psu="psu")
    doms = domains(design, by)
    cells = doms.cells
    values = np.random.default_rng(2).normal(size=len(design.data))
    want = pd.Series(values).groupby([doms.codes, design.psu_code]).sum()
    assert cells.count == len(want)
    np.testing.assert_allclose(cells.sum(values), want.to_numpy(), rtol=1e-12)
    assert (cells.domain == want.index.get_level_values(0)).all()
    assert (cells.psu == want.index.get_level_values(1)).all()
    blocks = cells.sum_blocks(lambda b: (values[b.rows], 2 * values[b.rows]), 2)
    np.testing.assert_allclose(blocks[0], want.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(blocks[1], 2 * want.to_numpy(), rtol=1e-12)
    np.testing.assert_array_equal(cells.spread(np.arange(cells.count, dtype=float)),
                                  cells.of_rows(np.arange(len(values))))


def test_the_layout_is_what_each_case_should_take():
    sorted_design = SurveyDesign(_sample(), weight="w", strata="stratum", psu="psu")
    shuffled = SurveyDesign(_sample(order="shuffled"), weight="w", strata="stratum", psu="psu")
    by_y = SurveyDesign(_sample(order="psu, y"), weight="w", strata="stratum", psu="psu")
    assert domains(sorted_design, "region").cells.in_runs
    assert domains(sorted_design, "sex").cells.in_runs  # runs of one PSU and sex
    assert not domains(shuffled, "region").cells.in_runs
    assert domains(by_y, "region").cells.in_runs
    assert not domains(by_y, "sex").cells.in_runs  # sex changes from row to row
    # Whole-PSU domains have one cell per PSU.
    assert domains(sorted_design, "region").cells.count == sorted_design.n_psu


@pytest.mark.parametrize("by", [None, "region", "sex", ["region", "sex"]])
@pytest.mark.parametrize("order", ["psu, y", "shuffled"])
def test_estimates_do_not_depend_on_the_row_order(by, order):
    a = SurveyDesign(_sample(), weight="w", strata="stratum", psu="psu")
    b = SurveyDesign(_sample(order=order), weight="w", strata="stratum", psu="psu")
    for measure in (lambda d: fgt(d, "y", line=150.0, alpha=1, by=by),
                    lambda d: fgt(d, "y", line="z", alpha=2, by=by),
                    lambda d: number_poor(d, "y", line=150.0, by=by),
                    lambda d: mean(d, "y", by=by),
                    lambda d: proportion(d, "z", by=by),
                    lambda d: quantile(d, "y", [0.1, 0.5], by=by),
                    lambda d: gini(d, "y", by=by)):
        ta, tb = measure(a).table, measure(b).table
        np.testing.assert_allclose(ta["estimate"], tb["estimate"], rtol=1e-12)
        np.testing.assert_allclose(ta["se"], tb["se"], rtol=1e-10)
        assert ta["n"].tolist() == tb["n"].tolist()


def test_more_rows_than_a_block():
    # Several blocks of whole runs: the same totals as one pass.
    n_psu = 3 * BLOCK_ROWS // 10 + 7
    design = SurveyDesign(_sample(n_psu=n_psu), weight="w", strata="stratum", psu="psu")
    cells = domains(design, "region").cells
    y = design.column("y")
    np.testing.assert_allclose(cells.sum_blocks(lambda b: (y[b.rows],), 1)[0], cells.sum(y), rtol=1e-12)


def test_psu_labels_repeated_across_strata_are_different_psus():
    df = _sample()
    df["psu"] = df["psu"] % 40  # the same label now turns up in several strata
    design = SurveyDesign(df, weight="w", strata="stratum", psu="psu")
    assert design.n_psu == df.groupby(["stratum", "psu"]).ngroups
    shuffled = SurveyDesign(df.sample(frac=1.0, random_state=3), weight="w", strata="stratum", psu="psu")
    assert shuffled.n_psu == design.n_psu
    assert mean(shuffled, "y").se == pytest.approx(mean(design, "y").se, rel=1e-12)


def test_lonely_and_fpc_designs_match_the_dense_variance():
    df = _sample()
    lonely_label = df.loc[df["stratum"] == 0, "psu"].iloc[0]
    df = df[(df["stratum"] != 0) | (df["psu"] == lonely_label)]  # stratum 0 keeps one PSU
    df = df.assign(npsu=40)
    for design in (SurveyDesign(df, weight="w", strata="stratum", psu="psu", lonely_psu="centre"),
                   SurveyDesign(df, weight="w", strata="stratum", psu="psu", lonely_psu="centre",
                                fpc="npsu")):
        assert design.lonely_strata.size == 1
        for by in (None, "region", "sex"):
            doms = domains(design, by)
            scores = np.random.default_rng(4).normal(size=len(df))
            dense = domain_total_variance(design, scores, doms.codes, doms.count)
            est = finish(design, "x", doms, np.zeros(doms.count), scores)
            np.testing.assert_allclose(est.table["se"] ** 2, dense, rtol=1e-12)


def test_a_subset_does_not_reuse_the_weighted_cache():
    df = _sample()
    design = SurveyDesign(df, weight="w", strata="stratum", psu="psu")
    before = mean(design, "y", by="region").table
    mask = df["sex"].eq("f").to_numpy()
    sub = design.subset(mask)
    fresh = SurveyDesign(df.assign(w=np.where(mask, df["w"], 0.0)), weight="w", strata="stratum", psu="psu")
    pd.testing.assert_frame_equal(mean(sub, "y", by="region").table, mean(fresh, "y", by="region").table,
                                  rtol=1e-12)
    pd.testing.assert_frame_equal(mean(design, "y", by="region").table, before)  # parent unchanged
    assert domains(sub, "region").n.tolist() != domains(design, "region").n.tolist()


def test_cached_arrays_are_read_only_and_the_data_untouched():
    df = _sample()
    copy = df.copy()
    design = SurveyDesign(df, weight="w", strata="stratum", psu="psu", hhsize=None)
    doms = domains(design, "region")
    for array in (doms.weights, doms.n, doms.N, doms.cell_weights, doms.codes, design.psu_code,
                  design.stratum_code):
        assert not array.flags.writeable
    gini(design, "y", by="region")
    fgt(design, "y", line="z", by=["region", "sex"])
    pd.testing.assert_frame_equal(df, copy)


def test_person_and_household_weights_are_cached_apart():
    df = _sample().assign(size=lambda d: 1 + d.index % 5)
    design = SurveyDesign(df, weight="w", strata="stratum", psu="psu", hhsize="size")
    persons = domains(design, "region")
    households = domains(design, "region", "household")
    np.testing.assert_allclose(persons.N, (df["w"] * df["size"]).groupby(df["region"]).sum())
    np.testing.assert_allclose(households.N, df.groupby("region")["w"].sum())


@pytest.mark.parametrize("order", ORDERS)
def test_row_cells_are_the_cells_of_each_row(order):
    design = SurveyDesign(_sample(order=order), weight="w", strata="stratum", psu="psu")
    for by in (None, "region", "sex"):
        cells = domains(design, by).cells
        rows = np.arange(len(design.data))
        np.testing.assert_array_equal(cells.row_cells(), cells.of_rows(rows))
        codes, cell = cells.locate(rows[::3], domains(design, by).compact)
        np.testing.assert_array_equal(cell, cells.of_rows(rows[::3]))
        if codes is not None:
            np.testing.assert_array_equal(codes, cells.domain[cell])


def test_cells_of_whole_population_is_one_cell_per_psu():
    design = SurveyDesign(_sample(), weight="w", strata="stratum", psu="psu")
    cells = cells_of(design, None, 1)
    assert cells.count == design.n_psu and (cells.psu == np.arange(design.n_psu)).all()
