"""The dashboards as widgets, without a browser: what each control redraws, languages, faults."""

from __future__ import annotations

import ast
import base64
import logging
from pathlib import Path

import ipywidgets as w
import nbformat
import numpy as np
import pytest
from numpy.testing import assert_allclose

from workbench.dashboards import DASHBOARDS, show
from workbench.dashboards.explorer import PovertyExplorer
from workbench.dashboards.progress import StrategyProgress
from workbench.dashboards.settings import DashboardSettings
from workbench.dashboards.strategy import StrategyTarget, assess

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks" / "dashboards"


def values(array: list | dict) -> np.ndarray:
    """Numbers of a plotly JSON array (plain list, or plotly's base64 typed array)."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
    return np.asarray(array, dtype=float)


def _texts(widget: w.Widget) -> str:
    """Every HTML value under ``widget``."""
    parts = [widget.value] if isinstance(widget, w.HTML) else []
    for child in getattr(widget, "children", ()):
        parts.append(_texts(child))
    return "\n".join(parts)


@pytest.fixture
def explorer(store) -> PovertyExplorer:
    return PovertyExplorer(store, DashboardSettings(), "en")


def test_registry_and_notebooks_agree():
    assert sorted(DASHBOARDS) == sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_notebooks_are_thin(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    assert [c.cell_type for c in nb.cells] == ["code", "code"]  # a markdown cell would show in Voila
    assert nb.cells[0].metadata.get("tags") == ["parameters"]
    tree = ast.parse("\n".join(c.source for c in nb.cells))
    assert not [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    assert f'show("{name}"' in nb.cells[1].source
    assert all(not c.get("outputs") for c in nb.cells)


def test_explorer_draws_every_part_without_error(explorer, store):
    assert explorer.status.widget.value == ""
    ranked = explorer.ranked.spec["data"][0]
    rows = store.governorate_rows("headcount", 2024).sort_values("estimate")
    assert_allclose(values(ranked["x"]), 100 * rows["estimate"], rtol=1e-12)
    assert len(explorer.map.spec["layout"]["shapes"]) == 18  # the tile grid (no boundaries registered)
    assert "Baghdad" in explorer.cards.widget.value and "95% CI" in explorer.cards.widget.value
    assert "Download CSV" in explorer.table.widget.value


def test_a_control_redraws_what_it_feeds(explorer, store):
    before = explorer.trend.key
    explorer.year.input.value = 2012
    assert explorer.ranked.key[0] == 2012 and explorer.map.key[0] == 2012
    assert explorer.trend.key == before  # the trend does not depend on the round
    nat = store.place_row("national", "headcount", 2012)
    assert f"{100 * nat['estimate']:.1f}%" in explorer.cards.widget.value
    explorer.measure.input.value = "gini"
    assert explorer.ranked.key[:2] == (2012, "gini") and explorer.trend.key[0] == "gini"


def test_suppressed_governorate_card_says_so(explorer):
    explorer.place.input.value = "IQG01"
    explorer.year.input.value = 2007  # Anbar 2007: 24 households
    assert "n &lt; 30" in explorer.cards.widget.value


def test_compare_two_governorates(explorer, store):
    assert "Pick a second governorate" in explorer.compare_table.widget.value
    explorer.other.input.value = "IQG02"
    html = explorer.compare_table.widget.value
    assert "Baghdad" in html and "Basrah" in html and "Different at 95%?" in html
    a, b = (store.place_row(p, "headcount", 2024) for p in ("IQG08", "IQG02"))
    diff = 100 * (a["estimate"] - b["estimate"])
    assert f"{diff:+.1f}".replace("+-", "-") in html
    names = [t["name"] for t in explorer.compare_chart.spec["data"] if t.get("mode") == "lines+markers"]
    assert names == ["Baghdad", "Basrah"]


def test_arabic_mirrors_the_page_and_the_charts(explorer):
    explorer.lang_switch.value = "ar"
    assert "wb-rtl" in explorer.root._dom_classes
    layout = explorer.ranked.spec["layout"]
    assert layout["xaxis"]["autorange"] == "reversed" and layout["yaxis"]["side"] == "right"
    assert 'dir="rtl"' in explorer.cards.widget.value
    assert explorer.measure.input.label == "نسبة الفقر"
    explorer.lang_switch.value = "en"
    assert "wb-rtl" not in explorer.root._dom_classes and explorer.measure.input.label == "Poverty headcount rate"


def test_a_failing_part_shows_a_reference_not_a_traceback(explorer, monkeypatch, caplog):
    def broken() -> None:
        raise RuntimeError("secret detail /srv/data/survey.parquet")

    monkeypatch.setattr(explorer, "draw_map", broken)
    logger = logging.getLogger("workbench.dashboards")
    logger.addHandler(caplog.handler)
    try:
        explorer.year.input.value = 2018
    finally:
        logger.removeHandler(caplog.handler)
    shown = explorer.status.widget.value
    assert "Something went wrong" in shown and "reference" in shown
    assert "secret" not in shown and "Traceback" not in shown
    ref = shown.split("reference ")[1][:8]
    assert any(ref in r.getMessage() and r.exc_info for r in caplog.records)
    assert explorer.ranked.key[0] == 2018  # the other parts still drew


def test_progress_statuses_follow_the_controls(store):
    dash = StrategyProgress(store, DashboardSettings(), "en")
    assert dash.status.widget.value == ""
    expected = assess(store, StrategyTarget(2018, 2022, 0.25), year=2024, min_n=30)
    on = int((expected[expected["governorate"] != "national"]["status"] == "on_track").sum())
    assert f"2024: {on} on track" in dash.cards.widget.value
    dash.reduction.input.value = 10
    looser = assess(store, StrategyTarget(2018, 2022, 0.10), year=2024, min_n=30)
    on = int((looser[looser["governorate"] != "national"]["status"] == "on_track").sum())
    assert f"2024: {on} on track" in dash.cards.widget.value
    assert "by 10% from its 2018 level by 2022" in dash.definition.widget.value
    dash.baseline.input.value = 2012
    assert dash.target_year.input.options[0] == ("2013", 2013)
    assert "Baseline 2012" in dash.table.widget.value


def test_missing_results_page_names_the_batch_and_reloads(tmp_path, results_dir):
    page = show("strategy_progress", results=str(tmp_path))
    text = _texts(page)
    assert "No results yet" in text and "`workbench batch`" in text and str(tmp_path) not in text
    button = next(c for c in page.children if isinstance(c, w.Button))
    for f in results_dir.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    button.click()
    assert "wb-dashboard" in page.children[0]._dom_classes and "Strategy progress" in _texts(page)


def test_damaged_results_give_a_friendly_page(tmp_path):
    (tmp_path / "estimates.parquet").write_bytes(b"junk")
    text = _texts(show("poverty_explorer", results=str(tmp_path)))
    assert "Something went wrong" in text and "Parquet" not in text
