"""What a batch runs: ``parameters/batch.yaml`` and the command line's narrowing.

A batch file names the notebooks, the governorates (``all`` for the 18), the
survey rounds and the languages, and, per notebook, whether it runs once per
governorate or once per year, the files it reads and extra parameters.
:func:`plan_runs` expands it into one :class:`Run` per notebook x year x
governorate x language, narrowed by the command line's options.

Paths in the file are relative to the project root (the directory from which
``workbench batch`` runs). In ``reads``, ``{data_dir}``, ``{year}`` and
``{governorate}`` are replaced per run, and glob patterns (``*``) are allowed.

Examples
--------
>>> cfg = BatchConfig.model_validate({
...     "years": [2024], "languages": ["en"], "governorates": ["Basrah", "Duhok"],
...     "notebooks": {"profile": {"path": "notebooks/p.ipynb", "per": "governorate"}}})
>>> [(r.notebook, r.year, r.governorate) for r in plan_runs(cfg, root=Path("/repo"))]
[('profile', 2024, 'IQG02'), ('profile', 2024, 'IQG09')]
>>> plan_runs(cfg, root=Path("/repo"))[0].output
PosixPath('/repo/reports/executed/profile/2024/IQG02.ipynb')
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from workbench.errors import ParameterError, one_of
from workbench.geography import governorate as find_governorate
from workbench.geography import governorates as all_governorates

__all__ = [
    "DEFAULT_CONFIG",
    "NATIONAL",
    "BatchConfig",
    "Lang",
    "NotebookSpec",
    "Run",
    "load_config",
    "plan_runs",
]

Lang = Literal["en", "ar"]
NATIONAL = "national"
"""The ``<governorate>`` part of the output path of a notebook that runs once per year."""
DEFAULT_CONFIG = Path("parameters/batch.yaml")

DEFAULT_WARMUP = "import pandas, pyarrow.parquet, plotly.express, workbench"


class NotebookSpec(BaseModel):
    """One notebook of the batch.

    Attributes
    ----------
    path : str
        The notebook file, relative to the project root.
    per : {"governorate", "year"}
        Run once per governorate and year (the ``governorate`` parameter is
        injected), or once per year (no ``governorate`` parameter; the output is
        ``<year>/national.ipynb``).
    reads : list of str
        Files the notebook reads, for the incremental check (placeholders
        ``{data_dir}``, ``{year}``, ``{governorate}``; globs allowed).
    parameters : dict
        Extra parameters injected into every run of this notebook.
    years, languages : list, optional
        Override the batch's years or languages for this notebook.
    """

    model_config = ConfigDict(extra="forbid")

    path: str
    per: Literal["governorate", "year"]
    reads: list[str] = Field(default_factory=list)
    parameters: dict[str, Any] = Field(default_factory=dict)
    years: list[int] | None = None
    languages: list[Lang] | None = None


class BatchConfig(BaseModel):
    """The contents of ``parameters/batch.yaml``.

    Attributes
    ----------
    notebooks : dict of str to NotebookSpec
        Notebooks by name (the name is the first folder of the output path).
    governorates : "all" or list of str
        ``all`` for the 18 governorates, or names in any spelling.
    years : list of int
        Survey rounds.
    languages : list of {"en", "ar"}
        Editions; ``lang`` is injected into every run.
    data_dir : str
        Folder of the survey files, injected as the ``data_dir`` parameter.
    output_dir, manifest, results_dir : str
        Where executed notebooks, the run manifest and the results store go.
    kernel : str
        Jupyter kernel name.
    timeout : int
        Seconds a single cell may run before the run fails.
    warmup : str
        Code each warm kernel runs once at start (imports), so runs don't pay it.
    """

    model_config = ConfigDict(extra="forbid")

    notebooks: dict[str, NotebookSpec]
    governorates: Literal["all"] | list[str] = "all"
    years: list[int]
    languages: list[Lang] = Field(default_factory=lambda: ["en", "ar"])
    data_dir: str = "data/demo"
    output_dir: str = "reports/executed"
    manifest: str = "reports/manifest.sqlite"
    results_dir: str = "reports/results"
    kernel: str = "python3"
    timeout: int = Field(default=1800, gt=0)
    warmup: str = DEFAULT_WARMUP

    @field_validator("notebooks")
    @classmethod
    def _some_notebooks(cls, value: dict[str, NotebookSpec]) -> dict[str, NotebookSpec]:
        if not value:
            raise ValueError("at least one notebook is needed")
        return value


@dataclass(frozen=True)
class Run:
    """One execution of one notebook with one set of parameters.

    Attributes
    ----------
    notebook : str
        Notebook name from the batch file.
    source : Path
        The notebook file (absolute).
    year : int
    governorate : str
        OCHA P-code, or ``"national"`` for a per-year notebook.
    lang : {"en", "ar"}
    parameters : Mapping
        Everything injected into the ``parameters`` cell.
    output : Path
        Final path of the executed notebook (absolute).
    reads : tuple of str
        Dependency patterns, placeholders filled, absolute.
    """

    notebook: str
    source: Path
    year: int
    governorate: str
    lang: str
    parameters: Mapping[str, Any] = field(hash=False)
    output: Path
    reads: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, int, str, str]:
        """``(notebook, year, governorate, lang)``: a run's identity across batches."""
        return (self.notebook, self.year, self.governorate, self.lang)

    @property
    def figures(self) -> Path:
        """The key-figures sidecar beside the executed notebook."""
        return figures_path(self.output)

    @property
    def label(self) -> str:
        """Short human label, e.g. ``poverty_profile 2024 IQG18 en``."""
        return f"{self.notebook} {self.year} {self.governorate} {self.lang}"


def figures_path(notebook: Path) -> Path:
    """``<stem>.figures.json`` beside an executed notebook ``<stem>.ipynb``.

    Examples
    --------
    >>> figures_path(Path("r/2024/IQG01.ar.ipynb")).name
    'IQG01.ar.figures.json'
    """
    return notebook.with_name(notebook.name.removesuffix(".ipynb") + ".figures.json")


def load_config(path: str | os.PathLike[str] = DEFAULT_CONFIG) -> BatchConfig:
    """Read and validate a batch file.

    Raises
    ------
    ParameterError
        If the file is missing, not YAML, or breaks the schema (the message
        names the file and the key).
    """
    path = Path(path)
    if not path.is_file():
        raise ParameterError(
            f"batch file {path} not found; run `workbench batch` from the project root "
            "or pass --config PATH"
        )
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML ({exc})") from exc
    try:
        return BatchConfig.model_validate(raw or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or '(top)'}: {e['msg']}" for e in exc.errors()
        )
        raise ParameterError(f"{path}: {problems}") from exc


def _governorate_codes(names: Iterable[str] | Literal["all"]) -> list[str]:
    if names == "all":
        return [g.pcode for g in all_governorates()]
    return list(dict.fromkeys(find_governorate(n).pcode for n in names))


def _narrow(values: Sequence[Any], wanted: Sequence[Any] | None, what: str) -> list[Any]:
    if not wanted:
        return list(values)
    unknown = [w for w in wanted if w not in values]
    if unknown:
        raise ParameterError(one_of(unknown[0], values, what) + " (from parameters/batch.yaml)")
    return [v for v in values if v in wanted]


def plan_runs(
    config: BatchConfig,
    *,
    root: Path,
    governorates: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    notebooks: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
) -> list[Run]:
    """Expand a batch file into runs, narrowed by the command line.

    Parameters
    ----------
    config : BatchConfig
    root : Path
        Project root; the batch file's paths are relative to it.
    governorates : sequence of str, optional
        Keep these governorates (any spelling). Per-year notebooks are then
        left out unless ``notebooks`` names them.
    years, notebooks, languages : sequence, optional
        Keep these; each must be in the batch file.

    Returns
    -------
    list of Run
        In batch-file order: notebook, year, governorate, language.

    Raises
    ------
    ParameterError
        For a notebook, year or language not in the batch file.
    DataError
        For an unknown governorate (the message lists the valid ones).
    """
    root = Path(root).resolve()
    _check_asked(config, years, languages)
    names = _narrow(list(config.notebooks), notebooks, "notebook")
    govs = _governorate_codes(config.governorates)
    if governorates:
        wanted = _governorate_codes(governorates)
        outside = [g for g in wanted if g not in govs]
        if outside:
            raise ParameterError(f"governorate {outside[0]} is not in the batch file's "
                                 f"governorates ({', '.join(govs)})")
        govs = [g for g in govs if g in wanted]

    runs: list[Run] = []
    for name in names:
        spec = config.notebooks[name]
        if spec.per == "year" and governorates and not notebooks:
            continue
        spec_years = spec.years if spec.years is not None else config.years
        spec_langs = spec.languages if spec.languages is not None else config.languages
        targets = govs if spec.per == "governorate" else [NATIONAL]
        runs.extend(
            _run(config, spec, name, year, gov, lang, root)
            for year in spec_years if not years or year in years
            for gov in targets
            for lang in spec_langs if not languages or lang in languages
        )
    return runs


def _check_asked(config: BatchConfig, years: Sequence[int] | None,
                 languages: Sequence[str] | None) -> None:
    specs = config.notebooks.values()
    all_years = sorted({y for s in specs for y in (config.years if s.years is None else s.years)})
    all_langs = sorted({x for s in specs
                        for x in (config.languages if s.languages is None else s.languages)})
    _narrow(all_years, years, "year")
    _narrow(all_langs, languages, "language")


def _run(config: BatchConfig, spec: NotebookSpec, name: str, year: int, gov: str, lang: str,
         root: Path) -> Run:
    params: dict[str, Any] = {"year": year, "lang": lang, "data_dir": config.data_dir}
    if spec.per == "governorate":
        params["governorate"] = gov
    params.update(spec.parameters)
    stem = gov if lang == "en" else f"{gov}.{lang}"
    output = root / config.output_dir / name / str(year) / f"{stem}.ipynb"
    fill = {"data_dir": config.data_dir, "year": year, "governorate": gov}
    reads = tuple(str(root / pattern.format(**fill)) for pattern in spec.reads)
    return Run(name, root / spec.path, year, gov, lang, params, output, reads)
