"""Render one report (HTML page and PDF) from its executed notebook; used by the worker processes."""

from __future__ import annotations

import html
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from workbench.files import write_atomic
from workbench.i18n import Lang, tr
from workbench.publish.document import notebook_document, to_fragment
from workbench.publish.figures import FigureExporter
from workbench.publish.pdf import notebook_pdf
from workbench.publish.provenance import Provenance, banner_html, footer_html
from workbench.publish.site import SiteContext, page_html, report_url, toc_html
from workbench.publish.sources import Report

__all__ = ["Rendered", "render_report"]


@dataclass
class Rendered:
    """What was written for one report."""

    key: str
    lang: str
    outputs: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    figures: int = 0


def _subtitle(report: Report, lang: Lang) -> str:
    return f"{report.report_label(lang)} · {report.place_label(lang)} · {report.year}"


def provenance_of(report: Report, ctx: SiteContext) -> Provenance:
    """The report's provenance, citing its notebook and the run manifest."""
    try:
        nb = report.path.resolve().relative_to(ctx.out.resolve().parent.parent)   # from the project root
    except ValueError:
        nb = report.path
    return Provenance.from_sidecar(report.sidecar, manifest=ctx.manifest, notebook=str(nb))


def render_report(report: Report, ctx: SiteContext, export: FigureExporter | None,
                  formats: tuple[str, ...] | None = None) -> Rendered:
    """Write the HTML page and/or the PDF of ``report`` into the site.

    ``formats`` narrows ``ctx.formats`` (the outputs that are out of date).

    Raises
    ------
    WorkbenchError
        If the notebook cannot be published (error outputs, a chart without an
        image under ``strict``, a Typst failure).
    """
    lang: Lang = report.lang  # type: ignore[assignment]
    prov = provenance_of(report, ctx)
    done = Rendered(key=report.key, lang=lang)
    folder = ctx.out / lang
    title = report.title(lang)
    formats = ctx.formats if formats is None else formats
    if "pdf" in formats:
        build = ctx.build / lang / report.key
        res = notebook_pdf(report.path, folder / report_url(report, "pdf"), build=build, lang=lang,
                           title=title, subtitle=_subtitle(report, lang), prov=prov, export=export,
                           strict=ctx.strict, date=tr("footer.published", lang, date=ctx.date))
        shutil.rmtree(build, ignore_errors=True)
        done.outputs.append(res.path)
        done.problems += list(res.problems)
        done.figures += res.figures
    if "html" in formats:
        doc = notebook_document(report.path, target="html", lang=lang, media=ctx.build, strict=ctx.strict)
        body = to_fragment(doc.markdown, "html")
        root = "../../"   # from <lang>/<notebook>/<year>/ up to <lang>/
        other = "ar" if lang == "en" else "en"
        other_href = (f"{root}../{other}/{report_url(report)}"
                      if report.key in ctx.reports_by_lang.get(other, set()) else f"{root}../{other}/index.html")
        actions = ""
        if "pdf" in ctx.formats:
            actions = (f'<p class="wb-actions"><a href="{report.place}.pdf" download>'
                       f'{html.escape(tr("nav.download_pdf", lang))}</a></p>')
        page = page_html(ctx, lang, root=root, title=doc.title or title, subtitle=_subtitle(report, lang),
                         body=body, footer=footer_html(prov, lang), banner=banner_html(prov.synthetic, lang),
                         other_lang_href=other_href, actions=actions, toc=toc_html(body, lang),
                         current={"r": report.notebook, "y": report.year, "p": report.place})
        done.outputs.append(write_atomic(folder / report_url(report), page))
        done.problems += doc.problems
    return done
