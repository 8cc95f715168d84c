"""One IHSES-like survey round: sample design, households, calibrated consumption.

Design (after IHSES 2012, see ``demo.yaml``):

- strata are governorate x urban/rural; every district gets the same number of
  PSUs (census enumeration areas), split by its urban share, so small
  districts are over-sampled as in IHSES;
- PSUs are drawn with probability proportional to their size at the census
  listing; the current listing differs from it, 12 households are planned per
  PSU and 10-12 respond; the design weight is
  ``N_cell / (k_cell * size_at_listing) * size_now / responding``;
- weights are post-stratified to the people of each stratum, so they vary
  within and between strata.

Consumption: latent log welfare (covariates, district, PSU and household
terms) is shifted per governorate so that the person-weighted headcount at the
official line equals the target; assets follow welfare; the SPN pays by
roll-out regime; a second shift puts the headcount of consumption *with*
transfers back on target.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.data.demo.calibration import Targets, headcount_shift, targets, weighted_headcount
from workbench.data.demo.households import draw_dwelling, draw_people
from workbench.data.demo.population import World
from workbench.data.demo.programs import benefit, fit_pmt, pmt_matrix, rollout_years, survey_receipt
from workbench.data.demo.report import cv, gini, icc_anova, rounded
from workbench.data.demo.streams import stream
from workbench.data.model import AREA, DISPLACEMENT
from workbench.errors import ParameterError
from workbench.poverty_lines import line_table, official_line

__all__ = ["Constants", "Round", "food_part", "psu_plan", "survey_round"]


@dataclass(frozen=True, eq=False)
class Constants:
    """What a round solved, so that the frame can draw more of the same population.

    Attributes
    ----------
    location : numpy.ndarray
        Pre-transfer location of log per-capita consumption by governorate.
    """

    year: int
    female: float
    hhsize_scale: float
    dwelling: dict[str, float]
    location: np.ndarray


@dataclass(frozen=True, eq=False)
class Round:
    """A generated survey round.

    Attributes
    ----------
    columns : dict of numpy.ndarray
        The canonical ``survey`` columns; categories as integer codes.
    constants : Constants
    report : dict
        Calibration and design report (JSON-ready).
    """

    year: int
    columns: dict[str, np.ndarray]
    constants: Constants
    report: dict[str, Any]


def food_part(rng: np.random.Generator, consumption: np.ndarray, line: float | np.ndarray,
              world: World) -> np.ndarray:
    """Food consumption per capita: a share falling with welfare (Engel's law), below the total."""
    f = world.params.consumption.food_share
    share = f.at_line - f.per_log * np.log(consumption / line) + rng.normal(0.0, f.sd, len(consumption))
    return np.clip(share, f.min, f.max) * consumption


def psu_plan(world: World, year: int, households: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PSUs per district and area: the same number per district, split by urban share.

    Returns
    -------
    district, area, n_psu : numpy.ndarray
        One entry per (district, area) cell with at least one PSU, sorted by
        governorate, area, district.

    Raises
    ------
    ParameterError
        Too few households for one urban and one rural PSU in every district.
    """
    d = world.params.design
    mean_take = float(np.dot(list(d.response), list(d.response.values())))
    total = round(households / mean_take)
    n_d = world.n_district
    if total < 2 * n_d:
        raise ParameterError(f"households={households} is too small: the design needs at least "
                             f"{int(np.ceil(2 * n_d * mean_take))} for two PSUs in each of the "
                             f"{n_d} districts")
    per_district = np.full(n_d, total // n_d)
    per_district[: total % n_d] += 1
    people = world.district_persons(year)
    urban = np.clip(np.round(per_district * people[:, 0] / people.sum(axis=1)), 1, per_district - 1)
    k = np.column_stack([urban, per_district - urban]).astype(np.int64).ravel()
    district = np.repeat(np.arange(n_d), 2)
    area = np.tile(np.arange(2), n_d)
    order = np.lexsort((district, area, world.district_gov[district]))
    return district[order], area[order], k[order]


def survey_round(seed: int, year: int, world: World, households: int) -> Round:
    """Generate the survey round of ``year``.

    Parameters
    ----------
    seed : int
    year : int
        A round with calibration targets in ``demo.yaml``.
    world : World
    households : int
        Planned sample size (about; the take per PSU varies).

    Returns
    -------
    Round
    """
    p = world.params
    rng = stream(seed, "survey", year)
    des = p.design
    line = official_line(year)

    cell_d, cell_a, cell_k = psu_plan(world, year, households)
    people_da = world.district_persons(year)
    households_da = people_da / world.household_size(year)
    psu_d, psu_a = np.repeat(cell_d, cell_k), np.repeat(cell_a, cell_k)
    k = np.repeat(cell_k, cell_k)
    n_psu = len(psu_d)
    listed = des.ea_households * np.exp(rng.normal(0.0, des.ea_size_log_sd, n_psu))
    now = listed * np.exp(rng.normal(0.0, des.listing_change_log_sd, n_psu))
    takes = np.array(list(des.response))
    take = rng.choice(takes, size=n_psu, p=list(des.response.values()))
    psu_weight = households_da[psu_d, psu_a] / (k * listed) * now / take
    psu_effect = rng.normal(0.0, p.consumption.sd["psu"], n_psu)

    hh_psu = np.repeat(np.arange(n_psu), take)
    district, area = psu_d[hh_psu], psu_a[hh_psu]
    gov = world.district_gov[district]
    design_weight = psu_weight[hh_psu]
    people, female, hhsize_scale = draw_people(
        rng, gov=gov, area=area, district=district, cluster_effect=psu_effect[hh_psu], year=year,
        world=world, weight=design_weight)
    hhsize = people["hhsize"]

    # post-stratify to the people of each governorate x area
    stratum = gov * 2 + area
    n_strata = 2 * world.n_gov
    people_h = np.bincount(world.district_gov * 2, people_da[:, 0], minlength=n_strata) + \
        np.bincount(world.district_gov * 2 + 1, people_da[:, 1], minlength=n_strata)
    factor = people_h / np.bincount(stratum, design_weight * hhsize, minlength=n_strata)
    weight = design_weight * factor[stratum]
    pw = weight * hhsize

    target = targets(p, year, world.persons(year))
    location = headcount_shift(gov, people["log_welfare"], line, pw, target.calibrated)
    log_pre = people["log_welfare"] + location[gov]
    relative = log_pre - np.log(line)
    dwelling, intercepts = draw_dwelling(rng, people=people, relative_welfare=relative, year=year,
                                         world=world, weight=weight)

    x = pmt_matrix(people, dwelling, area, gov, world.n_gov)
    beta, r2 = fit_pmt(x, log_pre, weight)
    score = x @ beta
    new = rollout_years(p, world.gov_codes)[gov] <= year
    receipt, threshold = survey_receipt(rng, params=p, new_programme=new, people=people,
                                        relative_welfare=relative, score=score, weight=weight)
    amount = benefit(hhsize, p.spn.benefit) * receipt
    transfer_pc = amount / hhsize
    shift = headcount_shift(gov, log_pre, line, pw, target.calibrated, add=transfer_pc)
    pre_transfer = np.exp(log_pre + shift[gov])
    consumption = pre_transfer + transfer_pc
    food = food_part(rng, consumption, line, world)

    n = len(gov)
    columns = {
        "hhid": year * 1_000_000 + np.arange(1, n + 1, dtype=np.int64),
        "year": np.full(n, year, dtype=np.int64),
        "governorate": world.gov_codes[gov],
        "district": world.district_codes[district],
        "area": area.astype(np.int8),
        "stratum": np.char.add(np.char.add(world.gov_codes[gov], "-"), np.array(AREA)[area]),
        "psu": (hh_psu + 1).astype(np.int64),
        "weight": weight,
        "hhsize": hhsize,
        "head_sex": people["head_sex"],
        "head_age": people["head_age"],
        "head_education": people["head_education"],
        "head_employment": people["head_employment"],
        "displacement": people["displacement"],
        **dwelling,
        "consumption_pc": consumption,
        "food_pc": food,
        "spn_receipt": receipt,
        "spn_amount": amount,
    }
    constants = Constants(year, female, hhsize_scale, intercepts, location)
    report = _report(world, year, line, target, columns, gov, pw, pre_transfer, new, r2, threshold)
    return Round(year, columns, constants, report)


def _report(world: World, year: int, line: float, target: Targets, c: dict[str, np.ndarray],
            gov: np.ndarray, pw: np.ndarray, pre_transfer: np.ndarray, new: np.ndarray,
            r2: float, threshold: float) -> dict[str, Any]:
    """The round's calibration, design and targeting report."""
    g = world.n_gov
    achieved = weighted_headcount(gov, c["consumption_pc"], line, pw, g)
    national = weighted_headcount(np.zeros_like(gov), c["consumption_pc"], line, pw, 1)[0]
    w = c["weight"]
    psu_size = np.bincount(c["psu"])[1:]
    stratum_codes = np.unique(c["stratum"], return_inverse=True)[1]
    log_c = np.log(c["consumption_pc"])
    within = log_c - (np.bincount(stratum_codes, log_c) / np.bincount(stratum_codes))[stratum_codes]
    cv_within = [cv(w[stratum_codes == h]) for h in range(stratum_codes.max() + 1)]
    lines = line_table([year]).iloc[0]
    poor_pre = pre_transfer < line
    receipt = c["spn_receipt"]

    def errors(mask: np.ndarray) -> dict[str, float]:
        hw = w[mask]
        paid = receipt[mask]
        poor = poor_pre[mask]
        return {"coverage_households": rounded(hw @ paid / hw.sum()),
                "exclusion_error": rounded(pw[mask] @ (poor & ~paid) / (pw[mask] @ poor)),
                "inclusion_error": rounded(hw @ (paid & ~poor) / (hw @ paid))}

    return {
        "line": {"value": rounded(line, 2), "method": str(lines["method"]), "status": str(lines["status"])},
        "headcount": {
            "national": {"target": rounded(100 * target.national, 2),
                         "achieved": rounded(100 * national, 2), "status": target.national_status},
            "delta_points": rounded(100 * target.delta, 3),
            "governorates": {
                str(code): {"name": str(world.gov_names[i]),
                            "target": rounded(100 * target.published[i], 2),
                            "calibrated_to": rounded(100 * target.calibrated[i], 2),
                            "achieved": rounded(100 * achieved[i], 2),
                            "status": target.status[i], "source": target.source[i]}
                for i, code in enumerate(world.gov_codes)},
        },
        "design": {
            "households": len(w), "psus": len(psu_size),
            "strata": int(stratum_codes.max() + 1),
            "households_per_psu": {"min": int(psu_size.min()), "mean": rounded(psu_size.mean(), 2),
                                   "max": int(psu_size.max())},
            "icc_log_consumption_within_strata": rounded(icc_anova(within, c["psu"])),
            "weight_cv": rounded(cv(w)), "weight_cv_within_strata_median": rounded(np.median(cv_within)),
            "people": rounded(pw.sum(), 0),
            "mean_household_size": rounded(np.average(c["hhsize"], weights=w), 3),
            "urban_share_people": rounded(pw @ (c["area"] == 0) / pw.sum()),
            "female_head_share": rounded(np.average(c["head_sex"] == 1, weights=w)),
            "pds_share": rounded(np.average(c["pds_holder"], weights=w)),
            "displacement_share_people": {s: rounded(pw @ (c["displacement"] == i) / pw.sum())
                                          for i, s in enumerate(DISPLACEMENT)},
        },
        "consumption": {
            "gini": rounded(gini(c["consumption_pc"], pw)),
            "food_share_mean": rounded(np.average(c["food_pc"] / c["consumption_pc"], weights=pw)),
        },
        "spn": {
            "pmt_r2": rounded(r2), "pmt_threshold_log": rounded(threshold),
            "governorates_with_pmt_programme": sorted({str(x) for x in c["governorate"][new]}),
            "all": errors(np.ones_like(new)),
            "pmt_programme": errors(new) if new.any() else None,
            "old_network": errors(~new) if (~new).any() else None,
        },
    }
