"""Parameter files: pydantic models for ``parameters/*.yaml`` and one loader.

Every number the workbench takes from outside the data lives in a YAML file
under ``parameters/`` with its provenance:

- ``V``: seen in a published source, named in ``source``;
- ``R``: recalled, unverified (fine for calibration, never cited as official);
- ``C``: computed from other figures;
- ``S``: synthetic (demo data only).

:func:`load_parameters` finds the file, parses it once (re-reading it only when
it changes on disk) and validates it against the model registered for its name
in :data:`PARAMETER_MODELS`. A problem becomes a
:class:`~workbench.errors.ParameterError` naming the file and the key.

The ``parameters/`` directory is, in order: the directory named by the
environment variable ``WORKBENCH_PARAMETERS``; ``parameters/`` at the project
root (the directory holding ``pyproject.toml`` above this package, for an
editable install); ``parameters/`` in the current directory or one of its
parents.

Examples
--------
>>> p = load_parameters("poverty_lines")
>>> p.calorie_norm.value, p.calorie_norm.status
(2337.0, 'R')
>>> [b.year for b in p.bases]
[2007, 2012]
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from workbench.errors import ParameterError

__all__ = [
    "PARAMETERS_ENV",
    "PARAMETER_MODELS",
    "STATUS_ORDER",
    "BandSpec",
    "CostOfBasicNeedsSpec",
    "CpiIndex",
    "CpiInflation",
    "LineBase",
    "Parameters",
    "PovertyLinesParameters",
    "Provenance",
    "Quantity",
    "ReferenceGroupSpec",
    "Status",
    "load_model",
    "load_optional",
    "load_parameters",
    "parameter_file",
    "parameters_dir",
    "weakest_status",
]

PARAMETERS_ENV = "WORKBENCH_PARAMETERS"

Status = Literal["V", "R", "C", "S"]
STATUS_ORDER: tuple[str, ...] = ("V", "C", "R", "S")
"""Provenance from strongest to weakest: a derived number is as weak as its weakest input."""


def weakest_status(*statuses: str, derived: bool = True) -> str:
    """The provenance of a number computed from inputs of the given statuses.

    A number computed only from ``V`` inputs is ``C``; otherwise it takes the
    weakest input's status (``R`` below ``C``, ``S`` below all).

    Examples
    --------
    >>> weakest_status("V", "V")
    'C'
    >>> weakest_status("V", "R")
    'R'
    >>> weakest_status("V", derived=False)
    'V'
    """
    worst = max(statuses, key=STATUS_ORDER.index) if statuses else "V"
    if derived and worst == "V":
        return "C"
    return worst


class Parameters(BaseModel):
    """Base of every parameter model: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Provenance(Parameters):
    """Where a number comes from."""

    status: Status
    source: Annotated[str, Field(min_length=1)]


class LineBase(Provenance):
    """A survey-based poverty line: the base that CPI updates carry forward."""

    year: Annotated[int, Field(ge=1990, le=2100)]
    line: Annotated[float, Field(gt=0)]


class Quantity(Provenance):
    """A positive number with a unit."""

    value: Annotated[float, Field(gt=0)]
    unit: str


class CpiInflation(Parameters):
    """Annual national CPI inflation, percent, with a status for every year."""

    status_by_year: dict[int, Status]
    source: str
    percent: dict[int, Annotated[float, Field(gt=-100)]]

    @model_validator(mode="after")
    def _years(self) -> CpiInflation:
        years = sorted(self.percent)
        if not years:
            raise ValueError("percent: no years")
        gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
        if gaps:
            raise ValueError(f"percent: years must be consecutive; missing {gaps}")
        no_status = sorted(set(years) - set(self.status_by_year))
        if no_status:
            raise ValueError(f"status_by_year: no status for {no_status}")
        return self


class CpiIndex(Provenance):
    """How the national CPI index is chained from the inflation rates."""

    base_year: int
    base_value: Annotated[float, Field(gt=0)]


class ReferenceGroupSpec(Provenance):
    """The reference group of a cost-of-basic-needs line, as quantiles of welfare."""

    quantiles: tuple[Annotated[float, Field(ge=0, le=1)], Annotated[float, Field(ge=0, le=1)]]

    @model_validator(mode="after")
    def _ordered(self) -> ReferenceGroupSpec:
        if not self.quantiles[0] < self.quantiles[1]:
            raise ValueError(f"quantiles must be increasing; got {list(self.quantiles)}")
        return self


class BandSpec(Provenance):
    """Half-width of the band around the food line, and how many nested bands to average."""

    value: Annotated[float, Field(gt=0, lt=1)]
    steps: Annotated[int, Field(ge=1)] = 1


class CostOfBasicNeedsSpec(Parameters):
    """Defaults of the cost-of-basic-needs method."""

    reference_group: ReferenceGroupSpec
    band: BandSpec


class PovertyLinesParameters(Parameters):
    """``parameters/poverty_lines.yaml``: official line bases, calorie norm, CPI."""

    currency: str
    bases: Annotated[list[LineBase], Field(min_length=1)]
    calorie_norm: Quantity
    cpi_inflation: CpiInflation
    cpi_index: CpiIndex
    cost_of_basic_needs: CostOfBasicNeedsSpec

    @model_validator(mode="after")
    def _consistent(self) -> PovertyLinesParameters:
        years = [b.year for b in self.bases]
        if years != sorted(set(years)):
            raise ValueError(f"bases: years must be unique and increasing; got {years}")
        first, last = min(self.cpi_inflation.percent), max(self.cpi_inflation.percent)
        # The index of year t needs the inflation of t (going forward) or t+1 (going back).
        covered = range(first - 1, last + 1)
        for year in (self.cpi_index.base_year, *years):
            if year not in covered:
                raise ValueError(f"year {year} is outside the CPI series ({first - 1}-{last})")
        return self


PARAMETER_MODELS: dict[str, type[Parameters]] = {
    "poverty_lines": PovertyLinesParameters,
}
"""The model that validates each parameter file, by file name without ``.yaml``."""

M = TypeVar("M", bound=Parameters)


def parameters_dir() -> Path:
    """The ``parameters/`` directory (see the module docstring for the search order).

    Raises
    ------
    ParameterError
        If ``WORKBENCH_PARAMETERS`` names a missing directory, or none is found.
    """
    return _find_dir(os.environ.get(PARAMETERS_ENV) or None, os.getcwd())


@lru_cache(maxsize=8)
def _find_dir(env: str | None, cwd: str) -> Path:
    if env:
        path = Path(env).expanduser()
        if not path.is_dir():
            raise ParameterError(
                f"{PARAMETERS_ENV}={env!r} is not a directory; "
                "point it at the parameters/ folder or unset it"
            )
        return path
    here = Path(__file__).resolve()
    candidates = [p / "parameters" for p in here.parents if (p / "pyproject.toml").is_file()]
    start = Path(cwd).resolve()
    candidates += [p / "parameters" for p in (start, *start.parents)]
    for path in candidates:
        if path.is_dir():
            return path
    raise ParameterError(
        f"no parameters/ directory found from {cwd} or the package location; "
        f"set {PARAMETERS_ENV} to the folder holding the parameter files"
    )


def parameter_file(name: str) -> Path:
    """Path of the parameter file ``name`` (``parameters/<name>.yaml``), which may not exist."""
    return parameters_dir() / f"{name}.yaml"


def load_parameters(name: str) -> Parameters:
    """Load and validate ``parameters/<name>.yaml``.

    The parsed model is cached and re-read only when the file changes (its
    modification time or size), so repeated calls are cheap.

    Parameters
    ----------
    name : str
        File name without ``.yaml``; a key of :data:`PARAMETER_MODELS`.

    Returns
    -------
    Parameters
        The validated, immutable model (for ``"poverty_lines"``, a
        :class:`PovertyLinesParameters`).

    Raises
    ------
    ParameterError
        Unknown name, missing file, invalid YAML, or a key that breaks the model;
        the message names the file and the key.

    Examples
    --------
    >>> load_parameters("poverty_lines").bases[0].line
    76896.0
    """
    if name not in PARAMETER_MODELS:
        raise ParameterError(
            f"no model for parameter file {name!r}; known: {', '.join(sorted(PARAMETER_MODELS))}"
        )
    return load_model(parameter_file(name), PARAMETER_MODELS[name])


def load_model(path: str | os.PathLike[str], model: type[M]) -> M:
    """Load a YAML file and validate it against ``model``, cached until the file changes.

    An empty file is an empty mapping (every key at its default, if it has one).

    Raises
    ------
    ParameterError
        A missing file, invalid YAML, or keys that break the model; the message
        names the file and every invalid key.
    """
    try:
        stat = os.stat(path)
    except OSError:
        raise ParameterError(f"parameter file {path} not found") from None
    return _load(str(path), stat.st_mtime_ns, stat.st_size, model)


def load_optional(name: str, model: type[M], path: str | os.PathLike[str] | None = None) -> M:
    """``parameters/<name>`` (or ``path``) validated against ``model``; the model's defaults
    when there is no such file (every key of ``model`` must have a default).

    Raises
    ------
    ParameterError
        Invalid YAML or keys that break the model (see :func:`load_model`).
    """
    if path is None:
        try:
            path = parameters_dir() / name
        except ParameterError:
            return model()
    return load_model(path, model) if Path(path).is_file() else model()


@lru_cache(maxsize=32)
def _load(path: str, mtime_ns: int, size: int, model: type[M]) -> M:
    name = Path(path).name
    try:
        with open(path, encoding="utf-8") as fh:
            raw = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{name}: not valid YAML: {exc}") from None
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise ParameterError(f"{name}: expected a mapping of keys at the top level")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(part) for part in err["loc"]) or "(top level)"
            value = err.get("input")
            scalar = isinstance(value, (int, float, str, bool)) and err["type"] != "missing"
            found = f" (found {value!r})" if scalar else ""
            problems.append(f"{key}: {err['msg']}{found}")
        raise ParameterError(
            f"{name}: {len(problems)} invalid key(s): " + "; ".join(problems) + f". Fix {path}."
        ) from None
