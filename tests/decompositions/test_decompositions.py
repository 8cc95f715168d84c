"""Decompositions: hand-computable cases, the adding-up identities and bad input."""

import numpy as np
import pandas as pd
import pytest
from testkit import numerical_variance, toy_design, toy_frame

from workbench.decompositions import (
    ChangeEstimate,
    datt_ravallion,
    fgt_contributions,
    huppi_ravallion,
    shapley_growth_redistribution,
)
from workbench.errors import DataError, DesignError, ParameterError
from workbench.poverty import fgt
from workbench.survey import SurveyDesign


def unit(y, **columns) -> SurveyDesign:
    return SurveyDesign(pd.DataFrame({"y": np.asarray(y, dtype=float), "w": 1.0, **columns}), weight="w")


def values(result: ChangeEstimate) -> dict[str, float]:
    return result.table.set_index("component")["estimate"].to_dict()


def wide(result: ChangeEstimate, column: str = "estimate") -> pd.DataFrame:
    keys = result.meta["by"]
    return result.table.pivot(index=keys[0], columns="component", values=column)


# Round a: 1, 2, 3, 4 (mean 2.5); round b: 2, 2, 2, 10 (mean 4); line 2.5.
# P_a = 0.5, P_b = 0.75; P(mu_b, L_a) = P(1.6 y_a) = 0.25; P(mu_a, L_b) = P(0.625 y_b) = 0.75.
ROUND_A, ROUND_B = unit([1, 2, 3, 4]), unit([2, 2, 2, 10])


def test_datt_ravallion_by_hand_with_each_reference():
    base = values(datt_ravallion(ROUND_A, ROUND_B, "y", line=2.5))
    assert base == pytest.approx({"fgt_a": 0.5, "fgt_b": 0.75, "change": 0.25, "growth": -0.25,
                                  "redistribution": 0.25, "residual": 0.25}, abs=1e-15)
    final = values(datt_ravallion(ROUND_A, ROUND_B, "y", line=2.5, reference="final"))
    assert final == pytest.approx({"fgt_a": 0.5, "fgt_b": 0.75, "change": 0.25, "growth": 0.0,
                                   "redistribution": 0.5, "residual": -0.25}, abs=1e-15)


def test_shapley_by_hand():
    shapley = values(shapley_growth_redistribution(ROUND_A, ROUND_B, "y", line=2.5))
    assert shapley == pytest.approx({"fgt_a": 0.5, "fgt_b": 0.75, "change": 0.25, "growth": -0.125,
                                     "redistribution": 0.375}, abs=1e-15)


@pytest.mark.parametrize("alpha", [0, 1, 2])
def test_identities_on_survey_rounds(alpha):
    a, b = toy_design(seed=0), toy_design(seed=7)
    base = values(datt_ravallion(a, b, "y", line=120.0, alpha=alpha))
    final = values(datt_ravallion(a, b, "y", line=120.0, alpha=alpha, reference="final"))
    shapley = values(shapley_growth_redistribution(a, b, "y", line=120.0, alpha=alpha))
    for parts in (base, final):
        assert parts["growth"] + parts["redistribution"] + parts["residual"] == pytest.approx(
            parts["change"], abs=1e-15)
    assert final["residual"] == pytest.approx(-base["residual"], abs=1e-15)
    assert shapley["growth"] == pytest.approx((base["growth"] + final["growth"]) / 2, abs=1e-15)
    assert shapley["growth"] + shapley["redistribution"] == pytest.approx(shapley["change"], abs=1e-15)
    assert base["fgt_a"] == pytest.approx(fgt(a, "y", line=120.0, alpha=alpha).estimate, rel=1e-12)
    assert base["fgt_b"] == pytest.approx(fgt(b, "y", line=120.0, alpha=alpha).estimate, rel=1e-12)


def test_pure_redistribution_at_a_constant_mean():
    a, b = unit([1, 2, 3, 4]), unit([2.5, 2.5, 2.5, 2.5])
    parts = values(shapley_growth_redistribution(a, b, "y", line=2.0))
    assert parts["growth"] == 0.0 and parts["redistribution"] == parts["change"] == -0.25


def test_a_line_for_each_round():
    # nominal welfare doubles with prices: with the line doubled too, nothing changes
    parts = values(datt_ravallion(ROUND_A, unit([2, 4, 6, 8]), "y", line=(2.5, 5.0)))
    assert parts["change"] == 0.0
    assert parts["growth"] == 0.0 and parts["redistribution"] == 0.0  # inflation is not growth


def test_domains_decompose_within_each_with_its_own_means():
    a, b = toy_design(seed=0), toy_design(seed=7)
    by_region = datt_ravallion(a, b, "y", line=120.0, alpha=1, by="region")
    assert by_region.by == ["region", "component"]
    assert by_region.table["region"].unique().tolist() == ["north", "south"]
    for region in ("north", "south"):
        alone = datt_ravallion(a.subset(a.data.region == region), b.subset(b.data.region == region),
                               "y", line=120.0, alpha=1).table
        mine = by_region.table[by_region.table.region == region].reset_index(drop=True)
        np.testing.assert_allclose(mine["estimate"], alone["estimate"], rtol=1e-12)
        assert (mine["n_a"] == (a.data.region == region).sum()).all()


def test_bad_reference_line_pair_alpha_and_domains():
    with pytest.raises(ParameterError, match="reference must be 'base' or 'final'"):
        datt_ravallion(ROUND_A, ROUND_B, "y", line=2.5, reference="middle")
    with pytest.raises(ParameterError, match="one line or a pair"):
        datt_ravallion(ROUND_A, ROUND_B, "y", line=(1.0, 2.0, 3.0))
    with pytest.raises(ParameterError, match="alpha must be"):
        shapley_growth_redistribution(ROUND_A, ROUND_B, "y", line=2.5, alpha=-1)
    with pytest.raises(ParameterError, match=r"level must be in \(0, 1\)"):
        shapley_growth_redistribution(ROUND_A, ROUND_B, "y", line=2.5, level=95)
    a, b = unit([1, 2], g=["x", "y"]), unit([1, 2], g=["x", "z"])
    with pytest.raises(DesignError, match=r"2 domain\(s\) are in one round only .*'z', 'only_in': 'round b'"):
        datt_ravallion(a, b, "y", line=1.5, by="g")


def test_zero_mean_welfare_cannot_be_scaled():
    with pytest.raises(DataError, match="mean 'y' is zero in 1 domain"):
        datt_ravallion(ROUND_A, unit([0, 0, 0, 0]), "y", line=2.5)


# ------------------------------------------------------------ subgroup contributions
def test_contributions_add_up_to_national_poverty():
    design = toy_design()
    table = fgt_contributions(design, "y", line=120.0, alpha=1, by="region")
    groups, total = table.iloc[:-1], table.iloc[-1]
    assert total["region"] == "All"
    national = fgt(design, "y", line=120.0, alpha=1)
    assert total["fgt"] == pytest.approx(national.estimate, rel=1e-12)
    assert total["fgt_se"] == pytest.approx(national.se, rel=1e-12)
    assert groups["population_share"].sum() == pytest.approx(1.0, rel=1e-12)
    assert groups["contribution"].sum() == pytest.approx(national.estimate, rel=1e-12)
    assert groups["contribution_share"].sum() == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_allclose(groups["population_share"] * groups["fgt"], groups["contribution"],
                               rtol=1e-12)
    assert groups["n"].sum() == total["n"] == len(design.data)


def test_contribution_ses_equal_the_numerical_derivative():
    design = toy_design(seed=2)

    def run(d):
        return fgt_contributions(d, "y", line=120.0, by=["region", "h"]).iloc[:-1]

    table = run(design)
    for column in ("population_share", "fgt", "contribution", "contribution_share"):
        numerical = numerical_variance(design, lambda d, c=column: run(d)[c].to_numpy(dtype=float))
        np.testing.assert_allclose(table[f"{column}_se"].to_numpy(dtype=float) ** 2, numerical,
                                   rtol=1e-6, err_msg=column)


def test_contributions_without_poverty():
    table = fgt_contributions(unit([5, 6], g=["a", "b"]), "y", line=1.0, by="g")
    assert table["contribution_share"].tolist() == [0.0, 0.0, 0.0]
    assert table["contribution_share_se"].tolist() == [0.0, 0.0, 0.0]


# ------------------------------------------------------------- Huppi-Ravallion
def test_huppi_ravallion_by_hand():
    a = unit([50, 150, 50, 60], s=["u", "u", "r", "r"])
    b = unit([150, 150, 150, 60], s=["u", "u", "u", "r"])
    table = wide(huppi_ravallion(a, b, "y", line=100, by="s"))
    # r: share 0.5 -> 0.25, P 1 -> 1; u: share 0.5 -> 0.75, P 0.5 -> 0
    assert table.loc["u", "intra_sectoral"] == -0.25 and table.loc["r", "intra_sectoral"] == 0
    assert table.loc["u", "population_shift"] == 0.125 and table.loc["r", "population_shift"] == -0.25
    assert table.loc["u", "interaction"] == -0.125 and table.loc["r", "interaction"] == 0
    assert table.loc["All", ["fgt_a", "fgt_b", "change"]].tolist() == [0.75, 0.25, -0.5]
    assert table.loc["All", ["population_share_a", "population_share_b"]].tolist() == [1.0, 1.0]


@pytest.mark.parametrize("alpha", [0, 2])
def test_huppi_ravallion_adds_up(alpha):
    a, b = toy_design(seed=0), toy_design(seed=9)
    result = huppi_ravallion(a, b, "y", line=120.0, alpha=alpha, by=["region", "h"])
    table = result.table
    total = table[table.region == "All"].set_index("component")["estimate"]
    change = fgt(b, "y", line=120.0, alpha=alpha).estimate - fgt(a, "y", line=120.0, alpha=alpha).estimate
    assert total["fgt_b"] - total["fgt_a"] == pytest.approx(change, rel=1e-12)
    assert total["change"] == pytest.approx(change, rel=1e-12)
    effects = total["intra_sectoral"] + total["population_shift"] + total["interaction"]
    assert effects == pytest.approx(change, rel=1e-12)
    assert (table[table.region == "All"]["h"] == "All").all()
    sectors = table[table.region != "All"].pivot_table(index=["region", "h"], columns="component",
                                                       values="estimate")
    np.testing.assert_allclose(sectors[["intra_sectoral", "population_shift", "interaction"]].sum(),
                               total[["intra_sectoral", "population_shift", "interaction"]], rtol=1e-12)


def test_huppi_ravallion_needs_every_sector_in_both_rounds():
    a = toy_design(seed=0)
    frame = toy_frame(seed=1)
    frame.loc[frame.region == "south", "region"] = "east"
    b = SurveyDesign(frame, weight="w", strata="h", psu="psu", hhsize="size")
    with pytest.raises(DesignError, match=r"2 domain\(s\) are in one round only .*'east', 'only_in': 'round b'"):
        huppi_ravallion(a, b, "y", line=120.0, by="region")
