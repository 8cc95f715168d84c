"""Maps of the 18 governorates: a labelled tile grid, or a choropleth from registered boundaries.

Neither needs the internet: the tile grid has no geometry at all, and the
choropleth draws the registered polygons as filled shapes on plain axes (no
geo subplot, so plotly.js never fetches its world topojson).

Examples
--------
>>> import pandas as pd
>>> from workbench.geography import governorates
>>> t = pd.DataFrame({"governorate": [g.pcode for g in governorates()],
...                   "estimate": [0.1 + 0.02 * i for i in range(18)],
...                   "ci_low": 0.0, "ci_high": 1.0, "n": 500})
>>> fig = tile_map(t, measure="headcount", year=2024)
>>> len(fig.layout.shapes)
18
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from workbench.charts.boundaries import Boundaries, registered_boundaries
from workbench.charts.disclosure import apply_disclosure
from workbench.charts.format import format_ci, format_value, measure_label, scale, unit_label
from workbench.charts.select import require_columns, select_rows
from workbench.charts.theme import SUPPRESSED_COLOR, sequential_scale, themed
from workbench.geography import governorate, governorates
from workbench.i18n import Lang, tr

__all__ = ["TILE_GRID", "choropleth", "governorate_map", "tile_map"]

#: Schematic (column, row) of each governorate, row 0 in the north; roughly by location.
TILE_GRID: dict[str, tuple[int, int]] = {
    "IQG15": (0, 0), "IQG09": (1, 0), "IQG11": (2, 0), "IQG06": (3, 0),   # Nineveh Duhok Erbil Sulaymaniyah
    "IQG01": (0, 1), "IQG16": (1, 1), "IQG13": (2, 1), "IQG10": (3, 1),   # Anbar Salahaddin Kirkuk Diyala
    "IQG12": (0, 2), "IQG08": (1, 2), "IQG18": (2, 2), "IQG14": (3, 2),   # Karbala Baghdad Wasit Maysan
    "IQG04": (0, 3), "IQG07": (1, 3), "IQG17": (2, 3), "IQG02": (3, 3),   # Najaf Babylon Thi-Qar Basrah
    "IQG05": (1, 4), "IQG03": (2, 4),                                     # Qadisiyah Muthanna
}


def _prepare(table: pd.DataFrame, measure: str, year: int | None, min_n: int | None) -> pd.DataFrame:
    require_columns(table, ("governorate", "estimate", "n"), "map")
    rows = apply_disclosure(select_rows(table, measure=measure, year=year, what="map"), min_n=min_n)
    rows["pcode"] = [governorate(g).pcode for g in rows["governorate"]]
    return rows.set_index("pcode")


def _colors(values: pd.Series) -> tuple[dict[str, str], float, float]:
    ok = values.dropna()
    lo, hi = (float(ok.min()), float(ok.max())) if len(ok) else (0.0, 1.0)
    span = hi - lo if hi > lo else 1.0
    scale_ = sequential_scale()
    colors = {code: sample_colorscale(scale_, [(v - lo) / span])[0] for code, v in ok.items()}
    return colors, lo, hi


def _text_color(fill: str) -> str:
    rgb = [float(c) for c in fill[fill.index("(") + 1:fill.index(")")].split(",")[:3]]
    return "white" if 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 140 else "#222"


def _cell(rows: pd.DataFrame, code: str, measure: str, lang: Lang, threshold: int) -> tuple[str, str]:
    """Value text and hover text of one governorate."""
    name = governorate(code).name(lang)
    if code not in rows.index:
        return tr("label.no_data", lang), f"{name}: {tr('label.no_data', lang)}"
    row = rows.loc[code]
    if row["suppressed"]:
        mark = tr("label.suppressed_short", lang, min_n=threshold)
        return mark, f"{name}: {tr('label.suppressed', lang)} ({mark})"
    value = format_value(row["estimate"], measure, lang=lang)
    ci = format_ci(row.get("ci_low"), row.get("ci_high"), measure, lang=lang) if "ci_low" in row else ""
    return value, f"{name}: {value}" + (f"<br>{tr('label.ci', lang)}: {ci}" if ci else "") + f"<br>n = {int(row['n']):,}"


def _colorbar_trace(lo: float, hi: float, k: float, lang: Lang, x: float, y: float) -> go.Scatter:
    return go.Scatter(x=[x, x], y=[y, y], mode="markers", hoverinfo="skip", showlegend=False,
                      marker={"size": 0.1, "opacity": 0, "color": [lo * k, hi * k], "cmin": lo * k,
                              "cmax": hi * k, "colorscale": sequential_scale(), "showscale": True,
                              "colorbar": {"thickness": 12, "len": 0.5, "orientation": "h",
                                           "x": 0.5, "xanchor": "center", "y": 0.0, "yanchor": "top"}})


def _notes(lang: Lang, rows: pd.DataFrame, threshold: int, extra: str) -> str:
    notes = [extra]
    if rows["suppressed"].any():
        notes.append(tr("note.suppressed", lang, min_n=threshold))
    return " ".join(notes)


def tile_map(table: pd.DataFrame, *, measure: str, year: int | None = None, lang: Lang = "en",
             source: str | None = None, min_n: int | None = None) -> go.Figure:
    """Labelled tile-grid map: one square per governorate, coloured by the estimate.

    Parameters
    ----------
    table : pandas.DataFrame
        Tidy results with ``governorate``, ``estimate`` and ``n`` (``ci_low`` and
        ``ci_high`` shown on hover when present); optional ``measure``/``year``.
    measure : str
    year : int, optional
    lang : {"en", "ar"}
        Names and labels; the geography itself is never mirrored.
    source : str, optional
    min_n : int, optional
        Disclosure threshold: suppressed governorates are grey with "n < 30".

    Returns
    -------
    plotly.graph_objects.Figure
    """
    rows = _prepare(table, measure, year, min_n)
    threshold = rows.attrs["min_n"]
    colors, lo, hi = _colors(rows["estimate"])
    fig = go.Figure()
    hx, hy, htext, shapes, labels = [], [], [], [], []
    for code, (col, row) in TILE_GRID.items():
        x0, y0 = col, -row
        fill = colors.get(code, SUPPRESSED_COLOR)
        shapes.append({"type": "rect", "x0": x0 + 0.04, "x1": x0 + 0.96, "y0": y0 - 0.96, "y1": y0 - 0.04,
                       "fillcolor": fill, "line": {"color": "white", "width": 1}})
        value, hover = _cell(rows, code, measure, lang, threshold)
        color = _text_color(fill) if fill.startswith("rgb") else "#222"
        labels.append({"x": x0 + 0.5, "y": y0 - 0.5, "showarrow": False, "align": "center",
                       "text": f"<b>{governorate(code).name(lang)}</b><br>{value}",
                       "font": {"size": 11, "color": color}})
        hx.append(x0 + 0.5)
        hy.append(y0 - 0.5)
        htext.append(hover)
    fig.update_layout(shapes=shapes, annotations=labels)  # one validation, not 36 (a third of the time)
    fig.add_trace(go.Scatter(x=hx, y=hy, mode="markers", marker={"size": 40, "opacity": 0},
                             hovertext=htext, hoverinfo="text", showlegend=False))
    fig.add_trace(_colorbar_trace(lo, hi, scale(measure), lang, hx[0], hy[0]))
    fig.update_xaxes(visible=False, range=[-0.1, 4.1])
    fig.update_yaxes(visible=False, range=[-5.1, 0.1], scaleanchor="x", scaleratio=1)
    title = (tr("chart.map", lang, measure=measure_label(measure, lang), year=year)
             if year is not None else measure_label(measure, lang))
    return themed(fig, title=title, source=source, lang=lang,
                  units=unit_label(measure, lang), mirror=False, height=580, wrap=70,
                  note=_notes(lang, rows, threshold, tr("note.tile_grid", lang)))


def _centroid(ring: list[tuple[float, float]]) -> tuple[float, float]:
    xy = np.asarray(ring)
    return float(xy[:, 0].mean()), float(xy[:, 1].mean())


def choropleth(table: pd.DataFrame, boundaries: Boundaries, *, measure: str, year: int | None = None,
               lang: Lang = "en", source: str | None = None, min_n: int | None = None) -> go.Figure:
    """Choropleth of the governorates from registered boundary polygons.

    Parameters
    ----------
    table : pandas.DataFrame
        As for :func:`tile_map`.
    boundaries : Boundaries
        From :func:`workbench.charts.boundaries.registered_boundaries` or
        :func:`~workbench.charts.boundaries.load_boundaries`.
    measure, year, lang, source, min_n
        As for :func:`tile_map`.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    rows = _prepare(table, measure, year, min_n)
    threshold = rows.attrs["min_n"]
    colors, lo, hi = _colors(rows["estimate"])
    fig = go.Figure()
    for g in governorates():
        rings = boundaries.rings[g.pcode]
        xs: list[float | None] = []
        ys: list[float | None] = []
        for ring in rings:
            xs.extend([p[0] for p in ring] + [None])
            ys.extend([p[1] for p in ring] + [None])
        value, hover = _cell(rows, g.pcode, measure, lang, threshold)
        fill = colors.get(g.pcode, SUPPRESSED_COLOR)
        fig.add_trace(go.Scatter(x=xs, y=ys, fill="toself", fillcolor=fill, mode="lines",
                                 line={"color": "white", "width": 0.8}, hoveron="fills",
                                 hoverinfo="text", text=hover, showlegend=False, name=g.name(lang)))
        biggest = max(rings, key=len)
        cx, cy = _centroid(biggest)
        fig.add_annotation(x=cx, y=cy, showarrow=False, text=f"{g.name(lang)}<br>{value}",
                           font={"size": 10, "color": _text_color(fill) if fill.startswith("rgb") else "#222"})
    all_x = [p[0] for rings in boundaries.rings.values() for r in rings for p in r]
    all_y = [p[1] for rings in boundaries.rings.values() for r in rings for p in r]
    fig.add_trace(_colorbar_trace(lo, hi, scale(measure), lang, all_x[0], all_y[0]))
    fig.update_xaxes(visible=False, range=[min(all_x) - 0.2, max(all_x) + 0.2])
    fig.update_yaxes(visible=False, range=[min(all_y) - 0.2, max(all_y) + 0.2], scaleanchor="x",
                     scaleratio=1 / math.cos(math.radians(float(np.mean(all_y)))))
    extra = tr("note.boundaries", lang, attribution=boundaries.attribution) if boundaries.attribution else ""
    title = (tr("chart.map", lang, measure=measure_label(measure, lang), year=year)
             if year is not None else measure_label(measure, lang))
    return themed(fig, title=title, source=source, lang=lang,
                  units=unit_label(measure, lang), mirror=False, height=640, wrap=70,
                  note=_notes(lang, rows, threshold, extra).strip() or None)


def governorate_map(table: pd.DataFrame, *, measure: str, year: int | None = None, lang: Lang = "en",
                    source: str | None = None, min_n: int | None = None,
                    boundaries: Boundaries | None | str = "registered") -> go.Figure:
    """A choropleth when boundaries are registered (or given), else the tile grid.

    Parameters
    ----------
    boundaries : Boundaries, None or "registered"
        ``"registered"`` reads ``parameters/geography.yaml``; None forces the tile grid.
    """
    if isinstance(boundaries, str):
        boundaries = registered_boundaries()
    if boundaries is None:
        return tile_map(table, measure=measure, year=year, lang=lang, source=source, min_n=min_n)
    return choropleth(table, boundaries, measure=measure, year=year, lang=lang, source=source,
                      min_n=min_n)
