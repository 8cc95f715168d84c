"""Fixtures of the batch tests: a tiny project tree with fixture notebooks and survey files."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from workbench.geography import governorates

NOTEBOOKS = Path(__file__).parent / "notebooks"
REPO = Path(__file__).resolve().parents[2]


def survey_frame(year: int, *, households_per_psu: int = 10, seed: int = 0) -> pd.DataFrame:
    """A small canonical round: 18 governorates x 2 strata x 2 PSUs x ``households_per_psu``."""
    rng = np.random.default_rng(seed + year)
    govs = [g.pcode for g in governorates()]
    n_per_gov = 2 * 2 * households_per_psu
    n = len(govs) * n_per_gov
    gov = np.repeat(govs, n_per_gov)
    area = np.tile(np.repeat(["urban", "rural"], 2 * households_per_psu), len(govs))
    psu = np.repeat(np.arange(n // households_per_psu), households_per_psu) + 1
    return pd.DataFrame({
        "hhid": np.arange(1, n + 1),
        "year": year,
        "governorate": gov,
        "area": area,
        "stratum": [f"{g}-{a}" for g, a in zip(gov, area, strict=True)],
        "psu": psu,
        "weight": rng.uniform(50, 150, n),
        "hhsize": rng.integers(1, 9, n),
        "consumption_pc": rng.lognormal(np.log(150_000), 0.5, n),
    })


def write_survey(frame: pd.DataFrame, path: Path, *, synthetic: bool = True) -> Path:
    """Write a survey round as Parquet, with the ``synthetic`` schema metadata of demo data."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if synthetic:
        meta = {**(table.schema.metadata or {}), b"synthetic": b"true"}
        table = table.replace_schema_metadata(meta)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return path


def write_config(root: Path, notebooks: dict, **overrides: object) -> Path:
    """``parameters/batch.yaml`` of a test tree; no warm-up code unless asked for."""
    config = {"data_dir": "data", "governorates": ["Basrah", "Baghdad"], "years": [2024],
              "languages": ["en"], "warmup": "", "timeout": 120, "notebooks": notebooks}
    config.update(overrides)
    path = root / "parameters" / "batch.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def survey():
    """Callable: ``survey(year, households_per_psu=2)`` gives a small canonical round."""
    return survey_frame


@pytest.fixture
def parquet():
    """Callable: ``parquet(frame, path, synthetic=True)`` writes a survey file."""
    return write_survey


@pytest.fixture
def batch_file():
    """Callable: ``batch_file(root, notebooks, **overrides)`` writes parameters/batch.yaml."""
    return write_config


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A project tree: fixture notebooks in ``notebooks/``, tiny survey files in ``data/``."""
    shutil.copytree(NOTEBOOKS, tmp_path / "notebooks")
    for year in (2018, 2024):
        write_survey(survey_frame(year, households_per_psu=2),
                     tmp_path / "data" / f"survey_{year}.parquet")
    return tmp_path


@pytest.fixture
def echo() -> dict:
    """Batch-file entry of the echo fixture notebook (per governorate, reads its year's survey)."""
    return {"path": "notebooks/echo.ipynb", "per": "governorate",
            "reads": ["{data_dir}/survey_{year}.parquet"]}
