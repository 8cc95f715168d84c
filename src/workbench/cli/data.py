"""``workbench data``: demo data and the canonical data model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from workbench.cli import app

data_app = typer.Typer(help="Demo data and the canonical data model.", no_args_is_help=True)
app.add_typer(data_app, name="data")


@data_app.command("model")
def model_command() -> None:
    """Print the canonical data model as Markdown (the text of docs/data.md)."""
    from workbench.data.docs import model_markdown

    typer.echo(model_markdown())


def _years(text: str | None) -> list[int] | None:
    """Parse ``--years 2007,2012``; a bad entry is a ParameterError naming it."""
    from workbench.errors import ParameterError

    if text is None:
        return None
    years = []
    for part in text.split(","):
        try:
            years.append(int(part.strip()))
        except ValueError:
            raise ParameterError(f"--years: {part.strip()!r} is not a year; give years separated "
                                 "by commas, such as 2007,2012,2018,2024") from None
    return years


@data_app.command("demo")
def demo_command(
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same bytes.")] = 0,
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("data/demo"),
    years: Annotated[str | None, typer.Option(
        help="Survey rounds, comma-separated (default: every round with targets in "
             "parameters/demo.yaml: 2007,2012,2018,2024).")] = None,
    census_households: Annotated[int, typer.Option(
        help="Rows of the census frame; 7,500,000 (the national count) works in bounded "
             "memory.")] = 200_000,
    households: Annotated[int | None, typer.Option(
        help="Planned households per survey round (default: design.households in demo.yaml, "
             "25,000).")] = None,
    chunk_size: Annotated[int, typer.Option(
        help="Frame rows generated and written at a time.")] = 250_000,
) -> None:
    """Write the SYNTHETIC demo data (survey rounds, census frame, SPN registry and panel, CPI).

    Calibrated to published poverty headcounts by governorate (parameters/demo.yaml):
    every file says synthetic=true, and data/demo/manifest.json holds the calibration report.
    """
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from workbench.cli import err_console
    from workbench.data.demo import generate

    start = time.perf_counter()
    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("demo data", total=None)
        manifest = generate(
            out, seed=seed, years=_years(years), census_households=census_households,
            households=households, chunk_size=chunk_size,
            progress=lambda text, done, total: bar.update(task, description=text, completed=done,
                                                          total=total))
    table = Table(title=f"Synthetic demo data in {out} (seed {seed})", title_justify="left")
    for name in ("round", "line (IQD)", "national target %", "achieved %",
                 "worst governorate miss (points)"):
        table.add_column(name, justify="right")
    for year, rep in manifest["calibration"].items():
        govs = rep["headcount"]["governorates"].values()
        worst = max(abs(g["achieved"] - g["target"]) for g in govs)
        nat = rep["headcount"]["national"]
        table.add_row(year, f"{rep['line']['value']:,.0f}", f"{nat['target']:.2f}",
                      f"{nat['achieved']:.2f}", f"{worst:.2f}")
    err_console.print(table)
    rows = sum(f["rows"] for f in manifest["files"].values())
    err_console.print(f"{len(manifest['files'])} files, {rows:,} rows, "
                      f"{time.perf_counter() - start:.1f} s; manifest: {out / 'manifest.json'}")


@data_app.command("check")
def check_command(
    file: Path = typer.Argument(..., help="Survey file: CSV, Parquet, .dta or .sav."),
    mapping: str | None = typer.Option(None, help="Mapping in parameters/surveys/ (e.g. ihses2012) "
                                       "or a YAML path; none if the file is already canonical."),
    lonely_psu: str | None = typer.Option(None, help="Policy for strata with one PSU: fail, centre, merge."),
) -> None:
    """Validate a survey file against the canonical model without changing it.

    Prints a one-line summary when the file is good; otherwise one line per broken rule
    (file, column, rule, count, first household ids) and exit code 2.
    """
    from workbench.cli import err_console
    from workbench.data import load_survey

    survey = load_survey(file, mapping, lonely_psu=lonely_psu)
    err_console.print(
        f"[green]ok:[/] {file.name}: {len(survey):,} households, {survey['psu'].nunique():,} PSUs in "
        f"{survey['stratum'].nunique()} strata, {survey['governorate'].nunique()} governorates, "
        f"rounds {', '.join(map(str, sorted(survey['year'].unique())))}"
    )


@data_app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="Survey file: CSV, Parquet, .dta or .sav."),
    out: Path = typer.Argument(..., help="Canonical Parquet file to write, e.g. "
                               "data/private/survey_2012.parquet (keep licensed data out of git)."),
    mapping: str | None = typer.Option(None, help="Mapping in parameters/surveys/ or a YAML path."),
    lonely_psu: str | None = typer.Option(None, help="Policy for strata with one PSU: fail, centre, merge."),
) -> None:
    """Validate a survey file and write it in the canonical model, ready for `workbench batch`.

    The source file is only read. The output is written atomically; point a copy of
    parameters/batch.yaml at its folder (data_dir) and run `workbench batch --config COPY`.
    """
    import pyarrow as pa

    from workbench.cli import err_console
    from workbench.data import load_survey
    from workbench.data.demo.output import write_parquet

    survey = load_survey(file, mapping, lonely_psu=lonely_psu)
    out.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(survey, preserve_index=False)
    synthetic = b"true" if survey.attrs.get("synthetic") else b"false"
    table = table.replace_schema_metadata({b"synthetic": synthetic, b"source": file.name.encode()})
    write_parquet(out, table)
    err_console.print(f"[green]wrote[/] {out}: {len(survey):,} households from {file.name}")
