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
- ``/voila/files/`` serves only images and CSS under the dashboards' folder;
- ``/workbench/static/plotly-basic.min.js`` is the charts' plotly.js
  (:mod:`workbench.dashboards.chart`), the one file served from the package;
- the page loads only the JupyterLab extensions the dashboards need (the
  widget manager and anywidget), not every one installed: in particular not
  ``jupyterlab-plotly``, whose 4.8 MB of JavaScript the page would run first.

Sources are stripped and tracebacks never sent (both forced after Voila reads
its config files), the template and theme cannot be overridden from the URL,
kernels idle for ``cull_idle_minutes`` are stopped, and the server listens on
127.0.0.1 unless told otherwise. Authentication belongs to the reverse proxy
(docs/dashboards.md).

Every page is bounded: no cell may run longer than ``render_timeout`` seconds,
and a page not complete by then ends with the friendly message
(:class:`BoundedDashboardHandler`). The kernel clients that execute the
dashboards re-arm their shell socket after each send (:class:`RenderKernelClient`):
without that, a render among many concurrent ones could wait forever for an
``execute_reply`` that had already arrived (voila-dashboards/voila#1428; the
evidence is in docs/dashboards.md, "Many viewers at once").
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import logging
import os
import re
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import tornado.web
import zmq
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_server.utils import ensure_async, url_path_join
from traitlets import Float, List, Type, Unicode
from traitlets.config import Config
from voila.app import Voila
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from workbench.charts.plotlyjs import BASIC_BUNDLE
from workbench.dashboards.chart import BUNDLE_ROUTE
from workbench.dashboards.page import DASHBOARDS
from workbench.dashboards.settings import DashboardSettings, load_settings
from workbench.dashboards.store import RESULTS_ENV
from workbench.dashboards.web import (
    SECURITY_HEADERS,
    AliasHandler,
    BundleHandler,
    DashboardHandler,
    IndexHandler,
    NotFoundHandler,
    TemplateFilesHandler,
    friendly,
)
from workbench.errors import ParameterError
from workbench.i18n import tr

__all__ = [
    "BoundedDashboardHandler",
    "DashboardServer",
    "RenderKernelClient",
    "ServeOptions",
    "notebooks_dir",
    "serve",
    "stream_within",
    "voila_config",
]

LOG = logging.getLogger("workbench.dashboards.server")

#: Files ``/voila/files/`` may serve from the dashboards' folder.
FILE_ALLOWLIST = [r"[\w\-/]*\.(png|jpg|jpeg|gif|svg|css)"]
FILE_DENYLIST = [r".*\.(ipynb|py|json|yaml|parquet|csv)", r"(.*/)?\..*"]
#: The JupyterLab extensions a dashboard page loads (Voila's own are always loaded).
PAGE_EXTENSIONS = ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8", "anywidget"]
#: Seconds a page may take when the options do not say (the settings' default).
DEFAULT_RENDER_TIMEOUT = float(DashboardSettings.model_fields["render_timeout_seconds"].default)


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
    #: Seconds a page (and any cell) may take; None: ``render_timeout_seconds`` of the settings.
    render_timeout: float | None = None


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


class _RearmedShellChannel(AsyncZMQSocketChannel):
    """A kernel client's shell channel that re-arms its asyncio socket after every send.

    jupyter_client sends through a blocking shadow of the asyncio socket. libzmq
    then processes the socket's pending commands, which consumes the edge-triggered
    wake-up (``ZMQ_FD``) of a reply that arrived in the meantime; pyzmq re-checks
    ``ZMQ_EVENTS`` only after its own operations, so a poll already waiting for
    that reply is never woken. The executor sends on the shell channel while it
    waits: nbclient mirrors every output a dashboard draws into an
    ``ipywidgets.Output`` with a ``comm_msg`` (``nbclient/output_widget.py``).
    Reading ``ZMQ_EVENTS`` through the asyncio socket makes pyzmq look again and
    wake the waiting poll.
    """

    def send(self, msg: dict[str, Any]) -> None:
        super().send(msg)
        self.socket.get(zmq.EVENTS)


class RenderKernelClient(AsyncKernelClient):
    """The client Voila's executor talks to a kernel with: shell channel re-armed after sends.

    Set as ``ServerKernelManager.client_class`` by :func:`voila_config`; only
    the executor creates clients (the browser's websocket has its own sockets).
    """

    shell_channel_class = Type(_RearmedShellChannel)


async def stream_within(chunks: AsyncGenerator[str, None], send: Callable[[str], None], *, limit: float) -> int:
    """Pass each chunk of a streamed page to ``send``; the whole page within ``limit`` seconds.

    Parameters
    ----------
    chunks : async generator of str
        The page as Voila renders it (keep-alive heartbeats included); closed at the end.
    send : callable
        Writes and flushes one chunk to the viewer.
    limit : float
        Seconds for the whole page.

    Returns
    -------
    int
        Number of chunks sent.

    Raises
    ------
    TimeoutError
        The page was not complete within ``limit``; ``chunks`` is closed.

    Examples
    --------
    >>> async def page():
    ...     yield "<html>"
    ...     yield "</html>"
    >>> sent = []
    >>> asyncio.run(stream_within(page(), sent.append, limit=5))
    2
    """
    count = 0
    try:
        async with asyncio.timeout(limit):
            async for chunk in chunks:
                send(chunk)
                count += 1
    finally:
        await chunks.aclose()
    return count


def _abandoned_html(reload_url: str, base_url: str) -> str:
    """The end of a page that could not be completed: the friendly message, over the page."""
    sections = "".join(
        f'<section lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}" style="margin:0 0 16px">'
        f'<h2 style="color:#1f4e79">{html.escape(tr("dashboard.error.title", lang))}</h2>'
        f'<p>{html.escape(tr("dashboard.error.server_body", lang))}</p>'
        f'<p><a href="{html.escape(reload_url)}">{html.escape(tr("dashboard.missing.reload", lang))}</a>'
        f' · <a href="{html.escape(base_url)}">{html.escape(tr("dashboard.home", lang))}</a></p></section>'
        for lang in ("en", "ar"))
    return ('<div class="wb-render-failed" role="alert" style="position:fixed;inset:0;z-index:100000;'
            "overflow:auto;background:#f3f6f9;color:#222;padding:24px;"
            f"font-family:'Noto Sans','DejaVu Sans',Arial,sans-serif\">{sections}</div>")


class _PageKernels:
    """The server's kernel manager, noting the kernels that one page's render starts or takes
    from the pre-heated pool (Voila keeps their ids to itself)."""

    def __init__(self, manager: Any) -> None:
        self._manager = manager
        self.ids: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        kernel_id = await ensure_async(self._manager.start_kernel(*args, **kwargs))
        self.ids.append(kernel_id)
        return kernel_id

    async def get_rendered_notebook(self, *args: Any, **kwargs: Any) -> Any:
        task, cache, kernel_id = await self._manager.get_rendered_notebook(*args, **kwargs)
        self.ids.append(kernel_id)
        return task, cache, kernel_id


class BoundedDashboardHandler(DashboardHandler):
    """:class:`DashboardHandler` whose page is complete within ``render_timeout`` seconds.

    Voila's handler has no limit of its own: when its render task fails (say a
    kernel that never answers) it keeps sending keep-alive heartbeats for ever.
    Past the limit, or on an error, a viewer who has received nothing gets the
    friendly error page (503 or 500); one whose page has started gets the
    friendly message over it, and the kernel of the abandoned page is shut down
    (no viewer will ever connect to it; a busy one would never be culled). The
    server log has the cause.
    """

    def initialize(self, render_timeout: float, **kwargs: Any) -> None:
        super().initialize(**kwargs)
        self.render_timeout = render_timeout
        self._kernels = _PageKernels(self.settings["kernel_manager"])

    @property
    def kernel_manager(self) -> Any:
        return self._kernels

    async def _shut_down_kernels(self, path: str | None) -> None:
        for kernel_id in self._kernels.ids:
            try:
                await ensure_async(self.settings["kernel_manager"].shutdown_kernel(kernel_id, now=True))
                self.log.warning("%s: kernel %s of the abandoned page shut down", path, kernel_id)
            except Exception:  # gone already, or failing: the idle culler is the fallback
                self.log.exception("%s: could not shut down kernel %s", path, kernel_id)

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        sent = 0

        def send(chunk: str) -> None:
            nonlocal sent
            self.write(chunk)
            self.flush()
            sent += 1

        try:
            await stream_within(self.get_generator(path=path), send, limit=self.render_timeout)
        except tornado.web.HTTPError:
            raise
        except Exception as exc:  # any failure: logged; the viewer gets the friendly message
            timed_out = isinstance(exc, TimeoutError)
            if timed_out:
                self.log.error("%s: page not complete after %s s (%d chunks sent); abandoned",
                               path, self.render_timeout, sent)
            else:
                self.log.exception("%s: page failed after %d chunks", path, sent)
            await self._shut_down_kernels(path)
            if not sent:
                raise tornado.web.HTTPError(503 if timed_out else 500) from None
            self.finish(_abandoned_html(self.request.uri or "", self.settings.get("base_url", "/")))


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
    c.Voila.log_format = "[%(name)s %(asctime)s %(levelname)s] %(message)s"
    c.Voila.log_datefmt = "%Y-%m-%d %H:%M:%S"
    c.Voila.root_dir = str(options.notebooks)
    c.Voila.tornado_settings = {"headers": dict(SECURITY_HEADERS)}
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.allow_template_override = "NO"
    c.VoilaConfiguration.allow_theme_override = "NO"
    c.VoilaConfiguration.file_allowlist = FILE_ALLOWLIST
    c.VoilaConfiguration.file_denylist = FILE_DENYLIST
    c.VoilaConfiguration.extension_allowlist = PAGE_EXTENSIONS
    c.VoilaConfiguration.preheat_kernel = pool > 0
    c.VoilaConfiguration.default_pool_size = pool
    # A pool for each registered dashboard, none for any other notebook in the folder.
    c.VoilaKernelManager.kernel_pools_config = {"default": {"pool_size": 0},
                                                **{f"{n}.ipynb": {"pool_size": pool} for n in names}}
    # Kernels on Unix sockets in Voila's private connection folder, not loopback TCP ports: a
    # port picked free for a kernel can be taken (by any outgoing connection) before the kernel
    # binds it, and that kernel then never answers; files also keep other local users out.
    c.ServerKernelManager.transport = "ipc"
    # Every render: bounded, and woken by the replies it waits for (RenderKernelClient).
    limit = options.render_timeout if options.render_timeout is not None else DEFAULT_RENDER_TIMEOUT
    c.ServerKernelManager.client_class = f"{RenderKernelClient.__module__}.{RenderKernelClient.__name__}"
    c.VoilaExecutor.timeout = max(1, round(limit))  # seconds per cell (nbclient: 0 would mean none)
    c.VoilaExecutor.startup_timeout = max(1, round(min(limit, 60)))  # seconds for a kernel to answer
    c.VoilaExecutor.cell_timeout_instruction = " ".join(
        tr("dashboard.error.server_body", lang) for lang in ("en", "ar"))
    c.DashboardServer.render_timeout = float(limit)
    c.MappingKernelManager.cull_idle_timeout = 60 * options.cull_idle_minutes
    c.MappingKernelManager.cull_interval = 60
    c.DashboardServer.dashboards = names
    return c


class DashboardServer(Voila):
    """Voila in tree mode with its routes cut down to the registered dashboards (see the module)."""

    name = "workbench-dashboard"
    dashboards = List(Unicode(), help="Registered dashboard names (notebook stems).").tag(config=True)
    render_timeout = Float(DEFAULT_RENDER_TIMEOUT, help="Seconds a dashboard page may take.").tag(config=True)

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
        vc.extension_allowlist = PAGE_EXTENSIONS
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
                  "voila_configuration": self.voila_configuration, "render_timeout": self.render_timeout}
        listing = [(n, DASHBOARDS[n].title_key, DASHBOARDS[n].summary_key) for n in self.dashboards]
        handlers += [
            (self.server_url, IndexHandler, {"dashboards": listing}),
            (url_path_join(self.server_url, rf"/voila/render/((?:{names})\.ipynb)"), BoundedDashboardHandler, render),
            (url_path_join(self.server_url, rf"/({names})/?"), AliasHandler),
            (url_path_join(self.server_url, "/" + re.escape(BUNDLE_ROUTE)), BundleHandler,
             {"path": str(BASIC_BUNDLE)}),
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
    limit = options.render_timeout if options.render_timeout is not None else load_settings().render_timeout_seconds
    resolved = replace(options, notebooks=notebooks, base_url=base, render_timeout=limit)
    app = DashboardServer(config=voila_config(resolved))
    app.initialize(argv=[])
    app.start()
