"""The synthetic country: people by governorate, district and area, in any year.

Governorate populations keep their 2010 shares (AAS, in
:mod:`workbench.geography`); the national total is interpolated between the
anchors of ``demo.yaml``. Urban shares keep the 2010 ranking, shifted on the
logit scale to the national share of the year. Districts (OCHA COD-AB 2019)
get synthetic population and urban shares, and a consumption effect that
persists across rounds, so that poverty maps have something to find.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from workbench.data.demo.calibration import sigmoid, solve_increasing
from workbench.data.demo.parameters import DemoParameters, interpolate
from workbench.data.demo.streams import stream
from workbench.geography import governorates

__all__ = ["World", "world"]


def _logit(p: np.ndarray) -> np.ndarray:
    return np.log(p / (1.0 - p))


@dataclass(frozen=True, eq=False)
class World:
    """Governorates and districts with their synthetic shares and effects.

    Arrays are in :func:`workbench.geography.governorates` order (governorates)
    and in that order then COD order (districts).

    Attributes
    ----------
    gov_codes, gov_names, gov_regions : numpy.ndarray of str
    district_codes : numpy.ndarray of str
    district_gov : numpy.ndarray of int
        Governorate index of each district.
    district_share : numpy.ndarray
        Share of its governorate's people.
    district_urban_logit : numpy.ndarray
        Deviation of the district's urban share from its governorate's, logit scale.
    district_effect : numpy.ndarray
        Effect on log consumption.
    """

    params: DemoParameters
    gov_codes: np.ndarray
    gov_names: np.ndarray
    gov_regions: np.ndarray
    gov_share: np.ndarray
    gov_urban_2010: np.ndarray
    district_codes: np.ndarray
    district_gov: np.ndarray
    district_share: np.ndarray
    district_urban_logit: np.ndarray
    district_effect: np.ndarray

    @property
    def n_gov(self) -> int:
        return len(self.gov_codes)

    @property
    def n_district(self) -> int:
        return len(self.district_codes)

    @cached_property
    def districts_per_gov(self) -> np.ndarray:
        return np.bincount(self.district_gov, minlength=self.n_gov)

    def persons(self, year: int) -> np.ndarray:
        """People by governorate in ``year``."""
        millions = {y: f.value for y, f in self.params.population.millions.items()}
        return interpolate(millions, year, geometric=True) * 1e6 * self.gov_share

    def household_size(self, year: int) -> float:
        """Mean household size in ``year``."""
        return interpolate({y: f.value for y, f in self.params.population.household_size.items()}, year)

    def urban_share(self, year: int) -> np.ndarray:
        """Urban share of each governorate's people in ``year``."""
        national = interpolate({y: f.value for y, f in self.params.population.urban_percent.items()},
                               year) / 100.0
        base = _logit(self.gov_urban_2010)
        lo, hi = solve_increasing(lambda s: np.array([self.gov_share @ sigmoid(base + s[0])]),
                                  np.array([national]), -5.0, 5.0)
        return sigmoid(base + 0.5 * (lo[0] + hi[0]))

    def district_persons(self, year: int) -> np.ndarray:
        """People by district and area (columns: urban, rural) in ``year``.

        District urban shares deviate from their governorate's, shifted so that
        each governorate's urban share holds exactly.
        """
        gov_urban = self.urban_share(year)
        dg = self.district_gov
        base = _logit(gov_urban)[dg] + self.district_urban_logit

        def urban(shift: np.ndarray) -> np.ndarray:
            share = sigmoid(base + shift[dg])
            return np.bincount(dg, self.district_share * share, minlength=self.n_gov)

        lo, hi = solve_increasing(urban, gov_urban, -10.0, 10.0)
        u = sigmoid(base + (0.5 * (lo + hi))[dg])
        people = self.persons(year)[dg] * self.district_share
        return np.column_stack([people * u, people * (1.0 - u)])


def world(params: DemoParameters, seed: int) -> World:
    """The synthetic country of ``seed``: district shares, urban shares and effects.

    Examples
    --------
    >>> from workbench.data.demo.parameters import load_demo_parameters
    >>> w = world(load_demo_parameters(), 0)
    >>> w.n_gov, w.n_district
    (18, 101)
    >>> round(float(w.persons(2018).sum() / 1e6), 1)
    38.1
    """
    govs = governorates()
    rng = stream(seed, "world")
    codes = np.array([g.pcode for g in govs])
    share = np.array([g.population_2010_thousands for g in govs])
    dists = [(i, d.pcode) for i, g in enumerate(govs) for d in g.districts]
    dg = np.array([i for i, _ in dists])
    raw = rng.gamma(params.design.district_concentration, size=len(dists))
    dshare = raw / np.bincount(dg, raw, minlength=len(govs))[dg]
    return World(
        params=params,
        gov_codes=codes,
        gov_names=np.array([g.name_en for g in govs]),
        gov_regions=np.array([g.region for g in govs]),
        gov_share=share / share.sum(),
        gov_urban_2010=np.array([g.urban_share_2010 for g in govs]) / 100.0,
        district_codes=np.array([c for _, c in dists]),
        district_gov=dg,
        district_share=dshare,
        district_urban_logit=rng.normal(0.0, params.design.district_urban_logit_sd, len(dists)),
        district_effect=rng.normal(0.0, params.consumption.sd["district"], len(dists)),
    )
