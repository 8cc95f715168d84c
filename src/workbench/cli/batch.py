"""``workbench batch``: run the parameterised notebooks for every governorate and year."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from workbench.cli import app


@app.command("batch")
def batch_command(
    governorate: Annotated[list[str] | None, typer.Option(
        "--governorate", "-g",
        help="Only this governorate (any spelling; repeat for more).")] = None,
    year: Annotated[list[int] | None, typer.Option(
        "--year", "-y", help="Only this survey round (repeat for more).")] = None,
    notebook: Annotated[list[str] | None, typer.Option(
        "--notebook", "-n", help="Only this notebook (repeat for more).")] = None,
    lang: Annotated[list[str] | None, typer.Option(
        "--lang", "-l", help="Only this edition: en or ar (repeat for both).")] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", help="Local worker processes (default: the cores available).")] = None,
    executor: Annotated[str, typer.Option(
        help="Where runs execute: local (worker processes) or dask (a cluster).")] = "local",
    scheduler: Annotated[str | None, typer.Option(
        help="Dask scheduler address for --executor dask, e.g. tcp://HOST:8786.")] = None,
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed", help="Run only the runs whose last attempt failed.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Run everything, even runs whose inputs are unchanged.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="List what would run and what is up to date; run nothing.")] = False,
    config: Annotated[Path, typer.Option(
        help="The batch file.")] = Path("parameters/batch.yaml"),
) -> None:
    """Execute the notebooks of parameters/batch.yaml with papermill, in parallel.

    Writes reports/executed/<notebook>/<year>/<governorate>[.ar].ipynb with a
    .figures.json sidecar each, records every run in reports/manifest.sqlite
    and collects the key figures into reports/results/. Runs whose inputs
    (notebook, parameters, data files, package) are unchanged since they last
    succeeded are skipped. Exit code 1 when a run failed; see the summary.
    """
    from rich.console import Console
    from rich.table import Table

    from workbench.batch.runner import run_batch

    console = Console(stderr=True, highlight=False)
    result = run_batch(config, governorates=governorate, years=year, notebooks=notebook,
                       languages=lang, jobs=jobs, executor=executor,  # type: ignore[arg-type]
                       scheduler=scheduler, retry_failed=retry_failed, force=force,
                       dry_run=dry_run, console=console)
    if dry_run:
        for run in result.pending:
            typer.echo(f"run   {run.label}")
        for rec in result.records:
            typer.echo(f"skip  {rec.notebook} {rec.year} {rec.governorate} {rec.lang}")
        typer.echo(f"{len(result.pending)} to run, {len(result.records)} up to date")
        return
    if result.removed_partials:
        console.print(f"[yellow]removed {result.removed_partials} temp file(s) of runs "
                      "interrupted earlier[/]")
    failed = result.failed
    if failed:
        table = Table(title=f"{len(failed)} failed run(s)", title_style="bold red")
        for col in ("notebook", "year", "governorate", "lang", "error", "notebook file"):
            table.add_column(col, overflow="fold")
        for rec in failed:
            table.add_row(rec.notebook, str(rec.year), rec.governorate, rec.lang,
                          rec.error or "", rec.output or "-")
        console.print(table)
    console.print(
        f"[green]{result.count('done')} done[/], [red]{result.count('failed')} failed[/], "
        f"[dim]{result.count('skipped')} skipped[/] (up to date)"
        + (f"; results in {result.results['estimates'].parent}" if result.results else "")
    )
    if failed:
        console.print("[red]rerun the failed runs with `workbench batch --retry-failed`[/]")
        raise typer.Exit(1)
