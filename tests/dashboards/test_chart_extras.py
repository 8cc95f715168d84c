"""The dashboards' chart builders (workbench.charts.dashboard_extras): values, disclosure, direction."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose

from workbench.charts.dashboard_extras import (
    STATUS_COLORS,
    comparison_trends,
    district_bars,
    poor_profile_bars,
    progress_dots,
)
from workbench.dashboards.strategy import StrategyTarget, assess


def test_comparison_trends_draws_each_place_with_its_band(store):
    rows = pd.concat([store.trend_rows(p, "headcount") for p in ("IQG01", "IQG08")])
    fig = comparison_trends(rows, places=["IQG01", "IQG08"], measure="headcount", min_n=30)
    lines = [t for t in fig.data if t.mode == "lines+markers"]
    assert [t.name for t in lines] == ["Anbar", "Baghdad"]
    # Anbar 2007 rests on 24 households: no point for it; Baghdad has all four rounds.
    assert list(lines[0].x) == [2012, 2018, 2024] and list(lines[1].x) == [2007, 2012, 2018, 2024]
    baghdad = store.trend_rows("IQG08", "headcount")
    assert_allclose(lines[1].y, 100 * baghdad["estimate"], rtol=1e-12)
    band = fig.data[2]
    assert_allclose(band.y[:4], 100 * baghdad["ci_high"], rtol=1e-12)


def test_district_bars_rank_and_mark_small_districts(store):
    rows = store.district_rows("IQG08", "headcount", 2024)
    fig = district_bars(rows, measure="headcount", place="IQG08", year=2024, min_n=30)
    shown = rows[rows["n"] >= 30].sort_values("estimate")
    assert_allclose(fig.data[0].x, 100 * shown["estimate"], rtol=1e-12)
    marks = [t for t in fig.data[1].text if "n < 30" in t]
    assert len(marks) == int((rows["n"] < 30).sum())
    assert "by district, Baghdad, 2024" in fig.layout.title.text


def test_poor_profile_bars_pair_poor_and_non_poor(store):
    rows = store.profile_rows("national", 2024)
    fig = poor_profile_bars(rows, place="national", year=2024, min_n=30)
    assert [t.name for t in fig.data] == ["Poor", "Non-poor"]
    poor = rows[rows["group"] == "poor"].set_index(["characteristic", "level"])
    first = poor.loc[("area", "rural"), "estimate"]
    assert fig.data[0].y[0] == "Lives in a rural area"
    assert_allclose(fig.data[0].x[0], 100 * first, rtol=1e-12)


def test_progress_dots_colour_each_status_and_mirror_in_arabic(store):
    a = assess(store, StrategyTarget(2018, 2022, 0.25), year=2024, min_n=30)
    fig = progress_dots(a, lang="ar")
    by_color = {t.marker.color: len(t.x) for t in fig.data if t.marker.color in STATUS_COLORS.values()}
    counts = a["status"].value_counts()
    assert by_color == {STATUS_COLORS[s]: int(n) for s, n in counts.items()}
    target = fig.data[-1]
    assert_allclose(np.sort(target.x), np.sort(100 * a["target"]), rtol=1e-12)
    assert fig.layout.xaxis.autorange == "reversed" and fig.layout.yaxis.side == "right"
