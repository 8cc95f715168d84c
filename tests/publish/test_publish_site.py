"""One governorate report published end to end, in both languages, to HTML and PDF.

Runs papermill (the fixture notebooks) and kaleido with Chromium, then reads
what was published: pdftotext, pdffonts and the HTML itself.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from html.parser import HTMLParser

import publish_fixtures as fx
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.notebooks,
              pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("chromium") is None,
                                 reason="needs poppler-utils and chromium (make setup)")]

SECTIONS_EN = ["Poverty profile: Basrah, 2024", "Headcount by governorate", "Map", "Trend"]
JSON_MARKERS = ('"type":', '"data":', '"layout":', '"marker":', "plotly")


def _pdftext(path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.html_attrs: dict = {}
        self.cells: list[str] = []
        self.headings: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.html_attrs = dict(attrs)
        if tag in ("td", "h1", "h2"):
            self._in = tag
            (self.cells if tag == "td" else self.headings).append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "td":
            self.cells[-1] += data
        elif self._in in ("h1", "h2"):
            self.headings[-1] += data


def _page(path) -> tuple[_Page, str]:
    text = path.read_text(encoding="utf-8")
    parser = _Page()
    parser.feed(text)
    return parser, text


def test_every_report_published_without_problems(site):
    out, result = site
    assert result.engine == "pandoc" and result.failures == {} and result.problems == {}
    for lang in ("en", "ar"):
        for ext in ("html", "pdf"):
            assert (out / lang / "poverty_profile" / "2024" / f"IQG02.{ext}").is_file()
        assert (out / lang / "index.html").is_file()
    assert not list(out.parent.glob("_build/publish-*"))          # build folders cleaned


def test_english_pdf_holds_sections_numbers_and_provenance(site):
    out, _ = site
    pages = _pdftext(out / "en" / "poverty_profile" / "2024" / "IQG02.pdf")
    text = "\n".join(pages)
    for section in SECTIONS_EN:
        assert section in text
    assert re.search(r"Basrah\s+16\.1%\s+13\.0–19\.2\s+1,234", text)
    assert re.search(r"Muthanna\s+n < 30\s+12", text)
    assert "Estimates resting on fewer than 30 sampled households are suppressed." in text
    for page in filter(str.strip, pages):
        assert "data/demo/households_2024.parquet" in page         # provenance footer on every page
        assert "reports/manifest.json#run-0007" in page
        for marker in JSON_MARKERS:
            assert marker not in page


def test_arabic_pdf_is_right_to_left_in_amiri(site):
    out, _ = site
    pdf = out / "ar" / "poverty_profile" / "2024" / "IQG02.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Amiri" in fonts
    text = "\n".join(_pdftext(pdf))
    assert "البصرة" in text and "بيانات تجريبية مصطنعة" in text
    assert "13.0–19.2" in text                                   # the range kept left to right
    for marker in JSON_MARKERS:
        assert marker not in text


def _visible(raw: str) -> str:
    """A page without its scripts and styles (search index, figure JSON, CSS)."""
    return re.sub(r"<(script|style)\b.*?</\1>", "", raw, flags=re.DOTALL)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_synthetic_banner_shows_once_on_every_page(site, lang):
    """The page's banner only: the notebook's own (its heading) is left out of the body."""
    from workbench.i18n import tr

    out, _ = site
    words = " ".join(tr("banner.synthetic", lang).split()[:3]).rstrip(":")   # "بيانات تجريبية مصطنعة"
    for path in (out / lang / "poverty_profile" / "2024" / "IQG02.html", out / lang / "index.html"):
        text = _visible(path.read_text(encoding="utf-8"))
        assert text.count('class="wb-banner"') == 1, path
        assert text.count(words) == 1 and text.count("SYNTHETIC DEMO DATA") == 1, path
    pdf = _pdftext(out / lang / "poverty_profile" / "2024" / "IQG02.pdf")
    pages = [re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", p) for p in pdf if p.strip()]   # bidi marks
    assert len(pages) >= 2                                       # the first page and a later one
    for number, page in enumerate(pages, 1):
        assert page.count(words) == 1 and page.count("SYNTHETIC DEMO DATA") == 1, f"page {number}"


def test_english_page_table_charts_and_footer(site):
    out, _ = site
    page, raw = _page(out / "en" / "poverty_profile" / "2024" / "IQG02.html")
    assert page.html_attrs == {"lang": "en", "dir": "ltr"}
    assert page.headings[0] == "Poverty profile: Basrah, 2024"
    assert {"Headcount by governorate", "Map", "Trend"} <= set(page.headings)
    row = page.cells.index("Basrah")
    assert page.cells[row:row + 4] == ["Basrah", "16.1%", "13.0–19.2", "1,234"]
    assert raw.count('class="wb-plot-data"') == 3
    # plotly.js inlined once, the small bundle that draws these charts (1.2 MB, not 4.8 MB)
    assert raw.count("plotly.js (basic - minified) v") == 1 and raw.count("Copyright (c) 20") <= 2
    assert len(raw.encode()) < 1_500_000
    assert "<script src=" not in raw and not re.search(r"<link[^>]+https?:", raw)   # nothing fetched
    assert "3f" * 32 in raw and "reports/manifest.json#run-0007" in raw       # full hash in the footer
    assert "SYNTHETIC DEMO DATA" in raw
    assert 'href="IQG02.pdf"' in raw and 'href="../../../ar/poverty_profile/2024/IQG02.html"' in raw


def test_arabic_page_is_rtl_and_translated(site):
    out, _ = site
    page, raw = _page(out / "ar" / "poverty_profile" / "2024" / "IQG02.html")
    assert page.html_attrs == {"lang": "ar", "dir": "rtl"}
    assert page.headings[0] == "ملف الفقر: البصرة، 2024"
    assert "البصرة" in page.cells and "أقل من 30 أسرة" in page.cells
    figs = [json.loads(m) for m in re.findall(r'<script type="application/json" class="wb-plot-data">(.*?)</script>', raw)]
    bars = figs[0]
    assert bars["layout"]["xaxis"]["autorange"] == "reversed" and bars["layout"]["yaxis"]["side"] == "right"
    assert "البصرة" in bars["data"][0]["y"]


def test_landing_page_table_map_links_and_search_index(site):
    out, _ = site
    page, raw = _page(out / "en" / "index.html")
    assert page.headings[0] == "Poverty in Iraq, 2024"
    row = page.cells.index("Basrah")
    assert page.cells[row:row + 4] == ["Basrah", "16.1%", "13.0–19.2", "1,234"]
    assert raw.count('class="wb-plot-data"') == 1 and "Schematic map" in raw
    assert 'href="poverty_profile/2024/IQG02.html"' in raw and 'href="poverty_profile/2024/IQG02.pdf"' in raw
    index = json.loads(re.search(r'<script type="application/json" id="wb-index">(.*?)</script>', raw).group(1))
    assert index == [{"t": "Poverty profile: Basrah, 2024", "u": "poverty_profile/2024/IQG02.html",
                      "r": "poverty_profile", "y": 2024, "p": "IQG02",
                      "n": "Basrah البصرة Poverty profile ملف الفقر",
                      "k": "Poverty profile: Basrah, 2024 Headcount by governorate Map Trend"}]
    ar, _ = _page(out / "ar" / "index.html")
    assert ar.html_attrs["dir"] == "rtl" and ar.headings[0] == "الفقر في العراق، 2024"


def test_second_publish_skips_unchanged_reports(site, executed):
    from workbench.publish import publish

    out, _ = site
    again = publish(executed, out, engine="pandoc", jobs=1)
    assert again.skipped == 2 and again.rendered == []
    assert (out / "en" / "index.html").is_file()


def test_fixture_numbers_are_what_the_pages_show():
    """The numbers asserted above are the fixture's, not copied from output."""
    t = fx.estimates(2024).set_index("governorate")
    assert f"{100 * t.loc['IQG02', 'estimate']:.1f}%" == "16.1%"
    assert t.loc["IQG02", "n"] == 1234 and t.loc[fx.SUPPRESSED_PCODE, "n"] == 12


def test_a_page_gets_the_smallest_plotly_js_that_draws_its_charts(tmp_path):
    from workbench.charts.plotlyjs import BASIC_BUNDLE, FULL_BUNDLE
    from workbench.publish.site import SiteContext, page_html, plot_html

    ctx = SiteContext(out=tmp_path, build=tmp_path, langs=("en",), formats=("html",), version="0", date="today")

    def page(*figures: dict, shared: bool = False) -> str:
        body = "".join(plot_html(f, label=f"fig-{i}", caption="A </script> caption")
                       for i, f in enumerate(figures))
        return page_html(replace(ctx, shared_assets=shared), "en", root="", title="t", subtitle="", body=body,
                         footer="", banner="", other_lang_href="#", current={})

    bars = {"data": [{"type": "bar", "x": [1]}, {"x": [1], "y": ["</script>"]}], "layout": {}}
    heat = {"data": [{"type": "heatmap", "z": [[1]]}], "layout": {}}
    assert "plotly.js (basic - minified) v" in page(bars)
    full = page(bars, heat)
    assert "plotly.js (basic" not in full and FULL_BUNDLE.read_text(encoding="utf-8")[:200] in full
    assert "plotly.js (basic" not in page() and "window.Plotly" not in page()   # no chart, no plotly.js
    assert f'src="../assets/{BASIC_BUNDLE.name}"' in page(bars, shared=True)
    assert f'src="../assets/{FULL_BUNDLE.name}"' in page(heat, shared=True)
