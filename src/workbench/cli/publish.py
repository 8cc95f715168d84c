"""``workbench publish``: executed notebooks to the HTML site and the PDFs, in English and Arabic."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from workbench.cli import app


def _split(values: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in values.split(",") if v.strip())


@app.command("publish")
def publish_command(
    engine: Annotated[str, typer.Option(
        help="auto (Quarto when on PATH, else pandoc), quarto or pandoc.")] = "auto",
    lang: Annotated[str, typer.Option(help="Editions, comma-separated: en, ar.")] = "en,ar",
    format: Annotated[str, typer.Option(
        "--format", help="Outputs, comma-separated: html, pdf.")] = "html,pdf",
    executed: Annotated[Path, typer.Option(
        help="Executed notebooks: <notebook>/<year>/<place>[.ar].ipynb.")] = Path("reports/executed"),
    out: Annotated[Path, typer.Option(help="The site folder.")] = Path("reports/_site"),
    results: Annotated[Path, typer.Option(
        help="The batch's collected results (estimates.parquet), for the landing page.")] = Path("reports/results"),
    manifest: Annotated[Path | None, typer.Option(
        help="The batch's run manifest: runs whose last attempt failed are listed as failed, not "
             "published [default: manifest.sqlite beside --executed].")] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", help="Render processes [default: the cores available].")] = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Fail a report whose chart has no static image (default: a visible placeholder).")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Render everything, even outputs whose inputs are unchanged.")] = False,
    shared_assets: Annotated[bool, typer.Option(
        "--shared-assets", help="Load plotly.js from assets/ instead of inlining it in every page "
                                "(smaller site; pages can no longer be emailed alone).")] = False,
) -> None:
    """Render the executed notebooks to reports/_site: HTML pages and PDFs, in both languages.

    Never executes a notebook. The pandoc engine works offline (pandoc from
    pypandoc-binary, Typst from the typst package, chart images from kaleido and
    Chromium); the Quarto engine runs `quarto render` on reports/_quarto.yml.
    Runs that failed in the last batch are listed on the site with their errors,
    never published from an older notebook. Exit code 1 when a report failed to render.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from workbench.publish import pick_engine, publish
    from workbench.publish.sources import MANIFEST_NAME, discover, read_runs

    console = Console(stderr=True, highlight=False)
    langs, formats = _split(lang), _split(format)
    chosen = pick_engine(engine)
    console.print(f"engine: [bold]{chosen}[/]" + (" (auto: no quarto on PATH)" if engine == "auto"
                                                 and chosen == "pandoc" else ""))
    manifest = manifest or executed.parent / MANIFEST_NAME
    total = len(discover(executed, langs, runs=read_runs(manifest)))
    failed = 0
    with Progress(TextColumn("[bold]publish"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[status]}"), TimeElapsedColumn(), console=console,
                  transient=False) as progress:
        task = progress.add_task("publish", total=total, status="")

        def on_done(report, error) -> None:  # type: ignore[no-untyped-def]
            nonlocal failed
            failed += error is not None
            progress.update(task, advance=1, status=f"[red]{failed} failed[/]" if failed else "")

        result = publish(executed, out, engine=chosen, langs=langs, formats=formats, jobs=jobs,
                         strict=strict, shared_assets=shared_assets, force=force,
                         results=results if results.is_dir() else None, manifest=manifest, on_done=on_done)
    for key, problems in result.problems.items():
        for problem in problems:
            console.print(f"[yellow]placeholder[/] {key}: {problem}")
    for run in result.failed_runs:
        console.print(f"[red]batch run failed[/] {run.lang}/{run.key}: {run.error} (listed as failed on the site)")
    for key, reason in result.failures.items():
        console.print(f"[red]failed[/] {key}: {reason.strip().splitlines()[-1]}")
    n_ok = len(result.rendered)
    console.print(f"[green]{n_ok} report(s) rendered[/], {result.skipped} up to date, "
                  f"with {result.engine} in {result.seconds:.1f} s"
                  f" -> {out}/index.html" + (f"; [red]{len(result.failures)} failed[/]" if result.failures else "")
                  + (f"; [red]{len(result.failed_runs)} batch run(s) failed[/], listed on the site"
                     if result.failed_runs else ""))
    if result.failures:
        raise typer.Exit(1)
