"""Notebook -> pandoc Markdown: charts become images or visible placeholders, never figure JSON."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import plotly.graph_objects as go
import pytest

from workbench.i18n import tr
from workbench.publish.document import PLOTLY_MIME, PublishError, notebook_document
from workbench.publish.figures import FigureExportError
from workbench.publish.pdf import notebook_pdf
from workbench.publish.prepare import prepared_copy
from workbench.publish.provenance import Provenance

# A 1x1 PNG.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
FIGURE = json.loads(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 2, 3])).to_json())


def _notebook(tmp_path: Path, *outputs: dict, name: str = "nb.ipynb") -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('governorate = "IQG02"')
    params.metadata["tags"] = ["parameters"]
    md = nbformat.v4.new_markdown_cell("# Basrah profile\n\nSome prose.\n\n## Section")
    cell = nbformat.v4.new_code_cell("#| label: fig-test\n#| fig-cap: Test chart\nfig")
    cell.outputs = [nbformat.v4.new_output("display_data", data=o) for o in outputs]
    hidden = nbformat.v4.new_code_cell("#| include: false\nsecret")
    hidden.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "SECRET"})]
    nb.cells = [params, md, cell, hidden]
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


class FailingExporter:
    def __call__(self, figure, path):
        raise FigureExportError("Chromium not found")


class FakeExporter:
    def __init__(self):
        self.calls = 0

    def __call__(self, figure, path):
        assert figure["data"][0]["type"] == "bar"
        self.calls += 1
        path.write_bytes(PNG)
        return path


def test_html_keeps_the_chart_interactive(tmp_path):
    path = _notebook(tmp_path, {PLOTLY_MIME: FIGURE, "text/plain": "Figure()"})
    doc = notebook_document(path, target="html", lang="en", media=tmp_path)
    assert doc.title == "Basrah profile" and "# Basrah profile" not in doc.markdown
    assert 'class="wb-plot-data"' in doc.markdown and '"type":"bar"' in doc.markdown
    assert 'id="fig-test"' in doc.markdown and "Test chart" in doc.markdown
    assert "governorate =" not in doc.markdown and "SECRET" not in doc.markdown


def test_typst_gets_a_png_made_by_the_exporter(tmp_path):
    path = _notebook(tmp_path, {PLOTLY_MIME: FIGURE})
    export = FakeExporter()
    doc = notebook_document(path, target="typst", lang="en", media=tmp_path / "m", export=export)
    assert export.calls == 1 and (tmp_path / "m" / "fig-test.png").read_bytes() == PNG
    assert "![Test chart](fig-test.png){width=100%}" in doc.markdown
    assert '"type"' not in doc.markdown and doc.problems == []


def test_an_existing_png_is_used_without_export(tmp_path):
    path = _notebook(tmp_path, {PLOTLY_MIME: FIGURE, "image/png": base64.b64encode(PNG).decode()})
    doc = notebook_document(path, target="typst", lang="en", media=tmp_path / "m", export=FailingExporter())
    assert "fig-test.png" in doc.markdown and doc.problems == []


def test_chart_without_image_becomes_a_placeholder_or_fails_under_strict(tmp_path):
    path = _notebook(tmp_path, {PLOTLY_MIME: FIGURE})
    doc = notebook_document(path, target="typst", lang="ar", media=tmp_path, export=FailingExporter())
    assert "#wb-placeholder(" in doc.markdown and "Chromium not found" in doc.markdown
    assert "غير متاح في النسخة المطبوعة" in doc.markdown
    assert '"type"' not in doc.markdown
    assert doc.problems == ["Chromium not found"]
    with pytest.raises(PublishError, match="a chart has no static image for the PDF"):
        notebook_document(path, target="typst", lang="en", media=tmp_path, export=FailingExporter(), strict=True)


def test_error_outputs_are_not_published(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1/0")
    cell.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                                           traceback=[])]
    nb.cells = [cell]
    nbformat.write(nb, tmp_path / "bad.ipynb")
    with pytest.raises(PublishError, match="ZeroDivisionError: division by zero"):
        notebook_document(tmp_path / "bad.ipynb", target="html", lang="en", media=tmp_path)


def test_html_only_tables_become_real_tables_in_print(tmp_path):
    import pandas as pd

    html = pd.DataFrame({"Governorate": ["Basrah"], "Rate": ["16.1%"]}).to_html(index=False)
    path = _notebook(tmp_path, {"text/html": html, "text/plain": "df"})
    doc = notebook_document(path, target="typst", lang="en", media=tmp_path)
    assert "Basrah" in doc.markdown and "<table" not in doc.markdown


def test_prepared_copy_adds_png_and_leaves_the_executed_notebook_alone(tmp_path):
    src = _notebook(tmp_path, {PLOTLY_MIME: FIGURE})
    before = src.read_bytes()
    dst = tmp_path / "copy" / "nb.ipynb"
    assert prepared_copy(src, dst, FakeExporter()) == 1
    assert src.read_bytes() == before
    out = nbformat.read(dst, as_version=4).cells[2].outputs[0]
    assert base64.b64decode(out.data["image/png"]) == PNG
    with pytest.raises(PublishError, match="in place"):
        prepared_copy(src, src, FakeExporter())
    with pytest.raises(PublishError, match="chart has no static image"):
        prepared_copy(src, tmp_path / "x.ipynb", FailingExporter())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_pdf_shows_a_placeholder_and_never_figure_json(tmp_path):
    """What pandoc alone would do (print the JSON) must not happen when kaleido is unavailable."""
    path = _notebook(tmp_path, {PLOTLY_MIME: FIGURE})
    out = tmp_path / "report.pdf"
    res = notebook_pdf(path, out, build=tmp_path / "build", lang="en", title="T", subtitle=None,
                       prov=Provenance(synthetic=True), export=FailingExporter())
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Chart not available in print (Chromium not found)" in text
    assert "SYNTHETIC DEMO DATA" in text
    for json_marker in ('"type"', '"data"', '"layout"', "marker"):
        assert json_marker not in text
    assert res.problems == ("Chromium not found",)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("target", ["html", "typst"])
def test_notebook_title_is_lifted_and_its_banner_dropped(tmp_path, lang, target):
    """The report notebooks' heading (banner, then title): the page prints the banner, so the
    body must not, in either language (the Arabic banner adds the English marker)."""
    from workbench.reports.text import heading

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("display(Markdown(...))")
    md = heading("poverty_profile", "IQG02", 2024, lang, synthetic=True) + "\n\nProse."
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": md})]
    later = nbformat.v4.new_markdown_cell("## Part\n\n# Not a title")
    nb.cells = [cell, later]
    nbformat.write(nb, tmp_path / "t.ipynb")
    doc = notebook_document(tmp_path / "t.ipynb", target=target, lang=lang, media=tmp_path)
    assert doc.title == ("Poverty profile: Basrah, 2024" if lang == "en" else "ملف الفقر: البصرة، 2024")
    assert "SYNTHETIC" not in doc.markdown and "workbench:synthetic-banner" not in doc.markdown
    assert tr("banner.synthetic", lang)[:20] not in doc.markdown
    assert "Prose." in doc.markdown and "# Not a title" in doc.markdown


def test_bold_text_that_is_not_the_banner_is_kept(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("**SYNTHETIC DEMO DATA is a phrase the text may quote.**")]
    nbformat.write(nb, tmp_path / "t.ipynb")
    doc = notebook_document(tmp_path / "t.ipynb", target="html", lang="en", media=tmp_path)
    assert "SYNTHETIC DEMO DATA is a phrase" in doc.markdown
