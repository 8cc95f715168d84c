"""``workbench dashboard``: serve the Voila dashboards on loopback, hardened."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from workbench.cli import app


@app.command("dashboard")
def dashboard_command(
    host: Annotated[str, typer.Option(
        help="Address to listen on. Keep 127.0.0.1 and publish through a reverse proxy "
             "with authentication.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8866,
    base_url: Annotated[str, typer.Option(
        "--base-url", help="URL prefix when served under a path of a reverse proxy, e.g. /dashboards/.")] = "/",
    results: Annotated[Path, typer.Option(
        help="The batch's results folder (estimates.parquet, key_figures.json).")] = Path("reports/results"),
    notebooks: Annotated[Path | None, typer.Option(
        help="Folder of the dashboard notebooks [default: notebooks/dashboards of the project].")] = None,
    pool_size: Annotated[int | None, typer.Option(
        "--pool-size", min=0, max=16,
        help="Pre-heated kernels kept ready per dashboard [default: parameters/dashboards.yaml, 2].")] = None,
) -> None:
    """Serve the dashboards (poverty explorer, strategy progress) with Voila.

    Open http://HOST:PORT/ for the list. Sources and tracebacks are never shown,
    there is no file browsing and no Jupyter endpoint beyond what the dashboards
    need. Without results (run `workbench batch` first) the dashboards say so.
    Stop with Ctrl-C.
    """
    from workbench.dashboards.server import ServeOptions, notebooks_dir, serve
    from workbench.dashboards.settings import load_settings

    settings = load_settings()
    options = ServeOptions(
        host=host, port=port, base_url=base_url, results=results,
        notebooks=notebooks if notebooks is not None else notebooks_dir(),
        pool_size=settings.pool_size if pool_size is None else pool_size,
        cull_idle_minutes=settings.cull_idle_minutes)
    typer.echo(f"dashboards at http://{host}:{port}{base_url if base_url.startswith('/') else '/' + base_url}"
               f" (results: {results})", err=True)
    serve(options)
