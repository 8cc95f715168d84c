"""The poverty explorer: one indicator, one round, every governorate; then one governorate in detail.

Pick a survey round and an indicator: the governorates on a map (a registered
boundary GeoJSON, else the labelled tile grid) and ranked with their 95% CIs,
the national figure beside them. Pick a governorate: its trend across rounds,
the profile of its poor, its districts where the results have district
estimates. Pick a second governorate to compare the two. The table behind the
charts downloads as CSV or Excel. Everything is read from the results store;
only the views are computed here.
"""

from __future__ import annotations

import math

import ipywidgets as w
import numpy as np
import pandas as pd

from workbench.charts import estimate_table, governorate_map, ranked_bars, trend_lines
from workbench.charts.boundaries import registered_boundaries
from workbench.charts.dashboard_extras import comparison_trends, district_bars, poor_profile_bars
from workbench.charts.disclosure import apply_disclosure
from workbench.charts.format import format_ci, format_count, format_value, measure_label
from workbench.dashboards.chart import ChartPanel
from workbench.dashboards.export import download_links, export_table
from workbench.dashboards.kit import (
    Control,
    HtmlPanel,
    escape,
    estimate_card,
    notice_html,
    signed_value,
)
from workbench.dashboards.page import Dashboard, register
from workbench.dashboards.settings import DashboardSettings
from workbench.dashboards.store import NATIONAL, ResultsStore
from workbench.geography import governorates
from workbench.i18n import Lang, direction, entries, has, place_name, tr

__all__ = ["PovertyExplorer", "comparison_table", "profile_items", "shown_measures"]

_Z95 = 1.959963984540054


def profile_items(rows: pd.DataFrame) -> pd.DataFrame:
    """The profile rows the chart shows: the characteristics labelled under ``dashboard.profile``
    in the catalogue, in its order (all rows when none is labelled).

    Examples
    --------
    >>> rows = pd.DataFrame({"characteristic": ["area", "area", "has_car"], "level": ["urban", "rural", ""]})
    >>> profile_items(rows)[["characteristic", "level"]].values.tolist()
    [['area', 'rural'], ['has_car', '']]
    """
    order = [k.removeprefix("dashboard.profile.") for k in entries() if k.startswith("dashboard.profile.")]
    key = rows["characteristic"] + np.where(rows["level"] != "", "." + rows["level"], "")
    rank = key.map({k: i for i, k in enumerate(order)})
    if rank.isna().all():
        return rows
    return rows[rank.notna()].assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank")


def _row(cls: str, cells: list[str], numeric: list[bool]) -> str:
    return f"<tr{cls}>" + "".join(
        f'<td class="num">{c}</td>' if num else f"<td>{c}</td>" for c, num in zip(cells, numeric)) + "</tr>"


def comparison_table(store: ResultsStore, a: str, b: str, year: int, lang: Lang, *, min_n: int) -> str:
    """HTML table comparing two governorates on every indicator of a round.

    The difference's standard error is ``sqrt(se_a^2 + se_b^2)``: governorates
    are separate strata, so their estimates are independent. "Different at 95%"
    means ``|difference| > 1.96 se``.
    """
    names = (place_name(a, lang), place_name(b, lang))
    head = [tr("label.measure", lang), *names, tr("dashboard.compare.difference", lang, a=names[0], b=names[1]),
            tr("dashboard.compare.significant", lang)]
    body = []
    for measure in shown_measures(store):
        found = apply_disclosure(store.governorate_rows(measure, year).set_index("governorate"), min_n=min_n)
        rows = [found.loc[p] if p in found.index else None for p in (a, b)]
        cells = [escape(measure_label(measure, lang))]
        for r in rows:
            if r is None:
                cells.append("–")
            elif r["suppressed"]:
                cells.append(escape(tr("label.suppressed_short", lang, min_n=min_n)))
            else:
                cells.append(f"{escape(format_value(r['estimate'], measure, lang=lang))}<br><small>"
                             f"{escape(format_ci(r['ci_low'], r['ci_high'], measure, lang=lang))}, "
                             f"n = {format_count(r['n'])}</small>")
        ok = all(r is not None and not r["suppressed"] for r in rows)
        if ok:
            diff = float(rows[0]["estimate"]) - float(rows[1]["estimate"])
            se = math.hypot(float(rows[0]["se"]), float(rows[1]["se"]))
            sig = abs(diff) > _Z95 * se if se > 0 else diff != 0
            cells.append(escape(signed_value(diff, measure, lang)))
            cells.append(escape(tr("dashboard.answer_yes" if sig else "dashboard.answer_no", lang)))
        else:
            cells += ["", ""]
        body.append(_row("", cells, [False, True, True, True, False]))
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    return (f'<div dir="{direction(lang)}"><table class="wb-table wb-compare-table"><thead><tr>{header}'
            f'</tr></thead><tbody>{"".join(body)}</tbody></table>'
            f'<p class="wb-note">{escape(tr("dashboard.compare.note", lang))}</p></div>')


def shown_measures(store: ResultsStore) -> list[str]:
    """The measures of the store that the catalogue names (in English and Arabic), in menu order."""
    return [m for m in store.measures() if has(f"measure.{m}")]


@register
class PovertyExplorer(Dashboard):
    """Map, ranking, trend, profile of the poor, districts, comparison and downloads."""

    name = "poverty_explorer"
    title_key = "dashboard.explorer.title"
    summary_key = "dashboard.explorer.summary"

    def __init__(self, store: ResultsStore, settings: DashboardSettings, lang: Lang) -> None:
        self.boundaries = registered_boundaries()
        years = store.years()
        measures = shown_measures(store)
        default_gov = settings.default_governorate
        self.year = Control(w.Dropdown(options=[(str(y), y) for y in years], value=years[-1]),
                            "wb-year", "dashboard.control.year")
        self.measure = Control(w.Dropdown(options=[(m, m) for m in measures],
                                          value="headcount" if "headcount" in measures else measures[0]),
                               "wb-measure", "dashboard.control.measure")
        self.place = Control(w.Dropdown(options=[(g.pcode, g.pcode) for g in governorates()],
                                        value=default_gov), "wb-governorate", "dashboard.control.governorate")
        self.other = Control(w.Dropdown(options=[("", "")], value=""), "wb-compare", "dashboard.control.compare")
        self.cards = HtmlPanel("wb-cards-box")
        self.map = ChartPanel("wb-chart-map")
        self.ranked = ChartPanel("wb-chart-ranked")
        self.trend = ChartPanel("wb-chart-trend")
        self.profile = ChartPanel("wb-chart-profile")
        self.districts = ChartPanel("wb-chart-districts")
        self.compare_table = HtmlPanel("wb-compare-box")
        self.compare_chart = ChartPanel("wb-chart-compare")
        self.table = HtmlPanel("wb-table-box")
        self.headings = {k: HtmlPanel(f"wb-section wb-heading-{k}") for k in
                         ("overview", "governorate", "compare", "table")}
        super().__init__(store, settings, lang)

    def controls(self) -> list[tuple[Control, tuple[str, ...]]]:
        every = ("ranked", "cards", "map", "table", "trend", "profile", "districts", "compare")
        return [(self.year, tuple(p for p in every if p != "trend")),
                (self.measure, tuple(p for p in every if p != "profile")),
                (self.place, ("ranked", "cards", "trend", "profile", "districts", "compare")),
                (self.other, ("compare",))]

    def layout(self) -> list[w.Widget]:
        def row(*widgets: w.Widget, wide: bool = False) -> w.Box:
            for x in widgets:
                x.add_class("wb-cell-wide" if wide else "wb-cell")
            box = w.Box(list(widgets))
            box.add_class("wb-row")
            return box

        h = self.headings
        return [self.cards.widget, h["overview"].widget, row(self.ranked.widget, self.map.widget),
                h["governorate"].widget, row(self.trend.widget, self.districts.widget),
                row(self.profile.widget, wide=True), h["compare"].widget,
                row(self.compare_table.widget, self.compare_chart.widget), h["table"].widget,
                self.table.widget]

    def parts(self):
        return {"ranked": self.draw_ranked, "cards": self.draw_cards, "map": self.draw_map,
                "trend": self.draw_trend, "profile": self.draw_profile, "districts": self.draw_districts,
                "compare": self.draw_compare, "table": self.draw_table}

    def relabel(self) -> None:
        lang = self.lang
        self.year.relabel(lang)
        self.measure.relabel(lang, [(measure_label(m, lang), m) for m in shown_measures(self.store)])
        gov = sorted(((g.name(lang), g.pcode) for g in governorates()), key=lambda t: t[0])
        self.place.relabel(lang, gov)
        self.other.relabel(lang, [(tr("dashboard.none", lang), ""), *gov])

    # -- parts -----------------------------------------------------------------------------------
    @property
    def _sel(self) -> tuple[int, str, str]:
        return int(self.year.value), str(self.measure.value), str(self.place.value)

    def _heading(self, key: str, text: str) -> None:
        self.headings[key].set(f'<div dir="{direction(self.lang)}"><h2>{escape(text)}</h2></div>')

    def draw_ranked(self) -> None:
        year, measure, gov = self._sel
        national = self.store.place_row(NATIONAL, measure, year)
        nat = None if national is None or national["n"] < self.min_n else float(national["estimate"])
        self.ranked.show((year, measure, gov, self.lang), lambda: ranked_bars(
            self.store.governorate_rows(measure, year), measure=measure, year=year, lang=self.lang,
            national=nat, highlight=gov, source=self.source, min_n=self.min_n))

    def draw_cards(self) -> None:
        year, measure, gov = self._sel
        self._heading("overview", tr("dashboard.section.overview", self.lang,
                                     measure=measure_label(measure, self.lang), year=year))
        cards = [estimate_card(f"{place_name(p, self.lang)}, {year}", self.store.place_row(p, measure, year),
                               measure, self.lang, min_n=self.min_n, css=f"wb-card-{p}")
                 for p in (NATIONAL, gov)]
        self.cards.set(f'<div class="wb-cards" dir="{direction(self.lang)}">{"".join(cards)}</div>')

    def draw_map(self) -> None:
        year, measure, _ = self._sel
        def build():
            fig = governorate_map(self.store.governorate_rows(measure, year), measure=measure, year=year,
                                  lang=self.lang, source=self.source, min_n=self.min_n,
                                  boundaries=self.boundaries)
            # Keep the map's ranges when the page lays the plot out at another size first: with
            # plotly's default (constrain="range") the squares shrink to a corner.
            return fig.update_xaxes(constrain="domain").update_yaxes(constrain="domain")

        self.map.show((year, measure, self.lang), build)

    def draw_trend(self) -> None:
        _, measure, gov = self._sel
        self._heading("governorate", tr("dashboard.section.governorate", self.lang,
                                        place=place_name(gov, self.lang)))
        self.trend.show((measure, gov, self.lang), lambda: trend_lines(
            self.store.trend_rows(gov, measure), measure=measure, lang=self.lang, place=gov,
            source=self.source, min_n=self.min_n))

    def draw_profile(self) -> None:
        year, _, gov = self._sel
        rows = profile_items(self.store.profile_rows(gov, year))
        if rows.empty:
            self.profile.message(notice_html(
                tr("dashboard.chart.poor_profile", self.lang, place=place_name(gov, self.lang), year=year),
                tr("dashboard.profile_none", self.lang, place=place_name(gov, self.lang), year=year),
                self.lang))
            return
        self.profile.show((year, gov, self.lang), lambda: poor_profile_bars(
            rows, place=gov, year=year, lang=self.lang, source=self.source, min_n=self.min_n))

    def draw_districts(self) -> None:
        year, measure, gov = self._sel
        rows = self.store.district_rows(gov, measure, year)
        if rows.empty:
            self.districts.message(notice_html(
                tr("dashboard.chart.districts", self.lang, measure=measure_label(measure, self.lang),
                   place=place_name(gov, self.lang), year=year),
                tr("dashboard.districts_none", self.lang, place=place_name(gov, self.lang), year=year),
                self.lang))
            return
        self.districts.show((year, measure, gov, self.lang), lambda: district_bars(
            rows, measure=measure, place=gov, year=year, lang=self.lang, source=self.source,
            min_n=self.min_n))

    def draw_compare(self) -> None:
        year, measure, gov = self._sel
        other = str(self.other.value)
        self._heading("compare", tr("dashboard.section.compare", self.lang))
        if not other or other == gov:
            self.compare_table.set(notice_html(
                tr("dashboard.section.compare", self.lang),
                tr("dashboard.compare_pick", self.lang, place=place_name(gov, self.lang)), self.lang))
            self.compare_chart.message("")
            return
        self.compare_table.set(comparison_table(self.store, gov, other, year, self.lang, min_n=self.min_n))
        self.compare_chart.show((measure, gov, other, self.lang), lambda: comparison_trends(
            pd.concat([self.store.trend_rows(p, measure) for p in (gov, other)], ignore_index=True),
            places=[gov, other], measure=measure, lang=self.lang, source=self.source, min_n=self.min_n))

    def draw_table(self) -> None:
        year, measure, _ = self._sel
        self._heading("table", tr("dashboard.section.table", self.lang))
        rows = self.store.governorate_rows(measure, year, national=True)
        # The national row first, then the governorates from the highest estimate down.
        rows = rows.sort_values(["governorate", "estimate"], ascending=[True, False],
                                key=lambda c: c != NATIONAL if c.name == "governorate" else c,
                                na_position="last", kind="stable")
        table = estimate_table(rows, measure=measure, year=year, lang=self.lang, min_n=self.min_n)
        links = download_links(export_table(rows, lang=self.lang, min_n=self.min_n),
                               stem=f"{measure}_{year}_{self.lang}", lang=self.lang, note=self.source)
        self.table.set(table.to_html() + links)
