"""The census-style household frame, generated and written in chunks.

Households are allocated to governorate x district x area cells in proportion
to their people, laid out in that order and grouped into enumeration areas of
``design.ea_households``. Each chunk of rows draws its households from its own
stream (spawned per chunk) with the model and the solved constants of the
survey round of the same year, so small-area models fitted on the survey hold
in the frame. Memory is bounded by the chunk size: only the per-cell counts
and one effect per enumeration area are held for the whole frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from workbench.data.demo.households import draw_dwelling, draw_people
from workbench.data.demo.population import World
from workbench.data.demo.streams import chunk_streams, stream
from workbench.data.demo.survey import Constants
from workbench.poverty_lines import official_line

__all__ = ["FrameLayout", "frame_chunks", "frame_layout"]


@dataclass(frozen=True, eq=False)
class FrameLayout:
    """Where every frame row sits, held as per-cell counts.

    Attributes
    ----------
    cell_district, cell_area : numpy.ndarray of int
        District and area of each cell, in row order.
    cell_end : numpy.ndarray of int
        Cumulative household count at the end of each cell.
    cell_first_ea : numpy.ndarray of int
        Enumeration-area number of each cell's first household.
    n_ea : int
    """

    households: int
    cell_district: np.ndarray
    cell_area: np.ndarray
    cell_end: np.ndarray
    cell_first_ea: np.ndarray
    ea_size: int
    n_ea: int


def _largest_remainder(total: int, share: np.ndarray) -> np.ndarray:
    """Integers adding up to ``total`` in proportion to ``share`` (Hamilton's method)."""
    exact = total * share / share.sum()
    count = np.floor(exact).astype(np.int64)
    short = total - int(count.sum())
    count[np.argsort(-(exact - count), kind="stable")[:short]] += 1
    return count


def frame_layout(world: World, constants: Constants, households: int) -> FrameLayout:
    """Allocate ``households`` to cells in proportion to their households in the constants' year.

    A cell's households are its people over the expected household size of its
    area (rural households are larger), so the frame's people follow the population.

    Examples
    --------
    >>> from workbench.data.demo.parameters import load_demo_parameters
    >>> from workbench.data.demo.population import world
    >>> c = Constants(2024, -2.2, 4.6, {}, np.zeros(18))
    >>> lay = frame_layout(world(load_demo_parameters(), 0), c, 10_000)
    >>> int(lay.cell_end[-1])
    10000
    """
    cov = world.params.covariates
    female = cov.female_head.value
    size = 1.0 + constants.hhsize_scale * np.exp(cov.hhsize_rural * np.arange(2)) * (
        1.0 - female + female * np.exp(cov.hhsize_female))
    people = world.district_persons(constants.year)
    d = np.repeat(np.arange(world.n_district), 2)
    a = np.tile(np.arange(2), world.n_district)
    order = np.lexsort((a, d, world.district_gov[d]))
    d, a = d[order], a[order]
    count = _largest_remainder(households, people[d, a] / size[a])
    ea_size = world.params.design.ea_households
    n_ea = -(-count // ea_size)
    first_ea = np.concatenate([[0], np.cumsum(n_ea)[:-1]])
    return FrameLayout(households, d, a, np.cumsum(count), first_ea, ea_size, int(n_ea.sum()))


def frame_chunks(seed: int, world: World, constants: Constants, households: int, chunk_size: int,
                 *, on_chunk: Callable[[int, int], None] | None = None
                 ) -> Iterator[dict[str, np.ndarray]]:
    """Yield the frame's canonical columns, ``chunk_size`` rows at a time.

    Parameters
    ----------
    seed : int
    world : World
    constants : Constants
        Solved by the survey round of the frame's year.
    households : int
        Rows in the frame.
    chunk_size : int
        Rows per chunk; each chunk draws from its own spawned stream.
    on_chunk : callable, optional
        Called with ``(chunk number, number of chunks)`` after each chunk.

    Yields
    ------
    dict of numpy.ndarray
        Columns of the ``frame`` table; categories as integer codes.
    """
    year = constants.year
    lay = frame_layout(world, constants, households)
    ea_effect = stream(seed, "frame-ea").normal(0.0, world.params.consumption.sd["psu"], lay.n_ea)
    n_chunks = -(-households // chunk_size)
    log_line = np.log(official_line(year))
    cell_start = np.concatenate([[0], lay.cell_end[:-1]])
    for k, rng in enumerate(chunk_streams(seed, "frame", n_chunks)):
        rows = np.arange(k * chunk_size, min((k + 1) * chunk_size, households), dtype=np.int64)
        cell = np.searchsorted(lay.cell_end, rows, side="right")
        district, area = lay.cell_district[cell], lay.cell_area[cell]
        gov = world.district_gov[district]
        ea = lay.cell_first_ea[cell] + (rows - cell_start[cell]) // lay.ea_size
        people, _, _ = draw_people(rng, gov=gov, area=area, district=district,
                                   cluster_effect=ea_effect[ea], year=year, world=world,
                                   female=constants.female, hhsize_scale=constants.hhsize_scale)
        relative = people["log_welfare"] + constants.location[gov] - log_line
        dwelling, _ = draw_dwelling(rng, people=people, relative_welfare=relative, year=year,
                                    world=world, intercepts=constants.dwelling)
        yield {
            "hhid": rows + 1,
            "year": np.full(len(rows), year, dtype=np.int64),
            "governorate": world.gov_codes[gov],
            "district": world.district_codes[district],
            "area": area.astype(np.int8),
            "ea": ea + 1,
            **{c: people[c] for c in ("hhsize", "head_sex", "head_age", "head_education",
                                      "head_employment", "displacement")},
            **dwelling,
        }
        if on_chunk is not None:
            on_chunk(k + 1, n_chunks)
