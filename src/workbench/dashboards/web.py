"""The server's own pages: the bilingual list of dashboards, and friendly error pages.

They are plain HTML with inline styles (no external resource), in English and
Arabic side by side, and never show an exception or a traceback: the server log
has those.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Iterable
from pathlib import Path

import tornado.web
from jupyter_server.utils import url_path_join
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler

from workbench.charts.plotlyjs import bundle_bytes
from workbench.i18n import tr

__all__ = [
    "SECURITY_HEADERS",
    "AliasHandler",
    "BundleHandler",
    "DashboardHandler",
    "FriendlyErrors",
    "IndexHandler",
    "NotFoundHandler",
    "TemplateFilesHandler",
    "error_html",
    "friendly",
    "index_html",
    "page_html",
]

LOG = logging.getLogger("workbench.dashboards.server")

#: Content the pages may load: only from this server (Voila's page needs inline scripts and styles,
#: ``eval`` for its module loader, blob workers and the kernel websocket). Nothing from elsewhere,
#: so the Font Awesome CDN link of Voila's template fails at once instead of waiting on DNS
#: offline, and no injected content could send anything out.
CONTENT_SECURITY_POLICY = "; ".join([  # noqa: FLY002 (one directive a line reads better)
    "default-src 'self'", "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
    "style-src 'self' 'unsafe-inline' blob: data:", "img-src 'self' data: blob:", "font-src 'self' data:",
    "connect-src 'self' ws: wss:", "worker-src 'self' blob:", "frame-ancestors 'self'",
    "object-src 'none'", "base-uri 'self'", "form-action 'self'",
])

#: Headers on every answer of the server (Jupyter's handlers read them from ``settings["headers"]``).
SECURITY_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
}

_STYLE = """
body { font-family: 'Noto Sans', 'DejaVu Sans', Arial, sans-serif; margin: 0; color: #222; background: #f3f6f9; }
header { background: #1f4e79; color: white; padding: 14px 24px; }
main { display: flex; flex-wrap: wrap; gap: 24px; padding: 16px 24px; }
section { flex: 1 1 420px; background: white; border-radius: 6px; padding: 12px 20px; }
section[dir=rtl] { font-family: Amiri, 'Noto Naskh Arabic', 'Noto Sans Arabic', sans-serif; font-size: 17px; }
h1 { margin: 0; font-size: 22px; } h2 { color: #1f4e79; font-size: 19px; }
a.wb-open { display: inline-block; background: #1f4e79; color: white; padding: 6px 14px;
  border-radius: 4px; text-decoration: none; margin-bottom: 10px; }
"""


def _esc(text: object) -> str:
    return html.escape(str(text))


def page_html(title: str, sections: Iterable[tuple[str, str]]) -> str:
    """A page with one ``<section>`` per language: ``(lang, inner HTML)`` pairs."""
    body = "".join(f'<section lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">{inner}</section>'
                   for lang, inner in sections)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_esc(title)}</title><style>{_STYLE}</style></head><body>"
            f"<header><h1>{_esc(title)}</h1></header><main>{body}</main></body></html>")


def index_html(dashboards: Iterable[tuple[str, str, str]], base_url: str) -> str:
    """The list of dashboards: ``(name, title key, summary key)`` triples."""
    items = list(dashboards)
    sections = []
    for lang in ("en", "ar"):
        cards = "".join(
            f'<article class="wb-dashboard-link" data-name="{_esc(name)}"><h2>{_esc(tr(title, lang))}</h2>'
            f"<p>{_esc(tr(summary, lang))}</p>"
            f'<a class="wb-open" href="{_esc(url_path_join(base_url, "voila/render", name + ".ipynb"))}">'
            f'{_esc(tr("dashboard.index.open", lang))}</a></article>'
            for name, title, summary in items)
        sections.append((lang, (f'<h2>{_esc(tr("dashboard.index.title", lang))}</h2>'
                               f'<p>{_esc(tr("dashboard.index.intro", lang))}</p>{cards}')))
    return page_html(f'{tr("dashboard.index.title", "en")} · {tr("dashboard.index.title", "ar")}', sections)


def error_html(status: int, base_url: str) -> str:
    """A friendly error page: not found (404) or could not answer (anything else)."""
    sections = []
    for lang in ("en", "ar"):
        title = tr("dashboard.error.not_found" if status == 404 else "dashboard.error.title", lang)
        body = tr("dashboard.error.not_found_body" if status == 404 else "dashboard.error.server_body", lang)
        sections.append((lang, (f"<h2>{_esc(title)}</h2><p>{_esc(body)}</p>"
                               f'<a class="wb-open" href="{_esc(base_url)}">{_esc(tr("dashboard.home", lang))}</a>')))
    return page_html(f"{status}", sections)


class FriendlyErrors:
    """Mixin: an error answer is the friendly page, whatever the handler (Jupyter's error
    template cannot render under Voila, and tornado's fallback is a bare page)."""

    def write_error(self, status_code: int, **kwargs: object) -> None:
        LOG.warning("%s %s answered %s", self.request.method, self.request.path, status_code)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(error_html(status_code, self.settings.get("base_url", "/")))


def friendly(handler: type[tornado.web.RequestHandler]) -> type[tornado.web.RequestHandler]:
    """``handler`` with :class:`FriendlyErrors` in front of its own ``write_error``."""
    return type(handler.__name__, (FriendlyErrors, handler), {"__module__": __name__})


class _Page(FriendlyErrors, tornado.web.RequestHandler):
    """Base of the server's own pages: security headers, friendly errors."""

    def set_default_headers(self) -> None:
        for name, value in self.settings.get("headers", {}).items():
            self.set_header(name, value)

    @property
    def base_url(self) -> str:
        return self.settings.get("base_url", "/")


class IndexHandler(_Page):
    """``/``: the registered dashboards, in English and Arabic."""

    def initialize(self, dashboards: list[tuple[str, str, str]]) -> None:
        self.dashboards = dashboards

    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(index_html(self.dashboards, self.base_url))

    def head(self) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish()


class AliasHandler(_Page):
    """``/<name>``: a short address that redirects to the dashboard."""

    def get(self, name: str) -> None:
        self.redirect(url_path_join(self.base_url, "voila/render", f"{name}.ipynb"))


class BundleHandler(_Page):
    """One JavaScript file of the package (the charts' plotly.js), at a fixed address.

    Its address carries a content hash (``?v=``), so browsers keep it for good;
    tornado answers a revalidation with 304 from the ETag.
    """

    def initialize(self, path: str) -> None:
        self.path = Path(path)

    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=UTF-8")
        self.set_header("Cache-Control", "public, max-age=31536000, immutable")
        self.finish(bundle_bytes(self.path))


class NotFoundHandler(_Page):
    """Every address the server does not serve: a friendly 404."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


class DashboardHandler(FriendlyErrors, TornadoVoilaHandler):
    """Voila's notebook handler, limited by its route to the registered dashboards; friendly errors."""


class TemplateFilesHandler(FriendlyErrors, TemplateStaticFileHandler):
    """Voila's template static files; a path that is not ``<template>/static/<file>`` is a 404
    (Voila's own handler fails an ``assert`` on it and answers 500)."""

    @staticmethod
    def _check(path: str) -> None:
        parts = os.path.normpath(path).split(os.path.sep, 2)
        if len(parts) != 3 or parts[1] != "static" or parts[0] in ("..", "."):
            raise tornado.web.HTTPError(404)

    def parse_url_path(self, url_path: str) -> str:
        self._check(url_path)
        return super().parse_url_path(url_path)

    @classmethod
    def get_absolute_path(cls, root: str, path: str) -> str:
        cls._check(path)
        return super().get_absolute_path(root, path)
