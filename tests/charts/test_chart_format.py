"""Numbers as readers see them."""

from __future__ import annotations

import math

from workbench.charts import format_ci, format_count, format_value, measure_label, unit_label


def test_shares_are_percent_with_one_decimal():
    assert format_value(0.2046, "headcount") == "20.5%"
    assert format_value(0.2046, "headcount", unit=False) == "20.5"
    assert format_ci(0.19, 0.2213, "gap") == "19.0–22.1"


def test_money_has_thousands_separators_and_iqd():
    assert format_value(131421.4, "poverty_line") == "131,421 IQD"
    assert format_value(131421.4, "poverty_line", lang="ar") == "131,421 دينار"
    assert unit_label("mean_consumption") == "IQD per person per month"


def test_indices_counts_and_missing():
    assert format_value(0.29512, "gini") == "0.295"
    assert format_count(1234567.4) == "1,234,567"
    assert format_value(math.nan, "headcount") == "" and format_count(None) == ""


def test_arabic_range_is_isolated_left_to_right():
    assert format_ci(0.19, 0.22, "headcount", lang="ar") == "\u206619.0–22.0\u2069"


def test_measure_labels_from_catalogue_with_fallback():
    assert measure_label("headcount", "ar") == "نسبة الفقر"
    assert measure_label("new_thing") == "new thing"
