"""``parameters/demo.yaml``: calibration targets and assumptions of the demo data.

The file is validated into :class:`DemoParameters`. Every target carries a
status (``V`` published, ``C`` computed, ``R`` recalled, ``S`` synthetic
assumption) and a source; see the file's header.

Examples
--------
>>> p = load_demo_parameters()
>>> p.headcount.national[2018].value, p.headcount.national[2018].status
(20.05, 'V')
>>> p.headcount.governorates["IQG03"][2018].value  # Muthanna
52.0
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import numpy as np
import yaml
from pydantic import Field, ValidationError, model_validator

from workbench.config import Parameters, Provenance, parameter_file
from workbench.data.model import DISPLACEMENT, EDUCATION, EMPLOYMENT
from workbench.errors import ParameterError
from workbench.geography import governorates

__all__ = ["DemoParameters", "Figure", "interpolate", "load_demo_parameters"]

Share = Annotated[float, Field(ge=0, le=1)]
Positive = Annotated[float, Field(gt=0)]


class Figure(Provenance):
    """A number with its provenance."""

    value: float


class Headcount(Parameters):
    """Poverty headcount targets (percent of people), national and by governorate."""

    national: dict[int, Figure]
    derivations: dict[int, str]
    governorates: dict[str, dict[int, Figure]]

    @model_validator(mode="after")
    def _complete(self) -> Headcount:
        codes = {g.pcode for g in governorates()}
        if set(self.governorates) != codes:
            raise ValueError(f"governorates: need exactly the 18 P-codes; missing "
                             f"{sorted(codes - set(self.governorates))}, unknown "
                             f"{sorted(set(self.governorates) - codes)}")
        for code, by_year in self.governorates.items():
            if set(by_year) != set(self.national):
                raise ValueError(f"governorates.{code}: rounds {sorted(by_year)} differ from "
                                 f"national rounds {sorted(self.national)}")
        return self


class Population(Parameters):
    """National population anchors, urban share and household size."""

    millions: dict[int, Figure]
    urban_percent: dict[int, Figure]
    household_size: dict[int, Figure]


class Design(Parameters):
    """The survey's sample design."""

    households: Figure
    planned_take: Annotated[int, Field(ge=2)]
    response: dict[int, Share]
    ea_households: Annotated[int, Field(ge=20)]
    ea_size_log_sd: Annotated[float, Field(ge=0)]
    listing_change_log_sd: Annotated[float, Field(ge=0)]
    district_concentration: Positive
    district_urban_logit_sd: Annotated[float, Field(ge=0)]

    @model_validator(mode="after")
    def _response(self) -> Design:
        if abs(sum(self.response.values()) - 1) > 1e-9:
            raise ValueError("response: probabilities must add up to 1")
        if max(self.response) > self.planned_take or min(self.response) < 1:
            raise ValueError("response: responding households must be between 1 and planned_take")
        return self


class FoodShare(Parameters):
    """Food share of consumption as a function of welfare relative to the line."""

    at_line: Share
    per_log: float
    sd: Annotated[float, Field(ge=0)]
    min: Share
    max: Annotated[float, Field(gt=0, lt=1)]


class Consumption(Parameters):
    """Effects on log per-capita consumption (the shape; the level is calibrated)."""

    sd: dict[str, Annotated[float, Field(ge=0)]]
    urban: float
    log_hhsize: float
    female_head: float
    head_age_per_year: float
    education: dict[str, float]
    employment: dict[str, float]
    displacement: dict[str, float]
    food_share: FoodShare

    @model_validator(mode="after")
    def _levels(self) -> Consumption:
        for name, levels in (("education", EDUCATION), ("employment", EMPLOYMENT),
                             ("displacement", DISPLACEMENT), ("sd", ("district", "psu", "household"))):
            if set(getattr(self, name)) != set(levels):
                raise ValueError(f"{name}: keys must be {', '.join(levels)}")
        return self


class HeadAge(Parameters):
    mean: float
    sd: Positive
    female_extra: float
    min: int
    max: int


class Inactive(Parameters):
    intercept: float
    female: float
    per_year_over_55: float


class Asset(Parameters):
    """Share of households by round, and the log-odds slope in relative welfare."""

    shares: dict[int, Share]
    welfare_slope: float


class Covariates(Parameters):
    """Distributions of the household covariates."""

    female_head: Figure
    head_age: HeadAge
    hhsize_dispersion: Positive
    hhsize_rural: float
    hhsize_female: float
    education: dict[int, list[Share]]
    education_urban_tilt: float
    education_female_tilt: float
    inactive: Inactive
    unemployed_share_of_active: Share
    assets: dict[str, Asset]
    pds_holder: dict[int, Figure]
    pds_welfare_slope: float

    @model_validator(mode="after")
    def _shares(self) -> Covariates:
        for year, shares in self.education.items():
            if len(shares) != len(EDUCATION) or abs(sum(shares) - 1) > 1e-9:
                raise ValueError(f"education.{year}: need {len(EDUCATION)} shares adding up to 1")
        assets = ("owns_dwelling", "improved_water", "has_fridge", "has_ac", "has_car", "has_generator")
        if set(self.assets) != set(assets):
            raise ValueError(f"assets: keys must be {', '.join(assets)}")
        return self


class Displacement(Parameters):
    """Displaced people after 2014 and where they live."""

    idps_millions: dict[int, Figure]
    returnees_millions: dict[int, Figure]
    in_camp_share: dict[int, Share]
    host_ratio: Annotated[float, Field(ge=0)]
    idps_by_governorate: dict[int, dict[str, Share]]
    returnees_by_governorate: dict[int, dict[str, Share]]

    @model_validator(mode="after")
    def _keys(self) -> Displacement:
        codes = {g.pcode for g in governorates()}
        for name in ("idps_by_governorate", "returnees_by_governorate"):
            for year, shares in getattr(self, name).items():
                if set(shares) - codes:
                    raise ValueError(f"{name}.{year}: unknown P-codes {sorted(set(shares) - codes)}")
                if abs(sum(shares.values()) - 1) > 1e-6:
                    raise ValueError(f"{name}.{year}: shares must add up to 1")
        return self


class Benefit(Provenance):
    """Monthly SPN benefit by household size, IQD."""

    one_person: Positive
    per_extra_person: Annotated[float, Field(ge=0)]
    max: Positive


class Apply(Parameters):
    intercept: float
    welfare_slope: float


class OldNetwork(Parameters):
    share: Share
    female_head: float
    old_inactive: float
    unemployed: float
    welfare_slope: float


class Spn(Parameters):
    """The Social Protection Network: roll-out, benefits, targeting."""

    rollout: dict[int, list[str]]
    benefit: Benefit
    eligible_share: Annotated[float, Field(gt=0, lt=1)]
    apply: Apply
    eligible_not_paid: Share
    ineligible_paid: Share
    old_network: OldNetwork

    @model_validator(mode="after")
    def _rollout(self) -> Spn:
        codes = [c for cs in self.rollout.values() for c in cs]
        known = {g.pcode for g in governorates()}
        if len(codes) != len(set(codes)) or set(codes) - known:
            raise ValueError("rollout: each governorate P-code at most once, and only known P-codes")
        return self


class Panel(Parameters):
    """The household panel."""

    households: Annotated[int, Field(ge=100)]
    years: tuple[int, int]
    formula_year: int
    yearly_apply_factor: Annotated[float, Field(gt=0, le=1)]
    real_index: dict[int, Positive]
    shock_sd: Annotated[float, Field(ge=0)]
    shock_rho: Annotated[float, Field(ge=0, lt=1)]

    @model_validator(mode="after")
    def _years(self) -> Panel:
        first, last = self.years
        if not first < last or set(range(first, last + 1)) - set(self.real_index):
            raise ValueError("years: need first < last and a real_index for every year between")
        if not first <= self.formula_year <= last:
            raise ValueError("formula_year must be within years")
        return self


class Cpi(Parameters):
    """Synthetic governorate CPIs around the national index."""

    base_year: int
    step_sd: Annotated[float, Field(ge=0)]
    region_drift: dict[str, float]


class DemoParameters(Parameters):
    """``parameters/demo.yaml``, validated."""

    sources: dict[str, str]
    headcount: Headcount
    population: Population
    design: Design
    consumption: Consumption
    covariates: Covariates
    displacement: Displacement
    spn: Spn
    panel: Panel
    cpi: Cpi

    @property
    def rounds(self) -> tuple[int, ...]:
        """The survey rounds that have calibration targets."""
        return tuple(sorted(self.headcount.national))


def interpolate(series: Mapping[int, float], year: int, *, geometric: bool = False) -> float:
    """A year's value from a few anchor years: linear (or geometric) in between.

    Outside the anchors the value is held at the nearest one (linear), or
    extrapolated at the nearest interval's growth rate (geometric).

    Examples
    --------
    >>> interpolate({2010: 1.0, 2020: 2.0}, 2015)
    1.5
    >>> round(interpolate({2010: 1.0, 2020: 4.0}, 2025, geometric=True), 6)
    8.0
    """
    years = np.array(sorted(series), dtype=float)
    values = np.array([series[int(y)] for y in years], dtype=float)
    if not geometric:
        return float(np.interp(year, years, values))
    if len(years) == 1:
        return float(values[0])
    logs = np.log(values)
    i = int(np.clip(np.searchsorted(years, year) - 1, 0, len(years) - 2))
    slope = (logs[i + 1] - logs[i]) / (years[i + 1] - years[i])
    return float(np.exp(logs[i] + slope * (year - years[i])))


def load_demo_parameters(path: str | Path | None = None) -> DemoParameters:
    """Read and validate ``parameters/demo.yaml`` (or ``path``).

    Raises
    ------
    ParameterError
        The file is missing, not YAML, or breaks the model; the message names
        the file and the keys.
    """
    path = Path(path) if path is not None else parameter_file("demo")
    if not path.is_file():
        raise ParameterError(f"demo parameter file {path} not found")
    stat = path.stat()
    return _load(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int, size: int) -> DemoParameters:
    name = Path(path).name
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{name}: not valid YAML: {exc}") from None
    try:
        return DemoParameters.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc'])) or '(top level)'}: {e['msg']}" for e in exc.errors()]
        raise ParameterError(f"{name}: {len(problems)} invalid key(s): {'; '.join(problems)}. "
                             f"Fix {path}.") from None
