"""Households: covariates, latent welfare, dwelling and assets, all vectorised.

The same model draws the survey rounds, the census frame and the panel, so
that small-area models fitted on the survey hold in the frame. Two stages:

1. :func:`draw_people`: displacement, the head's sex, age, education and
   employment, household size, and log per-capita welfare *without* the
   governorate location (which calibration sets afterwards);
2. :func:`draw_dwelling`: dwelling, assets and the ration card, which depend on
   welfare relative to the poverty line, so that a proxy-means test can
   predict consumption from them.

Shares that ``demo.yaml`` fixes (female heads, mean household size, asset
and ration-card shares) are hit by solving an intercept on a weighted sample;
the solved intercepts are returned, so that another draw of the same
population (the frame, in chunks) can reuse them.

Categories are integer codes in the order of :mod:`workbench.data.model`
(``AREA``, ``SEX``, ``EDUCATION``, ``EMPLOYMENT``, ``DISPLACEMENT``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from workbench.data.demo.calibration import logit_intercept, sigmoid
from workbench.data.demo.parameters import interpolate
from workbench.data.demo.population import World
from workbench.data.model import DISPLACEMENT, EDUCATION, EMPLOYMENT

__all__ = [
    "ASSETS",
    "DISPLACED_FROM",
    "categorical",
    "displacement_shares",
    "draw_dwelling",
    "draw_people",
]

ASSETS: tuple[str, ...] = ("owns_dwelling", "improved_water", "has_fridge", "has_ac", "has_car",
                           "has_generator")
DISPLACED_FROM = 2014
"""Displacement is generated for rounds from this year on (the ISIS crisis)."""

_URBAN, _FEMALE = 0, 1
_CAMP, _OUT, _RETURNEE, _HOST = (DISPLACEMENT.index(s) for s in
                                 ("idp_camp", "idp_out_of_camp", "returnee", "host"))
_CAMP_OWNS_DWELLING = -4.0  # log odds: households in camps do not own their shelter


def categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a probability matrix (rows add up to 1), as codes.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> categorical(rng, np.array([[0.0, 1.0], [1.0, 0.0]])).tolist()
    [1, 0]
    """
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs))[:, None] * cum[:, -1:]
    return np.minimum((u >= cum).sum(axis=1), probs.shape[1] - 1).astype(np.int8)


def displacement_shares(world: World, year: int) -> np.ndarray:
    """Share of people in each displacement status, by governorate: shape (18, 5).

    Before :data:`DISPLACED_FROM` everyone is non-displaced. Later years use the
    nearest year of ``demo.yaml``'s displacement figures.

    Examples
    --------
    >>> from workbench.data.demo.parameters import load_demo_parameters
    >>> from workbench.data.demo.population import world
    >>> s = displacement_shares(world(load_demo_parameters(), 0), 2018)
    >>> s.shape, bool(np.allclose(s.sum(axis=1), 1))
    ((18, 5), True)
    """
    out = np.zeros((world.n_gov, len(DISPLACEMENT)))
    out[:, DISPLACEMENT.index("non_displaced")] = 1.0
    d = world.params.displacement
    if year < DISPLACED_FROM:
        return out
    key = min(d.idps_millions, key=lambda y: (abs(y - year), y))
    people = world.persons(year)
    index = {c: i for i, c in enumerate(world.gov_codes)}

    def spread(millions: float, by_gov: Mapping[str, float]) -> np.ndarray:
        share = np.zeros(world.n_gov)
        for code, s in by_gov.items():
            share[index[code]] = s
        return np.minimum(millions * 1e6 * share / people, 0.5)

    idp = spread(d.idps_millions[key].value, d.idps_by_governorate[key])
    camp = d.in_camp_share[key]
    out[:, _CAMP] = idp * camp
    out[:, _OUT] = idp * (1.0 - camp)
    out[:, _RETURNEE] = spread(d.returnees_millions[key].value, d.returnees_by_governorate[key])
    out[:, _HOST] = d.host_ratio * out[:, _OUT]
    out[:, 0] = 1.0 - out[:, 1:].sum(axis=1)
    return out


def _education_shares(world: World, year: int) -> np.ndarray:
    table = world.params.covariates.education
    shares = np.array([interpolate({y: v[k] for y, v in table.items()}, year)
                       for k in range(len(EDUCATION))])
    return shares / shares.sum()


def draw_people(rng: np.random.Generator, *, gov: np.ndarray, area: np.ndarray, district: np.ndarray,
                cluster_effect: np.ndarray, year: int, world: World,
                weight: np.ndarray | None = None, female: float | None = None,
                hhsize_scale: float | None = None) -> tuple[dict[str, np.ndarray], float, float]:
    """Draw the household head, the household size and latent log welfare.

    Parameters
    ----------
    rng : numpy.random.Generator
    gov, area, district : numpy.ndarray of int
        Governorate, area (0 urban, 1 rural) and district index of each household.
    cluster_effect : numpy.ndarray
        PSU or enumeration-area effect on log consumption.
    year : int
    world : World
    weight : numpy.ndarray, optional
        Household weights used to solve the shares (default: equal).
    female, hhsize_scale : float, optional
        Previously solved intercept of female headship and household-size scale;
        solved here when not given.

    Returns
    -------
    people : dict of numpy.ndarray
        ``displacement, head_sex, head_age, hhsize, head_education,
        head_employment, log_welfare`` (log per-capita consumption net of the
        governorate location).
    female, hhsize_scale : float
        The intercepts used.
    """
    p = world.params
    cov, con = p.covariates, p.consumption
    n = len(gov)
    urban = (area == _URBAN).astype(float)

    displacement = categorical(rng, displacement_shares(world, year)[gov])
    idp = np.isin(displacement, (_CAMP, _OUT)).astype(float)
    female_lin = 0.5 * idp
    if female is None:
        female = logit_intercept(female_lin, weight, cov.female_head.value)
    sex = (rng.random(n) < sigmoid(female + female_lin)).astype(np.int8)
    is_female = sex == _FEMALE

    a = cov.head_age
    age = rng.normal(a.mean + a.female_extra * is_female, a.sd)
    age = np.clip(np.round(age), a.min, a.max).astype(np.int64)

    mean_size = world.household_size(year)
    relative = np.exp(cov.hhsize_rural * (1.0 - urban) + cov.hhsize_female * is_female)
    if hhsize_scale is None:
        w = np.ones(n) if weight is None else weight
        hhsize_scale = (mean_size - 1.0) / float(w @ relative / w.sum())
    mu = hhsize_scale * relative
    k = cov.hhsize_dispersion
    hhsize = 1 + rng.negative_binomial(k, k / (k + mu)).astype(np.int64)

    levels = np.arange(len(EDUCATION))
    tilt = (cov.education_urban_tilt * (urban - 0.7)
            + cov.education_female_tilt * (is_female - cov.female_head.value)
            - 0.02 * (age - a.mean))
    probs = _education_shares(world, year)[None, :] * np.exp(tilt[:, None] * levels[None, :])
    education = categorical(rng, probs / probs.sum(axis=1, keepdims=True))

    ina = cov.inactive
    inactive = rng.random(n) < sigmoid(ina.intercept + ina.female * is_female
                                       + ina.per_year_over_55 * np.maximum(age - 55, 0))
    unemployed = ~inactive & (rng.random(n) < cov.unemployed_share_of_active)
    employment = np.where(inactive, 2, np.where(unemployed, 1, 0)).astype(np.int8)

    log_welfare = (con.urban * urban
                   + con.log_hhsize * np.log(hhsize / mean_size)
                   + con.female_head * is_female
                   + con.head_age_per_year * (age - a.mean)
                   + np.array([con.education[e] for e in EDUCATION])[education]
                   + np.array([con.employment[e] for e in EMPLOYMENT])[employment]
                   + np.array([con.displacement[s] for s in DISPLACEMENT])[displacement]
                   + world.district_effect[district]
                   + cluster_effect
                   + rng.normal(0.0, con.sd["household"], n))
    people = {"displacement": displacement, "head_sex": sex, "head_age": age, "hhsize": hhsize,
              "head_education": education, "head_employment": employment,
              "log_welfare": log_welfare}
    return people, female, hhsize_scale


def draw_dwelling(rng: np.random.Generator, *, people: Mapping[str, np.ndarray],
                  relative_welfare: np.ndarray, year: int, world: World,
                  weight: np.ndarray | None = None,
                  intercepts: Mapping[str, float] | None = None
                  ) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Draw the dwelling, the assets and the ration card.

    Parameters
    ----------
    people : mapping
        The output of :func:`draw_people`.
    relative_welfare : numpy.ndarray
        Log of pre-transfer per-capita consumption over the poverty line.
    weight : numpy.ndarray, optional
        Household weights used to solve the shares (default: equal).
    intercepts : mapping, optional
        Previously solved intercepts by column; solved here when not given.

    Returns
    -------
    dwelling : dict of numpy.ndarray
        ``rooms, owns_dwelling, improved_water, has_fridge, has_ac, has_car,
        has_generator, pds_holder``.
    intercepts : dict
        The intercepts used.
    """
    cov = world.params.covariates
    n = len(relative_welfare)
    r = relative_welfare
    camp = people["displacement"] == _CAMP
    solved = dict(intercepts or {})
    out: dict[str, np.ndarray] = {}
    rate = np.exp(0.45 + 0.35 * np.log(people["hhsize"]) + 0.25 * r)
    out["rooms"] = np.minimum(1 + rng.poisson(rate), 12).astype(np.int64)
    for name in ASSETS:
        spec = cov.assets[name]
        linear = spec.welfare_slope * r + (_CAMP_OWNS_DWELLING * camp if name == "owns_dwelling" else 0.0)
        if name not in solved:
            solved[name] = logit_intercept(linear, weight, interpolate(spec.shares, year))
        out[name] = rng.random(n) < sigmoid(solved[name] + linear)
    linear = cov.pds_welfare_slope * r
    if "pds_holder" not in solved:
        share = interpolate({y: f.value for y, f in cov.pds_holder.items()}, year)
        solved["pds_holder"] = logit_intercept(linear, weight, share)
    out["pds_holder"] = rng.random(n) < sigmoid(solved["pds_holder"] + linear)
    return out, solved
