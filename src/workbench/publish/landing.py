"""The national landing page of each language: governorate table, map and every report."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

import pandas as pd

from workbench.charts import estimate_table, governorate_map
from workbench.charts.format import format_value, measure_label, unit_label
from workbench.geography import governorates
from workbench.i18n import Lang, place_name, tr
from workbench.publish.failures import failed_list
from workbench.publish.provenance import Provenance, banner_html, footer_html
from workbench.publish.site import SiteContext, page_html, plot_html, report_url
from workbench.publish.sources import FailedRun, Report

__all__ = ["landing_page"]

_MEASURES = ("headcount", "gap", "severity")


def _failed_cell(run: FailedRun, lang: Lang, ctx: SiteContext) -> str:
    label, error = html.escape(tr("site.failed", lang)), html.escape(run.error)
    if "html" in ctx.formats:
        return f'<td class="wb-failed-cell"><a href="{report_url(run)}" title="{error}">{label}</a></td>'
    return f'<td class="wb-failed-cell"><span title="{error}">{label}</span></td>'


def _matrix(reports: list[Report], lang: Lang, ctx: SiteContext,
            failed: Sequence[FailedRun] = ()) -> str:
    parts = [f"<h2 id=\"all-reports\">{html.escape(tr('site.all_reports', lang))}</h2>"]
    mine = [r for r in reports if r.lang == lang]
    lost = [f for f in failed if f.lang == lang]
    if not mine and not lost:
        return parts[0] + f"<p>{html.escape(tr('site.no_reports', lang))}</p>"
    order = {g.pcode: i for i, g in enumerate(governorates())}
    for notebook in sorted({r.notebook for r in [*mine, *lost]}):
        rows = [r for r in mine if r.notebook == notebook]
        failures = {(f.place, f.year): f for f in lost if f.notebook == notebook}
        years = sorted({r.year for r in rows} | {y for _, y in failures}, reverse=True)
        places = sorted({r.place for r in rows} | {p for p, _ in failures},
                        key=lambda p: -1 if p == "national" else order.get(p, 99))
        cell = {(r.place, r.year): r for r in rows}
        head = "".join(f"<th>{y}</th>" for y in years)
        body = []
        for p in places:
            tds = []
            for y in years:
                r = cell.get((p, y))
                if r is None:
                    tds.append(_failed_cell(failures[(p, y)], lang, ctx) if (p, y) in failures else "<td></td>")
                    continue
                links = [f'<a href="{report_url(r)}">HTML</a>'] if "html" in ctx.formats else []
                if "pdf" in ctx.formats:
                    links.append(f'<a href="{report_url(r, "pdf")}">PDF</a>')
                tds.append(f"<td>{' · '.join(links)}</td>")
            body.append(f"<tr><td>{html.escape(place_name(p, lang))}</td>{''.join(tds)}</tr>")
        label = html.escape(tr(f"report.{notebook}", lang, default=notebook.replace("_", " ")))
        parts.append(f"<h3>{label}</h3><div class=\"wb-table-wrap\"><table class=\"wb-matrix\"><thead><tr>"
                     f"<th>{html.escape(tr('label.governorate', lang))}</th>{head}</tr></thead>"
                     f"<tbody>{''.join(body)}</tbody></table></div>")
    return "".join(parts)


def landing_page(ctx: SiteContext, reports: list[Report], estimates: pd.DataFrame, lang: Lang,
                 failed: Sequence[FailedRun] = ()) -> str:
    """HTML of ``<lang>/index.html``: the latest year's governorate estimates, a map, all reports,
    and the runs that failed (marked in the table of reports and listed with their errors)."""
    mine = [r for r in reports if r.lang == lang] or reports
    year = int(estimates["year"].max()) if not estimates.empty else max((r.year for r in mine), default=None)
    sidecar = next((r.sidecar for r in sorted(mine, key=lambda r: (r.year != year, not r.is_national))
                    if r.sidecar), {})
    prov = Provenance.from_sidecar(sidecar, manifest=ctx.manifest)
    source = tr("site.ministry", lang)
    body: list[str] = [f"<p>{html.escape(tr('site.landing_intro', lang))}</p>"]
    line = (sidecar.get("figures") or {}).get("poverty_line")
    if isinstance(line, dict) and isinstance(line.get("value"), int | float):
        label = tr("site.key_figure", lang, label=measure_label("poverty_line", lang), year=year)
        body.append(f'<p class="wb-keyfigure"><strong>{html.escape(label)}</strong> {html.escape(format_value(line["value"], "poverty_line", lang=lang))} '
                    f'({html.escape(unit_label("poverty_line", lang))})</p>')
    current = estimates[estimates["year"] == year] if not estimates.empty else estimates
    measures = [m for m in _MEASURES if m in set(current.get("measure", []))]
    if measures:
        main = measures[0]
        rows = current[current["measure"] == main]
        order = {g.pcode: i for i, g in enumerate(governorates())}
        rows = rows.assign(_o=rows["governorate"].map(lambda g: -1 if g == "national" else order.get(g, 99)))
        table = estimate_table(rows.sort_values("_o"), measure=main, lang=lang)
        gov_rows = rows[rows["governorate"] != "national"]
        fig = governorate_map(gov_rows, measure=main, year=year, lang=lang, source=source)
        body.append(f'<h2 id="by-governorate">{html.escape(measure_label(main, lang))}, {year}</h2>'
                    f'<div class="wb-grid"><div>{table.to_html()}</div><div>{plot_html(json.loads(fig.to_json()))}</div></div>')
        for other in measures[1:]:
            t = estimate_table(current.assign(_o=current["governorate"].map(
                lambda g: -1 if g == "national" else order.get(g, 99))).sort_values("_o"),
                measure=other, lang=lang)
            body.append(f"<details><summary>{html.escape(measure_label(other, lang))}, {year}</summary>"
                        f"{t.to_html()}</details>")
    body.append(failed_list(failed, lang, link="html" in ctx.formats))
    body.append(_matrix(reports, lang, ctx, failed))
    title = tr("site.landing_heading", lang, year=year if year is not None else "")
    return page_html(ctx, lang, root="", title=title, subtitle=tr("site.ministry", lang),
                     body="\n".join(body), footer=footer_html(prov, lang),
                     banner=banner_html(any(Provenance.from_sidecar(r.sidecar).synthetic for r in reports), lang),
                     other_lang_href=f"../{'ar' if lang == 'en' else 'en'}/index.html",
                     current={"y": year})
