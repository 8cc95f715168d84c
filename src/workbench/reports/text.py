"""Headings and sentences of the reports, in English and Arabic, from the i18n catalogue.

Examples
--------
>>> print(heading("poverty_profile", "IQG02", 2024, "en", synthetic=True))
<!-- workbench:synthetic-banner -->
**SYNTHETIC DEMO DATA: these figures are simulated and are not official statistics.**
<!-- /workbench:synthetic-banner -->
<BLANKLINE>
# Poverty profile: Basrah, 2024
>>> source_note(["data/demo/survey_2024.parquet"], "en", synthetic=True)
'Source: household survey survey_2024.parquet (synthetic demo data)'
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from workbench.charts import format_ci, format_value
from workbench.charts.theme import BANNER_END, BANNER_START, synthetic_banner
from workbench.i18n import Lang, ltr, place_name, tr
from workbench.reports.data import NATIONAL

__all__ = ["change_sentence", "heading", "points", "points_ci", "section", "source_note", "summary"]

_MINUS = "\u2212"


def heading(report: str, place: str, year: int, lang: Lang, *, synthetic: bool) -> str:
    """Markdown title of a report, under the synthetic-data banner when it applies.

    The banner (:func:`workbench.charts.theme.synthetic_banner`) sits between
    :data:`~workbench.charts.theme.BANNER_START` and ``BANNER_END`` comments, so
    the publisher, whose pages print their own banner, can leave it out and every
    page shows it once.
    """
    title = tr("report.title", lang, report=tr(f"report.{report}", lang),
               place=place_name(place, lang), year=year)
    if not synthetic:
        return f"# {title}"
    return f"{BANNER_START}\n**{synthetic_banner(lang)}**\n{BANNER_END}\n\n# {title}"


def section(key: str, lang: Lang, **fields: object) -> str:
    """A section heading and its one-paragraph introduction (``report.section.<key>``)."""
    title = tr(f"report.section.{key}.title", lang, **fields)
    intro = tr(f"report.section.{key}.intro", lang, default="", **fields)
    return f"## {title}\n\n{intro}".rstrip()


def source_note(paths: Sequence[str | os.PathLike[str]], lang: Lang, *, synthetic: bool) -> str:
    """Chart source note: the survey files, and whether they are synthetic."""
    files = ", ".join(Path(p).name for p in paths)
    text = tr("report.source", lang, files=files)
    return f"{text} ({tr('report.synthetic_source', lang)})" if synthetic else text


def summary(table: pd.DataFrame, place: str, lang: Lang, *, line: float, min_n: int = 30) -> str:
    """One sentence on a place's headcount against Iraq's, from :func:`workbench.reports.fgt_table`.

    Examples
    --------
    >>> t = pd.DataFrame({"measure": "headcount", "governorate": ["IQG02", "national"],
    ...                   "year": [2024, 2024], "estimate": [0.16, 0.2], "ci_low": [0.13, 0.19],
    ...                   "ci_high": [0.19, 0.21], "n": [900, 25000], "suppressed": [False, False]})
    >>> summary(t, "IQG02", "en", line=131400.0)[:60]
    'In 2024, 16.0% of the people of Basrah lived in households b'
    """
    rows = table[table["measure"] == "headcount"].set_index("governorate")
    row, nat = rows.loc[place], rows.loc[NATIONAL]
    fields = {"year": int(row["year"]), "place": place_name(place, lang)}
    if bool(row["suppressed"]):
        return tr("report.summary_suppressed", lang, min_n=min_n, **fields)
    key = "report.summary_national" if place == NATIONAL else "report.summary"
    return tr(key, lang, share=format_value(row["estimate"], "headcount", lang=lang),
              line=format_value(line, "poverty_line", lang=lang),
              ci=format_ci(row["ci_low"], row["ci_high"], "headcount"),
              national=format_value(nat["estimate"], "headcount", lang=lang), **fields)


def points(value: float, lang: Lang = "en", *, signed: bool = True) -> str:
    """A share, or a change in shares, in (signed) percentage points with one decimal.

    Negative numbers take the minus sign U+2212, not a hyphen: beside the en
    dash of a range, a hyphen turns into an em dash in the typeset PDF
    (``-3.9–-1.2`` printed as ``-3.9—1.2``). Signed numbers are isolated left
    to right in Arabic.

    Examples
    --------
    >>> points(-0.02542), points(0.0061), points(0.2005, signed=False)
    ('−2.5', '+0.6', '20.1')
    """
    text = f"{100 * value:{'+' if signed else ''}.1f}".replace("-", _MINUS)
    return ltr(text, lang) if signed else text


def points_ci(low: float, high: float, lang: Lang = "en", *, signed: bool = True) -> str:
    """A 95% interval in percentage points, ``low–high``, negative bounds with a true minus sign.

    Examples
    --------
    >>> points_ci(-0.0389, -0.0122)
    '−3.9–−1.2'
    """
    text = f"{100 * low:.1f}–{100 * high:.1f}".replace("-", _MINUS)
    return ltr(text, lang) if signed or lang == "ar" else text


def _effect(value: float, lang: Lang) -> str:
    """A change in points in words: "a fall of 2.2 points" (no minus sign to misplace in Arabic)."""
    size = f"{100 * abs(value):.1f}"
    kind = "none" if size == "0.0" else ("fall" if value < 0 else "rise")
    return tr(f"report.change_effect.{kind}", lang, value=size)


def change_sentence(change: pd.DataFrame, lang: Lang, *, min_n: int = 30) -> str:
    """One sentence on the change in the headcount and its growth and redistribution components.

    ``change`` comes from :func:`workbench.reports.change.change_table` (rows
    ``change, growth, redistribution``; ``attrs`` ``year_a`` and ``year_b``).
    Directions are words (fell, a rise of ...) and every number is positive: a
    minus sign inside Arabic running text is misplaced by the PDF engine. The
    interval is that of the size of the change; when it includes zero, the
    sentence says the change is within sampling error instead.

    Examples
    --------
    >>> t = pd.DataFrame({"component": ["change", "growth", "redistribution"],
    ...                   "estimate": [-0.025, -0.031, 0.006], "ci_low": [-0.038, -0.043, -0.004],
    ...                   "ci_high": [-0.012, -0.019, 0.016], "suppressed": False})
    >>> t.attrs.update(year_a=2018, year_b=2024)
    >>> import textwrap
    >>> print(textwrap.fill(change_sentence(t, "en"), 90))
    Between 2018 and 2024, the poverty headcount rate fell by 2.5 percentage points (95% CI 1.2
    to 3.8); growth in mean consumption accounts for a fall of 3.1 points, changes in inequality
    for a rise of 0.6 points.
    """
    rows = change.set_index("component")
    if bool(rows.loc[["change", "growth", "redistribution"], "suppressed"].any()):
        return tr("report.change_suppressed", lang, min_n=min_n)
    row = rows.loc["change"]
    fell = row["estimate"] < 0
    if row["ci_low"] <= 0 <= row["ci_high"]:
        ci = tr("report.change_unclear", lang)
    else:  # the interval of the size of the change: both bounds positive
        low, high = sorted(abs(row[["ci_low", "ci_high"]].to_numpy(dtype=float)))
        ci = tr("report.change_ci", lang, low=f"{100 * low:.1f}", high=f"{100 * high:.1f}")
    return tr("report.change_sentence", lang, start=int(change.attrs["year_a"]),
              end=int(change.attrs["year_b"]),
              direction=tr(f"report.change_direction.{'fell' if fell else 'rose'}", lang),
              change=f"{100 * abs(row['estimate']):.1f}", ci=ci,
              growth=_effect(rows.loc["growth", "estimate"], lang),
              redistribution=_effect(rows.loc["redistribution", "estimate"], lang))
