"""The house theme: one place that sets fonts, colours, title, units, source note and direction.

Every builder ends with :func:`themed`. For Arabic it sets an Arabic font and
mirrors cartesian axes (x-axis reversed, y-axis on the right), as readers of a
right-to-left page expect; geographic layouts opt out with ``mirror=False``.

Examples
--------
>>> import textwrap

import plotly.graph_objects as go
>>> fig = themed(go.Figure(go.Bar(x=[1, 2], y=["a", "b"], orientation="h")),
...              title="Headcount", source="Synthetic demo data", lang="ar")
>>> fig.layout.xaxis.autorange, fig.layout.yaxis.side
('reversed', 'right')
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import plotly.io as pio

from workbench.i18n import Lang, check_lang, ltr, tr

__all__ = ["BANNER_END", "BANNER_START", "FONTS", "PALETTE", "SUPPRESSED_COLOR", "fit_category_labels",
           "rtl_text", "sequential_scale", "synthetic_banner", "themed"]

_RLE, _PDF = "\u202b", "\u202c"
_WRAP = 105  # characters per line of the note under a chart
_LABEL_WRAP = 22  # characters per line of a category label (the longest district name has 17)
_LABEL_GAP = 6  # pixels between category labels and the axis line

#: Qualitative palette: ministry blue first, then an accessible set.
PALETTE: tuple[str, ...] = ("#1f4e79", "#c8102e", "#2e8b57", "#e69f00", "#6a3d9a", "#56b4e9")
SUPPRESSED_COLOR = "#bdbdbd"
FONTS: dict[str, str] = {
    "en": "Noto Sans, DejaVu Sans, Arial, sans-serif",
    "ar": "Amiri, Noto Naskh Arabic, Noto Sans Arabic, sans-serif",
}


#: The plotly template of every chart: plotly's "plotly_white" layout (white ground, light grid)
#: with the defaults of the trace types the charts draw. The whole "plotly_white" describes some
#: forty trace types: copying it into every figure cost 13 ms a chart (the dashboards redraw
#: charts while the viewer waits) and sent 4 kB more with each one.
TEMPLATE = "workbench"
pio.templates[TEMPLATE] = go.layout.Template(
    layout=pio.templates["plotly_white"].layout,
    data={kind: getattr(pio.templates["plotly_white"].data, kind) for kind in ("bar", "scatter", "pie")})


#: Comments around a notebook's own synthetic-data banner (invisible where Markdown is
#: shown); the publisher drops what lies between them, because its pages print the banner.
BANNER_START = "<!-- workbench:synthetic-banner -->"
BANNER_END = "<!-- /workbench:synthetic-banner -->"
_MARKER = "SYNTHETIC DEMO DATA"


def synthetic_banner(lang: Lang) -> str:
    """The synthetic-data banner of every output made from demo data: notebooks, pages, PDFs.

    It always holds the English words ``SYNTHETIC DEMO DATA``, the marker any
    output of demo data carries, in the Arabic edition too (isolated left to right).

    Examples
    --------
    >>> synthetic_banner("en")
    'SYNTHETIC DEMO DATA: these figures are simulated and are not official statistics.'
    >>> synthetic_banner("ar").endswith("(\u2066SYNTHETIC DEMO DATA\u2069)")
    True
    """
    text = tr("banner.synthetic", lang)
    return text if _MARKER in text else f"{text} ({ltr(_MARKER, lang)})"


def sequential_scale() -> list[list[float | str]]:
    """Light-to-dark colour scale for maps (low poverty light, high dark)."""
    return [[0.0, "#f7fbff"], [0.25, "#c6dbef"], [0.5, "#6baed6"], [0.75, "#2171b5"],
            [1.0, "#08306b"]]


def rtl_text(text: str) -> str:
    """Embed each ``<br>``-separated line right to left (SVG text is laid out left to right).

    Examples
    --------
    >>> rtl_text("a<br>b") == "\u202ba\u202c<br>\u202bb\u202c"
    True
    """
    if not text:
        return text
    return "<br>".join(f"{_RLE}{line.strip(_RLE + _PDF)}{_PDF}" for line in text.split("<br>"))


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False) or [text]


def _categories(fig: go.Figure) -> list[str]:
    """The category labels of a categorical y-axis (horizontal bars, dot plots), in axis order."""
    found: list[str] = []
    for trace in fig.data:
        y = getattr(trace, "y", None)
        if y is None or len(y) == 0 or not all(isinstance(v, str) for v in y):
            continue
        found += [v for v in y if v not in found]
    order = [c for c in (fig.layout.yaxis.categoryarray or ()) if c in found]
    return order + [c for c in found if c not in order]


def fit_category_labels(fig: go.Figure, *, width: int = _LABEL_WRAP) -> go.Figure:
    """Make room for the category labels of a categorical y-axis, however long, in any direction.

    Labels longer than ``width`` characters wrap onto several lines (the category
    itself, shown on hover, is unchanged); the margin on the side the axis sits
    (left, or right in Arabic) grows to fit the widest line, measured by plotly.js
    itself (``automargin``) in the browser and in kaleido's PNG alike; a gap keeps
    labels off the axis line. Figures without such an axis are returned as they are.

    Examples
    --------
    >>> fig = go.Figure(go.Bar(x=[1, 2], y=["Al-Kahla", "Al-Mejar Al-Kabir and the Marshes"],
    ...                        orientation="h"))
    >>> list(fit_category_labels(fig).layout.yaxis.ticktext)
    ['Al-Kahla', 'Al-Mejar Al-Kabir and<br>the Marshes']
    >>> fig.layout.yaxis.automargin, fig.layout.yaxis.ticklabelstandoff
    (True, 6)
    """
    labels = _categories(fig)
    if not labels:
        return fig
    fig.update_yaxes(automargin=True, ticklabelstandoff=_LABEL_GAP)
    if any(len(c) > width for c in labels):
        fig.update_yaxes(tickmode="array", tickvals=labels,
                         ticktext=["<br>".join(_wrap(c, width)) for c in labels])
    return fig


def _has_legend(fig: go.Figure) -> bool:
    return sum(1 for t in fig.data if t.showlegend is not False and t.name) > 1


def themed(fig: go.Figure, *, title: str, source: str | None, lang: Lang = "en",
           units: str | None = None, note: str | None = None, mirror: bool = True,
           height: int | None = None, wrap: int = _WRAP) -> go.Figure:
    """Apply the house theme, the title, the units, the source note and the text direction.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        Figure from a builder (modified in place and returned).
    title : str
        Chart title, already in ``lang``.
    source : str, optional
        Data source, printed below the chart as "Source: ...".
    lang : {"en", "ar"}
    units : str, optional
        Unit text appended to the title as a subtitle line.
    note : str, optional
        Extra note (disclosure, CI meaning) printed above the source.
    mirror : bool
        Mirror cartesian axes for Arabic (False for maps).
    height : int, optional
        Figure height in pixels.
    wrap : int
        Characters per line of the note and source under the chart (narrow charts: fewer).

    Returns
    -------
    plotly.graph_objects.Figure
    """
    check_lang(lang)
    rtl = lang == "ar"
    align = "right" if rtl else "left"
    x_title = 1.0 if rtl else 0.0
    subtitle = f"<br><sup>{units}</sup>" if units else ""
    label = tr("label.source", lang)
    if source and not source.startswith(label):
        source = f"{label}: {source}"
    footer = [line for text in (note, source)
              if text for line in _wrap(text, wrap)]
    fig.update_layout(
        template=TEMPLATE,
        font={"family": FONTS[lang], "size": 13, "color": "#222"},
        title={"text": f"<b>{title}</b>{subtitle}", "x": x_title, "xanchor": align, "xref": "paper",
               "y": 0.97, "yref": "container", "yanchor": "top", "pad": {"t": 4},
               "font": {"size": 16}},
        colorway=list(PALETTE),
        margin={"l": 60, "r": 60, "t": 110 if _has_legend(fig) else 85, "b": 70 + 16 * len(footer)},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": align, "x": x_title},
        hoverlabel={"font": {"family": FONTS[lang]}},
        paper_bgcolor="white",
        plot_bgcolor="white",
        meta={"lang": lang, "source": source},
    )
    if height:
        fig.update_layout(height=height)
    if footer:
        fig.add_annotation(text="<br>".join(footer), xref="paper", yref="paper", x=x_title,
                           xanchor=align, y=0, yanchor="top", yshift=-40, showarrow=False,
                           align=align, font={"size": 11, "color": "#555"})
    if rtl:
        fig.layout.title.text = rtl_text(fig.layout.title.text)
        for annotation in fig.layout.annotations:
            annotation.text = rtl_text(annotation.text)
        for trace in fig.data:
            if trace.name:
                trace.name = rtl_text(trace.name)
    if mirror and rtl:
        fig.update_xaxes(autorange="reversed")
        fig.update_yaxes(side="right")
    fig.update_xaxes(gridcolor="#e5e5e5", zerolinecolor="#999")
    fig.update_yaxes(gridcolor="#e5e5e5", zerolinecolor="#999")
    return fit_category_labels(fig)
