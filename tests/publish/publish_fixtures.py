"""Tiny executed notebooks and sidecars in the batch's layout, for the publishing tests.

The notebook is thin like the real ones: a parameters cell, calls into
``workbench.charts``, prose. It is executed with papermill under
``PLOTLY_RENDERER=plotly_mimetype``, so its chart outputs hold plotly figure JSON
and no PNG, which is what the pandoc engine must turn into images for the PDF.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import papermill

from workbench.geography import governorates

#: Known numbers the published pages must show (Basrah 2024 headcount and its CI).
BASRAH_HEADCOUNT = 0.1612
BASRAH_CI = (0.1301, 0.1923)
BASRAH_N = 1234
SUPPRESSED_PCODE = "IQG03"   # Muthanna: n below 30 in the fixture


def estimates(year: int = 2024) -> pd.DataFrame:
    """A tidy governorate table: deterministic values, Basrah known, Muthanna under min_n."""
    rng = np.random.default_rng(year)
    codes = [g.pcode for g in governorates()]
    est = rng.uniform(0.05, 0.5, len(codes)).round(4)
    n = rng.integers(300, 2500, len(codes))
    t = pd.DataFrame({"measure": "headcount", "year": year, "governorate": codes, "estimate": est,
                      "se": 0.015, "n": n, "N": n * 180.0, "df": 100})
    t.loc[t.governorate == "IQG02", ["estimate", "n"]] = [BASRAH_HEADCOUNT, BASRAH_N]
    t.loc[t.governorate == SUPPRESSED_PCODE, "n"] = 12
    t["ci_low"] = (t["estimate"] - 1.96 * t["se"]).round(4)
    t["ci_high"] = (t["estimate"] + 1.96 * t["se"]).round(4)
    t.loc[t.governorate == "IQG02", ["ci_low", "ci_high"]] = list(BASRAH_CI)
    t["suppressed"] = False
    return t


CELLS = [
    ("code", ('governorate = "IQG02"  # P-code\nyear = 2024  # survey round\nlang = "en"  # en | ar\n'
             'estimates_path = ""  # tidy estimates (JSON records)\nsynthetic = True  # demo data'), ["parameters"]),
    ("code", ("import pandas as pd\nfrom IPython.display import Markdown, display\n"
             "from workbench import charts\nfrom workbench.reports.text import heading\n"
             "table = pd.read_json(estimates_path)\nsource = 'Synthetic demo data, fixture'"), []),
    # The report notebooks' title: the notebook's own synthetic banner, then the level-1 heading.
    ("code", "display(Markdown(heading('poverty_profile', governorate, year, lang, synthetic=synthetic)))", []),
    ("markdown", "## Headcount by governorate", []),
    ("code", "#| label: tbl-headcount\ndisplay(charts.estimate_table(table, measure='headcount', lang=lang, sort=True))", []),
    ("code", ("#| label: fig-ranked\n#| fig-cap: Headcount by governorate\n"
             "charts.ranked_bars(table, measure='headcount', year=year, lang=lang, highlight=governorate, "
             "national=0.2005, source=source)"), []),
    ("markdown", "## Map", []),
    ("code", "#| label: fig-map\ncharts.tile_map(table, measure='headcount', year=year, lang=lang, source=source)", []),
    ("markdown", "## Trend", []),
    ("code", ("#| label: fig-trend\ntrend = pd.DataFrame({'year': [2012, 2018, 2024], 'estimate': [.149, .16, .1612],\n"
             "    'ci_low': [.13, .14, .1301], 'ci_high': [.17, .18, .1923], 'n': [900, 1000, 1234]})\n"
             "charts.trend_lines(trend, measure='headcount', place=governorate, lang=lang, "
             "target=charts.target_path(2018, .16, 2030), source=source)"), []),
]


def make_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    for kind, src, tags in CELLS:
        cell = nbformat.v4.new_code_cell(src) if kind == "code" else nbformat.v4.new_markdown_cell(src)
        cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def sidecar(pcode: str, year: int, table: pd.DataFrame, *, synthetic: bool = True) -> dict:
    mine = table[table.governorate == pcode].iloc[0]
    return {
        "notebook": "poverty_profile", "governorate": pcode, "year": year,
        "key_figures": {"headcount": {k: float(mine[k]) for k in ("estimate", "ci_low", "ci_high", "n")}},
        "tables": {"headcount_by_governorate": json.loads(table.to_json(orient="records"))},
        "provenance": {"data": [{"path": "data/demo/households_2024.parquet", "sha256": "3f" * 32}],
                       "parameters": {"governorate": pcode, "year": year},
                       "package_version": "0.1.0", "run_date": "2026-11-23T10:00:00+00:00",
                       "synthetic": synthetic, "manifest": "reports/manifest.json#run-0007"},
    }


def build_executed(root: Path, *, places: tuple[str, ...] = ("IQG02",), year: int = 2024,
                   langs: tuple[str, ...] = ("en", "ar"), synthetic: bool = True) -> Path:
    """Execute the fixture notebook into ``root/executed/poverty_profile/<year>/<place>[.ar].ipynb``."""
    src = make_notebook(root / "poverty_profile.ipynb")
    table = estimates(year)
    data = root / "estimates.json"
    table.to_json(data, orient="records")
    out_dir = root / "executed" / "poverty_profile" / str(year)
    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PLOTLY_RENDERER"] = "plotly_mimetype"
    for place in places:
        for lang in langs:
            stem = place if lang == "en" else f"{place}.ar"
            papermill.execute_notebook(src, out_dir / f"{stem}.ipynb", kernel_name="python3",
                                       parameters={"governorate": place, "year": year, "lang": lang,
                                                   "estimates_path": str(data), "synthetic": synthetic},
                                       progress_bar=False)
        (out_dir / f"{place}.figures.json").write_text(json.dumps(sidecar(place, year, table, synthetic=synthetic)))
    return root / "executed"
