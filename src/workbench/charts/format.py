"""Numbers as readers see them: units per measure, thousands separators, sensible decimals.

Shares (headcount, gap, severity) are stored as proportions in [0, 1] and shown
as percentages with one decimal; money in IQD with thousands separators and no
decimals; indices (Gini) with three decimals; counts as whole numbers.

Examples
--------
>>> format_value(0.2346, "headcount")
'23.5%'
>>> format_value(131420.6, "poverty_line", lang="ar")
'131,421 دينار'
>>> format_ci(0.21, 0.26, "headcount")
'21.0–26.0'
>>> format_count(12345)
'12,345'
"""

from __future__ import annotations

import math
from typing import Literal

from workbench.i18n import Lang, ltr, tr

__all__ = [
    "MEASURE_UNITS",
    "Unit",
    "format_ci",
    "format_count",
    "format_value",
    "measure_label",
    "measure_unit",
    "scale",
    "unit_label",
]

Unit = Literal["share", "iqd", "index", "count", "number"]

#: Unit of each known measure; anything else is a plain number with two decimals.
MEASURE_UNITS: dict[str, Unit] = {
    "headcount": "share", "gap": "share", "severity": "share", "extreme_headcount": "share",
    "share_of_poor": "share", "gini": "index", "mean_consumption": "iqd",
    "median_consumption": "iqd", "poverty_line": "iqd", "population": "count", "poor": "count",
}

_DECIMALS: dict[str, int] = {"share": 1, "iqd": 0, "index": 3, "count": 0, "number": 2}


def measure_unit(measure: str | None) -> Unit:
    """The unit of a measure (``"number"`` when unknown)."""
    return MEASURE_UNITS.get(str(measure), "number")


def measure_label(measure: str, lang: Lang = "en") -> str:
    """The reader's name of a measure, from the catalogue (the key itself when not listed)."""
    return tr(f"measure.{measure}", lang, default=str(measure).replace("_", " "))


def scale(measure: str | None) -> float:
    """Factor from stored value to displayed value (100 for shares)."""
    return 100.0 if measure_unit(measure) == "share" else 1.0


MINUS = "\u2212"
"""The minus sign: beside the en dash of a range a hyphen typesets as an em dash in the PDFs
(``-3.9–-1.2`` printed as ``-3.9—1.2``, read "-3.9 to 1.2")."""


def _number(x: float, decimals: int) -> str:
    """``x`` with thousands separators and ``decimals`` places; negatives with :data:`MINUS`.

    A value that rounds to zero has no sign (never ``−0.0``).
    """
    text = f"{x:,.{decimals}f}"
    if text.startswith("-") and set(text[1:]) <= set("0.,"):
        text = text[1:]
    return text.replace("-", MINUS)


def format_value(value: float | None, measure: str | None = None, *, lang: Lang = "en",
                 unit: bool = True) -> str:
    """Format one estimate for a table cell.

    Parameters
    ----------
    value : float or None
        Stored value (a proportion for shares). NaN or None gives an empty string.
    measure : str, optional
        Measure name, which picks the unit.
    lang : {"en", "ar"}
    unit : bool
        Append the unit (%, IQD).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    kind = measure_unit(measure)
    text = _number(float(value) * scale(measure), _DECIMALS[kind])
    if not unit:
        return text
    if kind == "share":
        return text + tr("unit.percent", lang)
    if kind == "iqd":
        return f"{text} {tr('unit.iqd', lang)}"
    return text


def format_ci(low: float | None, high: float | None, measure: str | None = None, *,
              lang: Lang = "en") -> str:
    """Format a confidence interval as ``low–high`` in the measure's display scale.

    In Arabic the range is isolated left to right, so it never reads ``high–low``.
    Negative bounds take the minus sign (:data:`MINUS`).

    Examples
    --------
    >>> format_ci(-0.039, -0.012, "headcount"), format_ci(0.2, 0.25, "headcount")
    ('−3.9–−1.2', '20.0–25.0')
    """
    if low is None or high is None or any(isinstance(v, float) and math.isnan(v) for v in (low, high)):
        return ""
    kind = measure_unit(measure)
    k = scale(measure)
    return ltr(f"{_number(low * k, _DECIMALS[kind])}–{_number(high * k, _DECIMALS[kind])}", lang)


def format_count(n: float | None) -> str:
    """Whole number with thousands separators; empty for missing."""
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return ""
    return _number(round(float(n)), 0)


def unit_label(measure: str | None, lang: Lang = "en") -> str:
    """Axis unit of a measure: ``percent``, ``IQD per person per month``, ..."""
    kind = measure_unit(measure)
    return {"share": tr("unit.percent_axis", lang), "iqd": tr("unit.iqd_month", lang),
            "index": tr("unit.index", lang), "count": tr("unit.people", lang)}.get(kind, "")
