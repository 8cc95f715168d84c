"""Result tables formatted for readers, with disclosure control, in HTML and Markdown.

A :class:`ReportTable` displays in a notebook as HTML (``_repr_html_``) and also
carries a Markdown pipe table (``_repr_markdown_``), so the pandoc engine puts a
real table, not a picture of one, into the Typst PDF.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"governorate": ["IQG02", "IQG03"], "estimate": [0.1612, 0.52],
...                   "ci_low": [0.1301, 0.46], "ci_high": [0.1923, 0.58], "n": [1234, 12]})
>>> rt = estimate_table(t, measure="headcount", min_n=30)
>>> rt.rows[0]
['Basrah', '16.1%', '13.0–19.2', '1,234']
>>> rt.rows[1][1]
'n < 30'
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from workbench.charts.disclosure import apply_disclosure
from workbench.charts.format import format_ci, format_count, format_value, measure_label
from workbench.charts.select import require_columns, select_rows
from workbench.i18n import Lang, direction, place_name, tr

__all__ = ["ReportTable", "estimate_table"]


@dataclass(frozen=True)
class ReportTable:
    """A formatted table: header, rows of strings, a note, and the language."""

    header: list[str]
    rows: list[list[str]]
    lang: Lang = "en"
    note: str = ""
    numeric: list[bool] = field(default_factory=list)
    suppressed: list[bool] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """The cells as a DataFrame of strings."""
        return pd.DataFrame(self.rows, columns=self.header)

    def to_html(self) -> str:
        """An HTML ``<table>`` (class ``wb-table``) with the note as its caption."""
        def cell(tag: str, text: str, i: int) -> str:
            cls = ' class="num"' if self.numeric and self.numeric[i] else ""
            return f"<{tag}{cls}>{html.escape(text)}</{tag}>"

        head = "".join(cell("th", h, i) for i, h in enumerate(self.header))
        body = []
        for r, row in enumerate(self.rows):
            cls = ' class="suppressed"' if self.suppressed and self.suppressed[r] else ""
            body.append(f"<tr{cls}>" + "".join(cell("td", c, i) for i, c in enumerate(row)) + "</tr>")
        note = f'<p class="wb-note">{html.escape(self.note)}</p>' if self.note else ""
        return (f'<div class="wb-table-wrap" dir="{direction(self.lang)}"><table class="wb-table">'
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}</div>")

    def to_markdown(self) -> str:
        """A pandoc pipe table, numeric columns right-aligned, the note below it."""
        def esc(text: str) -> str:
            return text.replace("|", "\\|")

        align = ["---:" if self.numeric and self.numeric[i] else ":---" for i in range(len(self.header))]
        lines = ["| " + " | ".join(esc(h) for h in self.header) + " |", "|" + "|".join(align) + "|"]
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in self.rows]
        text = "\n".join(lines)
        return text + (f"\n\n*{esc(self.note)}*" if self.note else "")

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _domain_label(column: str, value: object, lang: Lang) -> str:
    if column == "governorate":
        return place_name(str(value), lang)
    if column == "measure":
        return measure_label(str(value), lang)
    if column == "year":
        return str(int(value))
    return tr(f"group.{column}.{value}", lang, default=str(value))


def estimate_table(table: pd.DataFrame, *, by: str | list[str] = "governorate",
                   measure: str | None = None, year: int | None = None, lang: Lang = "en",
                   min_n: int | None = None, show_n: bool = True,
                   sort: bool = False) -> ReportTable:
    """Format a tidy result table for a report: labels, estimate with units, 95% CI, n.

    Disclosure control is applied from ``n``: a suppressed row shows "n < 30"
    instead of its estimate and CI, and the note says why.

    Parameters
    ----------
    table : pandas.DataFrame
        Tidy results: the ``by`` columns, ``estimate``, ``ci_low``, ``ci_high``, ``n``,
        and ``measure`` (or pass ``measure``) so the units are known.
    by : str or list of str
        Domain column(s) labelled in the first column(s): ``governorate`` gives
        governorate names in ``lang``, ``measure`` the measure names, ``year`` the
        year, others the catalogue's ``group.<column>.<value>``.
    measure : str, optional
        Keep only this measure (and use its units).
    year : int, optional
        Keep only this year.
    lang : {"en", "ar"}
    min_n : int, optional
        Disclosure threshold (``parameters/publish.yaml`` when None).
    show_n : bool
        Add the unweighted sample size column.
    sort : bool
        Sort by estimate, highest first (suppressed rows last).

    Returns
    -------
    ReportTable
    """
    by = [by] if isinstance(by, str) else list(by)
    require_columns(table, (*by, "estimate", "ci_low", "ci_high", "n"), "estimate_table")
    rows = apply_disclosure(select_rows(table, measure=measure, year=year, what="estimate_table"),
                            min_n=min_n)
    if sort:
        rows = rows.sort_values(["suppressed", "estimate"], ascending=[True, False])
    threshold = rows.attrs["min_n"]
    header = [tr(f"label.{c}", lang, default=tr(f"group.name.{c}", lang, default=c)) for c in by]
    header += [tr("label.estimate", lang), tr("label.ci", lang)]
    if show_n:
        header.append(tr("label.n", lang))
    out: list[list[str]] = []
    for rec in rows.to_dict("records"):
        m = measure or rec.get("measure")
        cells = [_domain_label(c, rec[c], lang) for c in by]
        if rec["suppressed"]:
            cells += [tr("label.suppressed_short", lang, min_n=threshold), ""]
        else:
            cells += [format_value(rec["estimate"], m, lang=lang), format_ci(rec["ci_low"], rec["ci_high"], m, lang=lang)]
        if show_n:
            cells.append(format_count(rec["n"]))
        out.append(cells)
    notes = [tr("note.suppressed", lang, min_n=threshold)] if rows["suppressed"].any() else []
    numeric = [False] * len(by) + [True] * (len(header) - len(by))
    return ReportTable(header=header, rows=out, lang=lang, note=" ".join(notes), numeric=numeric,
                       suppressed=rows["suppressed"].tolist())
