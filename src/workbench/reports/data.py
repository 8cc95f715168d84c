"""A survey round as the reports use it: one design, its official line, its provenance.

A notebook loads each round it needs once (:func:`load_round`) and passes the
:class:`Round` to every builder, so the design is built once per round.

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> pd.DataFrame({"hhid": [1, 2], "governorate": ["IQG02"] * 2, "stratum": ["a"] * 2,
...               "psu": [1, 2], "weight": [1.0, 1.0], "hhsize": [2, 3],
...               "consumption_pc": [50.0, 200.0]}).to_parquet(folder / "survey_2024.parquet")
>>> available_years(folder)
[2024]
>>> r = load_round(folder, 2024, declare=False)
>>> r.year, round(r.line), r.synthetic
(2024, 135318, False)
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbench.batch import figures
from workbench.batch.hashing import sha256_file
from workbench.errors import DataError
from workbench.poverty_lines import official_line
from workbench.survey import SurveyDesign

__all__ = ["NATIONAL", "Round", "available_years", "load_round", "survey_file"]

NATIONAL = "national"
_SURVEY = re.compile(r"^survey_(\d{4})\.parquet$")


def _resolve(data_dir: str | os.PathLike[str]) -> list[Path]:
    data_dir = Path(data_dir)
    if data_dir.is_absolute():
        return [data_dir]
    return [base / data_dir for base in (Path.cwd(), *Path.cwd().parents)]


def survey_file(data_dir: str | os.PathLike[str], year: int) -> Path:
    """``<data_dir>/survey_<year>.parquet``.

    A relative ``data_dir`` is looked up from the current directory, then its
    parents (a notebook opened in ``notebooks/`` finds ``data/demo`` at the root).

    Raises
    ------
    DataError
        If no such file exists.
    """
    name = f"survey_{int(year)}.parquet"
    for folder in _resolve(data_dir):
        if (folder / name).is_file():
            return folder / name
    raise DataError(f"survey file {Path(data_dir) / name} not found (looked in {Path.cwd()} and "
                    "its parents); for the demo data run `workbench data demo --seed 0`")


def available_years(data_dir: str | os.PathLike[str]) -> list[int]:
    """The survey rounds in ``data_dir`` (files ``survey_<year>.parquet``), ascending.

    Raises
    ------
    DataError
        If the folder is not found or holds no survey round.
    """
    for folder in _resolve(data_dir):
        if folder.is_dir():
            years = sorted(int(m.group(1)) for p in folder.iterdir() if (m := _SURVEY.match(p.name)))
            if years:
                return years
    raise DataError(f"no survey_<year>.parquet file found in {data_dir} (looked from "
                    f"{Path.cwd()} and its parents)")


@dataclass(frozen=True)
class Round:
    """One survey round ready for estimation.

    Attributes
    ----------
    year : int
    design : SurveyDesign
        Stratified cluster design (``stratum``, ``psu``, ``weight``, ``hhsize``),
        lonely PSUs centred.
    line : float
        The official poverty line of the year, IQD per person per month.
    source : workbench.batch.figures.Source
        Path, SHA-256 and synthetic flag of the survey file.
    """

    year: int
    design: SurveyDesign
    line: float
    source: figures.Source

    @property
    def synthetic(self) -> bool:
        """Whether the round is synthetic demo data."""
        return self.source.synthetic


def load_round(data_dir: str | os.PathLike[str], year: int, *, declare: bool = True) -> Round:
    """Read ``survey_<year>.parquet`` as a design, at the official line of the year.

    Parameters
    ----------
    data_dir : path-like
        Folder of the survey rounds (see :func:`survey_file`).
    year : int
    declare : bool
        Declare the file to the figures sidecar (:func:`workbench.batch.figures.source`),
        so its hash and synthetic flag are recorded. False only for tests.

    Returns
    -------
    Round
    """
    path = survey_file(data_dir, year)
    if declare:
        source = figures.source(path)
    else:
        source = figures.Source(path.as_posix(), sha256_file(path), figures.is_synthetic(path))
    frame = pd.read_parquet(path)
    design = SurveyDesign(frame, weight="weight", strata="stratum", psu="psu", hhsize="hhsize",
                          lonely_psu="centre")
    return Round(int(year), design, float(official_line(int(year))), source)
