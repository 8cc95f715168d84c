"""One locked-down Voila server for every registered dashboard (``workbench dashboard``).

Why one tree-mode server rather than one single-notebook server per dashboard:
one port, one base URL and one reverse-proxy rule for all dashboards, one
pre-heated kernel pool per dashboard in one process, and adding a dashboard
needs no change to the deployment. Voila's tree mode exposes a file listing
(``/voila/tree``, ``/voila/api/contents``) and renders any notebook under its
root; :class:`DashboardServer` removes those routes instead of configuring them:

- ``/`` is the bilingual list of the registered dashboards (not a file tree);
- ``/voila/render/<name>.ipynb`` renders a registered dashboard, and nothing
  else (the route is the alternation of the registered names); ``/<name>``
  redirects there;
- ``/voila/tree``, ``/voila/api/contents``, ``/api/contents``, ``/tree``,
  ``/notebooks``, ``/lab`` and every other address are a friendly 404;
- what the Voila page needs stays: its static files, labextensions and themes,
  ``/api/kernels/<id>`` and its websocket (whose messages Voila limits to widget
  comms: a viewer cannot execute code), the pre-heat query socket and the
  kernel shutdown call;
- ``/voila/files/`` serves only images and CSS under the dashboards' folder.

Sources are stripped and tracebacks never sent (both forced after Voila reads
its config files), the template and theme cannot be overridden from the URL,
kernels idle for ``cull_idle_minutes`` are stopped, and the server listens on
127.0.0.1 unless told otherwise. Authentication belongs to the reverse proxy
(docs/dashboards.md).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from jupyter_server.utils import url_path_join
from traitlets import List, Unicode
from traitlets.config import Config
from voila.app import Voila
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from workbench.dashboards.page import DASHBOARDS
from workbench.dashboards.store import RESULTS_ENV
from workbench.dashboards.web import (
    SECURITY_HEADERS,
    AliasHandler,
    DashboardHandler,
    IndexHandler,
    NotFoundHandler,
    TemplateFilesHandler,
    friendly,
)
from workbench.errors import ParameterError

__all__ = ["DashboardServer", "ServeOptions", "notebooks_dir", "serve", "voila_config"]

LOG = logging.getLogger("workbench.dashboards.server")

#: Files ``/voila/files/`` may serve from the dashboards' folder.
FILE_ALLOWLIST = [r"[\w\-/]*\.(png|jpg|jpeg|gif|svg|css)"]
FILE_DENYLIST = [r".*\.(ipynb|py|json|yaml|parquet|csv)", r"(.*/)?\..*"]


@dataclass(frozen=True)
class ServeOptions:
    """What ``workbench dashboard`` was asked for."""

    host: str = "127.0.0.1"
    port: int = 8866
    base_url: str = "/"
    results: Path = Path("reports/results")
    notebooks: Path = Path("notebooks/dashboards")
    pool_size: int = 2
    cull_idle_minutes: int = 30


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def notebooks_dir(start: Path | None = None) -> Path:
    """``notebooks/dashboards`` at or above ``start`` (the current directory).

    Raises
    ------
    ParameterError
        If there is none.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "notebooks" / "dashboards"
        if candidate.is_dir():
            return candidate
    raise ParameterError(f"no notebooks/dashboards folder at or above {here}; run from the project "
                         "root or pass --notebooks")


def voila_config(options: ServeOptions) -> Config:
    """The Voila configuration of the hardened server."""
    names = list(DASHBOARDS)
    pool = max(options.pool_size, 0)
    c = Config()
    c.Voila.ip = options.host
    c.Voila.port = options.port
    c.Voila.port_retries = 0
    c.Voila.base_url = options.base_url
    c.Voila.open_browser = False
    c.Voila.root_dir = str(options.notebooks)
    c.Voila.tornado_settings = {"headers": dict(SECURITY_HEADERS)}
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.allow_template_override = "NO"
    c.VoilaConfiguration.allow_theme_override = "NO"
    c.VoilaConfiguration.file_allowlist = FILE_ALLOWLIST
    c.VoilaConfiguration.file_denylist = FILE_DENYLIST
    c.VoilaConfiguration.preheat_kernel = pool > 0
    c.VoilaConfiguration.default_pool_size = pool
    # A pool for each registered dashboard, none for any other notebook in the folder.
    c.VoilaKernelManager.kernel_pools_config = {"default": {"pool_size": 0},
                                                **{f"{n}.ipynb": {"pool_size": pool} for n in names}}
    c.MappingKernelManager.cull_idle_timeout = 60 * options.cull_idle_minutes
    c.MappingKernelManager.cull_interval = 60
    c.DashboardServer.dashboards = names
    return c


class DashboardServer(Voila):
    """Voila in tree mode with its routes cut down to the registered dashboards (see the module)."""

    name = "workbench-dashboard"
    dashboards = List(Unicode(), help="Registered dashboard names (notebook stems).").tag(config=True)

    def initialize(self, argv: list[str] | None = None) -> None:
        super().initialize(argv)
        # Voila has read its config files: force the settings the hardening rests on.
        vc = self.voila_configuration
        vc.strip_sources = True
        vc.show_tracebacks = False
        vc.allow_template_override = "NO"
        vc.allow_theme_override = "NO"
        vc.file_allowlist = FILE_ALLOWLIST
        vc.file_denylist = FILE_DENYLIST
        vc.progressive_rendering = False
        vc.prelaunch_hook = None

    def init_settings(self) -> dict:
        settings = super().init_settings()
        settings["default_handler_class"] = NotFoundHandler
        settings["headers"] = dict(SECURITY_HEADERS)
        return settings

    def init_handlers(self) -> list:
        # No file tree, no contents API, no catch-all renderer, no login pages (the proxy authenticates).
        removed = {TornadoVoilaTreeHandler, TornadoVoilaHandler, VoilaContentsHandler,
                   *(h[1] for h in self.identity_provider.get_handlers())}
        handlers = []
        for pattern, cls, *kwargs in super().init_handlers():
            if cls in removed:
                continue
            cls = TemplateFilesHandler if cls is TemplateStaticFileHandler else friendly(cls)
            handlers.append((pattern, cls, *kwargs))
        names = "|".join(re.escape(n) for n in self.dashboards)
        render = {"template_paths": self.template_paths, "config": self.config,
                  "voila_configuration": self.voila_configuration}
        listing = [(n, DASHBOARDS[n].title_key, DASHBOARDS[n].summary_key) for n in self.dashboards]
        handlers += [
            (self.server_url, IndexHandler, {"dashboards": listing}),
            (url_path_join(self.server_url, rf"/voila/render/((?:{names})\.ipynb)"), DashboardHandler, render),
            (url_path_join(self.server_url, rf"/({names})/?"), AliasHandler),
        ]
        return handlers


def serve(options: ServeOptions) -> None:
    """Run the dashboard server until interrupted (blocks).

    Raises
    ------
    ParameterError
        If the notebooks folder lacks a registered dashboard's notebook.
    """
    notebooks = Path(options.notebooks).resolve()
    missing = [n for n in DASHBOARDS if not (notebooks / f"{n}.ipynb").is_file()]
    if missing:
        raise ParameterError(f"{notebooks}: no notebook for dashboard(s) {', '.join(missing)}; expected "
                             f"{', '.join(n + '.ipynb' for n in missing)}")
    base = options.base_url if options.base_url.endswith("/") else options.base_url + "/"
    if not base.startswith("/"):
        raise ParameterError(f"--base-url must start with '/'; got {options.base_url!r}")
    os.environ[RESULTS_ENV] = str(Path(options.results).resolve())
    params = notebooks.parent.parent / "parameters"
    if params.is_dir():
        os.environ.setdefault("WORKBENCH_PARAMETERS", str(params))
    if not _is_loopback(options.host):
        LOG.warning("listening on %s, not loopback: the dashboards have no login of their own; put them "
                    "behind a reverse proxy with authentication (docs/dashboards.md)", options.host)
    resolved = ServeOptions(**{**options.__dict__, "notebooks": notebooks, "base_url": base})
    app = DashboardServer(config=voila_config(resolved))
    app.initialize(argv=[])
    app.start()
