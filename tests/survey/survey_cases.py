"""The workbench call behind each case of the R reference fixtures.

``tests/reference/survey/survey_reference.csv`` holds one row per estimate made
by ``make_reference.R``; its ``case`` column names the R call, and ``CASES`` maps
each case to the same estimate made by the workbench.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.results import Estimate
from workbench.survey import SurveyDesign, mean, proportion, quantile, ratio, total

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "survey"
PROBS = [0.1, 0.5, 0.9]


@cache
def nhanes2() -> pd.DataFrame:
    """NHANES II (samplics' copy), with the synthetic fpc column of the R script."""
    data = pd.read_csv(REFERENCE / "nhanes2.csv.gz")
    return data.assign(npsu=3 + data["stratid"] % 5)


@cache
def eusilc() -> pd.DataFrame:
    """laeken's eusilc, as written (and read back) by the R script."""
    return pd.read_csv(REFERENCE / "eusilc.csv.gz")


@cache
def eusilc_households() -> pd.DataFrame:
    """One row per household of eusilc: weight, size, region and equivalised income."""
    return eusilc().drop_duplicates("db030")[["db030", "db040", "rb050", "hsize", "eqIncome"]]


def _nh(**kw) -> SurveyDesign:
    return SurveyDesign(nhanes2(), weight="finalwgt", strata="stratid", psu="psuid", **kw)


LONELY_STRATA = [1, 10, 11, 18, 32]


@cache
def design(name: str) -> SurveyDesign:
    """The workbench design that matches each design of the R script."""
    data = nhanes2()
    if name == "nh":
        return _nh()
    if name == "nh_zinc":
        return design("nh").subset(data["zinc"].notna())
    if name == "nh_diab":
        return design("nh").subset(data["diabetes"].notna())
    if name in ("nh_lonely", "nh_merged"):
        kept = data[~(data["stratid"].isin(LONELY_STRATA) & (data["psuid"] == 2))]
        policy = "centre" if name == "nh_lonely" else "merge"
        return SurveyDesign(kept.reset_index(drop=True), weight="finalwgt", strata="stratid",
                            psu="psuid", lonely_psu=policy)
    if name == "nh_fpc":
        return _nh(fpc="npsu")
    if name == "eu":
        return SurveyDesign(eusilc(), weight="rb050", strata="db040", psu="db030")
    if name == "eu_households":
        # Household rows with person weights weight x hsize: the same estimates as "eu".
        return SurveyDesign(eusilc_households(), weight="rb050", strata="db040", psu="db030",
                            hhsize="hsize")
    raise KeyError(name)


def _subset(name: str, column: str, value: object) -> SurveyDesign:
    d = design(name)
    return d.subset((d.data[column] == value).to_numpy())


def _nonmissing(name: str, column: str) -> SurveyDesign:
    d = design(name)
    return d.subset(d.data[column].notna().to_numpy())


Case = Callable[[], Estimate]
RR = ["race", "region"]

CASES: dict[str, Case] = {
    "nh.mean.highbp": lambda: mean(design("nh"), "highbp"),
    "nh.total.highbp": lambda: total(design("nh"), "highbp"),
    "nh.mean.zinc": lambda: mean(design("nh_zinc"), "zinc"),
    "nh.total.zinc": lambda: total(design("nh_zinc"), "zinc"),
    "nh.ratio.diabetes_highbp": lambda: ratio(design("nh_diab"), "diabetes", "highbp"),
    "nh.proportion.race": lambda: proportion(design("nh"), "race"),
    "nh.proportion.diabetes": lambda: proportion(design("nh_diab"), "diabetes"),
    "nh.quantile.zinc": lambda: quantile(design("nh_zinc"), "zinc", PROBS),
    "nh.mean.highbp.region": lambda: mean(design("nh"), "highbp", by="region"),
    "nh.total.highbp.region": lambda: total(design("nh"), "highbp", by="region"),
    "nh.mean.zinc.region": lambda: mean(design("nh_zinc"), "zinc", by="region"),
    "nh.ratio.diabetes_highbp.region": lambda: ratio(design("nh_diab"), "diabetes", "highbp",
                                                     by="region"),
    "nh.proportion.race.region": lambda: proportion(design("nh"), "race", by="region"),
    "nh.quantile.zinc.region": lambda: quantile(design("nh_zinc"), "zinc", PROBS, by="region"),
    "nh.mean.highbp.race_region": lambda: mean(design("nh"), "highbp", by=RR),
    "nh.total.highbp.race_region": lambda: total(design("nh"), "highbp", by=RR),
    "nh.proportion.diabetes.race_region": lambda: proportion(design("nh_diab"), "diabetes", by=RR),
    "nh.quantile.zinc.race_region": lambda: quantile(design("nh_zinc"), "zinc", PROBS, by=RR),
    "nh.mean.highbp.subset_race2": lambda: mean(_subset("nh", "race", 2), "highbp"),
    "nh.proportion.region.subset_race2": lambda: proportion(_subset("nh", "race", 2), "region"),
    "nh.quantile.zinc.subset_race2": lambda: quantile(_subset("nh_zinc", "race", 2), "zinc", PROBS),
    "nh_lonely.mean.highbp": lambda: mean(design("nh_lonely"), "highbp"),
    "nh_lonely.total.highbp": lambda: total(design("nh_lonely"), "highbp"),
    "nh_lonely.proportion.race": lambda: proportion(design("nh_lonely"), "race"),
    "nh_lonely.mean.highbp.region": lambda: mean(design("nh_lonely"), "highbp", by="region"),
    "nh_lonely.quantile.zinc": lambda: quantile(_nonmissing("nh_lonely", "zinc"), "zinc", PROBS),
    "nh_merged.mean.highbp": lambda: mean(design("nh_merged"), "highbp"),
    "nh_merged.total.highbp": lambda: total(design("nh_merged"), "highbp"),
    "nh_merged.mean.highbp.region": lambda: mean(design("nh_merged"), "highbp", by="region"),
    "nh_fpc.mean.highbp": lambda: mean(design("nh_fpc"), "highbp"),
    "nh_fpc.total.highbp": lambda: total(design("nh_fpc"), "highbp"),
    "nh_fpc.proportion.race": lambda: proportion(design("nh_fpc"), "race"),
    "nh_fpc.mean.highbp.region": lambda: mean(design("nh_fpc"), "highbp", by="region"),
    "nh_fpc.quantile.zinc": lambda: quantile(_nonmissing("nh_fpc", "zinc"), "zinc", PROBS),
    "eu.mean.eqIncome": lambda: mean(design("eu"), "eqIncome"),
    "eu.total.eqIncome": lambda: total(design("eu"), "eqIncome"),
    "eu.ratio.py010n_eqIncome": lambda: ratio(_nonmissing("eu", "py010n"), "py010n", "eqIncome"),
    "eu.proportion.rb090": lambda: proportion(design("eu"), "rb090"),
    "eu.quantile.eqIncome": lambda: quantile(design("eu"), "eqIncome", PROBS),
    "eu.mean.eqIncome.db040": lambda: mean(design("eu"), "eqIncome", by="db040"),
    "eu.total.eqIncome.db040": lambda: total(design("eu"), "eqIncome", by="db040"),
    "eu.quantile.eqIncome.db040": lambda: quantile(design("eu"), "eqIncome", PROBS, by="db040"),
    "eu.mean.eqIncome.rb090": lambda: mean(design("eu"), "eqIncome", by="rb090"),
    "eu.total.eqIncome.rb090": lambda: total(design("eu"), "eqIncome", by="rb090"),
    "eu.quantile.eqIncome.rb090": lambda: quantile(design("eu"), "eqIncome", PROBS, by="rb090"),
    "eu.mean.eqIncome.db040_rb090": lambda: mean(design("eu"), "eqIncome", by=["db040", "rb090"]),
    "eu.proportion.rb090.db040": lambda: proportion(design("eu"), "rb090", by="db040"),
    "eu.ratio.py010n_eqIncome.rb090": lambda: ratio(_nonmissing("eu", "py010n"), "py010n", "eqIncome",
                                                    by="rb090"),
}

#: Person-level eusilc cases that household rows with ``hhsize`` must reproduce
#: (all but the design effect, whose SRS variance counts households, not persons).
HOUSEHOLD_CASES: dict[str, Case] = {
    "eu.mean.eqIncome": lambda: mean(design("eu_households"), "eqIncome"),
    "eu.total.eqIncome": lambda: total(design("eu_households"), "eqIncome"),
    "eu.quantile.eqIncome": lambda: quantile(design("eu_households"), "eqIncome", PROBS),
    "eu.mean.eqIncome.db040": lambda: mean(design("eu_households"), "eqIncome", by="db040"),
    "eu.total.eqIncome.db040": lambda: total(design("eu_households"), "eqIncome", by="db040"),
    "eu.quantile.eqIncome.db040": lambda: quantile(design("eu_households"), "eqIncome", PROBS,
                                                   by="db040"),
}


def label(value: object) -> str:
    """A domain or level label as R prints it (``2.0`` -> ``"2"``)."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def keyed(est: Estimate) -> pd.DataFrame:
    """The estimate's table keyed like the fixture: domain (R's ``a.b`` label), level, quantile."""
    t = est.table.copy()
    by = list(est.meta["by"])
    t["domain"] = t[by].apply(lambda r: ".".join(label(v) for v in r), axis=1) if by else ""
    t["level"] = t["level"].map(label) if "level" in t else ""
    t["quantile"] = t.get("quantile", np.nan)
    return t


def reference() -> pd.DataFrame:
    """The R fixture rows, with empty strings for absent labels."""
    ref = pd.read_csv(REFERENCE / "survey_reference.csv", dtype={"domain": str, "level": str},
                      keep_default_na=False, na_values={c: [""] for c in (
                          "quantile", "estimate", "se", "ci_low", "ci_high", "df", "deff")})
    return ref
