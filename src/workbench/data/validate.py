"""Validation of a survey round against the canonical model, with one report of every problem.

The pandera schema is built from the declarations in :mod:`workbench.data.model`
(type, bounds, allowed values, required, key), never restated here. Validation
runs in three steps, all vectorised:

1. **Types.** Each canonical column is coerced to its declared type; values that
   cannot be (text in ``weight``, 2.5 in ``hhsize``) are reported as a wrong type.
2. **Column rules** (pandera, lazy): presence of the required columns, no
   missing values unless a column is declared nullable, bounds, allowed values,
   known governorate P-codes, a unique household id.
3. **Cross-column rules** (plain pandas): a PSU lies in one stratum;
   ``food_pc <= consumption_pc``.

Every broken rule becomes one line of a single :class:`~workbench.errors.DataError`
naming the source, the column, the rule, the number of offending rows and the
first household ids. A stratum with a single PSU is not an error: it gets a
:class:`~workbench.errors.DataWarning` naming the strata and the policy that the
survey design will apply.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Literal, get_args

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from workbench.data.model import SURVEY, Column
from workbench.errors import DataError, ParameterError, first_ids, warn
from workbench.geography import governorate, governorates

__all__ = [
    "LONELY_PSU",
    "LonelyPSU",
    "as_text",
    "check_lonely_psu",
    "check_survey",
    "map_distinct",
    "survey_schema",
    "validate_survey",
]

LonelyPSU = Literal["fail", "centre", "merge"]
LONELY_PSU: tuple[str, ...] = get_args(LonelyPSU)

# Column dtypes after step 1. Nullable pandas types keep missing values visible to
# pandera's not-nullable rule instead of failing the cast.
_WORKING_DTYPE: dict[str, str | None] = {
    "int": "Int64", "float": "float64", "bool": "boolean", "str": None, "category": None,
}
_TYPE_RULE: dict[str, str] = {
    "int": "wrong type: must be a whole number (int)",
    "float": "wrong type: must be a finite number (float)",
    "bool": "wrong type: must be true/false, 1/0 or yes/no (bool)",
}
_TRUE = frozenset({"true", "t", "yes", "y", "1", "1.0"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "0.0"})


def check_lonely_psu(policy: str) -> LonelyPSU:
    """Return ``policy`` if it is a lonely-PSU policy, else raise :class:`ParameterError`.

    Examples
    --------
    >>> check_lonely_psu("centre")
    'centre'
    """
    if policy not in LONELY_PSU:
        raise ParameterError(f"lonely_psu must be one of {', '.join(LONELY_PSU)}; got {policy!r}")
    return policy  # type: ignore[return-value]


def map_distinct(values: pd.Series, func: Callable[[Hashable], object]) -> pd.Series:
    """Apply ``func`` once per distinct non-missing value and broadcast the result.

    A survey holds a few distinct codes and many households, so this is a loop
    over codes, not over households. Missing values stay missing.

    Examples
    --------
    >>> map_distinct(pd.Series([1, 2, 1, None]), lambda v: v * 10).tolist()
    [10.0, 20.0, 10.0, nan]
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([func(u) for u in uniques] + [np.nan], dtype=object)
    out = pd.Series(mapped[codes], index=values.index, name=values.name)
    return out.infer_objects()


def as_text(values: pd.Series) -> pd.Series:
    """Text form of a column (pandas ``string``); whole floats lose their ``.0``.

    Stata and SPSS store every number as a float, so code 101 arrives as 101.0.

    Examples
    --------
    >>> as_text(pd.Series([101.0, None, "x", 2.5])).tolist()
    ['101', <NA>, 'x', '2.5']
    """
    def text(v: Hashable) -> str:
        if isinstance(v, float | np.floating) and float(v).is_integer():
            return str(int(v))
        return str(v)
    return map_distinct(values, text).astype("string")


def _to_bool(value: Hashable) -> object:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    text = str(value).strip().casefold()
    return True if text in _TRUE else False if text in _FALSE else pd.NA


def _coerce(values: pd.Series, dtype: str) -> tuple[pd.Series, np.ndarray]:
    """Cast one column to its working dtype; return it and the mask of uncastable values."""
    present = values.notna().to_numpy()
    if dtype in ("int", "float"):
        num = pd.to_numeric(values.astype(object) if values.dtype == "boolean" else values,
                            errors="coerce").astype("float64")
        arr = num.to_numpy()
        bad = present & ~np.isfinite(arr)
        if dtype == "int":
            bad |= np.isfinite(arr) & (arr != np.round(arr))
        num[bad] = np.nan
        return (num.astype("Int64") if dtype == "int" else num), bad
    if dtype == "bool":
        if pd.api.types.is_bool_dtype(values):
            out = values.astype("boolean")
        else:
            out = map_distinct(values, _to_bool).astype("boolean")
        return out, present & out.isna().to_numpy()
    text = as_text(values)
    return text.astype(object).where(text.notna(), None), np.zeros(len(values), dtype=bool)


def _column_schema(col: Column) -> pa.Column:
    """A pandera column from a model declaration; its metadata keeps the rule of each check."""
    checks: list[pa.Check] = []
    rules: list[str] = []
    if col.name == "governorate":
        checks.append(pa.Check.isin([g.pcode for g in governorates()]))
        rules.append("unknown governorate")
    elif col.values:
        checks.append(pa.Check.isin(list(col.values)))
        rules.append(f"must be one of {', '.join(col.values)}")
    if col.min is not None:
        checks.append(pa.Check.gt(col.min) if col.min_exclusive else pa.Check.ge(col.min))
        rules.append(f"must be {'>' if col.min_exclusive else '>='} {col.min:g}")
    if col.max is not None:
        checks.append(pa.Check.le(col.max))
        rules.append(f"must be <= {col.max:g}")
    return pa.Column(
        _WORKING_DTYPE[col.dtype], checks=checks, nullable=col.nullable,
        required=col.required, metadata={"rules": rules}, description=col.description,
    )


def survey_schema() -> pa.DataFrameSchema:
    """The pandera schema of the canonical survey table, built from its declaration.

    It expects columns already cast to their working dtypes (``Int64``,
    ``float64``, ``boolean``, text); :func:`validate_survey` does that first.

    Examples
    --------
    >>> schema = survey_schema()
    >>> schema.columns["weight"].metadata["rules"]
    ['must be > 0']
    >>> schema.unique
    ['hhid']
    """
    return pa.DataFrameSchema(
        {c.name: _column_schema(c) for c in SURVEY.columns},
        unique=list(SURVEY.key), name=SURVEY.name,
    )


def _show(value: object) -> str:
    """A found value as the user typed it: numbers plain, text quoted."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return repr(value)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


class _Report:
    """Collects one line per broken rule, then raises them together."""

    def __init__(self, frame: pd.DataFrame, origins: Mapping[str, str]) -> None:
        self.frame = frame
        self.origins = origins
        self.lines: list[str] = []
        self.first = 0

    def ids(self, rows: np.ndarray) -> str:
        """``first hhids: ...`` for row positions; rows without a usable hhid show as ``row N``."""
        rows = np.unique(rows)
        if "hhid" in self.frame:
            hhid = self.frame["hhid"].iloc[rows].astype(object).to_numpy()
            missing = pd.isna(hhid)
            hhid[missing] = [f"row {r + 1}" for r in rows[missing]]
            shown = pd.unique(hhid)  # a duplicated id shows once
        else:
            shown = [f"row {r + 1}" for r in rows]
        return "first hhids: " + first_ids(shown)

    def column(self, name: str) -> str:
        origin = self.origins.get(name)
        return f"column '{name}'" + (f" ({origin})" if origin else "")

    def add(self, column: str | None, rule: str, rows: np.ndarray, *,
            found: Sequence[object] = (), tail: str = "") -> None:
        n = len(np.unique(rows))
        head = f"{self.column(column)}: " if column else ""
        shown = f"; found: {first_ids(_show(v) for v in found)}" if len(found) else ""
        self.lines.append(f"{head}{rule}; broken by {_plural(n, 'row')} "
                          f"({self.ids(rows)}{shown}){tail}")

    def raise_if_any(self, source: str, hint: str) -> None:
        if self.lines:
            body = "\n".join(f"  - {line}" for line in self.lines)
            raise DataError(f"{source}: {_plural(len(self.lines), 'problem')} with the survey "
                            f"table, one per rule:\n{body}\n{hint}")


def _governorate_hint(found: Sequence[object]) -> str:
    """Suggest a mapping when the unknown values are names or codes that geography knows."""
    known = []
    for value in found:
        try:
            known.append(governorate(str(value)).pcode)
        except DataError:
            continue
    if not known:
        return ""
    return (" (these look like names or COSIT codes: convert them with "
            "'codes: governorate' in a mapping file, see parameters/surveys/README.md)")


def _translate(errors: SchemaErrors, schema: pa.DataFrameSchema, report: _Report,
               skip: Mapping[str, np.ndarray], present: Sequence[str]) -> None:
    """Turn pandera's failure cases into report lines, one per (column, check)."""
    cases = errors.failure_cases
    missing = cases.loc[cases["check"] == "column_in_dataframe", "failure_case"].tolist()
    if missing:
        named = [f"{m} ({report.origins[m]})" if m in report.origins else str(m) for m in missing]
        report.lines.insert(
            report.first,
            f"missing required {'column' if len(missing) == 1 else 'columns'}: {', '.join(named)}; "
            f"columns present: {first_ids(present, k=40) or 'none'}")
    cases = cases[cases["check"] != "column_in_dataframe"]
    for (column, check, number), group in cases.groupby(
            ["column", "check", "check_number"], dropna=False, sort=False):
        rows = pd.to_numeric(group["index"], errors="coerce").dropna().astype(int).to_numpy()
        if check == "multiple_fields_uniqueness":
            values = pd.unique(group["failure_case"])
            report.add(column, "duplicate household id (hhid must be unique)", rows,
                       tail=f"; {_plural(len(values), 'id')} repeated")
        elif check == "not_nullable":
            rows = rows[~skip[column][rows]]  # already reported as a wrong type
            if len(rows):
                report.add(column, "missing values (NaN), which the model does not allow here",
                           rows)
        else:
            rule = schema.columns[column].metadata["rules"][int(number)]
            found = pd.unique(group["failure_case"])
            tail = ""
            if column == "governorate":
                valid = ", ".join(f"{g.pcode} {g.name_en}" for g in governorates())
                tail = f"{_governorate_hint(found)}; valid P-codes: {valid}"
            report.add(column, rule, rows, found=found, tail=tail)


def _cross_checks(frame: pd.DataFrame, report: _Report) -> None:
    """Rules that involve two columns, vectorised with groupby."""
    if {"psu", "stratum"} <= set(frame.columns):
        spans = frame.groupby("psu", dropna=True)["stratum"].transform("nunique").to_numpy()
        rows = np.flatnonzero(np.nan_to_num(spans.astype(float)) > 1)
        if rows.size:
            psus = pd.unique(frame["psu"].iloc[rows])
            report.add("psu", "a PSU must lie in one stratum", rows,
                       tail=f"; PSUs in several strata: {first_ids(psus)}")
    if {"food_pc", "consumption_pc"} <= set(frame.columns):
        food, total = frame["food_pc"].to_numpy(), frame["consumption_pc"].to_numpy()
        with np.errstate(invalid="ignore"):  # NaN compares False; reported elsewhere
            rows = np.flatnonzero((food > total) & (total >= 0))
        if rows.size:
            report.add("food_pc", "must be <= consumption_pc (food is part of consumption)", rows)


def _warn_lonely(frame: pd.DataFrame, source: str, lonely_psu: LonelyPSU) -> None:
    n_psu = frame.groupby("stratum", dropna=True)["psu"].nunique()
    lonely = n_psu.index[n_psu.to_numpy() == 1].tolist()
    if not lonely:
        return
    effect = {
        "fail": "the survey design will refuse variance estimates until you choose 'centre' or "
                "'merge' (mapping key lonely_psu, or load_survey(..., lonely_psu=...))",
        "centre": "the survey design will centre their PSU totals at the overall PSU mean "
                  "(R survey.lonely.psu='adjust')",
        "merge": "the survey design will merge each with the next stratum",
    }[lonely_psu]
    warn(f"{source}: {_plural(len(lonely), 'stratum', 'strata')} with a single PSU "
         f"({first_ids(lonely)}); policy lonely_psu='{lonely_psu}': {effect}.")


def _finalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical dtypes and order; ints and bools without missing values become numpy types."""
    out = {}
    for col in SURVEY.columns:
        if col.name not in frame:
            continue
        values = frame[col.name]
        if col.dtype == "category":
            values = pd.Series(pd.Categorical(values, categories=list(col.values)),
                               index=frame.index)
        elif col.dtype in ("int", "bool") and not values.isna().any():
            values = values.astype("int64" if col.dtype == "int" else bool)
        out[col.name] = values
    extra = [c for c in frame.columns if c not in out]
    result = pd.concat([pd.DataFrame(out, index=frame.index), frame[extra]], axis=1)
    result.attrs = dict(frame.attrs)
    return result


def check_survey(
    df: pd.DataFrame,
    *,
    source: str,
    lonely_psu: LonelyPSU = "fail",
    origins: Mapping[str, str] | None = None,
    file_columns: Sequence[str] | None = None,
    problems: Sequence[str] = (),
    hint: str = "Fix them in the source file; it was not changed.",
) -> pd.DataFrame:
    """Validate ``df`` and return the canonical frame; the engine of :func:`validate_survey`.

    Parameters
    ----------
    origins : mapping, optional
        Where each canonical column came from (``"from 'q0105'"``), shown in messages.
    file_columns : sequence of str, optional
        The columns of the source file, listed when required columns are missing.
    problems : sequence of str
        Lines already found by the mapping step, reported with the others.
    hint : str
        The last line of the report: how to fix the problems.
    """
    check_lonely_psu(lonely_psu)
    origins = origins or {}
    frame = df.copy(deep=False)  # shares the data; the caller's frame is never modified
    frame.index = pd.RangeIndex(len(frame))
    report = _Report(frame, origins)
    report.lines.extend(problems)
    report.first = len(report.lines)  # where the missing-columns line goes
    if len(frame) == 0:
        report.lines.append("the table has no rows (0 households): is it the right file or sheet?")
    skip: dict[str, np.ndarray] = {}
    typed: dict[str, pd.Series] = {}
    for col in SURVEY.columns:
        if col.name not in frame:
            continue
        typed[col.name], bad = _coerce(frame[col.name], col.dtype)
        skip[col.name] = bad
        if bad.any():
            report.add(col.name, _TYPE_RULE[col.dtype], np.flatnonzero(bad),
                       found=pd.unique(frame[col.name].to_numpy()[bad]))
    frame = frame.assign(**typed)
    report.frame = frame
    schema = survey_schema()
    try:
        with warnings.catch_warnings():  # pandera's own pandas deprecation noise
            warnings.filterwarnings("ignore", category=FutureWarning, module="pandera")
            schema.validate(frame, lazy=True, inplace=True)
    except SchemaErrors as errors:
        _translate(errors, schema, report, skip, file_columns or list(df.columns))
    _cross_checks(frame, report)
    report.raise_if_any(source, hint)
    if {"stratum", "psu"} <= set(frame.columns):
        _warn_lonely(frame, source, lonely_psu)
    out = _finalise(frame)
    out.index = df.index
    out.attrs.update(source=source, lonely_psu=lonely_psu)
    return out


def validate_survey(df: pd.DataFrame, source: str = "<frame>", *,
                    lonely_psu: LonelyPSU = "fail") -> pd.DataFrame:
    """Check a survey frame against the canonical model and return it with canonical dtypes.

    Every broken rule is collected, then raised together as one
    :class:`~workbench.errors.DataError`, one line per rule. The input frame is
    not modified.

    Parameters
    ----------
    df : DataFrame
        A frame with the canonical column names (see ``docs/data.md``).
    source : str
        Name shown in messages, usually the file name.
    lonely_psu : {"fail", "centre", "merge"}
        Policy the survey design will apply to strata with a single PSU; only
        reported here, in a :class:`~workbench.errors.DataWarning`.

    Returns
    -------
    DataFrame
        Canonical columns in canonical order (categories as ``Categorical``,
        required integers as ``int64``), then any extra columns unchanged.
        ``attrs`` gains ``source`` and ``lonely_psu``.

    Raises
    ------
    DataError
        Listing every broken rule: the column, the rule, how many rows break it
        and the first household ids.

    Examples
    --------
    >>> bad = pd.DataFrame({"hhid": [1, 2], "weight": [1.0, -3.0]})
    >>> validate_survey(bad, "mini.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workbench.errors.DataError: mini.csv: 2 problems with the survey table, one per rule:
      - missing required columns: year, governorate, ...
      - column 'weight': must be > 0; broken by 1 row (first hhids: 2; found: -3)
    Fix them in the source file; it was not changed.
    """
    return check_survey(df, source=source, lonely_psu=lonely_psu)
