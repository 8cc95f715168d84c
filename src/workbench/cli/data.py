"""``workbench data``: demo data and the canonical data model."""

from __future__ import annotations

import typer

from workbench.cli import app

data_app = typer.Typer(help="Demo data and the canonical data model.", no_args_is_help=True)
app.add_typer(data_app, name="data")


@data_app.command("model")
def model_command() -> None:
    """Print the canonical data model as Markdown (the text of docs/data.md)."""
    from workbench.data.docs import model_markdown

    typer.echo(model_markdown())
