"""The SPN registry and a household panel, for impact evaluation and targeting.

A representative sample of households (stratified by governorate x area,
square-root allocation) is followed every year of ``panel.years``:

- **Consumption.** Log per-capita consumption before transfers is the
  household's latent welfare plus its governorate's location (calibrated to
  the 2018 targets in 2018) plus a common national path (CPI and a real index,
  the same for everyone, so parallel trends hold by construction) plus an
  AR(1) shock.
- **The programme.** When the PMT-based SPN reaches a household's governorate
  (``spn.rollout``, staggered), the household may apply each year (poorer ones
  more often). Its PMT score, from a formula estimated on the formula year, is
  compared with the threshold; eligible applicants are enrolled save
  administrative errors, and some ineligible ones are too. From enrolment on
  it is paid every year, and consumption rises by the transfer per person.
- **The registry** holds every household that applied: its proxies, score,
  threshold, eligibility and enrolment. ``registry.hhid`` links the panel, so
  targeting errors can be measured against consumption.

The true effect of the transfer is known and reported in the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.data.demo.calibration import headcount_shift, sigmoid, targets, weighted_quantile
from workbench.data.demo.households import categorical, draw_dwelling, draw_people
from workbench.data.demo.population import World
from workbench.data.demo.programs import benefit, fit_pmt, pmt_matrix, rollout_years
from workbench.data.demo.report import rounded
from workbench.data.demo.streams import stream
from workbench.data.demo.survey import food_part
from workbench.poverty_lines import national_cpi, official_line

__all__ = ["BASE_YEAR", "Programme", "programme_data"]

BASE_YEAR = 2018
"""The panel's consumption is calibrated to this round's targets in this year."""

@dataclass(frozen=True, eq=False)
class Programme:
    """The registry and panel columns (canonical tables) and the report."""

    registry: dict[str, np.ndarray]
    panel: dict[str, np.ndarray]
    report: dict[str, Any]


def _allocate(world: World, households: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stratum sizes by square-root allocation: (gov, area, n) per stratum, and weights."""
    people = world.district_persons(BASE_YEAR)
    by_stratum = np.zeros((world.n_gov, 2))
    np.add.at(by_stratum, world.district_gov, people)
    h = by_stratum.ravel() / world.household_size(BASE_YEAR)
    root = np.sqrt(h)
    n = np.maximum(np.floor(households * root / root.sum()).astype(np.int64), 2)
    n[np.argsort(-root, kind="stable")[: max(households - int(n.sum()), 0)]] += 1
    return n, h / n, people


def programme_data(seed: int, world: World, households: int) -> Programme:
    """Generate the registry, the panel and their report.

    Parameters
    ----------
    seed : int
    world : World
    households : int
        Panel households (about: every stratum gets at least two).

    Returns
    -------
    Programme
    """
    p = world.params
    rng = stream(seed, "panel")
    first, last = p.panel.years
    years = np.arange(first, last + 1)
    n_years = len(years)

    n_stratum, w_stratum, people_da = _allocate(world, households)
    stratum = np.repeat(np.arange(len(n_stratum)), n_stratum)
    gov, area = stratum // 2, stratum % 2
    n = len(stratum)
    probs = people_da[:, area].T * (world.district_gov[None, :] == gov[:, None])
    district = categorical(rng, probs / probs.sum(axis=1, keepdims=True)).astype(np.int64)
    weight = w_stratum[stratum]
    people, _, _ = draw_people(rng, gov=gov, area=area, district=district,
                               cluster_effect=rng.normal(0.0, p.consumption.sd["psu"], n),
                               year=BASE_YEAR, world=world, weight=weight)
    hhsize = people["hhsize"]
    pw = weight * hhsize

    sd, rho = p.panel.shock_sd, p.panel.shock_rho
    shock = np.empty((n, n_years))
    shock[:, 0] = rng.normal(0.0, sd, n)
    for t in range(1, n_years):  # a loop over years, each step vectorised over households
        shock[:, t] = rho * shock[:, t - 1] + np.sqrt(1 - rho**2) * rng.normal(0.0, sd, n)
    cpi = national_cpi().set_index("year")["index"]
    path = np.log(cpi.loc[years].to_numpy() / cpi.loc[BASE_YEAR]) + np.log(
        np.array([p.panel.real_index[int(y)] / p.panel.real_index[BASE_YEAR] for y in years]))
    base = int(np.flatnonzero(years == BASE_YEAR)[0])
    line = np.array([official_line(int(y)) for y in years])
    target = targets(p, BASE_YEAR, world.persons(BASE_YEAR))
    location = headcount_shift(gov, people["log_welfare"] + shock[:, base], line[base], pw,
                               target.calibrated)
    log_pre = (people["log_welfare"] + location[gov])[:, None] + path[None, :] + shock
    relative = log_pre - np.log(line)[None, :]

    dwelling, _ = draw_dwelling(rng, people=people, relative_welfare=relative[:, base],
                                year=BASE_YEAR, world=world, weight=weight)
    x = pmt_matrix(people, dwelling, area, gov, world.n_gov)
    formula = int(np.flatnonzero(years == p.panel.formula_year)[0])
    beta, r2 = fit_pmt(x, log_pre[:, formula], weight)
    score = x @ beta
    threshold = weighted_quantile(score, weight, p.spn.eligible_share)
    eligible = score < threshold

    rollout = rollout_years(p, world.gov_codes)[gov]
    active = years[None, :] >= rollout[:, None]
    apply = p.spn.apply
    hazard = p.panel.yearly_apply_factor * sigmoid(apply.intercept + apply.welfare_slope * relative)
    applies = active & (rng.random((n, n_years)) < hazard)
    applied = applies.any(axis=1)
    application_year = np.where(applied, years[np.argmax(applies, axis=1)], 0)
    u = rng.random(n)
    enrolled = applied & np.where(eligible, u >= p.spn.eligible_not_paid, u < p.spn.ineligible_paid)
    receipt = enrolled[:, None] & (years[None, :] >= application_year[:, None])
    monthly = benefit(hhsize, p.spn.benefit)
    amount = monthly[:, None] * receipt
    pre = np.exp(log_pre)
    consumption = pre + amount / hhsize[:, None]
    food = food_part(rng, consumption.ravel(), np.broadcast_to(line, (n, n_years)).ravel(),
                     world).reshape(n, n_years)

    hhid = np.arange(1, n + 1, dtype=np.int64)
    registry_id = np.full(n, np.nan)
    registry_id[applied] = np.arange(1, int(applied.sum()) + 1)
    registry = {
        "registry_id": registry_id[applied].astype(np.int64),
        "hhid": hhid[applied],
        "governorate": world.gov_codes[gov[applied]],
        "district": world.district_codes[district[applied]],
        "area": area[applied].astype(np.int8),
        "application_year": application_year[applied].astype(np.int64),
        **{c: people[c][applied] for c in ("hhsize", "head_sex", "head_age", "head_education",
                                       "head_employment", "displacement")},
        **{c: v[applied] for c, v in dwelling.items()},
        "pmt_score": score[applied],
        "pmt_threshold": np.full(int(applied.sum()), threshold),
        "eligible": eligible[applied],
        "enrolled": enrolled[applied],
        "enrolment_year": np.where(enrolled, application_year, np.nan)[applied],
        "spn_amount": np.where(enrolled, monthly, 0.0)[applied],
    }

    def long(values: np.ndarray) -> np.ndarray:  # household-level -> one row per household-year
        return np.repeat(values, n_years)

    never = rollout > last
    panel = {
        "hhid": long(hhid),
        "year": np.tile(years, n).astype(np.int64),
        "governorate": long(world.gov_codes[gov]),
        "district": long(world.district_codes[district]),
        "area": long(area.astype(np.int8)),
        "weight": long(weight),
        "hhsize": long(hhsize),
        "head_sex": long(people["head_sex"]),
        "head_education": long(people["head_education"]),
        "rollout_year": long(np.where(never, np.nan, rollout)),
        "registry_id": long(registry_id),
        "spn_receipt": receipt.ravel(),
        "spn_amount": amount.ravel(),
        "consumption_pc": consumption.ravel(),
        "food_pc": food.ravel(),
    }
    report = _report(years, weight, hhsize, pre, consumption, line, receipt, active, applied,
                     eligible, enrolled, r2, threshold, world)
    return Programme(registry, panel, report)


def _report(years: np.ndarray, weight: np.ndarray, hhsize: np.ndarray, pre: np.ndarray,
            consumption: np.ndarray, line: np.ndarray, receipt: np.ndarray, active: np.ndarray,
            applied: np.ndarray, eligible: np.ndarray, enrolled: np.ndarray, r2: float,
            threshold: float, world: World) -> dict[str, Any]:
    """Targeting in the last year, and the true effect of the transfer."""
    w = np.broadcast_to(weight[:, None], receipt.shape)
    effect = np.log(consumption) - np.log(pre)
    last = -1
    in_programme = active[:, last]
    poor = pre[:, last] < line[last]
    pw = weight * hhsize
    paid = receipt[:, last]
    by_gov = rollout_years(world.params, world.gov_codes)
    cohorts = {str(int(y)): sorted(str(c) for c in world.gov_codes[by_gov == y])
               for y in np.unique(by_gov) if y <= years[-1]}
    return {
        "households": len(weight), "years": [int(years[0]), int(years[-1])],
        "rollout_cohorts": cohorts,
        "registry_records": int(applied.sum()),
        "pmt_r2": rounded(r2), "pmt_threshold_log": rounded(threshold),
        "eligible_share": rounded(np.average(eligible, weights=weight)),
        "enrolled_share": rounded(np.average(enrolled, weights=weight)),
        "last_year_in_rolled_out_governorates": {
            "exclusion_error": rounded(pw[in_programme] @ (poor & ~paid)[in_programme]
                                       / (pw[in_programme] @ poor[in_programme])),
            "inclusion_error": rounded(weight[in_programme] @ (paid & ~poor)[in_programme]
                                       / (weight[in_programme] @ paid[in_programme])),
        },
        "truth": {
            "att_log_consumption": rounded(float((w * effect)[receipt].sum() / w[receipt].sum())),
            "note": "Mean over paid household-years (panel weights) of log(consumption) minus "
                    "log(consumption without the transfer): the effect on the treated. Trends "
                    "without the programme are parallel by construction and the governorate "
                    "roll-out years are exogenous; a household's own application year is not "
                    "(households apply after a bad year, an Ashenfelter dip), so a naive "
                    "household-level DiD on enrolment is biased.",
        },
    }
