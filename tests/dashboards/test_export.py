"""Downloads: the view's estimates with disclosure control, CSV readable by Excel, a real workbook."""

from __future__ import annotations

import base64
import io
import re

import openpyxl
import pandas as pd
import pytest

from workbench.dashboards.export import csv_bytes, download_links, export_table, xlsx_bytes


@pytest.fixture
def view(store) -> pd.DataFrame:
    return store.governorate_rows("headcount", 2007, national=True)


def test_export_table_blanks_suppressed_rows_and_scales_to_percent(view):
    out = export_table(view, lang="en", min_n=30)
    assert len(out) == 19 and out.columns[0] == "Code"
    anbar = out[out["Code"] == "IQG01"].iloc[0]  # 24 households in the fixture
    assert pd.isna(anbar["Estimate"]) and anbar["suppressed"] == "yes"
    nat = view[view["governorate"] == "national"].iloc[0]
    row = out[out["Code"] == "national"].iloc[0]
    assert row["Estimate"] == pytest.approx(round(100 * nat["estimate"], 4))
    assert row["Households sampled (n)"] == nat["n"]
    assert "hhid" not in " ".join(out.columns)


def test_arabic_headers_and_names(view):
    out = export_table(view, lang="ar", min_n=30)
    assert "المحافظة" in out.columns and "البصرة" in set(out["المحافظة"])


def test_csv_has_a_byte_order_mark_and_round_trips(view):
    data = csv_bytes(export_table(view, lang="ar", min_n=30))
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert len(back) == 19 and "البصرة" in set(back["المحافظة"])


def test_workbook_has_the_table_and_the_note(view):
    frame = export_table(view, lang="en", min_n=30)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, note="SYNTHETIC")))
    assert book.sheetnames == ["estimates", "notes"]
    rows = list(book["estimates"].values)
    assert list(rows[0]) == list(frame.columns) and len(rows) == 20
    assert book["notes"]["A2"].value == "SYNTHETIC"


def test_download_links_carry_the_files(view):
    frame = export_table(view, lang="en", min_n=30)
    html = download_links(frame, stem="headcount_2007_en", lang="en")
    csv = re.search(r'download="headcount_2007_en.csv" href="data:text/csv;charset=utf-8;base64,([^"]+)"', html)
    assert csv and base64.b64decode(csv.group(1)) == csv_bytes(frame)
    assert 'download="headcount_2007_en.xlsx"' in html and "Download Excel" in html
