"""An executed notebook as a pandoc Markdown document, for HTML or for Typst.

Reports show results, not code: code is dropped and outputs are kept. Each
output is written in the form its target needs:

========================  ==============================  ===================================
output                    HTML                            Typst (PDF)
========================  ==============================  ===================================
plotly figure JSON        interactive chart (plotly.js)   PNG via kaleido, or a visible
                                                          placeholder (never figure JSON)
image/png, image/svg      inline image                    image file
text/markdown             Markdown                        Markdown
text/html (tables)        raw HTML                        converted to a pandoc table
widgets, scripts          placeholder                     placeholder
========================  ==============================  ===================================

Quarto cell options are honoured: ``#| include: false``, ``#| output: false``,
``#| label:`` and ``#| fig-cap:``. Cells tagged ``parameters``,
``injected-parameters`` or ``remove-cell`` are left out.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pypandoc
import yaml

from workbench.charts.theme import BANNER_END, BANNER_START
from workbench.errors import WorkbenchError
from workbench.i18n import Lang, tr
from workbench.publish.figures import FigureExporter, FigureExportError
from workbench.publish.notebook import read_notebook
from workbench.publish.notebook import text as nb_text
from workbench.publish.site import plot_html

__all__ = ["PLOTLY_MIME", "Document", "PublishError", "notebook_document", "typst_string"]

PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
Target = Literal["html", "typst"]
_SKIP_TAGS = {"parameters", "injected-parameters", "remove-cell", "remove_cell"}
_H1 = re.compile(r"^#\s+(?P<title>.+?)\s*#*\s*$")
_BANNER = re.compile(re.escape(BANNER_START) + ".*?" + re.escape(BANNER_END) + r"\n*", re.DOTALL)


class PublishError(WorkbenchError):
    """A report cannot be published as asked (a chart without an image under --strict, ...)."""


@dataclass
class Document:
    """A notebook turned into pandoc Markdown for one target."""

    markdown: str
    title: str | None = None
    problems: list[str] = field(default_factory=list)   # placeholders shown instead of outputs
    figures: int = 0


def typst_string(text: str) -> str:
    """A Typst string literal.

    Examples
    --------
    >>> typst_string('say "hi" \\\\ bye')
    '"say \\\\"hi\\\\" \\\\\\\\ bye"'
    """
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _raw(target: Target, code: str) -> str:
    return f"\n```{{={target}}}\n{code}\n```\n"


def _cell_options(source: str) -> dict[str, Any]:
    lines = [line[3:] for line in source.splitlines() if line.startswith("#| ")]
    if not lines:
        return {}
    try:
        opts = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError:
        return {}
    return opts if isinstance(opts, dict) else {}


class _Writer:
    def __init__(self, *, target: Target, lang: Lang, media: Path, export: FigureExporter | None,
                 strict: bool, name: str) -> None:
        self.target, self.lang, self.media, self.export = target, lang, media, export
        self.strict, self.name = strict, name
        self.problems: list[str] = []
        self.figures = 0
        self.title: str | None = None
        self.seen_heading = False

    def take_title(self, text: str) -> str:
        """Tidy a Markdown block: the first level-1 heading (before any other heading)
        becomes the page title, and a notebook's own synthetic-data banner (between
        the banner comments of :func:`workbench.reports.heading`) is dropped: the
        page prints its own, from the sidecar, once."""
        lines = _BANNER.sub("", text).splitlines()
        if self.title is None and not self.seen_heading:
            for i, line in enumerate(lines):
                if m := _H1.match(line):
                    self.title = m.group("title")
                    del lines[i]
                    break
                if line.lstrip().startswith("#"):
                    self.seen_heading = True
                    break
        return "\n".join(lines)

    def placeholder(self, reason: str) -> str:
        self.problems.append(reason)
        text = tr("chart.placeholder", self.lang, reason=reason)
        if self.target == "html":
            return _raw("html", f'<div class="wb-placeholder" role="note">{html.escape(text)}</div>')
        return _raw("typst", f"#wb-placeholder({typst_string(text)})")

    def image_file(self, data: bytes, ext: str, label: str, caption: str) -> str:
        self.media.mkdir(parents=True, exist_ok=True)
        path = self.media / f"{label}.{ext}"
        path.write_bytes(data)
        return f"\n![{caption}]({path.name}){{width=100%}}\n"

    def image(self, data: bytes, mime: str, label: str, caption: str) -> str:
        self.figures += 1
        if self.target == "html":
            uri = f"data:{mime};base64,{base64.b64encode(data).decode()}"
            cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
            return _raw("html", f'<figure class="wb-figure" id="{label}"><img src="{uri}" alt="{html.escape(caption)}">{cap}</figure>')
        return self.image_file(data, mime.split("/")[1].replace("svg+xml", "svg"), label, caption)

    def plotly(self, figure: dict[str, Any], bundle: dict[str, Any], label: str, caption: str) -> str:
        self.figures += 1
        if self.target == "html":
            return _raw("html", plot_html(figure, label=label, caption=caption))
        if "image/png" in bundle:
            return self.image(base64.b64decode(nb_text(bundle["image/png"])), "image/png", label, caption)
        if self.export is None:
            return self.fail_or_placeholder("no static image and no exporter")
        self.media.mkdir(parents=True, exist_ok=True)
        path = self.media / f"{label}.png"
        try:
            self.export(figure, path)
        except FigureExportError as exc:
            return self.fail_or_placeholder(str(exc))
        return f"\n![{caption}]({path.name}){{width=100%}}\n"

    def fail_or_placeholder(self, reason: str) -> str:
        if self.strict:
            raise PublishError(f"{self.name}: a chart has no static image for the PDF ({reason}); "
                               "fix kaleido/Chromium (`make setup`) or publish without --strict to "
                               "print a placeholder")
        return self.placeholder(reason)

    def html_output(self, text: str) -> str:
        if "<script" in text or "plotly-graph-div" in text:
            if self.target == "html" and "plotly-graph-div" in text:
                return _raw("html", text)
            return self.fail_or_placeholder("an HTML/JavaScript output has no static form")
        if self.target == "html":
            return _raw("html", text)
        return "\n" + pypandoc.convert_text(text, "markdown-raw_html-native_divs-native_spans",
                                            format="html", extra_args=["--wrap=none"]) + "\n"

    def output(self, out: dict[str, Any], label: str, caption: str) -> str:
        kind = out.get("output_type")
        if kind == "stream":
            return f"\n```\n{nb_text(out.get('text', '')).rstrip()}\n```\n" if out.get("name") == "stdout" else ""
        if kind == "error":
            raise PublishError(f"{self.name}: the notebook holds an error output "
                               f"({out.get('ename')}: {out.get('evalue')}); re-run the batch")
        bundle = out.get("data", {})
        if PLOTLY_MIME in bundle:
            return self.plotly(bundle[PLOTLY_MIME], bundle, label, caption)
        for mime in ("image/png", "image/jpeg", "image/svg+xml"):
            if mime in bundle:
                raw = nb_text(bundle[mime])
                data = raw.encode() if mime == "image/svg+xml" else base64.b64decode(raw)
                return self.image(data, mime, label, caption)
        if WIDGET_MIME in bundle:
            return self.placeholder("interactive widget")
        if self.target == "html" and "text/html" in bundle:
            return self.html_output(nb_text(bundle["text/html"]))
        if "text/markdown" in bundle:
            return "\n" + self.take_title(nb_text(bundle["text/markdown"])) + "\n"
        if "text/html" in bundle:
            return self.html_output(nb_text(bundle["text/html"]))
        if "text/plain" in bundle:
            return f"\n```\n{nb_text(bundle['text/plain']).rstrip()}\n```\n"
        return ""


def notebook_document(path: Path, *, target: Target, lang: Lang, media: Path,
                      export: FigureExporter | None = None, strict: bool = False) -> Document:
    """Read an executed notebook and write it as pandoc Markdown for ``target``.

    The notebook file is only read, never changed.

    Parameters
    ----------
    path : pathlib.Path
        Executed ``.ipynb``.
    target : {"html", "typst"}
    lang : {"en", "ar"}
        Language of placeholders.
    media : pathlib.Path
        Folder for image files (Typst target).
    export : FigureExporter, optional
        Turns plotly figure JSON into PNG for the Typst target.
    strict : bool
        Raise :class:`PublishError` instead of printing a placeholder when a chart
        has no static image.

    Returns
    -------
    Document
        The Markdown, the notebook's first level-1 heading (removed from the body,
        it becomes the page title) and the placeholders used.
    """
    nb = read_notebook(path)
    writer = _Writer(target=target, lang=lang, media=media, export=export, strict=strict, name=str(path))
    parts: list[str] = []
    for index, cell in enumerate(nb["cells"]):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & _SKIP_TAGS:
            continue
        if cell.get("cell_type") == "markdown":
            parts.append(writer.take_title(cell["source"]))
            continue
        if cell.get("cell_type") != "code":
            continue
        opts = _cell_options(cell["source"])
        if opts.get("include") is False or opts.get("output") is False:
            continue
        label = str(opts.get("label") or f"cell-{index}")
        caption = str(opts.get("fig-cap") or "")
        for k, out in enumerate(cell.get("outputs", [])):
            parts.append(writer.output(out, label if k == 0 else f"{label}-{k}", caption))
    return Document(markdown="\n\n".join(p for p in parts if p), title=writer.title,
                    problems=writer.problems, figures=writer.figures)


def to_fragment(markdown: str, target: Target) -> str:
    """Convert pandoc Markdown to an HTML or Typst fragment (no standalone wrapper)."""
    fmt = "html5" if target == "html" else "typst"
    return pypandoc.convert_text(markdown, fmt, format="markdown", extra_args=["--wrap=preserve"])
