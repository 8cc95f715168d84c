"""The demo survey's design and covariates look like IHSES: realism checks on the generated rounds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.geography import districts, governorates

ROUNDS = (2007, 2012, 2018, 2024)
POPULATION = {2018: 38.1e6, 2024: 46_118_793}  # iraq.md (V)
RETURN_AREAS = {"IQG15", "IQG16", "IQG01", "IQG13", "IQG10"}  # Nineveh, Salahaddin, Anbar, Kirkuk, Diyala


def icc(y: pd.Series, cluster: pd.Series) -> float:
    """One-way ANOVA intra-cluster correlation, written out with pandas."""
    g = y.groupby(cluster)
    n, k, size = len(y), g.ngroups, g.size()
    msb = (size * (g.mean() - y.mean()) ** 2).sum() / (k - 1)
    msw = ((y - g.transform("mean")) ** 2).sum() / (n - k)
    m0 = (n - (size**2).sum() / n) / (k - 1)
    return (msb - msw) / (msb + (m0 - 1) * msw)


@pytest.fixture(params=ROUNDS, ids=str)
def survey(request, demo) -> pd.DataFrame:
    return demo.read(f"survey_{request.param}")


def test_about_25000_households_10_to_12_per_psu(survey):
    assert 23_000 <= len(survey) <= 27_000
    per_psu = survey.groupby("psu").size()
    assert per_psu.between(10, 12).all()
    assert 10.5 <= per_psu.mean() <= 12
    assert survey["hhid"].is_unique


def test_strata_are_governorate_by_area_and_psus_nest_in_them(survey):
    assert (survey["stratum"] == survey["governorate"] + "-" + survey["area"].astype(str)).all()
    assert survey["stratum"].nunique() == 36
    assert (survey.groupby("psu")["stratum"].nunique() == 1).all()
    assert (survey.groupby("psu")["district"].nunique() == 1).all()
    assert survey.groupby("stratum")["psu"].nunique().min() >= 2


def test_districts_are_cod_pcodes_of_their_governorate(survey):
    valid = {d.pcode: d.governorate_pcode for d in districts()}
    assert survey["district"].isin(list(valid)).all()
    assert (survey["district"].map(valid) == survey["governorate"]).all()
    assert survey["district"].nunique() == len(valid)


def test_weights_vary_within_and_between_strata(survey):
    w = survey["weight"]
    assert (w > 0).all()
    assert w.std() / w.mean() > 0.3
    within = survey.groupby("stratum")["weight"].agg(lambda x: x.std() / x.mean())
    assert (within > 0.1).mean() > 0.9


def test_person_weights_add_up_to_the_population(demo):
    share = pd.Series({g.pcode: g.population_2010_thousands for g in governorates()})
    for year, people in POPULATION.items():
        s = demo.read(f"survey_{year}")
        pw = (s["weight"] * s["hhsize"]).groupby(s["governorate"]).sum()
        assert pw.sum() == pytest.approx(people, rel=1e-9)
        np.testing.assert_allclose(pw / pw.sum(), (share / share.sum())[pw.index], rtol=1e-9)


def test_intra_cluster_correlation_in_consumption(survey):
    y = np.log(survey["consumption_pc"])
    within = y - y.groupby(survey["stratum"]).transform("mean")
    rho = icc(within, survey["psu"])
    assert 0.05 < rho < 0.4


def test_urban_share_household_size_female_heads_and_ration_cards(demo):
    s = demo.read("survey_2024")
    pw = s["weight"] * s["hhsize"]
    assert np.average(s["area"] == "urban", weights=pw) == pytest.approx(0.7017, abs=0.005)  # census 2024
    assert np.average(s["hhsize"], weights=s["weight"]) == pytest.approx(5.9, abs=0.15)  # S24
    for year, pds in {2018: 0.90, 2024: 0.964}.items():
        s = demo.read(f"survey_{year}")
        assert np.average(s["pds_holder"], weights=s["weight"]) == pytest.approx(pds, abs=0.02)
        assert np.average(s["head_sex"] == "female", weights=s["weight"]) == pytest.approx(0.10, abs=0.02)


def test_consumption_and_its_food_part(survey):
    c, f = survey["consumption_pc"], survey["food_pc"]
    assert (f > 0).all() and (f < c).all()
    share = np.average(f / c, weights=survey["weight"] * survey["hhsize"])
    assert 0.3 < share < 0.5
    # Engel's law: the poorest fifth spends a larger share on food than the richest fifth
    q = pd.qcut(c, 5, labels=False)
    assert (f / c)[q == 0].mean() > (f / c)[q == 4].mean() + 0.05


def test_displacement_after_2014_concentrated_in_the_return_areas(demo):
    for year in (2007, 2012):
        assert (demo.read(f"survey_{year}")["displacement"] == "non_displaced").all()
    for year in (2018, 2024):
        s = demo.read(f"survey_{year}")
        pw = s["weight"] * s["hhsize"]
        moved = s["displacement"].isin(["idp_camp", "idp_out_of_camp", "returnee"])
        assert set(s["displacement"].unique()) == {"non_displaced", "idp_camp", "idp_out_of_camp",
                                                   "returnee", "host"}
        assert pw[moved & s["governorate"].isin(RETURN_AREAS)].sum() / pw[moved].sum() > 0.6
    s = demo.read("survey_2018")
    idps = (s["weight"] * s["hhsize"])[s["displacement"].isin(["idp_camp", "idp_out_of_camp"])].sum()
    assert idps == pytest.approx(2.58e6, rel=0.15)  # DTM, interpolated to mid-2018


def test_spn_amount_follows_household_size_and_receipt(survey, demo_params):
    b = demo_params.spn.benefit
    paid = survey["spn_receipt"]
    assert (survey.loc[~paid, "spn_amount"] == 0).all()
    expected = np.minimum(b.one_person + b.per_extra_person * (survey["hhsize"] - 1), b.max)
    np.testing.assert_allclose(survey.loc[paid, "spn_amount"], expected[paid])


def test_pmt_targeting_has_realistic_errors_and_rolls_out_in_stages(demo, demo_params):
    """Exclusion errors of 40-60% are common for PMTs; the programme reaches more governorates."""
    reached = []
    for year in (2018, 2024):
        s = demo.read(f"survey_{year}")
        line = demo.manifest["calibration"][str(year)]["line"]["value"]
        rollout = {c: y for y, cs in demo_params.spn.rollout.items() for c in cs}
        new = s["governorate"].map(rollout).fillna(9999) <= year
        reached.append(set(s.loc[new, "governorate"]))
        pre = s["consumption_pc"] - s["spn_amount"] / s["hhsize"]  # rank by pre-transfer welfare
        poor = pre < line
        pw = s["weight"] * s["hhsize"]
        exclusion = pw[new & poor & ~s["spn_receipt"]].sum() / pw[new & poor].sum()
        inclusion = s["weight"][new & s["spn_receipt"] & ~poor].sum() / s["weight"][new & s["spn_receipt"]].sum()
        assert 0.35 < exclusion < 0.70
        assert 0.15 < inclusion < 0.60
        coverage_poor = np.average(s["spn_receipt"][new & poor], weights=s["weight"][new & poor])
        coverage_rich = np.average(s["spn_receipt"][new & ~poor], weights=s["weight"][new & ~poor])
        assert coverage_poor > 2 * coverage_rich
        # the old categorical network elsewhere targets worse than the PMT
        if (~new).any():
            old_excl = pw[~new & poor & ~s["spn_receipt"]].sum() / pw[~new & poor].sum()
            assert old_excl > exclusion
    assert reached[0] < reached[1]
    assert 0.3 < demo.manifest["calibration"]["2018"]["spn"]["pmt_r2"] < 0.7
