"""``workbench estimate``: any estimate from a survey file, without a notebook."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import pandas as pd
import typer

from workbench.cli import app
from workbench.errors import DataError, ParameterError

# Canonical survey columns used as defaults when the file is in the canonical model.
CANONICAL_DESIGN = {"welfare": "consumption_pc", "weight": "weight", "strata": "stratum",
                    "psu": "psu", "hhsize": "hhsize"}
OUTPUT_COLUMNS = ["estimate", "se", "ci_low", "ci_high", "df", "n", "N"]


class Format(str, Enum):
    csv = "csv"
    json = "json"
    table = "table"


def read_input(source: str, data_dir: Path) -> tuple[pd.DataFrame, bool, int | None]:
    """Read ``FILE`` or ``demo:YEAR``; say whether it is the demo data and its year if known."""
    if source.startswith("demo:"):
        year = source.split(":", 1)[1]
        if not year.isdigit():
            raise ParameterError(f"demo source must be demo:YEAR, e.g. demo:2012; got {source!r}")
        path = data_dir / f"survey_{year}.parquet"
        if not path.exists():
            available = sorted(p.stem.removeprefix("survey_") for p in data_dir.glob("survey_*.parquet"))
            hint = f"available rounds: {', '.join(available)}" if available else "run `workbench data demo` first"
            raise DataError(f"no demo survey for {year} at {path}; {hint}")
        return pd.read_parquet(path), True, int(year)
    from workbench.data.load import read_table

    path = Path(source)
    if not path.exists():
        raise DataError(f"{source}: no such file")
    frame = read_table(path)
    year = int(frame["year"].iloc[0]) if "year" in frame and frame["year"].nunique() == 1 else None
    return frame, False, year


def resolve_line(text: str | None, year: int | None) -> float | None:
    """``--line``: a number, or ``official:YEAR`` for the CPI-updated official line."""
    if text is None:
        return None
    if text.startswith("official"):
        from workbench.poverty_lines import official_line

        _, _, y = text.partition(":")
        if not y and year is None:
            raise ParameterError("--line official needs a year: official:YEAR")
        return official_line(int(y) if y else year)
    try:
        value = float(text)
    except ValueError:
        raise ParameterError(f"--line must be a number or official:YEAR; got {text!r}") from None
    if value <= 0:
        raise ParameterError(f"--line must be positive; got {value:g}")
    return value


@app.command("estimate")
def estimate_command(
    file: str = typer.Argument(..., help="CSV, Parquet, .dta or .sav file, or demo:YEAR."),
    welfare: str = typer.Option(None, help="Welfare column (default: consumption_pc when canonical)."),
    weight: str = typer.Option(None, help="Household weight column."),
    strata: str = typer.Option(None, help="Stratum column."),
    psu: str = typer.Option(None, help="Primary sampling unit column."),
    hhsize: str = typer.Option(None, help="Household size column: person weights = weight x hhsize."),
    line: str = typer.Option(None, help="Poverty line: a number (IQD per person per month) or official:YEAR."),
    measures: str = typer.Option("fgt0", help="Comma-separated: fgt0,fgt1,fgt2,watts,sen,sst,poor,gini,"
                                              "theil,mld,atkinson1,atkinson2,palma,s80s20,mean; "
                                              "headcount,gap,severity are fgt0,fgt1,fgt2."),
    by: str = typer.Option(None, help="Domain column(s), comma-separated."),
    weighting: str = typer.Option("person", help="person or household."),
    lonely_psu: str = typer.Option("fail", help="Strata with one PSU: fail, centre or merge."),
    format: Format = typer.Option(Format.table, "--format", help="Output format."),
    data_dir: Path = typer.Option(Path("data/demo"), help="Where demo:YEAR looks for the demo data."),
) -> None:
    """Estimate poverty and inequality measures with design-based standard errors.

    Writes the tidy table (measure, domain columns, estimate, se, ci_low, ci_high, df, n, N)
    to standard output. Example: workbench estimate demo:2012 --line official:2012 --by governorate
    """
    from workbench.measures import estimate_measures, parse_measures
    from workbench.survey import SurveyDesign

    names = parse_measures(measures)
    if weighting not in ("person", "household"):
        raise ParameterError(f"--weighting must be person or household; got {weighting!r}")
    frame, is_demo, year = read_input(file, data_dir)
    canonical = all(c in frame.columns for c in CANONICAL_DESIGN.values())
    given = {"welfare": welfare, "weight": weight, "strata": strata, "psu": psu, "hhsize": hhsize}
    cols = {k: v if v is not None else (CANONICAL_DESIGN[k] if canonical else None) for k, v in given.items()}
    for required in ("welfare", "weight"):
        if cols[required] is None:
            raise ParameterError(f"--{required} is required for a file that is not in the canonical model")
    by_cols = [c.strip() for c in by.split(",")] if by else None
    for option, col in [*cols.items(), *(("by", c) for c in by_cols or [])]:
        if col is not None and col not in frame.columns:
            raise ParameterError(f"--{option} {col!r} is not a column of {file}; columns: "
                                 f"{', '.join(map(str, frame.columns))}")
    design = SurveyDesign(frame, weight=cols["weight"], strata=cols["strata"], psu=cols["psu"],
                          hhsize=cols["hhsize"], lonely_psu=lonely_psu)
    table = estimate_measures(design, cols["welfare"], names, line=resolve_line(line, year),
                              by=by_cols, weighting=weighting)
    table = table[["measure", *(by_cols or []), *OUTPUT_COLUMNS]]
    if format is Format.csv:
        table.to_csv(sys.stdout, index=False)
    elif format is Format.json:
        sys.stdout.write(table.to_json(orient="records", indent=1, double_precision=15) + "\n")
    else:
        if is_demo:
            typer.echo("SYNTHETIC DEMO DATA", err=True)
        typer.echo(readable(table).to_string(index=False))


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """The table for people: governorate names beside codes, rounded numbers, N with separators."""
    from workbench.geography import governorate

    out = table.copy()
    if "governorate" in out:
        names = {code: governorate(code).name_en for code in out["governorate"].unique()
                 if code != "national"}
        out.insert(out.columns.get_loc("governorate") + 1, "name",
                   out["governorate"].map(names).fillna(""))
    for col in ("estimate", "se", "ci_low", "ci_high"):
        out[col] = out[col].map(lambda v: f"{v:,.4f}" if abs(v) < 100 else f"{v:,.0f}")
    out["N"] = out["N"].map(lambda v: f"{v:,.0f}")
    return out
