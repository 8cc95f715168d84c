"""TEMPORARY: the walking skeleton's headcount, until :mod:`workbench.poverty` lands.

The batch notebooks (``notebooks/poverty_profile.ipynb``,
``notebooks/national_overview.ipynb``) need the poverty headcount by
governorate with standard errors now, while the FGT estimators are being
written. :func:`headcount` computes it with the committed survey core: the
person-weighted, design-based mean of the indicator ``consumption_pc < line``
(FGT0 is exactly that mean), with linearized standard errors from
:func:`workbench.survey.mean`, in the house's tidy table.

Integrator: replace ``interim.headcount(...)`` in the two notebooks with
``workbench.poverty.fgt(design, "consumption_pc", line=line, alpha=0,
by="governorate")`` (plus its national row), move :func:`heading`, :func:`summary` and
:func:`source_note` (and their strings) to the publishing/i18n layer, then delete this module and
``tests/batch/test_interim.py``.

Examples
--------
>>> import pandas as pd
>>> s = pd.DataFrame({"governorate": ["IQG02"] * 4, "stratum": ["a"] * 4, "psu": [1, 1, 2, 2],
...                   "weight": [1.0, 1, 1, 1], "hhsize": [1, 3, 2, 2],
...                   "consumption_pc": [50.0, 200, 50, 200]})
>>> headcount(s, line=100, year=2024).table[["governorate", "estimate", "n"]].to_dict("records")
[{'governorate': 'IQG02', 'estimate': 0.375, 'n': 4}, {'governorate': 'national', 'estimate': 0.375, 'n': 4}]
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from workbench.errors import DataError
from workbench.i18n import Lang, place_name, tr
from workbench.results import Estimate, flag_small_cells
from workbench.survey import SurveyDesign, mean

__all__ = ["survey_file", "read_survey", "headcount", "heading", "summary", "source_note",
           "NATIONAL"]

NATIONAL = "national"
_COLUMNS = ["hhid", "year", "governorate", "stratum", "psu", "weight", "hhsize", "consumption_pc"]


def survey_file(data_dir: str | os.PathLike[str], year: int) -> Path:
    """``<data_dir>/survey_<year>.parquet``; a relative ``data_dir`` is looked up from
    the current directory and then its parents (a notebook opened in ``notebooks/``
    finds ``data/demo`` at the project root).

    Raises
    ------
    DataError
        If no such file exists.
    """
    name = f"survey_{int(year)}.parquet"
    data_dir = Path(data_dir)
    candidates = [data_dir / name] if data_dir.is_absolute() else \
        [base / data_dir / name for base in (Path.cwd(), *Path.cwd().parents)]
    for path in candidates:
        if path.is_file():
            return path
    raise DataError(f"survey file {data_dir / name} not found (looked in {Path.cwd()} and its "
                    "parents); for the demo data run `workbench data demo --seed 0`")


def read_survey(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The columns of a canonical survey round that the headcount needs."""
    return pd.read_parquet(path, columns=_COLUMNS)


def headcount(survey: pd.DataFrame, *, line: float, year: int, min_n: int = 30) -> Estimate:
    """Person-weighted poverty headcount by governorate and national, with linearized SEs.

    Parameters
    ----------
    survey : pandas.DataFrame
        A canonical survey round (``governorate``, ``stratum``, ``psu``,
        ``weight``, ``hhsize``, ``consumption_pc``).
    line : float
        Poverty line, IQD per person per month.
    year : int
        Survey round, written to the table's ``year`` column.
    min_n : int
        Rows resting on fewer sampled households get ``suppressed = True``.

    Returns
    -------
    Estimate
        Statistic ``headcount``; table ``governorate`` (P-codes, then
        ``national``), ``year``, ``estimate, se, ci_low, ci_high, df, n, N, cv,
        deff, suppressed``.
    """
    data = survey.assign(poor=(survey["consumption_pc"] < line).astype(float))
    design = SurveyDesign(data, weight="weight", strata="stratum", psu="psu", hhsize="hhsize",
                          lonely_psu="centre")
    by_gov = mean(design, "poor", by="governorate")
    national = mean(design, "poor").table.assign(governorate=NATIONAL)
    table = pd.concat([by_gov.table, national], ignore_index=True)
    table.insert(1, "year", int(year))
    table = flag_small_cells(table, min_n)
    if table.loc[table["governorate"] != NATIONAL, "n"].sum() != len(survey):
        raise DataError("headcount: some households have no governorate")
    meta = {**dict(by_gov.meta), "variable": "consumption_pc < line", "line": float(line),
            "year": int(year), "by": ["governorate"],
            "method": "interim: workbench.survey.mean of the poverty indicator"}
    return Estimate("headcount", table, meta)


def heading(report: str, place: str, year: int, lang: Lang, *, synthetic: bool) -> str:
    """Markdown title of a report, under the synthetic-data banner when it applies.

    The banner always contains the English words ``SYNTHETIC DEMO DATA`` (the
    marker every output from demo data carries), and the Arabic text in the
    Arabic edition.

    Examples
    --------
    >>> print(heading("poverty_profile", "IQG02", 2024, "en", synthetic=True))
    **SYNTHETIC DEMO DATA: these figures are simulated and are not official statistics.**
    <BLANKLINE>
    # Poverty profile: Basrah, 2024
    """
    title = tr("report.title", lang, report=tr(f"report.{report}", lang),
               place=place_name(place, lang), year=year)
    if not synthetic:
        return f"# {title}"
    banner = tr("banner.synthetic", "en")
    if lang != "en":
        banner = f"{tr('banner.synthetic', lang)} (SYNTHETIC DEMO DATA)"
    return f"**{banner}**\n\n# {title}"


_SUMMARY = {
    "en": "In {year}, {share} of the people of {place} lived in households below the poverty "
          "line of {line} per person per month (95% CI {ci}). Nationally: {national}.",
    "ar": "في عام {year}، كان {share} من سكان {place} يعيشون في أسر دون خط الفقر البالغ {line} "
          "للفرد شهريًا (فترة الثقة 95٪: {ci}). على المستوى الوطني: {national}.",
}
_SUPPRESSED = {
    "en": "The sample of {place} in {year} is too small to publish its headcount (n < {min_n}).",
    "ar": "عينة {place} في عام {year} أصغر من أن تُنشر نسبة الفقر فيها (أقل من {min_n} أسرة).",
}
_SOURCE = {"en": "Source: {file}", "ar": "المصدر: {file}"}
_SYNTHETIC_SOURCE = {"en": "synthetic demo data", "ar": "بيانات تجريبية مصطنعة"}


def summary(result: Estimate, place: str, lang: Lang, *, min_n: int = 30) -> str:
    """One sentence on a governorate's headcount against the national one.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"governorate": ["IQG02", "national"], "year": [2024, 2024],
    ...                   "estimate": [0.16, 0.2], "ci_low": [0.13, 0.19], "ci_high": [0.19, 0.21],
    ...                   "n": [900, 25000], "suppressed": [False, False]})
    >>> summary(Estimate("headcount", t, {"line": 131400.0}), "IQG02", "en")[:60]
    'In 2024, 16.0% of the people of Basrah lived in households b'
    """
    from workbench.charts import format_ci, format_value

    rows = result.table.set_index("governorate")
    row, nat = rows.loc[place], rows.loc[NATIONAL]
    fields = {"year": int(row["year"]), "place": place_name(place, lang)}
    if bool(row["suppressed"]):
        return _SUPPRESSED[lang].format(min_n=min_n, **fields)
    return _SUMMARY[lang].format(
        share=format_value(row["estimate"], "headcount", lang=lang),
        line=format_value(result.meta["line"], "poverty_line", lang=lang),
        ci=format_ci(row["ci_low"], row["ci_high"], "headcount"),
        national=format_value(nat["estimate"], "headcount", lang=lang), **fields)


def source_note(path: str | os.PathLike[str], lang: Lang, *, synthetic: bool) -> str:
    """Chart source note: the data file, and whether it is synthetic.

    Examples
    --------
    >>> source_note("data/demo/survey_2024.parquet", "en", synthetic=True)
    'Source: survey_2024.parquet (synthetic demo data)'
    """
    text = _SOURCE[lang].format(file=Path(path).name)
    return f"{text} ({_SYNTHETIC_SOURCE[lang]})" if synthetic else text
