"""The CPI table: the national index, and synthetic governorate indices around it.

The national index is :func:`workbench.poverty_lines.national_cpi`, chained
from the WDI inflation rates of ``parameters/poverty_lines.yaml`` (with its
provenance per year). Governorate CPIs are not published in a verified form,
so they are synthesised (status ``S``): each governorate's log index deviates
from the national by a random walk with a regional drift, zero in the base
year, and the deviations average to zero across governorates (population
weights) in every year.
"""

from __future__ import annotations

import numpy as np

from workbench.data.demo.population import World
from workbench.data.demo.streams import stream
from workbench.data.model import STATUS
from workbench.poverty_lines import NATIONAL, national_cpi

__all__ = ["cpi_table"]


def cpi_table(seed: int, world: World) -> dict[str, np.ndarray]:
    """The canonical ``cpi`` columns: national rows first, then governorates by year.

    Examples
    --------
    >>> from workbench.data.demo.parameters import load_demo_parameters
    >>> from workbench.data.demo.population import world
    >>> t = cpi_table(0, world(load_demo_parameters(), 0))
    >>> sorted(set(t["governorate"].tolist()))[:2], float(t["index"][t["year"] == 2012].max())
    (['IQG01', 'IQG02'], 100.0)
    """
    spec = world.params.cpi
    nat = national_cpi()
    years = nat["year"].to_numpy(dtype=np.int64)
    index = nat["index"].to_numpy(dtype=float)
    rng = stream(seed, "cpi")
    drift = np.array([spec.region_drift[r] for r in world.gov_regions])
    steps = drift[:, None] + rng.normal(0.0, spec.step_sd, (world.n_gov, len(years)))
    base = int(np.flatnonzero(years == spec.base_year)[0])
    walk = np.cumsum(steps, axis=1)
    deviation = walk - walk[:, [base]]
    deviation -= world.gov_share @ deviation  # population-weighted mean zero in every year
    gov_index = index[None, :] * np.exp(deviation)

    def inflation(series: np.ndarray) -> np.ndarray:
        out = np.full(series.shape, np.nan)
        out[..., 1:] = 100.0 * (series[..., 1:] / series[..., :-1] - 1.0)
        return out

    n_years, n_gov = len(years), world.n_gov
    status_codes = {s: i for i, s in enumerate(STATUS)}
    return {
        "year": np.concatenate([years, np.tile(years, n_gov)]),
        "governorate": np.concatenate([np.full(n_years, NATIONAL),
                                       np.repeat(world.gov_codes, n_years)]).astype(str),
        "index": np.concatenate([index, gov_index.ravel()]),
        "inflation": np.concatenate([inflation(index), inflation(gov_index).ravel()]),
        "status": np.concatenate([nat["status"].map(status_codes).to_numpy(dtype=np.int8),
                                  np.full(n_years * n_gov, status_codes["S"], dtype=np.int8)]),
        "synthetic": np.concatenate([np.zeros(n_years, bool), np.ones(n_years * n_gov, bool)]),
    }
