"""Trend lines across survey rounds, with CI bands, against the strategy's target path.

Examples
--------
>>> import pandas as pd
>>> path = target_path(2018, 0.2005, 2030, reduction=0.25)
>>> float(path.loc[path["year"] == 2030, "target"].iloc[0])
0.150375
>>> t = pd.DataFrame({"year": [2018, 2024], "estimate": [.20, .175], "ci_low": [.19, .165],
...                   "ci_high": [.21, .185], "n": [20000, 21000]})
>>> fig = trend_lines(t, measure="headcount", target=path, source="Synthetic demo data")
>>> [trace.name for trace in fig.data]
['95% confidence interval', 'Estimate', 'Strategy target']
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

__all__ = ["target_path", "trend_lines"]


def target_path(base_year: int, base_value: float, target_year: int, *,
                reduction: float = 0.25) -> pd.DataFrame:
    """Linear path from ``base_value`` in ``base_year`` to a ``reduction`` cut by ``target_year``.

    The Poverty Reduction Strategy's target is a 25% reduction of the poverty
    rate; the path is the straight line between the base and the target.

    Returns
    -------
    pandas.DataFrame
        Columns ``year`` and ``target``, one row per year.
    """
    if target_year <= base_year:
        raise ValueError(f"target_year ({target_year}) must be after base_year ({base_year})")
    years = np.arange(base_year, target_year + 1)
    end = base_value * (1 - reduction)
    values = base_value + (end - base_value) * (years - base_year) / (target_year - base_year)
    out = pd.DataFrame({"year": years, "target": values})
    out.attrs.update(base_year=base_year, target_year=target_year, reduction=reduction)
    return out


def trend_lines(table: pd.DataFrame, *, measure: str, lang: Lang = "en", place: str = "national",
                target: pd.DataFrame | None = None, source: str | None = None,
                min_n: int | None = None) -> go.Figure:
    """One estimate across years with its 95% CI band, and optionally the target path.

    Parameters
    ----------
    table : pandas.DataFrame
        Tidy results with ``year``, ``estimate``, ``ci_low``, ``ci_high`` and ``n``
        (one place; filter before, or pass rows with a ``governorate`` column and
        ``place`` to pick them).
    measure : str
    lang : {"en", "ar"}
    place : str
        Governorate (any key geography accepts) or ``"national"``.
    target : pandas.DataFrame, optional
        ``year``/``target`` rows, e.g. from :func:`target_path`.
    source : str, optional
    min_n : int, optional
        Disclosure threshold; suppressed years are marked on the axis, not drawn.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    require_columns(table, ("year", "estimate", "ci_low", "ci_high", "n"), "trend_lines")
    rows = select_rows(table, measure=measure, what="trend_lines")
    if "governorate" in rows.columns and place != "national":
        code = place_name(place, "en")
        rows = rows[[place_name(g, "en") == code for g in rows["governorate"]]]
    rows = apply_disclosure(rows, min_n=min_n).sort_values("year")
    threshold = rows.attrs["min_n"]
    k = scale(measure)
    ok = rows[~rows["suppressed"]]
    years = ok["year"].astype(int).to_numpy()
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=np.concatenate([years, years[::-1]]),
        y=np.concatenate([ok["ci_high"].to_numpy(), ok["ci_low"].to_numpy()[::-1]]) * k,
        mode="lines", fill="toself", fillcolor="rgba(31,78,121,0.18)", line={"width": 0}, hoverinfo="skip",
        name=tr("label.ci_band", lang)))
    fig.add_trace(go.Scatter(
        x=years, y=ok["estimate"].to_numpy() * k, mode="lines+markers+text",
        line={"color": PALETTE[0], "width": 2.5}, name=tr("label.observed", lang),
        text=[format_value(v, measure, lang=lang) for v in ok["estimate"]], textposition="top center"))
    if target is not None:
        fig.add_trace(go.Scatter(x=target["year"], y=target["target"] * k, mode="lines",
                                 line={"color": PALETTE[1], "dash": "dash"}, name=tr("label.target", lang)))
    hidden = rows[rows["suppressed"]]
    for year in hidden["year"].astype(int):
        fig.add_vline(x=year, line_color=SUPPRESSED_COLOR, line_dash="dot",
                      annotation_text=tr("label.suppressed_short", lang, min_n=threshold))
    notes = [tr("note.ci", lang)]
    if target is not None and "base_year" in target.attrs:
        notes.append(tr("note.target", lang, reduction=round(100 * target.attrs["reduction"]),
                        base=target.attrs["base_year"], end=target.attrs["target_year"]))
    if not hidden.empty:
        notes.append(tr("note.suppressed", lang, min_n=threshold))
    all_years = rows["year"].astype(int)
    title = tr("chart.trend", lang, measure=measure_label(measure, lang), place=place_name(place, lang),
               start=int(all_years.min()), end=int(all_years.max()))
    ticks = set(all_years.tolist()) | (set(target["year"].iloc[[0, -1]].astype(int)) if target is not None else set())
    fig.update_xaxes(tickvals=sorted(ticks), tickformat="d")
    return themed(fig, title=title, source=source, lang=lang, units=unit_label(measure, lang),
                  note=" ".join(notes), height=440)
