"""Engine choice, the Quarto project, and the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from workbench.charts.plotlyjs import BASIC_BUNDLE, FULL_BUNDLE
from workbench.errors import ParameterError
from workbench.publish import engines, pick_engine, publish

REPORTS = Path(__file__).resolve().parents[2] / "reports"


def test_auto_picks_pandoc_without_quarto(monkeypatch):
    monkeypatch.setattr(engines, "quarto_binary", lambda: None)
    assert pick_engine("auto") == "pandoc"
    with pytest.raises(ParameterError, match="no `quarto` binary on PATH"):
        pick_engine("quarto")


def test_auto_picks_quarto_when_present(monkeypatch):
    monkeypatch.setattr(engines, "quarto_binary", lambda: "/opt/quarto/bin/quarto")
    assert pick_engine("auto") == "quarto"


def test_bad_options_are_parameter_errors(tmp_path):
    with pytest.raises(ParameterError, match="unknown engine 'latex'"):
        pick_engine("latex")
    with pytest.raises(ParameterError, match="unknown language"):
        publish(tmp_path, tmp_path / "site", langs=("fr",))
    with pytest.raises(ParameterError, match="unknown format"):
        publish(tmp_path, tmp_path / "site", formats=("docx",))


def test_missing_executed_folder_says_what_to_do(tmp_path):
    from workbench.errors import DataError

    with pytest.raises(DataError, match="run `workbench batch` first"):
        publish(tmp_path / "nothing", tmp_path / "site", engine="pandoc")


def test_quarto_project_declares_website_typst_and_both_languages():
    base = yaml.safe_load((REPORTS / "_quarto.yml").read_text())
    assert base["project"]["type"] == "website" and base["execute"]["enabled"] is False
    assert {"html", "typst"} <= set(base["format"]) and base["website"]["search"] is True
    ar = yaml.safe_load((REPORTS / "_quarto-ar.yml").read_text())
    assert ar["lang"] == "ar" and ar["dir"] == "rtl" and ar["format"]["typst"]["mainfont"] == "Amiri"
    en = yaml.safe_load((REPORTS / "_quarto-en.yml").read_text())
    assert "!executed/*/*/*.ar.ipynb" in en["project"]["render"]


@pytest.mark.slow
@pytest.mark.notebooks
@pytest.mark.skipif(shutil.which("quarto") is None,
                    reason="Quarto is not installed here (no registry carries it); the pandoc engine is tested instead")
def test_quarto_engine_renders_the_project(executed, tmp_path):
    project = tmp_path / "reports"
    shutil.copytree(executed, project / "executed")
    for cfg in REPORTS.glob("_quarto*.yml"):
        shutil.copy2(cfg, project / cfg.name)
    result = publish(project / "executed", project / "_site", engine="quarto", langs=("en",), formats=("html",))
    assert result.engine == "quarto"
    assert list((project / "_site" / "en").rglob("IQG02.html"))


@pytest.mark.slow
@pytest.mark.notebooks
def test_cli_says_which_engine_and_publishes(executed, tmp_path, monkeypatch):
    from workbench.cli import app

    monkeypatch.setattr(engines, "quarto_binary", lambda: None)
    out = tmp_path / "site"
    run = CliRunner().invoke(app, ["publish", "--executed", str(executed), "--out", str(out),
                                   "--format", "html", "--lang", "en", "--jobs", "1"])
    assert run.exit_code == 0, run.output
    assert "engine: pandoc (auto: no quarto on PATH)" in run.output
    assert "1 report(s) rendered" in run.output
    assert (out / "en" / "poverty_profile" / "2024" / "IQG02.html").is_file()
    assert not (out / "ar").exists() and not list(out.rglob("*.pdf"))


@pytest.mark.slow
@pytest.mark.notebooks
def test_shared_assets_load_one_copy_of_plotly(executed, tmp_path):
    out = tmp_path / "site"
    result = publish(executed, out, engine="pandoc", langs=("en",), formats=("html",), jobs=1,
                     shared_assets=True)
    assert result.failures == {}
    page = (out / "en" / "poverty_profile" / "2024" / "IQG02.html").read_text(encoding="utf-8")
    assert '<script src="../../../assets/plotly-basic.min.js"></script>' in page   # the house charts
    for bundle in (BASIC_BUNDLE, FULL_BUNDLE):   # the full one for a page with other traces
        assert (out / "assets" / bundle.name).read_bytes() == bundle.read_bytes()
    assert len(page) < 500_000


@pytest.mark.slow
@pytest.mark.notebooks
def test_quarto_stage_has_print_ready_copies_and_an_index(executed, tmp_path):
    """What the Quarto engine hands to `quarto render` (Quarto itself is not needed here)."""
    import base64

    import nbformat

    from workbench.publish.document import PLOTLY_MIME
    from workbench.publish.quarto import stage_project
    from workbench.publish.sources import discover

    class Png:
        def __call__(self, figure, path):
            path.write_bytes(base64.b64decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="))
            return path

    reports = discover(executed)
    stage = stage_project(reports, REPORTS, tmp_path / "stage", Png(), ("en", "ar"))
    en = yaml.safe_load((stage / "_quarto-en.yml").read_text())
    assert en["project"]["render"][0] == "index.qmd"
    copy = nbformat.read(stage / "executed" / "poverty_profile" / "2024" / "IQG02.ar.ipynb", as_version=4)
    charts = [o for c in copy.cells for o in c.get("outputs", []) if PLOTLY_MIME in o.get("data", {})]
    assert len(charts) == 3 and all("image/png" in o.data for o in charts)
    index = (stage / "index.qmd").read_text()
    assert "[Poverty profile: Basrah, 2024](executed/poverty_profile/2024/IQG02.ipynb)" in index
    assert "[ملف الفقر: البصرة، 2024](executed/poverty_profile/2024/IQG02.ar.ipynb)" in index
    assert '::: {.content-visible when-profile="ar"}' in index


def test_landing_estimates_come_from_the_results_store(tmp_path):
    import pandas as pd

    from workbench.publish.sources import collect_estimates

    store = pd.DataFrame({
        "notebook": "national_overview", "year": 2024, "measure": "headcount",
        "governorate": ["IQG02", "IQG02", "national", None],
        "domain": ["", "female-headed", "", ""],
        "estimate": [0.15, 0.30, 0.175, 0.2], "ci_low": 0.1, "ci_high": 0.2, "n": [1673, 200, 25012, 5]})
    (tmp_path / "results").mkdir()
    store.to_parquet(tmp_path / "results" / "estimates.parquet")
    got = collect_estimates([], tmp_path / "results")
    assert got[["governorate", "estimate"]].values.tolist() == [["IQG02", 0.15], ["national", 0.175]]
