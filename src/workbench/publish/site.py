"""The HTML site: page shell, navigation, search index, landing pages.

Layout of ``reports/_site/``::

    index.html                                  language choice (redirects to en/)
    <lang>/index.html                           national landing page: table, map, all reports
    <lang>/<notebook>/<year>/<place>.html       one report (interactive charts)
    <lang>/<notebook>/<year>/<place>.pdf        the same report in print
    assets/plotly-basic.min.js, plotly.min.js   only with --shared-assets

Every page carries the navigation (report type, year, governorate), a small
client-side search index (titles, governorate names in both languages, years,
headings) and its provenance footer. By default a page inlines plotly.js, CSS
and images, so one file can be emailed and opens offline. The plotly.js is the
smallest bundle that draws the page's charts (:mod:`workbench.charts.plotlyjs`):
the basic one (1.2 MB) for the house charts, the full one (4.8 MB) otherwise.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

from workbench.charts.plotlyjs import bundle_bytes, bundle_for, trace_types
from workbench.i18n import Lang, direction, place_name, tr
from workbench.publish.notebook import read_notebook
from workbench.publish.sources import FailedRun, Report

__all__ = ["SiteContext", "headings_of", "page_html", "report_url", "search_entries"]

_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$", re.MULTILINE)
_PLOT_DATA = re.compile(r'<script type="application/json" class="wb-plot-data">(.*?)</script>', re.DOTALL)
_HTML_H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.DOTALL)


def _template(name: str) -> str:
    return resources.files("workbench.publish").joinpath(f"templates/{name}").read_text(encoding="utf-8")


def report_url(report: Report | FailedRun, ext: str = "html") -> str:
    """URL of a report relative to its language folder."""
    return f"{report.key}.{ext}"


def headings_of(path: Path) -> list[str]:
    """Level 1-3 headings of a notebook's Markdown cells and Markdown outputs (for search)."""
    nb = read_notebook(path)
    texts: list[str] = []
    for cell in nb["cells"]:       # in document order: a cell's text, or its Markdown outputs
        if cell.get("cell_type") == "markdown":
            texts.append(cell["source"])
        for out in cell.get("outputs", []):
            md = out.get("data", {}).get("text/markdown")
            if md:
                texts.append("".join(md) if isinstance(md, list) else md)
    return [m.group(2) for text in texts for m in _HEADING.finditer(text)]


def search_entries(reports: list[Report], headings: dict[Path, list[str]], lang: Lang) -> list[dict[str, Any]]:
    """The search index of one language: one entry per report.

    Keys: ``t`` title, ``u`` URL (relative to the language folder), ``r`` report
    type, ``y`` year, ``p`` place code, ``n`` place names in both languages, ``k``
    headings.
    """
    return [{"t": r.title(lang), "u": report_url(r), "r": r.notebook, "y": r.year, "p": r.place,
             "n": f"{place_name(r.place, 'en')} {place_name(r.place, 'ar')} {r.report_label('en')} "
                  f"{r.report_label('ar')}",
             "k": " ".join(headings.get(r.path, []))}
            for r in sorted(reports, key=lambda r: (r.notebook, -r.year, r.place)) if r.lang == lang]


@dataclass(frozen=True)
class SiteContext:
    """What every page of the site needs to know (passed to the worker processes)."""

    out: Path
    build: Path
    langs: tuple[str, ...]
    formats: tuple[str, ...]
    version: str
    date: str
    strict: bool = False
    shared_assets: bool = False
    manifest: str = ""
    index: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    reports_by_lang: dict[str, set[str]] = field(default_factory=dict)   # lang -> report keys


def _options(values: list[tuple[str, str]]) -> str:
    return "".join(f'<option value="{html.escape(v)}">{html.escape(label)}</option>' for v, label in values)


def _nav_options(ctx: SiteContext, lang: Lang) -> dict[str, str]:
    entries = ctx.index.get(lang, [])
    notebooks = sorted({e["r"] for e in entries})
    years = sorted({e["y"] for e in entries}, reverse=True)
    places = sorted({e["p"] for e in entries}, key=lambda p: (p != "national", place_name(p, lang)))
    return {
        "report_options": _options([(n, tr(f"report.{n}", lang, default=n.replace("_", " "))) for n in notebooks]),
        "year_options": _options([(str(y), str(y)) for y in years]),
        "place_options": _options([(p, place_name(p, lang)) for p in places]),
    }


def plot_html(figure: dict[str, Any], *, label: str = "", caption: str = "") -> str:
    """An interactive chart of a page: its place and its figure JSON, which ``plots.js`` draws."""
    payload = json.dumps({"data": figure.get("data", []), "layout": figure.get("layout", {})},
                         separators=(",", ":")).replace("</", "<\\/")
    ident = f' id="{html.escape(label)}"' if label else ""
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (f'<figure class="wb-figure"{ident}><div class="wb-plot"></div>'
            f'<script type="application/json" class="wb-plot-data">{payload}</script>{cap}</figure>')


def _plotly_scripts(ctx: SiteContext, root: str, body: str) -> str:
    """plotly.js and the script that draws the page's charts; nothing when the page has none."""
    figures = [json.loads(payload) for payload in _PLOT_DATA.findall(body)]
    if not figures:
        return ""
    bundle = bundle_for(trace_types(figures))
    plots = _template("plots.js")
    if ctx.shared_assets:
        return f'<script src="{root}../assets/{bundle.name}"></script>\n<script>{plots}</script>'
    return f"<script>{bundle_bytes(bundle).decode('utf-8')}</script>\n<script>{plots}</script>"


def toc_html(body: str, lang: Lang) -> str:
    """A contents box from the level-2 headings of a page body (empty below two)."""
    items = _HTML_H2.findall(body)
    if len(items) < 2:
        return ""
    links = "".join(f'<li><a href="#{hid}">{text}</a></li>' for hid, text in items)
    return f'<nav class="wb-toc" aria-label="{html.escape(tr("nav.contents", lang))}"><ul>{links}</ul></nav>'


def page_html(ctx: SiteContext, lang: Lang, *, root: str, title: str, subtitle: str, body: str,
              footer: str, banner: str, other_lang_href: str, current: dict[str, Any],
              actions: str = "", toc: str = "") -> str:
    """One complete, self-contained HTML page of the site (with plotly.js when the body has charts)."""
    other = "ar" if lang == "en" else "en"
    values = {
        "lang": lang, "dir": direction(lang), "version": html.escape(ctx.version),
        "title": html.escape(title), "subtitle": html.escape(subtitle), "root": root,
        "css": _template("site.css"), "site_title": html.escape(tr("site.title", lang)),
        "ministry": html.escape(tr("site.ministry", lang)), "nav_label": html.escape(tr("nav.home", lang)),
        "label_report": html.escape(tr("nav.report_type", lang)), "label_year": html.escape(tr("nav.year", lang)),
        "label_place": html.escape(tr("nav.governorate", lang)), "label_go": html.escape(tr("nav.go", lang)),
        "search_placeholder": html.escape(tr("nav.search_placeholder", lang)),
        "search_label": html.escape(tr("nav.search", lang)),
        "other_lang_href": other_lang_href if other in ctx.langs else "#", "other_lang": other,
        "other_lang_label": html.escape(tr("nav.other_language", lang)),
        "banner": banner, "body": body, "toc": toc, "actions": actions, "footer": footer,
        "search_index": json.dumps(ctx.index.get(lang, []), ensure_ascii=False).replace("</", "<\\/"),
        "no_results": html.escape(tr("nav.no_results", lang)),
        "current": json.dumps(current, ensure_ascii=False),
        "site_js": _template("site.js"),
        "plotly": _plotly_scripts(ctx, root, body),
        **_nav_options(ctx, lang),
    }
    page = Template(_template("page.html")).substitute(values)
    if not ctx.langs or other not in ctx.langs:
        page = re.sub(r'\s*<a class="wb-lang"[^>]*>.*?</a>', "", page, count=1)
    return page


def root_index(langs: tuple[str, ...]) -> str:
    """The site's entry page: both language editions, and a redirect to the first."""
    first = langs[0]
    links = " · ".join(f'<a href="{lang}/index.html" lang="{lang}">{html.escape(tr("site.title", lang))}</a>'
                       for lang in langs)
    return (f'<!DOCTYPE html><html lang="{first}" dir="{direction(first)}"><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="0; url={first}/index.html">'
            f"<title>{html.escape(tr('site.title', first))}</title></head><body><p>{links}</p></body></html>")
