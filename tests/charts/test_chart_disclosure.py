"""Disclosure control from the n column, with the threshold from parameters/publish.yaml."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.charts import apply_disclosure, estimate_table, ranked_bars, tile_map
from workbench.errors import DataError, ParameterError


def test_rows_below_min_n_are_blanked_and_flagged(gov_table):
    out = apply_disclosure(gov_table, min_n=30)
    small = out["governorate"] == "IQG03"
    assert out.loc[small, "suppressed"].all() and not out.loc[~small, "suppressed"].any()
    assert out.loc[small, ["estimate", "se", "ci_low", "ci_high"]].isna().all(axis=None)
    assert out.loc[~small, "estimate"].notna().all()
    assert gov_table["estimate"].notna().all()          # the input is not modified


def test_threshold_is_inclusive_at_min_n():
    t = pd.DataFrame({"estimate": [0.1, 0.2, 0.3], "n": [29, 30, np.nan]})
    assert apply_disclosure(t, min_n=30)["suppressed"].tolist() == [True, False, True]


def test_flag_only_keeps_values_and_upstream_flags_survive():
    t = pd.DataFrame({"estimate": [0.1, 0.2], "n": [10, 500], "suppressed": [False, True]})
    out = apply_disclosure(t, min_n=30, suppress=False)
    assert out["suppressed"].tolist() == [True, True]
    assert out["estimate"].tolist() == [0.1, 0.2]


def test_min_n_comes_from_parameters(params_dir, gov_table):
    (params_dir / "publish.yaml").write_text("min_n: 600\n")
    assert apply_disclosure(gov_table)["suppressed"].all()
    (params_dir / "publish.yaml").write_text("min_n: 0\n")
    with pytest.raises(ParameterError, match="'min_n' must be a positive integer"):
        apply_disclosure(gov_table)


def test_default_is_30_without_a_parameter_file(params_dir, gov_table):
    assert apply_disclosure(gov_table).attrs["min_n"] == 30


def test_missing_n_column_is_a_clear_error(gov_table):
    with pytest.raises(DataError, match="no 'n' column"):
        apply_disclosure(gov_table.drop(columns="n"))


def test_every_output_marks_the_suppressed_governorate(gov_table):
    """Table, chart and map all show 'n < 30' for Muthanna and never its number."""
    hidden = f"{100 * gov_table.loc[gov_table.governorate == 'IQG03', 'estimate'].iloc[0]:.1f}"
    table = estimate_table(gov_table, measure="headcount", min_n=30)
    row = next(r for r in table.rows if r[0] == "Muthanna")
    assert row[1] == "n < 30" and row[2] == ""
    assert "fewer than 30" in table.note
    bars = ranked_bars(gov_table, measure="headcount", year=2024, min_n=30)
    assert "Muthanna" not in list(bars.data[0].y)
    labels = dict(zip(bars.data[1].y, bars.data[1].text))
    assert labels["Muthanna"].strip() == "n < 30"
    assert all(hidden not in str(t) for t in bars.data[1].text)
    tiles = tile_map(gov_table, measure="headcount", year=2024, min_n=30)
    muthanna = next(a.text for a in tiles.layout.annotations if "Muthanna" in a.text)
    assert "n < 30" in muthanna and hidden not in muthanna
    notes = " ".join(a.text.replace("<br>", " ") for a in tiles.layout.annotations)
    assert "fewer than 30 sampled households" in notes
