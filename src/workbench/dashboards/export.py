"""The current view's table as a CSV or Excel download: estimates only, never microdata.

The table holds what the view shows, with disclosure control applied (a row
resting on fewer than ``min_n`` households has no numbers), values in the
display unit (percent for rates), the 95% CI, the standard error and ``n``.
The files travel inside the page as ``data:`` links, so the server needs no
download endpoint.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"governorate": ["IQG02", "IQG03"], "year": 2024, "measure": "headcount",
...                   "estimate": [0.1612, 0.52], "se": [0.01, 0.1], "ci_low": [0.14, 0.3],
...                   "ci_high": [0.18, 0.7], "n": [1234, 12], "N": [3e6, 8e5]})
>>> view = export_table(t, lang="en", min_n=30)
>>> view.iloc[0, :5].astype(str).tolist()
['IQG02', 'Basrah', '2024', 'Poverty headcount rate', '16.12']
>>> bool(pd.isna(view.iloc[1]["Estimate"]))
True
"""

from __future__ import annotations

import base64
import html
import io

import pandas as pd

from workbench.charts import apply_disclosure
from workbench.charts.format import measure_label, scale, unit_label
from workbench.i18n import Lang, place_name, tr

__all__ = ["csv_bytes", "download_links", "export_table", "xlsx_bytes"]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_table(table: pd.DataFrame, *, lang: Lang = "en", min_n: int | None = None) -> pd.DataFrame:
    """The rows of a view as readers download them, with labels in ``lang``.

    Parameters
    ----------
    table : pandas.DataFrame
        ``governorate, year, measure, estimate, se, ci_low, ci_high, n`` (``N``,
        ``district`` optional).
    lang : {"en", "ar"}
    min_n : int, optional
        Disclosure threshold; suppressed rows keep their labels and ``n`` only.
    """
    rows = apply_disclosure(table, min_n=min_n)
    k = rows["measure"].map(scale).astype(float)
    out = pd.DataFrame({
        tr("dashboard.download.code", lang): rows["governorate"].astype(str),
        tr("label.governorate", lang): [place_name(g, lang) for g in rows["governorate"]],
        tr("label.year", lang): rows["year"].astype(int),
        tr("label.measure", lang): [measure_label(m, lang) for m in rows["measure"]],
        tr("label.estimate", lang): (rows["estimate"] * k).round(4),
        tr("label.se", lang): (rows["se"] * k).round(4),
        f"{tr('label.ci', lang)} (-)": (rows["ci_low"] * k).round(4),
        f"{tr('label.ci', lang)} (+)": (rows["ci_high"] * k).round(4),
        tr("label.n", lang): rows["n"],
        tr("label.suppressed", lang): rows["suppressed"].map(
            {True: tr("dashboard.answer_yes", lang), False: tr("dashboard.answer_no", lang)}),
        tr("dashboard.download.unit", lang): [unit_label(m, lang) for m in rows["measure"]],
    })
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so that Excel shows Arabic text correctly."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, *, note: str = "") -> bytes:
    """An Excel workbook: the table on the first sheet, the source note on a second."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="estimates", index=False)
        if note:
            pd.DataFrame({"note": [note]}).to_excel(writer, sheet_name="notes", index=False)
    return buffer.getvalue()


def download_links(frame: pd.DataFrame, *, stem: str, lang: Lang = "en", note: str = "") -> str:
    """HTML with two download links (CSV, Excel) carrying the table as ``data:`` URIs."""
    csv = base64.b64encode(csv_bytes(frame)).decode("ascii")
    xlsx = base64.b64encode(xlsx_bytes(frame, note=note)).decode("ascii")
    name = html.escape(stem)
    return (f'<div class="wb-downloads">'
            f'<a class="wb-download wb-download-csv" download="{name}.csv" '
            f'href="data:text/csv;charset=utf-8;base64,{csv}">{tr("dashboard.download.csv", lang)}</a>'
            f'<a class="wb-download wb-download-xlsx" download="{name}.xlsx" '
            f'href="data:{_XLSX};base64,{xlsx}">{tr("dashboard.download.xlsx", lang)}</a></div>')
