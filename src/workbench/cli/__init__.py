"""The ``workbench`` command line.

Each subcommand group lives in its own module and registers itself on
:data:`app`. A :class:`~workbench.errors.WorkbenchError` becomes one red line on
stderr and exit code 2; only a bug shows a traceback.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from workbench.errors import WorkbenchError

app = typer.Typer(
    name="workbench",
    help="Poverty workbench of the Poverty Reduction Strategy directorate, Ministry of Planning, Iraq.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err_console = Console(stderr=True, highlight=False)


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
        err_console.print(f"[bold red]error:[/] {exc}", soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted[/]")
        sys.exit(130)
