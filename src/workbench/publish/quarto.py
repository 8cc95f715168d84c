"""The Quarto engine: stage print-ready copies of the project, then ``quarto render`` per language.

Quarto prints a plotly output that has no PNG as figure JSON in Typst PDFs, so
the stage (``reports/_build/.../quarto``) holds copies of the executed notebooks
with a PNG added to every chart (:func:`~workbench.publish.prepare.prepared_copy`),
the project's ``_quarto*.yml``, and a generated ``index.qmd`` listing the reports
in both languages (``when-profile`` blocks). Quarto is not installed on the
project's machines; :func:`stage_project` is tested, :func:`render` only where
Quarto exists.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import yaml

from workbench.errors import ParameterError, WorkbenchError
from workbench.i18n import tr
from workbench.publish.figures import FigureExporter
from workbench.publish.prepare import prepared_copy
from workbench.publish.sources import FailedRun, Report

__all__ = ["render", "stage_project"]


def _index(reports: list[Report], langs: tuple[str, ...], failed: Sequence[FailedRun] = ()) -> str:
    blocks = ["---", f"title: {yaml.safe_dump(tr('site.title', langs[0]), allow_unicode=True).strip()}", "---", ""]
    for lang in langs:
        mine = sorted((r for r in reports if r.lang == lang), key=lambda r: (r.notebook, -r.year, r.place))
        links = [f"- [{r.title(lang)}]({r.path.relative_to(r.path.parents[3]).as_posix()})" for r in mine]
        lost = [f"- {f.title(lang)}: `{f.error.replace('`', chr(39))}`" for f in failed if f.lang == lang]
        if lost:
            lost = [f"## {tr('site.failed_runs', lang)}", "", tr("site.failed_intro", lang), "", *lost, ""]
        blocks += [f'::: {{.content-visible when-profile="{lang}"}}', *lost, f"## {tr('site.all_reports', lang)}",
                   "", *links, ":::", ""]
    return "\n".join(blocks)


def stage_project(reports: list[Report], project: Path, stage: Path, export: FigureExporter,
                  langs: tuple[str, ...], *, failed: Sequence[FailedRun] = ()) -> Path:
    """Write the Quarto project to render into ``stage`` and return it.

    The generated ``index.qmd`` lists the reports of each language, and first the
    runs that failed, with their error summaries (``failed``).

    Raises
    ------
    ParameterError
        If ``project`` has no ``_quarto.yml``.
    """
    if not (project / "_quarto.yml").is_file():
        raise ParameterError(f"{project}: no _quarto.yml; the Quarto engine renders that project")
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    for cfg in sorted(project.glob("_quarto*.yml")):
        data = yaml.safe_load(cfg.read_text(encoding="utf-8")) or {}
        render = data.get("project", {}).get("render")
        if isinstance(render, list) and "index.qmd" not in render:
            render.insert(0, "index.qmd")
        (stage / cfg.name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for r in reports:
        prepared_copy(r.path, stage / r.path.relative_to(r.path.parents[3]), export)
    (stage / "index.qmd").write_text(_index(reports, langs, failed), encoding="utf-8")
    return stage


def render(stage: Path, out: Path, *, langs: tuple[str, ...], formats: tuple[str, ...], quarto: str) -> None:
    """Run ``quarto render`` on the staged project once per language profile.

    Raises
    ------
    WorkbenchError
        If Quarto exits non-zero; the message holds its last line of output.
    """
    to = "all" if len(formats) > 1 else {"html": "html", "pdf": "typst"}[formats[0]]
    for lang in langs:
        cmd = [quarto, "render", str(stage), "--profile", lang, "--to", to, "--output-dir", str(out / lang)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode:
            tail = (proc.stderr or proc.stdout).strip().splitlines()
            raise WorkbenchError(f"quarto render failed for {lang} (exit {proc.returncode}): "
                                 f"{tail[-1] if tail else 'no message'}")
