"""Strategy progress: poverty rates across rounds against the Poverty Reduction Strategy's target.

The target (``parameters/strategy.yaml``, :mod:`workbench.strategy`: by default the second
strategy's 25% cut from the 2018 round by 2022) gives each place a straight
path from its own baseline rate. The dashboard shows the national headline
(baseline, latest rate with CI and n, path value, status), the trend of a
chosen place against its path, every governorate's rate against its path, and
a table; the definition of "on track" is printed under them
(:mod:`workbench.dashboards.strategy`). The user may move the baseline round,
the target year and the cut: only the paths and the statuses are recomputed.
"""

from __future__ import annotations

import ipywidgets as w

from workbench.charts import trend_lines
from workbench.charts.dashboard_extras import STATUS_COLORS, progress_dots
from workbench.charts.format import format_ci, format_count, format_value, measure_label
from workbench.dashboards.chart import ChartPanel
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
from workbench.dashboards.strategy import STATUSES, StrategyTarget, assess
from workbench.geography import governorates
from workbench.i18n import Lang, direction, place_name, tr
from workbench.strategy import load_strategy

__all__ = ["StrategyProgress"]

_LAST_TARGET_YEAR = 2040


@register
class StrategyProgress(Dashboard):
    """National and governorate poverty rates against the strategy's target path."""

    name = "strategy_progress"
    title_key = "dashboard.progress.title"
    summary_key = "dashboard.progress.summary"

    def __init__(self, store: ResultsStore, settings: DashboardSettings, lang: Lang) -> None:
        s = self.strategy = load_strategy()
        self.indicator = s.measure
        years = store.years()
        base = s.baseline_year if s.baseline_year in years else years[0]
        later = [y for y in years if y > base]
        self.place = Control(w.Dropdown(options=[(NATIONAL, NATIONAL)], value=NATIONAL),
                             "wb-place", "dashboard.control.place")
        self.baseline = Control(w.Dropdown(options=[(str(y), y) for y in years], value=base),
                                "wb-baseline", "dashboard.control.baseline")
        self.target_year = Control(w.Dropdown(options=[(str(s.target_year), s.target_year)],
                                              value=s.target_year), "wb-target-year",
                                   "dashboard.control.target_year")
        self.reduction = Control(w.IntSlider(value=round(100 * s.reduction), min=5, max=75, step=5,
                                             continuous_update=False), "wb-reduction",
                                 "dashboard.control.reduction")
        self.assessed = Control(w.Dropdown(options=[(str(y), y) for y in later or years],
                                           value=(later or years)[-1]), "wb-assessed",
                                "dashboard.control.assessed")
        self.cards = HtmlPanel("wb-cards-box")
        self.trend = ChartPanel("wb-chart-trend")
        self.progress = ChartPanel("wb-chart-progress")
        self.table = HtmlPanel("wb-table-box")
        self.definition = HtmlPanel("wb-definition-box")
        self.heading = HtmlPanel("wb-section")
        super().__init__(store, settings, lang)
        self.baseline.input.observe(self._on_baseline, "value")

    def controls(self) -> list[tuple[Control, tuple[str, ...]]]:
        every = ("cards", "trend", "progress", "table", "definition")
        return [(self.place, ("trend",)), (self.assessed, ("cards", "progress", "table", "definition")),
                (self.baseline, ()), (self.target_year, every), (self.reduction, every)]

    def layout(self) -> list[w.Widget]:
        for x in (self.trend.widget, self.progress.widget):
            x.add_class("wb-cell")
        row = w.Box([self.trend.widget, self.progress.widget])
        row.add_class("wb-row")
        return [self.cards.widget, self.definition.widget, row, self.heading.widget, self.table.widget]

    def parts(self):
        return {"cards": self.draw_cards, "trend": self.draw_trend, "progress": self.draw_progress,
                "table": self.draw_table, "definition": self.draw_definition}

    def relabel(self) -> None:
        lang = self.lang
        places = [(place_name(NATIONAL, lang), NATIONAL), *sorted(
            ((g.name(lang), g.pcode) for g in governorates()), key=lambda t: t[0])]
        self.place.relabel(lang, places)
        self.baseline.relabel(lang)
        self._target_years()
        self.reduction.relabel(lang)
        self.assessed.relabel(lang)

    def _target_years(self) -> None:
        base = int(self.baseline.value)
        years = list(range(base + 1, _LAST_TARGET_YEAR + 1))
        self.target_year.relabel(self.lang, [(str(y), y) for y in years])
        rounds = [y for y in self.store.years() if y > base] or [base]
        self.assessed.relabel(self.lang, [(str(y), y) for y in rounds])

    def _on_baseline(self, change: dict) -> None:
        if self._holding:
            return
        self._holding = True
        try:
            self._target_years()
        except Exception as exc:  # noqa: BLE001 (logged; the viewer gets a message)
            self.fail("baseline", exc)
        finally:
            self._holding = False
        self.redraw()

    # -- parts -----------------------------------------------------------------------------------
    @property
    def target(self) -> StrategyTarget:
        return StrategyTarget(baseline_year=int(self.baseline.value), target_year=int(self.target_year.value),
                              reduction=int(self.reduction.value) / 100)

    def assessment(self):
        return assess(self.store, self.target, year=int(self.assessed.value), measure=self.indicator,
                      rule=self.strategy.rule, min_n=self.min_n)

    def _badge(self, status: str) -> str:
        return (f'<span class="wb-status-badge wb-status-{status}" style="background:{STATUS_COLORS[status]}">'
                f'{escape(tr(f"dashboard.status.{status}", self.lang))}</span>')

    def draw_cards(self) -> None:
        lang, m, t, year = self.lang, self.indicator, self.target, int(self.assessed.value)
        a = self.assessment()
        nat = a[a["governorate"] == NATIONAL].iloc[0]
        cards = [
            estimate_card(tr("dashboard.strategy.baseline", lang, year=t.baseline_year),
                          self.store.place_row(NATIONAL, m, t.baseline_year), m, lang, min_n=self.min_n,
                          css="wb-card-baseline"),
            estimate_card(f"{place_name(NATIONAL, lang)}, {year}", self.store.place_row(NATIONAL, m, year), m,
                          lang, min_n=self.min_n, css="wb-card-latest"),
            (f'<div class="wb-card wb-card-target"><div class="wb-card-label">'
            f'{escape(tr("dashboard.strategy.target", lang, year=year))}</div><div class="wb-card-value">'
            f'{escape(format_value(nat["target"], m, lang=lang) or "–")}</div>'
            f'<div class="wb-card-detail">{self._badge(nat["status"])}</div></div>'),
        ]
        counts = a[a["governorate"] != NATIONAL]["status"].value_counts()
        summary = tr("dashboard.status.counts", lang, year=year, **{s: int(counts.get(s, 0)) for s in STATUSES})
        self.cards.set(f'<div dir="{direction(lang)}"><div class="wb-cards">{"".join(cards)}</div>'
                       f'<p class="wb-counts">{escape(summary)}</p></div>')

    def draw_trend(self) -> None:
        lang, m, t, place = self.lang, self.indicator, self.target, str(self.place.value)
        rows = self.store.trend_rows(place, m)
        base = self.store.place_row(place, m, t.baseline_year)
        usable = base is not None and not base["suppressed"] and base["n"] >= self.min_n
        key = (place, t.baseline_year, t.target_year, t.reduction, lang)
        self.trend.show(key, lambda: trend_lines(
            rows, measure=m, lang=lang, place=place, source=self.source, min_n=self.min_n,
            target=t.path(float(base["estimate"]), rows["year"]) if usable else None))

    def draw_progress(self) -> None:
        t, year = self.target, int(self.assessed.value)
        key = (year, t.baseline_year, t.target_year, t.reduction, self.lang)
        self.progress.show(key, lambda: progress_dots(self.assessment(), measure=self.indicator, lang=self.lang,
                                                      source=self.source))

    def draw_table(self) -> None:
        lang, m, t, year = self.lang, self.indicator, self.target, int(self.assessed.value)
        self.heading.set(f'<div dir="{direction(lang)}"><h2>{escape(tr("dashboard.section.progress", lang))}</h2></div>')
        a = self.assessment()
        # The national row first, then the governorates by name.
        a = a.assign(_name=[("" if g == NATIONAL else place_name(g, lang)) for g in a["governorate"]])
        a = a.sort_values("_name", kind="stable").drop(columns="_name")
        head = [tr("label.governorate", lang), tr("dashboard.strategy.baseline", lang, year=t.baseline_year),
                tr("dashboard.strategy.latest", lang, year=year), tr("label.ci", lang), tr("label.n", lang),
                tr("dashboard.strategy.target", lang, year=year),
                tr("dashboard.strategy.change", lang, year=t.baseline_year), tr("dashboard.strategy.status", lang)]
        body = []
        for r in a.itertuples(index=False):
            cells = [escape(place_name(r.governorate, lang)), escape(format_value(r.baseline, m, lang=lang)),
                     escape(format_value(r.estimate, m, lang=lang)),
                     escape(format_ci(r.ci_low, r.ci_high, m, lang=lang)),
                     escape(format_count(None if r.n is None or r.n != r.n else float(r.n))),
                     escape(format_value(r.target, m, lang=lang)),
                     escape(signed_value(r.change, m, lang)), self._badge(r.status)]
            cls = ' class="wb-national"' if r.governorate == NATIONAL else ""
            body.append(f"<tr{cls} data-place=\"{r.governorate}\" data-status=\"{r.status}\">"
                        + "".join(f'<td class="num">{c}</td>' if 0 < i < 7 else f"<td>{c}</td>"
                                  for i, c in enumerate(cells)) + "</tr>")
        header = "".join(f"<th>{escape(h)}</th>" for h in head)
        self.table.set(f'<div dir="{direction(lang)}"><table class="wb-table wb-progress-table"><thead><tr>'
                       f'{header}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')

    def draw_definition(self) -> None:
        lang, t, year = self.lang, self.target, int(self.assessed.value)
        rule = self.strategy.rule
        fields = {"year": year, "base": t.baseline_year, "end": t.target_year, "min_n": self.min_n}
        goal = tr("dashboard.strategy.goal", lang, reduction=round(100 * t.reduction), base=t.baseline_year,
                  end=t.target_year)
        text = tr(f"dashboard.strategy.rule_{rule}", lang, **fields)
        measure = measure_label(self.indicator, lang)
        self.definition.set(f'<div class="wb-definition" dir="{direction(lang)}"><b>{escape(measure)}.</b> '
                            f"{escape(goal)}<br>{escape(text)}</div>")
        if self.indicator not in self.store.measures():
            self.definition.set(notice_html(measure, tr("dashboard.kpi.missing", lang), lang))
