"""Chart builders: numbers drawn are the table's numbers; Arabic charts are mirrored and translated."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from workbench.charts import (
    TILE_GRID,
    choropleth,
    estimate_table,
    governorate_map,
    load_boundaries,
    profile_bars,
    ranked_bars,
    target_path,
    themed,
    tile_map,
    trend_lines,
)
from workbench.errors import DataError
from workbench.geography import governorate, governorates

ADM1 = Path("/work/shared/geo/adm1.geojson")
needs_adm1 = pytest.mark.skipif(not ADM1.exists(), reason="OCHA adm1 boundaries (shared/geo) not on this machine")


def test_ranked_bars_draws_estimates_and_cis_in_percent(gov_table):
    fig = ranked_bars(gov_table, measure="headcount", year=2024, national=0.2, highlight="IQG02",
                      source="Test source", min_n=30)
    bar = fig.data[0]
    shown = gov_table[gov_table.governorate != "IQG03"].sort_values("estimate")
    assert list(bar.y) == [governorate(g).name_en for g in shown.governorate]
    assert_allclose(bar.x, shown.estimate * 100, rtol=1e-12)
    assert_allclose(bar.error_x.array, (shown.ci_high - shown.estimate) * 100, rtol=1e-12)
    assert_allclose(bar.error_x.arrayminus, (shown.estimate - shown.ci_low) * 100, rtol=1e-12)
    assert bar.marker.color[list(bar.y).index("Basrah")] != bar.marker.color[0]
    assert fig.layout.title.text.startswith("<b>Poverty headcount rate by governorate, 2024</b>")
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "Source: Test source" in notes and "95% confidence intervals" in notes
    assert fig.layout.shapes[0].x0 == pytest.approx(20.0)      # national reference line


def test_arabic_chart_is_translated_and_mirrored(gov_table):
    fig = ranked_bars(gov_table, measure="headcount", year=2024, lang="ar", source="مصدر", min_n=30)
    assert "البصرة" in list(fig.data[0].y)
    assert fig.layout.xaxis.autorange == "reversed" and fig.layout.yaxis.side == "right"
    assert "نسبة الفقر حسب المحافظة" in fig.layout.title.text
    assert fig.layout.title.xanchor == "right"
    assert "Amiri" in fig.layout.font.family


def test_trend_lines_band_estimate_and_target():
    t = pd.DataFrame({"year": [2012, 2018, 2024], "estimate": [0.19, 0.20, 0.175],
                      "ci_low": [0.18, 0.19, 0.165], "ci_high": [0.20, 0.21, 0.185], "n": [900, 10, 950]})
    path = target_path(2018, 0.2005, 2030)
    fig = trend_lines(t, measure="headcount", target=path, min_n=30)
    band, line, target = fig.data
    assert list(line.x) == [2012, 2024]                      # 2018 rests on 10 households
    assert_allclose(line.y, [19.0, 17.5])
    assert_allclose(band.y, [20.0, 18.5, 16.5, 18.0])
    assert_allclose(target.y[[0, -1]], [20.05, 15.0375], rtol=1e-12)
    assert any("n < 30" in a.text for a in fig.layout.annotations)


def test_target_path_is_a_straight_line_to_a_quarter_less():
    p = target_path(2018, 0.20, 2030, reduction=0.25)
    assert_allclose(p["target"], 0.20 - 0.05 * (p["year"] - 2018) / 12, rtol=1e-12)
    with pytest.raises(ValueError, match="must be after"):
        target_path(2030, 0.2, 2018)


def test_tile_grid_places_each_governorate_once():
    assert set(TILE_GRID) == {g.pcode for g in governorates()}
    assert len(set(TILE_GRID.values())) == 18


def test_tile_map_labels_values_and_is_not_mirrored(gov_table):
    fig = tile_map(gov_table, measure="headcount", year=2024, lang="ar", min_n=30)
    assert len(fig.layout.shapes) == 18
    basrah = next(a.text for a in fig.layout.annotations if "البصرة" in a.text)
    est = gov_table.loc[gov_table.governorate == "IQG02", "estimate"].iloc[0]
    assert f"{100 * est:.1f}%" in basrah
    assert fig.layout.xaxis.autorange != "reversed"


@needs_adm1
def test_choropleth_from_registered_boundaries(params_dir, gov_table):
    (params_dir / "geography.yaml").write_text(
        f"boundaries:\n  governorate:\n    path: {ADM1}\n    code_property: ADM1_PCODE\n"
        "    attribution: OCHA COD-AB 2019\n")
    fig = governorate_map(gov_table, measure="headcount", year=2024, min_n=30)
    fills = [t for t in fig.data if t.fill == "toself"]
    assert len(fills) == 18
    assert any("OCHA COD-AB 2019" in a.text for a in fig.layout.annotations)
    muthanna = next(t for t in fills if t.name == "Muthanna")
    assert muthanna.fillcolor == "#bdbdbd" and "suppressed" in muthanna.text


def test_map_falls_back_to_tile_grid_without_registration(params_dir, gov_table):
    fig = governorate_map(gov_table, measure="headcount", year=2024)
    assert len(fig.layout.shapes) == 18 and not any(t.fill == "toself" for t in fig.data)


@needs_adm1
def test_boundaries_must_cover_every_governorate(tmp_path):
    import json

    data = json.loads(ADM1.read_text())
    data["features"] = data["features"][:17]
    path = tmp_path / "partial.geojson"
    path.write_text(json.dumps(data))
    with pytest.raises(DataError, match="1 governorates have no polygon"):
        load_boundaries(path)
    b = load_boundaries(ADM1)
    fig = choropleth(pd.DataFrame({"governorate": ["IQG02"], "estimate": [0.1], "n": [100]}), b,
                     measure="headcount")
    assert sum(1 for t in fig.data if t.fill == "toself") == 18


def test_profile_bars_labels_groups_from_catalogue():
    t = pd.DataFrame({"sex_head": ["female", "male"], "estimate": [0.3, 0.2], "ci_low": [0.25, 0.18],
                      "ci_high": [0.35, 0.22], "n": [20, 800]})
    fig = profile_bars(t, group="sex_head", measure="headcount", place="IQG02", year=2024, lang="ar", min_n=30)
    assert list(fig.data[0].x) == ["أسر ترأسها نساء", "أسر يرأسها رجال"]
    assert fig.data[0].text[0] == "أقل من 30 أسرة"
    assert_allclose(fig.data[0].y, [0.0, 20.0])


def test_estimate_table_markdown_and_html(gov_table):
    rt = estimate_table(gov_table, measure="headcount", min_n=30, sort=True)
    assert rt.rows[0][0] == governorate(gov_table.sort_values("estimate").governorate.iloc[-1]).name_en
    assert rt.rows[-1][0] == "Muthanna"
    md = rt._repr_markdown_()
    assert md.splitlines()[1] == "|:---|---:|---:|---:|"
    assert "| Muthanna | n < 30 |  | 12 |" in md
    assert 'class="suppressed"' in rt._repr_html_() and "<th" in rt.to_html()
    ar = estimate_table(gov_table, measure="headcount", lang="ar", min_n=30)
    assert ar.header[0] == "المحافظة" and 'dir="rtl"' in ar.to_html()


def test_themed_sets_title_source_and_units():
    import plotly.graph_objects as go

    fig = themed(go.Figure(go.Scatter(x=[1], y=[2])), title="T", source="S", units="percent", note="N")
    assert fig.layout.title.text == "<b>T</b><br><sup>percent</sup>"
    assert fig.layout.annotations[-1].text == "N<br>Source: S"
    assert np.isclose(fig.layout.title.x, 0.0)


def test_source_label_is_not_doubled():
    import plotly.graph_objects as go

    fig = themed(go.Figure(), title="T", source="Source: survey_2024.parquet", lang="en")
    assert fig.layout.annotations[-1].text == "Source: survey_2024.parquet"
