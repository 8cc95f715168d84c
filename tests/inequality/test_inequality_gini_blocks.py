"""The Gini's block pass and shared sort give the numbers of a direct computation.

The pass takes the rows in welfare order a block at a time and carries each
domain's running sums from block to block; tiny blocks make every domain cross
several of them. The sort of the welfare column is kept by the design and shared
by the national and the by= estimates.
"""

import importlib

import numpy as np
import pandas as pd
import pytest
from testkit import toy_design

from workbench.inequality import gini
from workbench.inequality.ordering import order_within, welfare_order
from workbench.survey import SurveyDesign, domains, finish

gini_module = importlib.import_module("workbench.inequality.gini")  # the package exports gini()


def _direct(design: SurveyDesign, by):
    """The previous implementation: one global sort by (domain, welfare), scores by row."""
    doms = domains(design, by)
    y = design.column("y")
    G, scores = gini_module.gini_scores(order_within(doms.codes, y, doms.weights, doms.count))
    return finish(design, "gini", doms, G, scores).table


@pytest.mark.parametrize("by", [None, "region", ["region", "h"]])
@pytest.mark.parametrize("block", [3, 17, 1 << 18])
def test_blocks_of_any_size_give_the_direct_gini(monkeypatch, by, block):
    monkeypatch.setattr(gini_module, "BLOCK_ROWS", block)
    design = toy_design(seed=7)
    got = gini(design, "y", by=by).table
    want = _direct(design, by)
    np.testing.assert_allclose(got["estimate"], want["estimate"], rtol=1e-12)
    np.testing.assert_allclose(got["se"], want["se"], rtol=1e-10)


def test_rows_in_any_order_and_domains_across_psus(monkeypatch):
    monkeypatch.setattr(gini_module, "BLOCK_ROWS", 5)
    df = toy_design(seed=8).data
    rng = np.random.default_rng(0)
    df = df.assign(sex=rng.choice(["f", "m"], len(df))).sample(frac=1.0, random_state=1)
    design = SurveyDesign(df, weight="w", strata="h", psu="psu", hhsize="size")
    for by in ("sex", ["region", "sex"]):
        got = gini(design, "y", by=by).table
        want = _direct(design, by)
        np.testing.assert_allclose(got["estimate"], want["estimate"], rtol=1e-12)
        np.testing.assert_allclose(got["se"], want["se"], rtol=1e-10)


def test_the_sort_is_kept_for_one_column_and_not_shared_with_subsets():
    df = toy_design(seed=9).data.assign(y2=lambda d: d["y"] * 2 + 1)
    design = SurveyDesign(df, weight="w", strata="h", psu="psu")
    first = welfare_order(design, "y", design.column("y"))
    assert welfare_order(design, "y", design.column("y")) is first
    assert first.dtype == np.int32 and not first.flags.writeable
    other = welfare_order(design, "y2", design.column("y2"))
    assert other is not first  # the last column sorted replaces the previous one
    assert welfare_order(design, "y", design.column("y")) is not first
    sub = design.subset(df["region"].eq("north").to_numpy())
    assert "welfare order" not in sub._weight_cache


def test_national_then_domains_equals_domains_alone():
    df = toy_design(seed=10).data
    a = SurveyDesign(df, weight="w", strata="h", psu="psu")
    b = SurveyDesign(df, weight="w", strata="h", psu="psu")
    gini(a, "y")  # sorts and keeps the order
    pd.testing.assert_frame_equal(gini(a, "y", by="region").table, gini(b, "y", by="region").table)
