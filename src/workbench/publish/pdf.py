"""One report as a PDF: pandoc Markdown -> Typst (pandoc) -> PDF (the ``typst`` Python binding).

The Typst file is the house preamble (``templates/report.typ``), one
``#show: wb-report.with(...)`` line carrying title, language, font, banner and
provenance footer, then the body that pandoc converted. ``lang: "ar"`` makes
Typst lay the page out right to left; Arabic uses Amiri (Debian
``fonts-hosny-amiri``), English Noto Sans.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import typst

from workbench.charts.theme import synthetic_banner
from workbench.errors import WorkbenchError
from workbench.files import atomic_path
from workbench.i18n import Lang, tr
from workbench.publish.document import Document, notebook_document, to_fragment, typst_string
from workbench.publish.figures import FigureExporter
from workbench.publish.provenance import Provenance, footer_lines

__all__ = ["FONTS", "render_pdf", "typst_source"]

FONTS: dict[str, tuple[str, ...]] = {
    "en": ("Noto Sans", "DejaVu Sans"),
    "ar": ("Amiri", "Noto Naskh Arabic", "Noto Sans"),
}


@dataclass(frozen=True)
class PdfResult:
    path: Path
    problems: tuple[str, ...]
    figures: int


def _preamble() -> str:
    return resources.files("workbench.publish").joinpath("templates/report.typ").read_text(encoding="utf-8")


def _tuple(items: list[str] | tuple[str, ...]) -> str:
    return "(" + ", ".join(typst_string(i) for i in items) + ("," if len(items) == 1 else "") + ")"


def typst_source(body: str, *, title: str, subtitle: str | None, lang: Lang, prov: Provenance,
                 date: str | None = None) -> str:
    """The complete Typst source of a report around a pandoc-made ``body``."""
    args = {
        "title": typst_string(title),
        "subtitle": typst_string(subtitle) if subtitle else "none",
        "lang": typst_string(lang),
        "font": _tuple(FONTS[lang]),
        "site": typst_string(f"{tr('site.ministry', lang)} · {tr('site.title', lang)}"),
        "banner": typst_string(synthetic_banner(lang)) if prov.synthetic else "none",
        "footer": _tuple(footer_lines(prov, lang)),
        "date": typst_string(date) if date else "none",
    }
    show = "#show: wb-report.with(" + ", ".join(f"{k}: {v}" for k, v in args.items()) + ")"
    return f"{_preamble()}\n{show}\n\n{body}\n"


def render_pdf(document: Document, out: Path, *, build: Path, title: str, subtitle: str | None,
               lang: Lang, prov: Provenance, date: str | None = None) -> Path:
    """Compile ``document`` (Markdown whose images sit in ``build``) to ``out``, atomically.

    Raises
    ------
    WorkbenchError
        If Typst fails; the message names the Typst source kept in ``build``.
    """
    body = to_fragment(document.markdown, "typst")
    src = build / "report.typ"
    src.write_text(typst_source(body, title=title, subtitle=subtitle, lang=lang, prov=prov, date=date),
                   encoding="utf-8")
    with atomic_path(out) as tmp:
        try:
            typst.compile(str(src), output=str(tmp), root=str(build))
        except Exception as exc:  # noqa: BLE001 - typst raises its own error types
            raise WorkbenchError(f"Typst could not compile {src} into {out.name}: {exc}") from None
    return out


def notebook_pdf(path: Path, out: Path, *, build: Path, lang: Lang, title: str, subtitle: str | None,
                 prov: Provenance, export: FigureExporter | None, strict: bool = False,
                 date: str | None = None) -> PdfResult:
    """Executed notebook -> PDF (figures as PNG via ``export``; placeholders unless ``strict``)."""
    build.mkdir(parents=True, exist_ok=True)
    doc = notebook_document(path, target="typst", lang=lang, media=build, export=export, strict=strict)
    render_pdf(doc, out, build=build, title=doc.title or title, subtitle=subtitle, lang=lang, prov=prov,
               date=date)
    return PdfResult(path=out, problems=tuple(doc.problems), figures=doc.figures)
