"""The census frame: layout, agreement with the survey, and chunked generation in bounded memory."""

from __future__ import annotations

import itertools
import tracemalloc

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from workbench.data.demo.frame import frame_chunks, frame_layout
from workbench.data.demo.population import world
from workbench.data.demo.survey import survey_round
from workbench.data.model import FRAME


@pytest.fixture(scope="module")
def survey_2024(demo_params):
    w = world(demo_params, 0)
    return w, survey_round(0, 2024, w, int(demo_params.design.households.value))


def test_frame_rows_and_row_groups_follow_the_chunk_size(demo):
    meta = pq.ParquetFile(demo.path / "frame.parquet").metadata
    n, chunk = (demo.manifest["options"][k] for k in ("census_households", "chunk_size"))
    assert n > 3 * chunk  # the session fixture writes the frame in several chunks
    assert meta.num_rows == n
    assert meta.num_row_groups == -(-n // chunk)
    assert max(meta.row_group(i).num_rows for i in range(meta.num_row_groups)) == chunk


def test_frame_layout(demo):
    f = demo.read("frame")
    assert list(f.columns) == FRAME.names
    assert (f["hhid"].to_numpy() == np.arange(1, len(f) + 1)).all()
    assert (f["year"] == 2024).all()
    assert (f["district"].str[:5] == f["governorate"]).all()
    assert (f.groupby("ea")[["district", "area"]].nunique() == 1).all().all()
    assert f.groupby("ea").size().max() <= 150


def test_frame_matches_the_survey_of_its_year(demo):
    """Same model, same constants: the census looks like the weighted survey."""
    f, s = demo.read("frame"), demo.read("survey_2024")
    w = s["weight"]
    people = (s["weight"] * s["hhsize"]).groupby(s["governorate"]).sum()
    frame_people = f.groupby("governorate")["hhsize"].sum()
    np.testing.assert_allclose(frame_people / frame_people.sum(), people / people.sum(), atol=0.005)
    for col in ("has_car", "has_ac", "pds_holder", "owns_dwelling"):
        assert f[col].mean() == pytest.approx(np.average(s[col], weights=w), abs=0.03), col
    assert f["hhsize"].mean() == pytest.approx(np.average(s["hhsize"], weights=w), abs=0.15)
    assert (f["head_sex"] == "female").mean() == pytest.approx(0.10, abs=0.02)


def test_chunks_are_deterministic_and_never_exceed_the_chunk_size(demo_params, survey_2024):
    w, r = survey_2024
    first = list(frame_chunks(0, w, r.constants, 10_000, 3_000))
    again = list(frame_chunks(0, w, r.constants, 10_000, 3_000))
    assert [len(c["hhid"]) for c in first] == [3_000, 3_000, 3_000, 1_000]
    for a, b in zip(first, again):
        for col in FRAME.names:
            np.testing.assert_array_equal(a[col], b[col])
    assert np.concatenate([c["hhid"] for c in first]).tolist() == list(range(1, 10_001))


def test_a_national_size_frame_is_generated_lazily_in_bounded_memory(survey_2024):
    """7.5 million rows: building the generator and drawing a chunk costs memory of the chunk, not the frame."""
    w, r = survey_2024
    lay = frame_layout(w, r.constants, 7_500_000)
    assert int(lay.cell_end[-1]) == 7_500_000
    tracemalloc.start()
    chunk = next(itertools.islice(frame_chunks(0, w, r.constants, 7_500_000, 5_000), 1))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(chunk["hhid"]) == 5_000
    # Per-frame state is one float per enumeration area (~50,000) and per-cell counts; the rest
    # scales with the chunk. A full 7.5m-row frame held at once would need over 1 GB.
    assert peak < 30e6
    assert pd.Series(chunk["governorate"]).iloc[0] == w.gov_codes[0]
