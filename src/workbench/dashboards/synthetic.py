"""A small SYNTHETIC results store, the same shape as the batch's, for tests and previews.

The dashboards read only ``reports/results`` (see :mod:`workbench.dashboards.store`).
:func:`write_synthetic_results` fills such a folder without the batch: it draws a
small synthetic survey in the canonical data model (households in strata by
governorate and area, clustered in PSUs, with districts, household heads and
displacement status) and estimates everything with the real estimators:
:func:`workbench.poverty.fgt`, :func:`workbench.inequality.gini` and
:func:`workbench.survey.mean`, all with linearized standard errors. Every row
is marked ``synthetic``. None of these numbers describes Iraq.

Rows written (``domain`` as :mod:`workbench.batch.store` writes it):

- ``headcount, gap, severity, gini, mean_consumption`` by governorate and national,
  each round, named as the batch's report notebooks record them;
- ``headcount`` by district (``domain = "district=<P-code>"``); small districts fall
  below 30 households and are flagged ``suppressed``;
- the profile of the poor: the share of people with a characteristic among the
  poor and the non-poor (``measure = "profile_share"``, as the batch's profile notebook records it,
  ``domain = "characteristic=head_sex;level=female;group=poor"``).

Examples
--------
>>> survey = synthetic_survey(2024, households=120)
>>> sorted(survey["governorate"].unique())[:2]
['IQG01', 'IQG02']
>>> bool((survey["consumption_pc"] > 0).all())
True
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from workbench.batch.store import ESTIMATE_COLUMNS
from workbench.charts.disclosure import apply_disclosure
from workbench.files import atomic_path, write_atomic
from workbench.geography import governorates
from workbench.inequality import gini
from workbench.measures import FGT_MEASURES
from workbench.poverty import fgt
from workbench.results import Estimate
from workbench.survey import SurveyDesign, mean

__all__ = [
    "SYNTHETIC_LINE",
    "synthetic_estimates",
    "synthetic_survey",
    "write_synthetic_results",
]

#: Poverty line of the synthetic survey, IQD per person per month (synthetic).
SYNTHETIC_LINE = 100_000.0
#: Round effect on every governorate's poverty rate (synthetic).
_ROUND_FACTOR = {2007: 1.20, 2012: 0.95, 2018: 1.0, 2024: 0.86}
_PSU_SIZE = 12


def _levels(seed: int) -> dict[str, float]:
    """Each governorate's synthetic poverty rate in the 2018 round."""
    rng = np.random.default_rng([seed, 2018])
    codes = sorted(g.pcode for g in governorates())
    return dict(zip(codes, rng.uniform(0.05, 0.42, len(codes))))


def synthetic_survey(year: int, *, seed: int = 0, households: int = 600,
                     thin: Mapping[str, int] | None = None) -> pd.DataFrame:
    """One synthetic survey round in the canonical data model (a few columns).

    Parameters
    ----------
    year : int
        Round; 2007, 2012, 2018 and 2024 have a round effect, others none.
    seed : int
        Seed of the random draws (the same seed and year give the same survey).
    households : int
        Sampled households per governorate (rounded to whole PSUs of 12).
    thin : mapping, optional
        Governorate P-code -> households, for governorates sampled more thinly
        (e.g. ``{"IQG01": 24}`` to show disclosure control).

    Returns
    -------
    pandas.DataFrame
        ``hhid, year, governorate, district, area, stratum, psu, weight, hhsize,
        head_sex, displacement, consumption_pc``, one row per household.
    """
    rng = np.random.default_rng([seed, int(year)])
    rate = _levels(seed)
    factor = _ROUND_FACTOR.get(int(year), 1.0)
    frames = []
    psu0 = 0
    for g in governorates():
        n_hh = (thin or {}).get(g.pcode, households)
        n_psu = max(4, n_hh // _PSU_SIZE)
        size = max(1, n_hh // n_psu)
        urban = np.r_[[True, True, False, False], rng.random(n_psu - 4) < g.urban_share_2010 / 100]
        codes = [d.pcode for d in g.districts]
        # Uneven district sizes, so that some districts fall below 30 sampled households.
        dist = rng.choice(codes, size=n_psu, p=rng.dirichlet(np.full(len(codes), 0.8)))
        psu = np.repeat(np.arange(psu0, psu0 + n_psu), size)
        psu0 += n_psu
        n = len(psu)
        is_urban = np.repeat(urban, size)
        hhsize = 1 + rng.poisson(4.8, n)
        head_female = rng.random(n) < 0.11
        displaced = rng.random(n) < 0.05
        # Log consumption: a PSU effect and a household term, shifted by area, head and displacement.
        shift = -0.12 * ~is_urban - 0.10 * head_female - 0.25 * displaced - 0.03 * (hhsize - 5)
        drift = rng.normal(0.0, 0.12)
        p = np.clip(rate[g.pcode] * factor * np.exp(drift), 0.01, 0.8)
        sigma = 0.5
        mu = np.log(SYNTHETIC_LINE) - sigma * stats.norm.ppf(p) - shift.mean()
        log_y = mu + shift + np.repeat(rng.normal(0, 0.2, n_psu), size) + rng.normal(0, 0.45, n)
        households_in_pop = g.population_2010_thousands * 1000 / 5.8
        frames.append(pd.DataFrame({
            "governorate": g.pcode, "district": np.repeat(dist, size),
            "area": np.where(is_urban, "urban", "rural"),
            "stratum": np.where(is_urban, f"{g.pcode}-u", f"{g.pcode}-r"),
            "psu": psu, "weight": households_in_pop / n, "hhsize": hhsize,
            "head_sex": np.where(head_female, "female", "male"),
            "displacement": np.where(displaced, "idp_out_of_camp", "non_displaced"),
            "consumption_pc": np.exp(log_y).round(0),
        }))
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "year", int(year))
    out.insert(0, "hhid", np.arange(1, len(out) + 1) + int(year) * 1_000_000)
    return out


def _rows(est: Estimate, measure: str, year: int, *, domain: str | None = None,
          national: bool = False) -> pd.DataFrame:
    t = est.table.copy()
    t["measure"] = measure
    t["year"] = year
    if national:
        t["governorate"] = "national"
    if "district" in t.columns:
        t["domain"] = "district=" + t.pop("district").astype(str)
    else:
        t["domain"] = domain or ""
    return t


def _profile_indicators(survey: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "head_sex=female": (survey["head_sex"] == "female").astype(float),
        "area=rural": (survey["area"] == "rural").astype(float),
        "displacement=idp": survey["displacement"].str.startswith("idp").astype(float),
        "hhsize=7_plus": (survey["hhsize"] >= 7).astype(float),
    })


def synthetic_estimates(years: Sequence[int] = (2007, 2012, 2018, 2024), *, seed: int = 0,
                        households: int = 600, thin: Mapping[tuple[str, int], int] | None = None,
                        min_n: int = 30) -> pd.DataFrame:
    """Estimates of :func:`synthetic_survey` rounds, as rows of the batch's results store.

    Parameters
    ----------
    years : sequence of int
    seed : int
    households : int
        Households per governorate.
    thin : mapping, optional
        ``(P-code, year) -> households`` for thinly sampled cells.
    min_n : int
        Rows with fewer sampled households are flagged ``suppressed``.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`workbench.batch.store.ESTIMATE_COLUMNS`.
    """
    frames = []
    for year in years:
        thin_year = {code: n for (code, y), n in (thin or {}).items() if int(y) == int(year)}
        survey = synthetic_survey(year, seed=seed, households=households, thin=thin_year)
        indicators = _profile_indicators(survey)
        survey = pd.concat([survey, indicators.add_prefix("x:")], axis=1)
        survey["group"] = np.where(survey["consumption_pc"] < SYNTHETIC_LINE, "poor", "non_poor")
        design = SurveyDesign(survey, weight="weight", strata="stratum", psu="psu", hhsize="hhsize")
        y = "consumption_pc"
        for name, alpha in FGT_MEASURES.items():
            frames.append(_rows(fgt(design, y, line=SYNTHETIC_LINE, alpha=alpha, by="governorate"),
                                name, year))
            frames.append(_rows(fgt(design, y, line=SYNTHETIC_LINE, alpha=alpha), name, year,
                                national=True))
        frames.append(_rows(fgt(design, y, line=SYNTHETIC_LINE, by=["governorate", "district"]),
                            "headcount", year))
        frames.append(_rows(gini(design, y, by="governorate"), "gini", year))
        frames.append(_rows(gini(design, y), "gini", year, national=True))
        frames.append(_rows(mean(design, y, by="governorate"), "mean_consumption", year))
        frames.append(_rows(mean(design, y), "mean_consumption", year, national=True))
        for key in indicators.columns:
            characteristic, level = key.split("=")
            for by, national in ((["governorate", "group"], False), ("group", True)):
                t = _rows(mean(design, f"x:{key}", by=by), "profile_share", year, national=national)
                t["domain"] = (f"characteristic={characteristic};level={level};group="
                               + t.pop("group").astype(str))
                frames.append(t)
    table = apply_disclosure(pd.concat(frames, ignore_index=True), min_n=min_n, suppress=False)
    table["notebook"] = "synthetic"
    table["synthetic"] = True
    return table.reindex(columns=list(ESTIMATE_COLUMNS)).sort_values(
        ["year", "governorate", "domain", "measure"]).reset_index(drop=True)


def write_synthetic_results(results_dir: str | os.PathLike[str], *, seed: int = 0,
                            years: Sequence[int] = (2007, 2012, 2018, 2024),
                            households: int = 600,
                            thin: Mapping[tuple[str, int], int] | None = None) -> Path:
    """Write ``estimates.parquet`` and ``key_figures.json`` of synthetic estimates.

    Parameters
    ----------
    results_dir : path-like
        Folder to write (created if needed); files are replaced atomically.
    seed, years, households, thin
        As for :func:`synthetic_estimates`.

    Returns
    -------
    pathlib.Path
        The folder.
    """
    from workbench import __version__

    folder = Path(results_dir)
    folder.mkdir(parents=True, exist_ok=True)
    table = synthetic_estimates(years, seed=seed, households=households, thin=thin)
    key_figures = {
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "package_version": __version__,
        "synthetic": True,
        "source": f"workbench.dashboards.synthetic (seed {seed}): SYNTHETIC, not survey data",
        "runs": [],
    }
    with atomic_path(folder / "estimates.parquet") as tmp:
        table.to_parquet(tmp, index=False)
    write_atomic(folder / "key_figures.json", json.dumps(key_figures, ensure_ascii=False, indent=1))
    return folder
