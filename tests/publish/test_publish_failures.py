"""Failed batch runs: read from the run manifest, listed on the site, never published from an old notebook."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from workbench.batch.manifest import Manifest, RunRecord
from workbench.errors import DataError
from workbench.publish.sources import FailedRun, read_runs, scan

KILLED = "DeadKernelError: Kernel died before replying to execute request (cell 7)"


def _record(manifest: Path, place: str, lang: str, status: str, batch: str, error: str | None = None) -> None:
    with Manifest(manifest) as m:
        m.record(RunRecord(batch=batch, notebook="poverty_profile", year=2024, governorate=place, lang=lang,
                           parameters={"governorate": place, "year": 2024, "lang": lang}, input_hash="h",
                           inputs={}, status=status, error=error, started="2026-11-24T08:00:00+00:00",
                           finished="2026-11-24T08:01:00+00:00"))


@pytest.fixture
def project(executed, tmp_path) -> Path:
    """A copy of the executed fixture (Basrah 2024, en and ar) under reports/, with its manifest."""
    reports = tmp_path / "reports"
    shutil.copytree(executed, reports / "executed")
    for lang in ("en", "ar"):
        _record(reports / "manifest.sqlite", "IQG02", lang, "done", "b1")
    return reports


def test_a_failed_rerun_is_not_published_from_the_older_notebook(project):
    """The batch keeps an earlier success's notebook when a re-run dies before writing one."""
    _record(project / "manifest.sqlite", "IQG02", "en", "failed", "b2", KILLED)
    _record(project / "manifest.sqlite", "IQG02", "ar", "skipped", "b2")    # skipped: not a new state
    reports, failed = scan(project / "executed")
    assert [(r.place, r.lang) for r in reports] == [("IQG02", "ar")]
    assert failed == [FailedRun("poverty_profile", 2024, "IQG02", "en", error=KILLED,
                                finished="2026-11-24T08:01:00+00:00", batch="b2")]


def test_a_failed_run_without_any_notebook_is_listed(project):
    _record(project / "manifest.sqlite", "IQG03", "en", "failed", "b2", "KeyError: 'IQG03'")
    _record(project / "manifest.sqlite", "IQG03", "ar", "failed", "b2", "KeyError: 'IQG03'")
    reports, failed = scan(project / "executed", ("en",))
    assert len(reports) == 1
    assert [(f.place, f.lang, f.error) for f in failed] == [("IQG03", "en", "KeyError: 'IQG03'")]


def test_without_a_manifest_papermills_mark_decides(project):
    (project / "manifest.sqlite").unlink()
    path = project / "executed" / "poverty_profile" / "2024" / "IQG02.ar.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["metadata"]["papermill"]["exception"] = True
    nb["cells"][-1]["outputs"] = [{"output_type": "error", "ename": "ZeroDivisionError",
                                   "evalue": "division by zero", "traceback": []}]
    path.write_text(json.dumps(nb), encoding="utf-8")
    reports, failed = scan(project / "executed")
    assert [r.lang for r in reports] == ["en"]
    assert [(f.lang, f.error, f.batch) for f in failed] == [("ar", "ZeroDivisionError: division by zero", "")]


def test_an_unreadable_manifest_is_an_error_not_ignored(project):
    (project / "manifest.sqlite").write_bytes(b"not a database at all, " * 100)
    with pytest.raises(DataError, match=r"manifest.sqlite: the batch manifest cannot be read .*--manifest"):
        read_runs(project / "manifest.sqlite")


@pytest.mark.slow
@pytest.mark.notebooks
def test_the_site_withdraws_a_failed_report_and_brings_it_back_when_it_succeeds(project):
    from workbench.publish import publish

    executed, out, manifest = project / "executed", project / "_site", project / "manifest.sqlite"
    en_page, en_pdf = (out / "en" / "poverty_profile" / "2024" / f"IQG02.{ext}" for ext in ("html", "pdf"))
    first = publish(executed, out, engine="pandoc", langs=("en",), jobs=1)
    assert first.failed_runs == [] and en_pdf.is_file() and "Headcount by governorate" in en_page.read_text()

    # A re-run fails without writing a notebook; another governorate never produced one.
    _record(manifest, "IQG02", "en", "failed", "b2", KILLED)
    _record(manifest, "IQG03", "en", "failed", "b2", "KeyError: 'IQG03'")
    second = publish(executed, out, engine="pandoc", langs=("en",), jobs=1)
    assert [(f.place, f.error) for f in second.failed_runs] == [("IQG02", KILLED), ("IQG03", "KeyError: 'IQG03'")]
    assert second.rendered == [] and second.failures == {}
    assert not en_pdf.exists()                                           # the old edition is withdrawn
    page = en_page.read_text(encoding="utf-8")
    assert "its last batch run failed" in page and "DeadKernelError: Kernel died" in page
    assert "Headcount by governorate" not in page and "2026-11-24T08:01:00+00:00" in page
    landing = (out / "en" / "index.html").read_text(encoding="utf-8")
    assert 'id="failed-runs"' in landing and "KeyError: &#x27;IQG03&#x27;" in landing
    assert landing.count('class="wb-failed-cell"') == 2                  # both cells of the reports table
    assert '<a href="poverty_profile/2024/IQG03.html"' in landing
    assert (out / "en" / "poverty_profile" / "2024" / "IQG03.html").is_file()

    # The retry succeeds with the same notebook bytes: rendered again, not skipped as up to date.
    _record(manifest, "IQG02", "en", "done", "b3")
    third = publish(executed, out, engine="pandoc", langs=("en",), jobs=1)
    assert [r.key for r in third.rendered] == ["poverty_profile/2024/IQG02"]
    assert en_pdf.is_file() and "Headcount by governorate" in en_page.read_text(encoding="utf-8")
    assert [f.place for f in third.failed_runs] == ["IQG03"]


@pytest.mark.slow
@pytest.mark.notebooks
def test_cli_lists_the_failed_runs(project, tmp_path):
    from typer.testing import CliRunner

    from workbench.cli import app

    _record(project / "manifest.sqlite", "IQG02", "en", "failed", "b2", KILLED)
    run = CliRunner().invoke(app, ["publish", "--engine", "pandoc", "--executed", str(project / "executed"),
                                   "--out", str(tmp_path / "site"), "--format", "html", "--lang", "en",
                                   "--jobs", "1"])
    assert run.exit_code == 0, run.output
    assert f"batch run failed en/poverty_profile/2024/IQG02: {KILLED}" in " ".join(run.output.split())
    assert "1 batch run(s) failed" in run.output
