"""The growth incidence curve: annual real growth at each percentile, its 95% CI band, the mean.

Examples
--------
>>> import pandas as pd
>>> curve = pd.DataFrame({"percentile": [10, 50, 90], "estimate": [0.012, 0.008, 0.004],
...                       "ci_low": [0.006, 0.004, -0.002], "ci_high": [0.018, 0.012, 0.010],
...                       "n": 25000})
>>> fig = growth_incidence_chart(curve, start=2018, end=2024, years=6, mean_growth=0.0063,
...                              source="Synthetic demo data")
>>> [trace.name for trace in fig.data]
['95% confidence interval', 'Growth at the percentile', 'Growth of the mean: 0.6% per year']
>>> [round(float(v), 2) for v in fig.data[1].y]  # percent per year
[1.2, 0.8, 0.4]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workbench.charts.disclosure import apply_disclosure
from workbench.charts.select import require_columns
from workbench.charts.theme import PALETTE, themed
from workbench.i18n import Lang, place_name, tr

__all__ = ["growth_incidence_chart"]

_AXIS_TITLE = 30  # pixels the x-axis title takes under the tick labels


def _percent(value: float, lang: Lang) -> str:
    return f"{100 * value:.1f}{tr('unit.percent', lang)}"


def growth_incidence_chart(curve: pd.DataFrame, *, start: int, end: int, years: float,
                           mean_growth: float | None = None, headcount: float | None = None,
                           deflator: float | None = None, lang: Lang = "en", place: str = "national",
                           source: str | None = None, min_n: int | None = None) -> go.Figure:
    """Annualised real growth of consumption by percentile, with its 95% CI band and the mean's growth.

    Parameters
    ----------
    curve : pandas.DataFrame
        ``percentile, estimate, ci_low, ci_high, n``: annual growth rates as
        proportions (from :func:`workbench.reports.change.incidence_table`).
    start, end : int
        The two rounds.
    years : float
        Years between them (the rates are per year).
    mean_growth : float, optional
        Annual growth of mean consumption, drawn as a dashed reference line.
    headcount : float, optional
        The earlier round's headcount rate: a dotted vertical line at that
        percentile marks the initially poor.
    deflator : float, optional
        Ratio of the later line to the earlier one, which put the earlier
        round's consumption into the later round's prices; said in the note.
    lang : {"en", "ar"}
    place : str
    source : str, optional
    min_n : int, optional
        Disclosure threshold: percentiles resting on fewer households are not drawn.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    require_columns(curve, ("percentile", "estimate", "ci_low", "ci_high", "n"), "growth_incidence_chart")
    rows = apply_disclosure(curve, min_n=min_n).sort_values("percentile")
    threshold = rows.attrs["min_n"]
    ok = rows[~rows["suppressed"]]
    band = ok[np.isfinite(ok["ci_low"]) & np.isfinite(ok["ci_high"])]
    p = band["percentile"].to_numpy(dtype=float)
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=np.concatenate([p, p[::-1]]),
        y=100 * np.concatenate([band["ci_high"].to_numpy(), band["ci_low"].to_numpy()[::-1]]),
        mode="lines", fill="toself", fillcolor="rgba(31,78,121,0.18)", line={"width": 0},
        hoverinfo="skip", name=tr("label.ci_band", lang)))
    fig.add_trace(go.Scatter(
        x=ok["percentile"].to_numpy(dtype=float), y=100 * ok["estimate"].to_numpy(), mode="lines",
        line={"color": PALETTE[0], "width": 2.5}, name=tr("chart.growth_at_percentile", lang),
        hovertemplate="%{x:.0f}: %{y:.2f}<extra></extra>"))
    if mean_growth is not None:
        per_year = f"{_percent(mean_growth, lang)} {tr('unit.per_year', lang)}"
        fig.add_trace(go.Scatter(
            x=[rows["percentile"].min(), rows["percentile"].max()], y=[100 * mean_growth] * 2,
            mode="lines", line={"color": PALETTE[1], "dash": "dash"},
            name=tr("chart.mean_growth", lang, value=per_year)))
    if headcount is not None:
        fig.add_vline(x=100 * headcount, line_color="#777", line_dash="dot",
                      annotation_text=tr("chart.poor_at_start", lang, year=start,
                                         value=_percent(headcount, lang)),
                      annotation_position="top right" if lang == "ar" else "top left")
    notes = [tr("note.growth_incidence", lang, start=start, end=end, years=f"{years:g}",
                ratio=f"{deflator:.3f}" if deflator is not None else "—"),
             tr("note.ci_band", lang)]
    if rows["suppressed"].any():
        notes.append(tr("note.suppressed", lang, min_n=threshold))
    fig.update_xaxes(title_text=tr("chart.growth_incidence_x", lang), range=[0, 100], dtick=10)
    fig.update_yaxes(zeroline=True, zerolinewidth=1.5)
    title = tr("chart.growth_incidence", lang, place=place_name(place, lang), start=start, end=end)
    fig = themed(fig, title=title, source=source, lang=lang, units=tr("unit.percent_per_year", lang),
                 note=" ".join(notes), height=480)
    if lang == "ar":  # mirrored: 0 on the right, and the whole 0-100 range kept
        fig.update_xaxes(autorange=False, range=[100, 0])
    return _below_axis_title(fig)


def _below_axis_title(fig: go.Figure, gap: int = _AXIS_TITLE) -> go.Figure:
    """Move the theme's footer (note and source) below the x-axis title, and grow the margin to fit."""
    for annotation in fig.layout.annotations:
        if annotation.yref == "paper" and annotation.y == 0 and annotation.yanchor == "top":
            annotation.yshift = (annotation.yshift or 0) - gap
    fig.layout.margin.b = (fig.layout.margin.b or 0) + gap
    return fig
