"""``workbench publish`` behind one interface: the Quarto engine or the pandoc engine.

* ``pandoc`` (always available): executed notebooks -> pandoc -> HTML pages with
  interactive charts, and -> Typst -> PDF with kaleido PNGs. Renders in parallel
  processes, one kaleido (Chromium) session per process.
* ``quarto`` (when the ``quarto`` binary is on PATH): stages print-ready copies
  of the notebooks (a PNG beside every chart) with ``reports/_quarto*.yml`` and
  runs ``quarto render`` once per language profile.
* ``auto``: Quarto when present, else pandoc.

Neither engine executes a notebook.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import shutil
import signal
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Literal

from workbench.charts.plotlyjs import BASIC_BUNDLE, FULL_BUNDLE, bundle_bytes
from workbench.errors import ParameterError, WorkbenchError, one_of
from workbench.files import write_atomic
from workbench.i18n import LANGS
from workbench.publish.failures import failed_body
from workbench.publish.figures import FigureExporter
from workbench.publish.landing import landing_page
from workbench.publish.provenance import Provenance, banner_html, footer_html
from workbench.publish.render import Rendered, render_report
from workbench.publish.site import (
    SiteContext,
    headings_of,
    page_html,
    report_url,
    root_index,
    search_entries,
)
from workbench.publish.sources import (
    MANIFEST_NAME,
    FailedRun,
    Report,
    RunState,
    collect_estimates,
    read_runs,
    scan,
)
from workbench.publish.state import PublishState, report_hash, site_hash

__all__ = ["FORMATS", "EngineName", "PublishResult", "pick_engine", "publish", "quarto_binary"]

EngineName = Literal["auto", "quarto", "pandoc"]
ENGINES: tuple[str, ...] = ("auto", "quarto", "pandoc")
FORMATS: tuple[str, ...] = ("html", "pdf")


@dataclass
class PublishResult:
    """What a publish run did."""

    engine: str
    out: Path
    rendered: list[Rendered] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)   # "<lang>/<key>" -> reason
    failed_runs: list[FailedRun] = field(default_factory=list)  # batch runs that failed: listed, not published
    pages: list[Path] = field(default_factory=list)          # landing and index pages
    skipped: int = 0                                         # reports whose outputs were up to date
    seconds: float = 0.0

    @property
    def problems(self) -> dict[str, list[str]]:
        """Placeholders shown instead of outputs, by report."""
        return {f"{r.lang}/{r.key}": r.problems for r in self.rendered if r.problems}


def quarto_binary() -> str | None:
    """Path of the ``quarto`` binary on PATH, or None."""
    return shutil.which("quarto")


def pick_engine(name: str) -> str:
    """Resolve ``auto`` and check that the chosen engine is available.

    Raises
    ------
    ParameterError
        Unknown engine, or ``quarto`` asked for but not on PATH.
    """
    if name not in ENGINES:
        raise ParameterError(one_of(name, ENGINES, "engine"))
    if name == "auto":
        return "quarto" if quarto_binary() else "pandoc"
    if name == "quarto" and not quarto_binary():
        raise ParameterError("--engine quarto: no `quarto` binary on PATH; install Quarto "
                             "(conda-forge `quarto`, `pip install quarto-cli` with internet, or quarto.org) "
                             "or use --engine pandoc")
    return name


def _package_version() -> str:
    try:
        return version("workbench")
    except PackageNotFoundError:
        return "unknown"


def _manifest_ref(manifest: Path) -> str:
    return f"{manifest.parent.name}/{manifest.name}" if manifest.is_file() else ""


def _check(langs: tuple[str, ...], formats: tuple[str, ...]) -> None:
    for lang in langs:
        if lang not in LANGS:
            raise ParameterError(one_of(lang, LANGS, "language (--lang)"))
    for fmt in formats:
        if fmt not in FORMATS:
            raise ParameterError(one_of(fmt, FORMATS, "format (--format)"))
    if not langs or not formats:
        raise ParameterError("--lang and --format each need at least one value")


Job = tuple[Report, tuple[str, ...]]   # a report and the formats to render


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _next_job(jobs: mp.Queue, parent: int) -> Job | None:
    """The next job, or None when the queue says stop or the parent process is gone."""
    while os.getppid() == parent:
        try:
            return jobs.get(timeout=1)
        except queue.Empty:
            continue
    return None


def _worker(ctx: SiteContext, jobs: mp.Queue, results: mp.Queue, parent: int) -> None:
    """A render process: one kaleido session for all its reports.

    SIGTERM, or the death of the parent, ends it through the ``with`` block, so its
    Chromium is stopped and never left behind.
    """
    signal.signal(signal.SIGTERM, _stop)
    with FigureExporter() as export:
        while (job := _next_job(jobs, parent)) is not None:
            report, formats = job
            try:
                results.put(("ok", report, render_report(report, ctx, export, formats)))
            except WorkbenchError as exc:
                results.put(("failed", report, str(exc)))
            except Exception:  # noqa: BLE001 - a bug in one report must not stop the others; it is reported in full
                results.put(("failed", report, traceback.format_exc()))


def _render_all(todo: list[Job], ctx: SiteContext, jobs: int,
                on_done: Callable[[Report, str | None], None]) -> tuple[list[Rendered], dict[str, str]]:
    rendered: list[Rendered] = []
    failures: dict[str, str] = {}

    def record(kind: str, report: Report, payload: object) -> None:
        if kind == "ok":
            rendered.append(payload)  # type: ignore[arg-type]
            on_done(report, None)
        else:
            failures[f"{report.lang}/{report.key}"] = str(payload)
            on_done(report, str(payload))

    reports = [report for report, _ in todo]
    if jobs <= 1 or len(todo) <= 1:
        with FigureExporter() as export:
            for report, formats in todo:
                try:
                    record("ok", report, render_report(report, ctx, export, formats))
                except WorkbenchError as exc:
                    record("failed", report, exc)
        return rendered, failures
    spawn = mp.get_context("spawn")
    job_q: mp.Queue = spawn.Queue()
    res_q: mp.Queue = spawn.Queue()
    # Largest notebooks first, so no process is left with a big one at the end.
    for job in sorted(todo, key=lambda j: (-len(j[1]), -j[0].path.stat().st_size)):
        job_q.put(job)
    workers = [spawn.Process(target=_worker, args=(ctx, job_q, res_q, os.getpid()), daemon=True)
               for _ in range(min(jobs, len(reports)))]
    for w in workers:
        job_q.put(None)
        w.start()
    pending = len(reports)
    try:
        while pending:
            try:
                kind, report, payload = res_q.get(timeout=2)
            except queue.Empty:
                if not any(w.is_alive() for w in workers):
                    break
                continue
            record(kind, report, payload)
            pending -= 1
    finally:
        for w in workers:
            if pending:          # interrupted: stop the workers now (they stop their Chromium)
                w.terminate()
            w.join(timeout=30)
        if pending:              # jobs left in the queue must not hold the interpreter at exit
            job_q.cancel_join_thread()
            res_q.cancel_join_thread()
    done = {f"{r.lang}/{r.key}" for r in rendered} | set(failures)
    for report in reports:
        if f"{report.lang}/{report.key}" not in done:
            record("failed", report, "render process died (see its output above)")
    return rendered, failures


def _withdraw(failed: list[FailedRun], ctx: SiteContext, state: PublishState, synthetic: bool) -> None:
    """Replace each failed run's outputs: its PDF is removed, its page says it failed."""
    for run in failed:
        folder = ctx.out / run.lang
        for fmt in FORMATS:
            state.forget(folder / report_url(run, fmt))
        (folder / report_url(run, "pdf")).unlink(missing_ok=True)
        page = folder / report_url(run)
        if "html" not in ctx.formats:
            page.unlink(missing_ok=True)
            continue
        lang = run.lang
        prov = Provenance(manifest=f"{ctx.manifest}#batch={run.batch}" if ctx.manifest and run.batch
                          else ctx.manifest, parameters={"year": run.year, "place": run.place})
        other = "ar" if lang == "en" else "en"
        write_atomic(page, page_html(
            ctx, lang, root="../../", title=run.title(lang),
            subtitle=f"{run.report_label(lang)} · {run.place_label(lang)} · {run.year}",
            body=failed_body(run, lang), footer=footer_html(prov, lang), banner=banner_html(synthetic, lang),
            other_lang_href=f"../../../{other}/index.html",
            current={"r": run.notebook, "y": run.year, "p": run.place}))


def _pandoc(reports: list[Report], *, failed: list[FailedRun], runs: dict[tuple[str, int, str, str], RunState],
            manifest: Path, out: Path, build: Path, langs: tuple[str, ...],
            formats: tuple[str, ...], jobs: int, strict: bool, shared_assets: bool, force: bool,
            results: Path | None, on_done: Callable[[Report, str | None], None]) -> PublishResult:
    headings = {r.path: headings_of(r.path) for r in reports}
    # Cite the batch run of each report in its provenance footer.
    reports = [replace(r, sidecar={**r.sidecar, "manifest": runs[r.run_key].manifest})
               if r.run_key in runs and not r.sidecar.get("manifest") else r for r in reports]
    ctx = SiteContext(
        out=out, build=build, langs=langs, formats=formats, version=_package_version(),
        date=date.today().isoformat(), strict=strict, shared_assets=shared_assets,
        manifest=_manifest_ref(manifest),
        index={lang: search_entries(reports, headings, lang) for lang in langs},
        reports_by_lang={lang: {r.key for r in reports if r.lang == lang} for lang in langs},
    )
    result = PublishResult(engine="pandoc", out=out, failed_runs=failed)
    if shared_assets and "html" in formats:
        for bundle in (BASIC_BUNDLE, FULL_BUNDLE):
            write_atomic(out / "assets" / bundle.name, bundle_bytes(bundle))
    state = PublishState(out)
    page_sig = site_hash(ctx.index, langs, formats, shared_assets)
    digests: dict[tuple[str, str], dict[str, str]] = {}
    todo: list[Job] = []
    for r in reports:
        base = report_hash(r, ctx.version, f"{strict}")
        want = {"pdf": base, "html": f"{base}:{page_sig}"}
        paths = {fmt: out / r.lang / report_url(r, fmt) for fmt in formats}
        stale = tuple(f for f in formats if force or state.stale(paths[f], want[f]))
        digests[(r.lang, r.key)] = {str(paths[f]): want[f] for f in stale}
        if stale:
            todo.append((r, stale))
        else:
            result.skipped += 1
            on_done(r, None)
    result.rendered, result.failures = _render_all(todo, ctx, jobs, on_done)
    for done in result.rendered:
        for path, digest in digests[(done.lang, done.key)].items():
            state.mark(Path(path), digest)
    for key in result.failures:
        lang, _, rkey = key.partition("/")
        for path in digests.get((lang, rkey), {}):
            state.forget(Path(path))
    _withdraw(failed, ctx, state, any(Provenance.from_sidecar(r.sidecar).synthetic for r in reports))
    state.save()
    if "html" in formats:
        estimates = collect_estimates(reports, results)
        for lang in langs:
            result.pages.append(write_atomic(out / lang / "index.html",
                                             landing_page(ctx, reports, estimates, lang, failed)))
        result.pages.append(write_atomic(out / "index.html", root_index(langs)))
    shutil.rmtree(build, ignore_errors=True)
    return result


def _quarto(reports: list[Report], *, failed: list[FailedRun], project: Path, out: Path, build: Path,
            langs: tuple[str, ...], formats: tuple[str, ...]) -> PublishResult:
    """Stage print-ready copies with the Quarto project files and run ``quarto render`` per language."""
    from workbench.publish import quarto

    with FigureExporter() as export:
        stage = quarto.stage_project(reports, project, build / "quarto", export, langs, failed=failed)
    quarto.render(stage, out, langs=langs, formats=formats, quarto=quarto_binary() or "quarto")
    shutil.rmtree(build, ignore_errors=True)
    return PublishResult(engine="quarto", out=out, failed_runs=failed)


def publish(executed: Path, out: Path, *, engine: str = "auto", langs: tuple[str, ...] = ("en", "ar"),
            formats: tuple[str, ...] = FORMATS, jobs: int | None = None, strict: bool = False,
            shared_assets: bool = False, force: bool = False, results: Path | None = None,
            project: Path | None = None, manifest: Path | None = None,
            on_done: Callable[[Report, str | None], None] | None = None) -> PublishResult:
    """Publish every executed notebook as HTML pages and PDFs, in the requested languages.

    What is current comes from the batch's run manifest: a run whose latest
    attempt failed is not published (not even an older notebook of it left on
    disk); it is listed on the landing page with its error summary, its page
    says it failed and its PDF is removed. Without a manifest, papermill's
    failure mark in the notebooks decides.

    Parameters
    ----------
    executed : pathlib.Path
        ``reports/executed`` (``<notebook>/<year>/<place>[.ar].ipynb`` with sidecars).
    out : pathlib.Path
        The site folder, ``reports/_site``.
    engine : {"auto", "quarto", "pandoc"}
    langs : tuple of {"en", "ar"}
    formats : tuple of {"html", "pdf"}
    jobs : int, optional
        Render processes (default: the number of CPUs).
    strict : bool
        Fail a report whose chart has no static image, instead of printing a placeholder.
    force : bool
        Render every output, even those whose inputs are unchanged since the last publish.
    shared_assets : bool
        Pages load plotly.js from ``assets/`` instead of inlining it (a smaller site;
        pages can no longer be emailed alone).
    results : pathlib.Path, optional
        ``reports/results`` (``estimates.parquet``) for the landing page.
    project : pathlib.Path, optional
        Folder of ``_quarto.yml`` (default: the parent of ``executed``).
    manifest : pathlib.Path, optional
        The batch's run manifest (default: ``manifest.sqlite`` beside ``executed``,
        that is ``reports/manifest.sqlite``; none there means no manifest).
    on_done : callable, optional
        Called with each report and None, or the reason it failed.

    Returns
    -------
    PublishResult
    """
    _check(langs, formats)
    start = time.perf_counter()
    main = threading.current_thread() is threading.main_thread()
    # SIGTERM unwinds like Ctrl-C: worker processes and Chromium sessions are stopped, not orphaned.
    previous = signal.signal(signal.SIGTERM, _stop) if main else None
    try:
        chosen = pick_engine(engine)
        manifest = manifest or executed.parent / MANIFEST_NAME
        runs = read_runs(manifest)
        reports, failed = scan(executed, langs, runs=runs)
        build = out.parent / "_build" / f"publish-{os.getpid()}"
        if chosen == "quarto":
            result = _quarto(reports, failed=failed, project=project or executed.parent, out=out,
                             build=build, langs=langs, formats=formats)
        else:
            result = _pandoc(reports, failed=failed, runs=runs, manifest=manifest, out=out, build=build,
                             langs=langs, formats=formats,
                             jobs=jobs or os.cpu_count() or 1, strict=strict, shared_assets=shared_assets,
                             force=force,
                             results=results, on_done=on_done or (lambda r, e: None))
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
    result.seconds = time.perf_counter() - start
    return result
