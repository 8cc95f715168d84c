"""The SPN registry and the household panel support DiD with a staggered roll-out and targeting analysis."""

from __future__ import annotations

import numpy as np
import pytest


def test_panel_is_balanced_annual_and_keyed(demo):
    panel = demo.read("panel")
    years = list(range(2014, 2025))
    assert not panel.duplicated(["hhid", "year"]).any()
    assert (panel.groupby("hhid")["year"].agg(tuple) == tuple(years)).all()
    fixed = ["governorate", "district", "area", "weight", "hhsize", "head_sex", "rollout_year"]
    assert (panel.groupby("hhid")[fixed].nunique(dropna=False) == 1).all().all()


def test_rollout_is_staggered_with_a_never_treated_group(demo, demo_params):
    panel = demo.read("panel")
    cohorts = panel.groupby("governorate")["rollout_year"].first()
    assert cohorts.dropna().nunique() >= 3
    assert cohorts.isna().sum() == 3  # the Kurdistan Region is not reached within the panel
    expected = {c: y for y, cs in demo_params.spn.rollout.items() for c in cs}
    assert cohorts.dropna().to_dict() == {c: float(y) for c, y in expected.items()}


def test_receipt_starts_after_rollout_and_then_stays(demo):
    panel = demo.read("panel")
    assert not (panel["spn_receipt"] & ~(panel["year"] >= panel["rollout_year"])).any()
    paid = panel.pivot(index="hhid", columns="year", values="spn_receipt").to_numpy()
    assert (np.diff(paid.astype(int), axis=1) >= 0).all()  # absorbing: once paid, always paid
    assert 0.05 < paid[:, -1].mean() < 0.35


def test_registry_links_the_panel_and_scores_decide_eligibility(demo, demo_params):
    reg, panel = demo.read("registry"), demo.read("panel")
    assert reg["registry_id"].is_unique and reg["hhid"].is_unique
    linked = panel.dropna(subset=["registry_id"]).drop_duplicates("hhid").set_index("hhid")["registry_id"]
    assert linked.sort_index().to_dict() == reg.set_index("hhid")["registry_id"].sort_index().to_dict()
    cohort = panel.drop_duplicates("hhid").set_index("hhid")["rollout_year"]
    assert (reg["application_year"].to_numpy() >= cohort[reg["hhid"]].to_numpy()).all()
    assert (reg["eligible"] == (reg["pmt_score"] < reg["pmt_threshold"])).all()
    assert (reg.loc[reg["enrolled"], "enrolment_year"] == reg.loc[reg["enrolled"], "application_year"]).all()
    assert reg.loc[~reg["enrolled"], "enrolment_year"].isna().all()
    # administrative errors as in demo.yaml, within sampling error
    spn = demo_params.spn
    assert reg.loc[reg["eligible"], "enrolled"].mean() == pytest.approx(1 - spn.eligible_not_paid, abs=0.03)
    assert reg.loc[~reg["eligible"], "enrolled"].mean() == pytest.approx(spn.ineligible_paid, abs=0.02)


def test_the_pmt_score_predicts_consumption_but_with_error(demo):
    reg, panel = demo.read("registry"), demo.read("panel")
    y = np.log(panel[panel["year"] == 2016].set_index("hhid")["consumption_pc"])
    r = np.corrcoef(reg["pmt_score"], y[reg["hhid"]].to_numpy())[0, 1]
    assert 0.4 < r < 0.9


def test_the_reported_true_effect_is_the_transfer_per_person(demo):
    """Consumption rises by exactly the transfer per person: the manifest's truth is recomputable."""
    panel = demo.read("panel")
    paid = panel[panel["spn_receipt"]]
    pre = paid["consumption_pc"] - paid["spn_amount"] / paid["hhsize"]
    effect = np.average(np.log(paid["consumption_pc"]) - np.log(pre), weights=paid["weight"])
    assert effect == pytest.approx(demo.manifest["panel"]["truth"]["att_log_consumption"], abs=1e-4)
    assert 0.05 < effect < 0.3
