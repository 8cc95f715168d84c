"""Bar charts: governorates ranked with confidence intervals, and profile comparisons.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"governorate": ["IQG02", "IQG08", "IQG03"], "estimate": [.16, .10, .52],
...                   "ci_low": [.13, .08, .46], "ci_high": [.19, .12, .58], "n": [900, 1500, 20]})
>>> fig = ranked_bars(t, measure="headcount", year=2024, source="Synthetic demo data")
>>> [float(round(v, 1)) for v in fig.data[0].x]
[10.0, 16.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workbench.charts.disclosure import apply_disclosure
from workbench.charts.format import format_value, measure_label, scale, unit_label
from workbench.charts.select import require_columns, select_rows
from workbench.charts.theme import PALETTE, SUPPRESSED_COLOR, themed
from workbench.i18n import Lang, place_name, tr

__all__ = ["ci_error_bars", "profile_bars", "ranked_bars"]


def ci_error_bars(table: pd.DataFrame, k: float = 1.0) -> dict:
    """Asymmetric error bars from ``ci_low``/``ci_high`` around ``estimate`` (times ``k``)."""
    return {"type": "data", "symmetric": False,
            "array": ((table["ci_high"] - table["estimate"]) * k).to_numpy(),
            "arrayminus": ((table["estimate"] - table["ci_low"]) * k).to_numpy(),
            "color": "#444", "thickness": 1.2, "width": 3}


def _notes(lang: Lang, n_suppressed: int, min_n: int) -> str:
    notes = [tr("note.ci", lang)]
    if n_suppressed:
        notes.append(tr("note.suppressed", lang, min_n=min_n))
    return " ".join(notes)


def ranked_bars(table: pd.DataFrame, *, measure: str, year: int | None = None, lang: Lang = "en",
                national: float | None = None, highlight: str | None = None,
                source: str | None = None, min_n: int | None = None) -> go.Figure:
    """Governorates ranked by an estimate, with 95% CI error bars.

    Parameters
    ----------
    table : pandas.DataFrame
        Tidy results with ``governorate`` (P-code or any name geography knows),
        ``estimate``, ``ci_low``, ``ci_high`` and ``n``; optional ``measure`` and
        ``year`` columns are filtered on.
    measure : str
        Measure shown (also picks units and the title).
    year : int, optional
        Year shown.
    lang : {"en", "ar"}
    national : float, optional
        National estimate, drawn as a reference line.
    highlight : str, optional
        Governorate to emphasise (the subject of a governorate report).
    source : str, optional
        Source note.
    min_n : int, optional
        Disclosure threshold (``parameters/publish.yaml`` when None). Suppressed
        governorates are listed at the bottom with an "n < 30" mark.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    require_columns(table, ("governorate", "estimate", "ci_low", "ci_high", "n"), "ranked_bars")
    rows = apply_disclosure(select_rows(table, measure=measure, year=year, what="ranked_bars"),
                            min_n=min_n)
    k = scale(measure)
    shown = rows[~rows["suppressed"]].sort_values("estimate", ascending=True)
    hidden = rows[rows["suppressed"]]
    names = [place_name(g, lang) for g in shown["governorate"]]
    hl = place_name(highlight, lang) if highlight else None
    colors = [PALETTE[1] if name == hl else PALETTE[0] for name in names]
    fig = go.Figure(go.Bar(
        x=shown["estimate"].to_numpy() * k, y=names, orientation="h", marker_color=colors,
        error_x=ci_error_bars(shown, k),
        customdata=np.column_stack([shown["ci_low"] * k, shown["ci_high"] * k, shown["n"]]),
        hovertemplate=f"%{{y}}: %{{x:.1f}}<br>{tr('label.ci', lang)}: %{{customdata[0]:.1f}}–"
                      "%{customdata[1]:.1f}<br>n = %{customdata[2]:,}<extra></extra>",
        name=measure_label(measure, lang), showlegend=False,
    ))
    threshold = rows.attrs["min_n"]
    hidden_names = [place_name(g, lang) for g in hidden["governorate"]]
    mark = tr("label.suppressed_short", lang, min_n=threshold)
    # Value labels sit just beyond the upper CI whisker, so bars and whiskers stay clear.
    fig.add_trace(go.Scatter(
        x=np.concatenate([shown["ci_high"].to_numpy() * k, np.zeros(len(hidden))]), y=names + hidden_names,
        mode="text", text=[f"\u2002{format_value(v, measure, lang=lang)}\u2002" for v in shown["estimate"]]
        + [f"\u2002{mark}\u2002"] * len(hidden),
        textposition="middle left" if lang == "ar" else "middle right", hoverinfo="skip",
        showlegend=False, textfont={"size": 11}, cliponaxis=False))
    if hidden_names:
        fig.update_yaxes(categoryorder="array", categoryarray=hidden_names + names)
    if national is not None and not np.isnan(national):
        fig.add_vline(x=national * k, line_dash="dash", line_color=PALETTE[2],
                      annotation_text=f"{tr('label.national', lang)}: {format_value(national, measure, lang=lang)}",
                      annotation_position="top", annotation_font_size=11)
    title = (tr("chart.by_governorate", lang, measure=measure_label(measure, lang), year=year)
             if year is not None else measure_label(measure, lang))
    return themed(fig, title=title, source=source, lang=lang,
                  units=unit_label(measure, lang), note=_notes(lang, len(hidden), threshold),
                  height=max(360, 60 + 26 * len(rows)))


def profile_bars(table: pd.DataFrame, *, group: str, measure: str, lang: Lang = "en",
                 place: str = "national", year: int | None = None, source: str | None = None,
                 min_n: int | None = None) -> go.Figure:
    """Compare groups (female-headed, displaced, urban, ...) with CI error bars.

    Parameters
    ----------
    table : pandas.DataFrame
        Tidy results with a ``group`` column's values in rows, plus ``estimate``,
        ``ci_low``, ``ci_high`` and ``n``; optional ``measure`` and ``year``.
    group : str
        The grouping column, e.g. ``"sex_head"``. Its values are labelled via the
        catalogue key ``group.<group>.<value>``.
    measure : str
    lang : {"en", "ar"}
    place : str
        Governorate (any key) or ``"national"`` for the title.
    year : int, optional
    source : str, optional
    min_n : int, optional
        Disclosure threshold.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    require_columns(table, (group, "estimate", "ci_low", "ci_high", "n"), "profile_bars")
    rows = apply_disclosure(select_rows(table, measure=measure, year=year, what="profile_bars"),
                            min_n=min_n)
    k = scale(measure)
    labels = [tr(f"group.{group}.{v}", lang, default=str(v)) for v in rows[group]]
    threshold = rows.attrs["min_n"]
    values = rows["estimate"].fillna(0).to_numpy() * k
    text = [tr("label.suppressed_short", lang, min_n=threshold) if s
            else format_value(v, measure, lang=lang) for v, s in zip(rows["estimate"], rows["suppressed"])]
    colors = [SUPPRESSED_COLOR if s else PALETTE[i % len(PALETTE)] for i, s in enumerate(rows["suppressed"])]
    fig = go.Figure(go.Bar(x=labels, y=values, marker_color=colors, text=text, textposition="outside",
                           cliponaxis=False, error_y=ci_error_bars(rows.fillna({"ci_low": 0, "ci_high": 0, "estimate": 0}), k),
                           showlegend=False, hovertemplate="%{x}: %{text}<extra></extra>"))
    title = tr("chart.profile", lang, measure=measure_label(measure, lang),
               group=tr(f"group.name.{group}", lang, default=group.replace("_", " ")),
               place=place_name(place, lang), year=year if year is not None else "—")
    return themed(fig, title=title, source=source, lang=lang,
                  units=unit_label(measure, lang), note=_notes(lang, int(rows["suppressed"].sum()), threshold),
                  height=420)
