"""Builders the dashboards need beyond the report charts: comparisons, districts, the poor, progress.

Same contract as the other builders: a tidy result table in, a themed figure
out, disclosure control from ``n``, every label from :mod:`workbench.i18n`.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"governorate": ["IQG02"] * 2 + ["IQG08"] * 2, "year": [2018, 2024] * 2,
...                   "estimate": [.3, .25, .2, .18], "ci_low": [.27, .22, .18, .16],
...                   "ci_high": [.33, .28, .22, .2], "n": [900, 950, 1500, 1600]})
>>> fig = comparison_trends(t, places=["IQG02", "IQG08"], measure="headcount", min_n=30)
>>> [trace.name for trace in fig.data if trace.mode == "lines+markers"]
['Basrah', 'Baghdad']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workbench.charts.bars import ci_error_bars
from workbench.charts.disclosure import apply_disclosure
from workbench.charts.format import format_value, measure_label, scale, unit_label
from workbench.charts.select import require_columns
from workbench.charts.theme import PALETTE, SUPPRESSED_COLOR, themed
from workbench.geography import district
from workbench.i18n import Lang, place_name, tr

__all__ = ["STATUS_COLORS", "comparison_trends", "district_bars", "poor_profile_bars",
           "progress_dots"]

#: Colour of each on-track status (see :mod:`workbench.dashboards.strategy`).
STATUS_COLORS: dict[str, str] = {"on_track": PALETTE[2], "uncertain": PALETTE[3],
                                 "off_track": PALETTE[1], "not_assessed": SUPPRESSED_COLOR}


def _fill(color: str, alpha: float = 0.16) -> str:
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _label_margin(fig: go.Figure, labels: Sequence[str], lang: Lang) -> go.Figure:
    """Room for the category labels on the side the y-axis sits (right in Arabic)."""
    width = 24 + 7 * max((len(str(t)) for t in labels), default=0)
    side = "r" if lang == "ar" else "l"
    return fig.update_layout(margin={side: max(60, width)})


def _suppressed_note(lang: Lang, rows: pd.DataFrame) -> list[str]:
    return [tr("note.suppressed", lang, min_n=rows.attrs["min_n"])] if rows["suppressed"].any() else []


def comparison_trends(table: pd.DataFrame, *, places: Sequence[str], measure: str,
                      lang: Lang = "en", source: str | None = None,
                      min_n: int | None = None) -> go.Figure:
    """Two or more places across rounds, each with its 95% CI band.

    Parameters
    ----------
    table : pandas.DataFrame
        ``governorate, year, estimate, ci_low, ci_high, n`` of one measure.
    places : sequence of str
        P-codes (or ``"national"``), drawn in this order.
    measure : str
    lang : {"en", "ar"}
    source : str, optional
    min_n : int, optional
        Disclosure threshold; suppressed rounds leave a gap.
    """
    require_columns(table, ("governorate", "year", "estimate", "ci_low", "ci_high", "n"),
                    "comparison_trends")
    rows = apply_disclosure(table[table["governorate"].isin(places)], min_n=min_n)
    k = scale(measure)
    fig = go.Figure()
    for i, place in enumerate(places):
        color = PALETTE[i % len(PALETTE)]
        ok = rows[(rows["governorate"] == place) & ~rows["suppressed"]].sort_values("year")
        years = ok["year"].astype(int).to_numpy()
        name = place_name(place, lang)
        fig.add_trace(go.Scatter(
            x=np.concatenate([years, years[::-1]]),
            y=np.concatenate([ok["ci_high"].to_numpy(), ok["ci_low"].to_numpy()[::-1]]) * k,
            fill="toself", fillcolor=_fill(color), line={"width": 0}, mode="lines",
            hoverinfo="skip", showlegend=False))
        fig.add_trace(go.Scatter(
            x=years, y=ok["estimate"].to_numpy() * k, mode="lines+markers", name=name,
            line={"color": color, "width": 2.5},
            customdata=np.column_stack([ok["ci_low"] * k, ok["ci_high"] * k, ok["n"]]),
            hovertemplate=f"{name} %{{x}}: %{{y:.1f}}<br>95% CI %{{customdata[0]:.1f}}–"
                          "%{customdata[1]:.1f}<br>n = %{customdata[2]:,}<extra></extra>"))
    all_years = sorted(rows["year"].astype(int).unique())
    fig.update_xaxes(tickvals=all_years, tickformat="d")
    names = [place_name(p, lang) for p in places]
    title = tr("dashboard.chart.compare", lang, measure=measure_label(measure, lang),
               places=tr("dashboard.and", lang).join(names))
    notes = [tr("dashboard.note.ci_band", lang), *_suppressed_note(lang, rows)]
    return themed(fig, title=title, source=source, lang=lang, units=unit_label(measure, lang),
                  note=" ".join(notes), height=420, wrap=80)


def _district_name(code: str, lang: Lang) -> str:
    d = district(code)
    return d.name_ar if lang == "ar" else d.name_en


def district_bars(table: pd.DataFrame, *, measure: str, place: str, year: int, lang: Lang = "en",
                  source: str | None = None, min_n: int | None = None) -> go.Figure:
    """The districts of one governorate ranked by an estimate, with 95% CI error bars.

    Parameters
    ----------
    table : pandas.DataFrame
        ``district`` (OCHA P-code), ``estimate, ci_low, ci_high, n`` of one measure and round.
    measure : str
    place : str
        The governorate (for the title).
    year : int
    lang : {"en", "ar"}
    source : str, optional
    min_n : int, optional
        Disclosure threshold: small districts are listed with an "n < 30" mark.
    """
    require_columns(table, ("district", "estimate", "ci_low", "ci_high", "n"), "district_bars")
    rows = apply_disclosure(table, min_n=min_n)
    k = scale(measure)
    shown = rows[~rows["suppressed"]].sort_values("estimate")
    hidden = rows[rows["suppressed"]]
    names = [_district_name(c, lang) for c in shown["district"]]
    hidden_names = [_district_name(c, lang) for c in hidden["district"]]
    fig = go.Figure(go.Bar(
        x=shown["estimate"].to_numpy() * k, y=names, orientation="h", marker_color=PALETTE[0],
        error_x=ci_error_bars(shown, k), showlegend=False,
        customdata=np.column_stack([shown["ci_low"] * k, shown["ci_high"] * k, shown["n"]]),
        hovertemplate="%{y}: %{x:.1f}<br>95% CI %{customdata[0]:.1f}–%{customdata[1]:.1f}"
                      "<br>n = %{customdata[2]:,}<extra></extra>"))
    mark = tr("label.suppressed_short", lang, min_n=rows.attrs["min_n"])
    fig.add_trace(go.Scatter(
        x=np.concatenate([shown["ci_high"].to_numpy() * k, np.zeros(len(hidden))]),
        y=names + hidden_names, mode="text", cliponaxis=False, hoverinfo="skip", showlegend=False,
        text=[f"\u2002{format_value(v, measure, lang=lang)}\u2002" for v in shown["estimate"]]
        + [f"\u2002{mark}\u2002"] * len(hidden),
        textposition="middle left" if lang == "ar" else "middle right", textfont={"size": 11}))
    fig.update_yaxes(categoryorder="array", categoryarray=hidden_names + names)
    title = tr("dashboard.chart.districts", lang, measure=measure_label(measure, lang),
               place=place_name(place, lang), year=year)
    notes = [tr("note.ci", lang), *_suppressed_note(lang, rows)]
    fig = themed(fig, title=title, source=source, lang=lang, units=unit_label(measure, lang),
                 note=" ".join(notes), height=max(300, 110 + 30 * len(rows)), wrap=80)
    return _label_margin(fig, names + hidden_names, lang)


def poor_profile_bars(table: pd.DataFrame, *, place: str, year: int, lang: Lang = "en",
                      source: str | None = None, min_n: int | None = None) -> go.Figure:
    """Who the poor are: the share of poor and of non-poor people with each characteristic.

    Parameters
    ----------
    table : pandas.DataFrame
        ``characteristic, level, group`` (``poor``/``non_poor``) and ``estimate,
        ci_low, ci_high, n`` (shares in [0, 1]) of one place and round.
    place : str
    year : int
    lang : {"en", "ar"}
    source : str, optional
    min_n : int, optional
        Disclosure threshold: a suppressed share is drawn as an empty bar marked "n < 30".
    """
    require_columns(table, ("characteristic", "level", "group", "estimate", "ci_low", "ci_high", "n"),
                    "poor_profile_bars")
    rows = apply_disclosure(table, min_n=min_n)
    items = rows[["characteristic", "level"]].drop_duplicates()
    labels = [tr(f"dashboard.profile.{c}.{lev}" if lev else f"dashboard.profile.{c}", lang,
                 default=f"{c}: {lev}".rstrip(": ").replace("_", " ")) for c, lev in items.itertuples(index=False)]
    fig = go.Figure()
    mark = tr("label.suppressed_short", lang, min_n=rows.attrs["min_n"])
    for group, color in (("poor", PALETTE[1]), ("non_poor", PALETTE[0])):
        g = items.merge(rows[rows["group"] == group], on=["characteristic", "level"], how="left")
        g["suppressed"] = g["suppressed"].fillna(True).astype(bool)
        shown = g.fillna({"estimate": 0.0, "ci_low": 0.0, "ci_high": 0.0})
        text = [mark if s else f"{100 * v:.1f}%" for v, s in zip(shown["estimate"], g["suppressed"])]
        fig.add_trace(go.Bar(
            y=labels, x=shown["estimate"] * 100, orientation="h", name=tr(f"dashboard.{group}", lang),
            marker_color=color, error_x=ci_error_bars(shown, 100), text=text, textposition="auto",
            insidetextfont={"size": 11, "color": "white"}, outsidetextfont={"size": 11, "color": "#333"},
            constraintext="none", cliponaxis=False, hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.update_layout(barmode="group", bargap=0.3, bargroupgap=0.05, uniformtext={"mode": False})
    fig.update_yaxes(autorange="reversed")
    title = tr("dashboard.chart.poor_profile", lang, place=place_name(place, lang), year=year)
    notes = [tr("note.ci", lang), *_suppressed_note(lang, rows)]
    fig = themed(fig, title=title, source=source, lang=lang, units=tr("dashboard.unit.share_people", lang),
                 note=" ".join(notes), height=max(340, 170 + 46 * len(items)), wrap=110)
    return _label_margin(fig, labels, lang)


def progress_dots(assessment: pd.DataFrame, *, measure: str = "headcount", lang: Lang = "en",
                  source: str | None = None) -> go.Figure:
    """Each place's rate in a round, with its 95% CI, against its target path value.

    Parameters
    ----------
    assessment : pandas.DataFrame
        From :func:`workbench.dashboards.strategy.assess`: ``governorate, estimate,
        ci_low, ci_high, n, target, status``; ``attrs`` hold ``year``.
    measure : str
    lang : {"en", "ar"}
    source : str, optional
    """
    require_columns(assessment, ("governorate", "estimate", "ci_low", "ci_high", "n", "target", "status"),
                    "progress_dots")
    k = scale(measure)
    rows = assessment.assign(gap=assessment["estimate"] - assessment["target"])
    rows = rows.sort_values("gap", ascending=False, na_position="first")
    names = [place_name(p, lang) for p in rows["governorate"]]
    fig = go.Figure()
    for status, color in STATUS_COLORS.items():
        s = rows[rows["status"] == status]
        if s.empty:
            continue
        s = s.fillna({"estimate": 0.0, "ci_low": 0.0, "ci_high": 0.0}) if status == "not_assessed" else s
        fig.add_trace(go.Scatter(
            x=s["estimate"] * k, y=[place_name(p, lang) for p in s["governorate"]], mode="markers",
            name=tr(f"dashboard.status.{status}", lang), error_x=ci_error_bars(s, k),
            marker={"color": color, "size": 11, "line": {"color": "white", "width": 1}},
            visible=True if status != "not_assessed" else "legendonly",
            customdata=np.column_stack([s["ci_low"] * k, s["ci_high"] * k, s["n"], s["target"] * k]),
            hovertemplate="%{y}: %{x:.1f}<br>95% CI %{customdata[0]:.1f}–%{customdata[1]:.1f}"
                          "<br>n = %{customdata[2]:,}<br>" + tr("label.target", lang)
                          + " %{customdata[3]:.1f}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=rows["target"] * k, y=names, mode="markers", name=tr("dashboard.target_marker", lang),
        marker={"symbol": "line-ns", "size": 18, "line": {"width": 3, "color": "#222"}},
        hovertemplate="%{y}: " + tr("label.target", lang) + " %{x:.1f}<extra></extra>"))
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1])
    year = assessment.attrs.get("year", "")
    title = tr("dashboard.chart.progress", lang, measure=measure_label(measure, lang), year=year)
    fig = themed(fig, title=title, source=source, lang=lang, units=unit_label(measure, lang),
                 note=tr("note.ci", lang), height=180 + 28 * len(rows), wrap=80)
    return _label_margin(fig, names, lang)
