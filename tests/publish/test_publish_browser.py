"""The published site in headless Chromium: charts drawn, search and navigation work offline."""

from __future__ import annotations

import shutil

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.notebooks,
              pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian chromium not installed")]

def test_charts_draw_and_search_finds_a_governorate_in_arabic(site, browser):
    out, _ = site
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((out / "ar" / "poverty_profile" / "2024" / "IQG02.html").as_uri())
    page.wait_for_selector(".wb-plot .main-svg")
    assert page.locator(".wb-plot .main-svg").count() >= 3          # every chart drawn by plotly.js
    page.fill("#wb-q", "البصره")                                     # ta marbuta folded: still found
    link = page.locator("#wb-results a").first
    assert link.inner_text() == "ملف الفقر: البصرة، 2024"
    page.fill("#wb-q", "Basrah 2024")                                # English name on the Arabic page
    assert page.locator("#wb-results a").count() == 1
    page.fill("#wb-q", "Duhok")
    assert page.locator("#wb-results li").inner_text() == "لا يوجد تقرير مطابق"
    page.click("a.wb-lang")
    assert page.url.endswith("/en/poverty_profile/2024/IQG02.html")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert errors == []


def test_navigation_goes_to_the_chosen_report(site, browser):
    out, _ = site
    page = browser.new_page()
    page.goto((out / "en" / "index.html").as_uri())
    page.wait_for_selector(".wb-plot .main-svg")
    page.select_option("#wb-place", "IQG02")
    page.click("#wb-go")
    page.wait_for_url("**/en/poverty_profile/2024/IQG02.html")
    assert page.locator("h1").inner_text() == "Poverty profile: Basrah, 2024"


# Each chart's notes (the annotation under it) against its plot area, in CSS pixels.
NOTES = """() => Array.from(document.querySelectorAll('.wb-plot')).map(plot => {
  const svg = plot.querySelector('svg.main-svg').getBoundingClientRect();
  const area = plot.querySelector('.draglayer .nsewdrag');
  const notes = Array.from(plot.querySelectorAll('.annotation-text')).filter(t => t.textContent.includes('2024')
      || t.textContent.includes('Synthetic') || t.textContent.includes('المصدر') || t.textContent.includes('Source'));
  return notes.map(t => { const r = t.getBoundingClientRect();
    return {inside: r.left >= svg.left - 1 && r.right <= svg.right + 1,
            right: area ? Math.round(area.getBoundingClientRect().right - r.right) : null,
            left: area ? Math.round(r.left - area.getBoundingClientRect().left) : null}; }); })"""


def test_chart_notes_sit_under_the_chart_on_right_to_left_pages(site, browser):
    """plotly.js measures text in a hidden SVG; on an rtl page it was off, and the Arabic
    notes, aligned right, landed a text's width to the left of the chart (or off it)."""
    out, _ = site
    page = browser.new_page()
    try:
        found = {}
        for lang in ("en", "ar"):
            page.goto((out / lang / "poverty_profile" / "2024" / "IQG02.html").as_uri())
            page.wait_for_selector(".wb-plot .main-svg")
            found[lang] = [n for plot in page.evaluate(NOTES) for n in plot if n["right"] is not None]
    finally:
        page.close()
    assert found["en"] and found["ar"]
    assert all(n["inside"] and abs(n["left"]) <= 4 for n in found["en"])     # aligned with the plot's left
    assert all(n["inside"] and abs(n["right"]) <= 4 for n in found["ar"])    # and its right, in Arabic
