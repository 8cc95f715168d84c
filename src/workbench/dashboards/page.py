"""The dashboard base class, the registry of dashboards, and :func:`show`, which notebooks call.

A dashboard is a :class:`Dashboard` subclass registered under the name of its
notebook (``notebooks/dashboards/<name>.ipynb``). It declares

- ``controls()``: its inputs, as :class:`~workbench.dashboards.kit.Control`
  objects, each with the names of the parts it redraws;
- ``layout()``: its widgets below the controls;
- ``parts()``: name -> drawing method, in drawing order;
- ``relabel()``: the labels and menu options in ``self.lang``.

The base class builds the page (house CSS, title, language switch, synthetic
banner, controls, body, status line), redraws only the parts a control feeds,
shows a friendly message in any part that fails (the traceback goes to the
server log), switches the language (``dir`` right to left, mirrored charts),
and notices when a new batch has replaced the results.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import ClassVar

import ipywidgets as w

from workbench.charts.params import min_n
from workbench.dashboards.kit import (
    LOG,
    Control,
    HtmlPanel,
    error_html,
    escape,
    notice_html,
    report_error,
    setup_logging,
    style_widget,
)
from workbench.dashboards.settings import DashboardSettings, load_settings
from workbench.dashboards.store import ResultsMissing, ResultsStore, load_results, results_dir
from workbench.i18n import Lang, check_lang, direction, tr

__all__ = ["DASHBOARDS", "Dashboard", "missing_results_page", "register", "show"]

DASHBOARDS: dict[str, type[Dashboard]] = {}
"""Registered dashboards by name (= notebook stem), in registration order."""


def register(cls: type[Dashboard]) -> type[Dashboard]:
    """Class decorator adding a dashboard to :data:`DASHBOARDS` under ``cls.name``."""
    DASHBOARDS[cls.name] = cls
    return cls


class Dashboard:
    """Base of every dashboard (see the module docstring for what a subclass provides).

    Parameters
    ----------
    store : ResultsStore
        The batch's results.
    settings : DashboardSettings
    lang : {"en", "ar"}

    Attributes
    ----------
    timings : dict
        Seconds the last redraw of each part took (server side).
    """

    name: ClassVar[str] = ""
    title_key: ClassVar[str] = ""
    summary_key: ClassVar[str] = ""

    def __init__(self, store: ResultsStore, settings: DashboardSettings, lang: Lang) -> None:
        self.store = store
        self.settings = settings
        self.lang: Lang = check_lang(lang)
        self.min_n = min_n()
        self.timings: dict[str, float] = {}
        self._holding = False
        self.title = HtmlPanel("wb-title")
        self.banner = HtmlPanel("wb-banner-box")
        self.status = HtmlPanel("wb-status")
        self.lang_switch = w.ToggleButtons(
            options=[(tr("dashboard.lang_name", "en"), "en"), (tr("dashboard.lang_name", "ar"), "ar")],
            value=self.lang, style={"button_width": "90px"})
        self.lang_switch.add_class("wb-lang")
        self.lang_switch.observe(self._on_lang, "value")
        controls = self.controls()
        for control, parts in controls:
            control.input.observe(self._handler(parts), "value")
        bar = w.HBox([c.widget for c, _ in controls])
        bar.add_class("wb-controls")
        header = w.HBox([self.title.widget, self.lang_switch])
        header.add_class("wb-header")
        self.root = w.VBox([style_widget(), header, self.banner.widget, bar, *self.layout(),
                            self.status.widget])
        self.root.add_class("wb-dashboard")
        self.root.add_class(f"wb-{self.name.replace('_', '-')}")
        self._apply_lang()

    # -- what a subclass provides -------------------------------------------------------------
    def controls(self) -> list[tuple[Control, tuple[str, ...]]]:
        """The inputs and, for each, the parts it redraws."""
        raise NotImplementedError

    def layout(self) -> list[w.Widget]:
        """The widgets below the controls."""
        raise NotImplementedError

    def parts(self) -> dict[str, Callable[[], None]]:
        """Drawing methods by part name, in drawing order."""
        raise NotImplementedError

    def relabel(self) -> None:
        """Set labels and menu options in ``self.lang``."""
        raise NotImplementedError

    # -- machinery -----------------------------------------------------------------------------
    @property
    def source(self) -> str:
        """Source note of every chart: the results store, and SYNTHETIC when it is."""
        date = str(self.store.key_figures.get("generated", ""))[:10] or "?"
        text = tr("dashboard.source", self.lang, date=date)
        return f"{text}. {tr('banner.synthetic', self.lang)}" if self.store.synthetic else text

    def _handler(self, parts: tuple[str, ...]) -> Callable[[dict], None]:
        def on_change(change: dict) -> None:
            if not self._holding:
                self.redraw(parts)
        return on_change

    def redraw(self, names: Iterable[str] | None = None) -> None:
        """Redraw the named parts (all when None); a part that fails shows a friendly message."""
        wanted = set(names) if names is not None else None
        for name, draw in self.parts().items():
            if wanted is not None and name not in wanted:
                continue
            start = time.perf_counter()
            try:
                draw()
            except Exception as exc:  # noqa: BLE001 (the viewer gets a message, the log the traceback)
                self.fail(name, exc)
            self.timings[name] = time.perf_counter() - start
        self._check_stale()

    def fail(self, part: str, exc: BaseException) -> None:
        """Show the friendly error message for ``part`` (in the status line)."""
        ref = report_error(exc, f"{self.name}.{part}")
        self.status.set(error_html(ref, self.lang))

    def _check_stale(self) -> None:
        if self.store.is_stale():
            self.status.set(notice_html(tr("dashboard.missing.reload", self.lang),
                                        tr("dashboard.stale", self.lang), self.lang))

    def _on_lang(self, change: dict) -> None:
        try:
            self.lang = check_lang(change["new"])
            self._apply_lang()
        except Exception as exc:  # noqa: BLE001 (logged; the viewer gets a message)
            self.fail("language", exc)

    def _apply_lang(self) -> None:
        self._holding = True
        try:
            self.relabel()
        finally:
            self._holding = False
        if self.lang == "ar":
            self.root.add_class("wb-rtl")
        else:
            self.root.remove_class("wb-rtl")
        self.title.set(f'<div dir="{direction(self.lang)}"><h1>{escape(tr(self.title_key, self.lang))}</h1>'
                       f"<p>{escape(tr(self.summary_key, self.lang))}</p></div>")
        self.banner.set(f'<div class="wb-banner" dir="{direction(self.lang)}">'
                        f'{escape(tr("banner.synthetic", self.lang))}</div>' if self.store.synthetic else "")
        self.status.set("")
        self.redraw()


def missing_results_page(name: str, lang: Lang, path: str, *,
                         retry: Callable[[], w.Widget] | None = None) -> w.Widget:
    """The friendly page shown when there are no results yet, with a Reload button."""
    message = w.HTML(notice_html(tr("dashboard.missing.title", lang),
                                 tr("dashboard.missing.body", lang, path=path), lang))
    box = w.VBox([style_widget(), message])
    box.add_class("wb-dashboard")
    box.add_class("wb-missing")
    if lang == "ar":
        box.add_class("wb-rtl")
    if retry is not None:
        button = w.Button(description=tr("dashboard.missing.reload", lang), button_style="primary")
        button.add_class("wb-reload")

        def on_click(_: w.Button) -> None:
            try:
                box.children = (retry(),)
            except Exception as exc:  # noqa: BLE001 (logged; the viewer gets a message)
                ref = report_error(exc, f"{name}.reload")
                message.value = error_html(ref, lang)

        button.on_click(on_click)
        box.children = (*box.children, button)
    return box


def show(name: str, *, results: str = "", lang: str = "") -> w.Widget:
    """Build the dashboard ``name`` for a notebook cell; never raises to the viewer.

    Parameters
    ----------
    name : str
        A key of :data:`DASHBOARDS` (the notebook's stem).
    results : str
        Results folder; empty for ``$WORKBENCH_RESULTS`` or ``reports/results``.
    lang : str
        ``en`` or ``ar``; empty for ``parameters/dashboards.yaml``'s ``default_lang``.

    Returns
    -------
    ipywidgets.Widget
        The dashboard; or the "run `workbench batch` first" page when there are
        no results; or a friendly error message (traceback in the server log).
    """
    setup_logging()
    fallback: Lang = "ar" if lang == "ar" else "en"
    try:
        settings = load_settings()
        chosen = check_lang(lang or settings.default_lang)
        cls = DASHBOARDS[name]
        store = load_results(results or None)
        LOG.info("%s: %d estimates from %s", name, len(store.areas), store.path)
        return cls(store, settings, chosen).root
    except ResultsMissing:
        folder = results_dir(results or None)
        LOG.warning("%s: no results in %s", name, folder)
        shown = "/".join(folder.parts[-2:])  # not the server's full path
        return missing_results_page(name, lang or fallback, shown,
                                    retry=lambda: show(name, results=results, lang=lang))
    except Exception as exc:  # noqa: BLE001 (a damaged results file, or a bug: logged)
        ref = report_error(exc, f"{name}.build")
        return w.VBox([style_widget(), w.HTML(error_html(ref, fallback))])
