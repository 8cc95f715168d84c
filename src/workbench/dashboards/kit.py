"""The widget kit every dashboard is built from: panels, controls, cards, notices, the house CSS.

Charts are :class:`workbench.dashboards.chart.ChartPanel` objects (their own
module). Text blocks are ``ipywidgets.HTML`` with ``dir`` set from the
language. Every panel, control and card carries a ``wb-*`` CSS class, which is
what the browser tests and the house CSS select on.

Errors never reach the viewer as tracebacks: :func:`report_error` logs the
traceback server-side (the kernel's real stderr, which is the Voila server's
log) under a short reference, and the panel shows a friendly message with that
reference.
"""

from __future__ import annotations

import html
import logging
import sys
import uuid
from typing import Any

import ipywidgets as w
import pandas as pd

from workbench.charts.format import format_ci, format_count, format_value
from workbench.i18n import Lang, direction, ltr, tr

__all__ = [
    "CSS",
    "LOG",
    "Control",
    "HtmlPanel",
    "error_html",
    "escape",
    "estimate_card",
    "kpi_html",
    "notice_html",
    "report_error",
    "setup_logging",
    "style_widget",
]

LOG = logging.getLogger("workbench.dashboards")

CSS = """
.wb-dashboard { font-family: 'Noto Sans', 'DejaVu Sans', Arial, sans-serif; color: #222;
  max-width: 1400px; margin: 0 auto; padding: 0 12px 24px; }
.wb-dashboard.wb-rtl { direction: rtl; font-family: Amiri, 'Noto Naskh Arabic', 'Noto Sans Arabic', sans-serif; }
.wb-dashboard.wb-rtl .js-plotly-plot { direction: ltr; }
.wb-header { display: flex; align-items: center; justify-content: space-between;
  border-bottom: 3px solid #1f4e79; margin-bottom: 8px; flex-wrap: wrap; }
.wb-title h1 { color: #1f4e79; font-size: 26px; margin: 10px 0 4px; }
.wb-title p { margin: 0 0 8px; color: #555; }
.wb-banner { background: #fff4ce; border: 1px solid #e69f00; padding: 6px 10px; margin: 4px 0;
  font-weight: bold; }
.wb-controls { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: flex-end;
  background: #f3f6f9; padding: 8px 12px; border-radius: 4px; margin: 6px 0 10px; }
.wb-control { width: auto !important; }
.wb-control .widget-dropdown, .wb-control .widget-toggle-buttons, .wb-control .widget-hslider,
.wb-control .widget-inline-hbox { width: 220px !important; margin: 0; }
.wb-control-label { font-size: 13px; color: #333; margin-bottom: 2px; }
.wb-row { display: flex !important; flex-wrap: wrap; gap: 12px; width: 100%; }
.wb-cell { flex: 1 1 560px; min-width: 0; }
.wb-cell-wide { flex: 1 1 100%; }
.wb-section h2 { font-size: 19px; color: #1f4e79; margin: 18px 0 6px; border-bottom: 1px solid #dde3ea; }
.wb-cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 4px 0 8px; }
.wb-card { border: 1px solid #dde3ea; border-radius: 4px; padding: 8px 14px; min-width: 200px;
  background: white; }
.wb-card .wb-card-label { font-size: 13px; color: #555; }
.wb-card .wb-card-value { font-size: 26px; font-weight: bold; color: #1f4e79; }
.wb-card .wb-card-detail { font-size: 12px; color: #555; }
.wb-notice { border-radius: 4px; padding: 10px 14px; margin: 8px 0; }
.wb-notice-info { background: #eef4fa; border: 1px solid #9bb8d3; }
.wb-notice-error { background: #fdecee; border: 1px solid #c8102e; }
.wb-notice h3 { margin: 0 0 4px; font-size: 16px; }
.wb-table { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
.wb-table th, .wb-table td { border-bottom: 1px solid #e1e5ea; padding: 4px 10px; text-align: start; }
.wb-table td.num, .wb-table th.num { text-align: end; font-variant-numeric: tabular-nums; }
.wb-table tr.suppressed td { color: #888; }
.wb-note { font-size: 12px; color: #555; }
.wb-status-badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: white;
  font-size: 12px; }
.wb-downloads a { display: inline-block; margin: 6px 10px 6px 0; padding: 6px 12px;
  background: #1f4e79; color: white !important; border-radius: 4px; text-decoration: none; }
.wb-rtl .wb-downloads a { margin: 6px 0 6px 10px; }
.wb-definition { background: #f7f7f7; border-inline-start: 4px solid #1f4e79; padding: 8px 12px;
  font-size: 13px; }
"""


class _StderrHandler(logging.StreamHandler):
    """Logs to the kernel's real stderr (the server's log), never to the page."""

    def __init__(self) -> None:
        super().__init__(sys.__stderr__)


def setup_logging() -> None:
    """Send the dashboards' log and Python warnings to the server log, not to the viewer."""
    if not any(isinstance(h, _StderrHandler) for h in LOG.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("[workbench.dashboards %(levelname)s %(asctime)s] %(message)s"))
        LOG.addHandler(handler)
        LOG.setLevel(logging.INFO)
        LOG.propagate = False
        warnings_log = logging.getLogger("py.warnings")
        warnings_log.addHandler(handler)
        warnings_log.propagate = False
    logging.captureWarnings(True)


def report_error(exc: BaseException, where: str) -> str:
    """Log ``exc`` with its traceback server-side; return the short reference shown to the viewer."""
    ref = uuid.uuid4().hex[:8]
    LOG.error("ref=%s in %s: %s", ref, where, exc, exc_info=exc)
    return ref


def escape(text: object) -> str:
    """HTML-escape a value for a text block."""
    return html.escape(str(text))


def notice_html(title: str, body: str, lang: Lang, *, kind: str = "info") -> str:
    """A boxed message (``info`` or ``error``); ``title`` and ``body`` are plain text."""
    return (f'<div class="wb-notice wb-notice-{kind}" dir="{direction(lang)}">'
            f"<h3>{escape(title)}</h3><p>{escape(body)}</p></div>")


def error_html(ref: str, lang: Lang) -> str:
    """The friendly message shown in place of a panel that failed."""
    return notice_html(tr("dashboard.error.title", lang), tr("dashboard.error.body", lang, ref=ref),
                       lang, kind="error")


def kpi_html(label: str, value: str, detail: str, *, css: str = "") -> str:
    """One headline number with its label and detail line (CI and n)."""
    return (f'<div class="wb-card {escape(css)}"><div class="wb-card-label">{escape(label)}</div>'
            f'<div class="wb-card-value">{escape(value)}</div>'
            f'<div class="wb-card-detail">{escape(detail)}</div></div>')


def style_widget() -> w.HTML:
    """The house CSS, as a widget placed first in every dashboard."""
    return w.HTML(f"<style>{CSS}</style>", layout=w.Layout(display="none"))


class HtmlPanel:
    """A block of HTML (cards, tables, notes, download links)."""

    def __init__(self, css: str) -> None:
        self.widget = w.HTML()
        for name in css.split():
            self.widget.add_class(name)

    def set(self, html_text: str) -> None:
        """Replace the content."""
        self.widget.value = html_text


class Control:
    """A labelled input: an HTML label above a widget, relabelled when the language changes.

    Parameters
    ----------
    widget : ipywidgets.ValueWidget
        Dropdown, slider or toggle.
    css : str
        CSS class naming the control (``wb-year`` ...).
    label_key : str
        Catalogue key of the label.
    """

    def __init__(self, widget: w.ValueWidget, css: str, label_key: str) -> None:
        self.input = widget
        self.label_key = label_key
        self.label = w.HTML()
        self.label.add_class("wb-control-label")
        self.widget = w.VBox([self.label, widget])
        self.widget.add_class("wb-control")
        self.widget.add_class(css)

    @property
    def value(self) -> Any:
        return self.input.value

    def relabel(self, lang: Lang, options: list[tuple[str, Any]] | None = None) -> None:
        """Translate the label, and replace the options keeping the current value."""
        self.label.value = escape(tr(self.label_key, lang))
        if options is not None:
            value = self.input.value
            values = [v for _, v in options]
            self.input.options = options
            self.input.value = value if value in values else values[0]


def signed_value(value: float, measure: str, lang: Lang) -> str:
    """A difference with its sign, in the measure's display unit, kept left to right in Arabic.

    Examples
    --------
    >>> signed_value(0.0123, "headcount", "en"), signed_value(-0.0004, "headcount", "en")
    ('+1.2', '0.0')
    """
    text = format_value(value, measure, lang=lang, unit=False)
    if not text:
        return ""
    if value > 0 and not set(text) <= set("0.,"):  # a value that rounds to zero has no sign
        text = "+" + text
    return ltr(text, lang)


def estimate_card(label: str, row: pd.Series | None, measure: str, lang: Lang, *, min_n: int,
                  css: str = "") -> str:
    """A card with an estimate, its 95% CI and ``n``; suppressed or missing rows say so."""
    if row is None:
        return kpi_html(label, "–", tr("dashboard.kpi.missing", lang), css=css)
    n = row["n"]
    if pd.isna(n) or int(n) < min_n or bool(row.get("suppressed", False)) or pd.isna(row["estimate"]):
        return kpi_html(label, tr("label.suppressed_short", lang, min_n=min_n),
                        tr("dashboard.kpi.suppressed", lang, min_n=min_n), css=css)
    detail = tr("dashboard.kpi.ci_n", lang, ci=format_ci(row["ci_low"], row["ci_high"], measure, lang=lang),
                n=format_count(n))
    return kpi_html(label, format_value(row["estimate"], measure, lang=lang), detail, css=css)
