"""The ``workbench`` command line.

Each subcommand group lives in its own module and registers itself on
:data:`app`. A :class:`~workbench.errors.WorkbenchError` becomes one red line on
stderr and exit code 2; only a bug shows a traceback.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from workbench.errors import WorkbenchError

err_console = Console(stderr=True, highlight=False)


class _Commands(TyperGroup):
    """The top-level group: a user error becomes one red line and exit code 2."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except WorkbenchError as exc:
            err_console.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=_Commands,
    name="workbench",
    help="Poverty workbench of the Poverty Reduction Strategy directorate, Ministry of Planning, Iraq.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


# Subcommand modules, each registering its commands on ``app`` when imported.
_COMMANDS = ("data", "estimate", "batch", "publish", "dashboard")


def _register() -> None:
    import importlib
    import importlib.util

    for name in _COMMANDS:
        # TODO(integration): drop the find_spec guard once every module exists.
        if importlib.util.find_spec(f"workbench.cli.{name}") is not None:
            importlib.import_module(f"workbench.cli.{name}")


_register()


def main() -> None:
    """Console entry point: run the app and turn user errors into one line and exit code 2."""
    try:
        app()
    except WorkbenchError as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted[/]")
        sys.exit(130)
