"""Mapping a survey's own variable names and codes to the canonical model.

A mapping is a YAML file in ``parameters/surveys/`` (format in that folder's
README.md). It says, for each canonical column, where its values come from: a
source column (or several, joined into a key), a constant, value codes, value
labels, a divisor (household total to per-capita) and a scale.

Examples
--------
>>> spec = SurveyMapping.model_validate({
...     "survey": "mini",
...     "columns": {"hhid": "id", "area": {"from": "urb", "codes": {1: "urban", 2: "rural"}},
...                 "year": {"value": 2012}}})
>>> raw = pd.DataFrame({"id": [7, 8], "urb": [2, 1]})
>>> mapped = apply_mapping(raw, spec)
>>> mapped.frame.to_dict("list")
{'hhid': [7, 8], 'year': [2012, 2012], 'area': ['rural', 'urban']}
>>> mapped.origins["area"]
"from 'urb'"
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from workbench.data.model import SURVEY
from workbench.data.validate import LonelyPSU, as_text, map_distinct
from workbench.errors import DataError, ParameterError, first_ids
from workbench.geography import governorate

__all__ = [
    "ColumnSpec",
    "Mapped",
    "SurveyMapping",
    "apply_mapping",
    "load_mapping",
    "mapping_dirs",
]

Scalar = str | int | float | bool


def _code_key(value: Hashable) -> Hashable:
    """Key under which a code matches: numbers as floats, text stripped and case-folded.

    So the YAML key ``1`` matches ``1``, ``1.0`` (Stata, SPSS) and ``"1"`` (CSV text).
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.number):
        return float(value)
    text = str(value).strip().casefold()
    try:
        return float(text)
    except ValueError:
        return text


class ColumnSpec(BaseModel):
    """Where one canonical column comes from.

    Attributes
    ----------
    from_ : str or list of str, optional
        Source column (YAML key ``from``). A list builds a key from several
        columns: joined with ``-`` for text columns, or concatenated as
        zero-padded digits (``widths``) for integer columns.
    value : scalar, optional
        A constant for every row (``year: {value: 2012}``).
    widths : list of int, optional
        Digits of each part of an integer key built from several columns.
    missing : list
        Source codes that mean "missing" (98, 99, ...), set to NaN first.
    labels : bool
        Replace codes by the file's value labels (.sav, .dta) before ``codes``;
        codes without a label, or files without labels, keep their codes.
    codes : mapping or "governorate", optional
        Source value -> canonical value (null for missing). ``governorate``
        resolves P-codes, ISO codes, COSIT codes 11-33 and English or Arabic
        names in any common spelling through :mod:`workbench.geography`.
    divide_by : str, optional
        Source column to divide by (household total / household size).
    scale : float, optional
        Multiplier, e.g. ``1/12`` for annual to monthly (YAML accepts ``"1/12"``).
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    from_: str | list[str] | None = Field(None, alias="from")
    value: Scalar | None = None
    widths: list[int] | None = None
    missing: list[Scalar] = []
    labels: bool = False
    codes: dict[Scalar, Scalar | None] | Literal["governorate"] | None = None
    divide_by: str | None = None
    scale: float | None = None

    @field_validator("scale", mode="before")
    @classmethod
    def _fraction(cls, v: Any) -> Any:
        if isinstance(v, str) and "/" in v:
            num, den = v.split("/", 1)
            return float(num) / float(den)
        return v

    @model_validator(mode="after")
    def _one_source(self) -> ColumnSpec:
        if (self.from_ is None) == (self.value is None):
            raise ValueError("give exactly one of 'from' (a source column) or 'value' (a constant)")
        if self.widths is not None and not (isinstance(self.from_, list)
                                            and len(self.widths) == len(self.from_)):
            raise ValueError("'widths' needs 'from' to be a list of the same length")
        return self

    @property
    def sources(self) -> list[str]:
        """Source columns this spec reads."""
        parts = self.from_ if isinstance(self.from_, list) else [self.from_] if self.from_ else []
        return parts + ([self.divide_by] if self.divide_by else [])

    def describe(self) -> str:
        """Where the column comes from, for messages."""
        if self.value is not None:
            return f"constant {self.value!r}"
        src = " + ".join(f"'{s}'" for s in self.sources[: len(self.sources) - bool(self.divide_by)])
        return f"from {src}" + (f" / '{self.divide_by}'" if self.divide_by else "")


class SurveyMapping(BaseModel):
    """A survey's mapping file: metadata and one :class:`ColumnSpec` per canonical column."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    survey: str
    description: str = ""
    source: str = ""
    lonely_psu: LonelyPSU = "fail"
    keep: list[str] = []
    columns: dict[str, ColumnSpec]
    path: Path | None = None

    @field_validator("columns", mode="before")
    @classmethod
    def _short_form(cls, v: Any) -> Any:
        if isinstance(v, Mapping):
            return {k: {"from": s} if isinstance(s, str) else s for k, s in v.items()}
        return v

    @model_validator(mode="after")
    def _canonical_names(self) -> SurveyMapping:
        unknown = [c for c in self.columns if c not in SURVEY.names]
        if unknown:
            raise ValueError(f"not canonical survey columns: {', '.join(unknown)}; "
                             f"valid: {', '.join(SURVEY.names)}")
        for name, spec in self.columns.items():
            if (isinstance(spec.from_, list) and SURVEY.column(name).dtype == "int"
                    and spec.widths is None):
                raise ValueError(f"'{name}' is an integer built from several columns: "
                                 "give 'widths' (digits of each part)")
        return self

    @property
    def source_columns(self) -> list[str]:
        """Every source column the mapping reads, in order, without repeats."""
        names = [s for spec in self.columns.values() for s in spec.sources] + self.keep
        return list(dict.fromkeys(names))

    @property
    def label(self) -> str:
        """How messages name the mapping: its file path, or its survey name."""
        return str(self.path) if self.path else f"mapping {self.survey!r}"


def mapping_dirs() -> list[Path]:
    """Folders searched for a mapping given by name, in order.

    ``$WORKBENCH_PARAMETERS/surveys`` if that variable is set, then
    ``parameters/surveys`` under the current directory, then under the source
    tree this package was installed from (an editable install).
    """
    env = os.environ.get("WORKBENCH_PARAMETERS")
    roots = [Path(env)] if env else []
    roots += [Path.cwd() / "parameters", Path(__file__).resolve().parents[3] / "parameters"]
    return list(dict.fromkeys(r / "surveys" for r in roots))


def _find(name: str) -> Path:
    looks_like_path = any(sep in name for sep in "/\\") or name.endswith((".yaml", ".yml"))
    if looks_like_path:
        return Path(name)
    for folder in mapping_dirs():
        if (folder / f"{name}.yaml").is_file():
            return folder / f"{name}.yaml"
    known = sorted({p.stem for d in mapping_dirs() if d.is_dir() for p in d.glob("*.yaml")})
    raise ParameterError(f"no survey mapping named {name!r} in "
                         f"{', '.join(map(str, mapping_dirs()))}; "
                         f"known: {', '.join(known) or 'none'}")


def load_mapping(mapping: str | os.PathLike[str] | SurveyMapping) -> SurveyMapping:
    """Read and check a mapping given by name (``"ihses2012"``), path, or as an object.

    Raises
    ------
    ParameterError
        If the file is missing, is not YAML, or breaks the mapping format.

    Examples
    --------
    >>> load_mapping("ihses2012").columns["area"].codes
    {1: 'urban', 2: 'rural'}
    """
    if isinstance(mapping, SurveyMapping):
        return mapping
    path = _find(str(mapping)) if isinstance(mapping, str) else Path(mapping)
    if not path.is_file():
        raise ParameterError(f"{path}: survey mapping file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ParameterError(f"{path}: expected a mapping with keys survey, columns, ...")
    try:
        return SurveyMapping.model_validate({**raw, "path": path})
    except ValidationError as exc:
        lines = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise ParameterError(f"{path}: {len(lines)} problem(s): " + "; ".join(lines)) from None


@dataclass
class Mapped:
    """The result of :func:`apply_mapping`.

    Attributes
    ----------
    frame : DataFrame
        Canonical column names and values (types are checked by validation).
    origins : dict
        Canonical column -> where it came from, for messages.
    problems : list of str
        Mapping problems (optional columns' sources absent, keys too wide), one line each.
    """

    frame: pd.DataFrame
    origins: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _key(parts: list[pd.Series], widths: list[int] | None) -> tuple[pd.Series, np.ndarray]:
    """A key from several columns; returns it and the rows where a part is too wide."""
    text = [as_text(p) for p in parts]
    if widths is None:
        out = text[0]
        for t in text[1:]:
            out = out + "-" + t
        return out, np.zeros(len(out), dtype=bool)
    too_wide = np.zeros(len(text[0]), dtype=bool)
    for t, w in zip(text, widths, strict=True):
        too_wide |= (t.str.len() > w).fillna(False).to_numpy()
    out = text[0].str.zfill(widths[0])
    for t, w in zip(text[1:], widths[1:], strict=True):
        out = out + t.str.zfill(w)
    return out, too_wide


def _recode(values: pd.Series, spec: ColumnSpec, labels: Mapping[Any, str] | None) -> pd.Series:
    """Apply missing codes, value labels and codes; unmatched values pass through unchanged."""
    if spec.missing:
        miss = {_code_key(m) for m in spec.missing}
        values = values.where(~map_distinct(values, lambda v: _code_key(v) in miss).fillna(False)
                              .astype(bool))
    if labels is not None:
        by_key = {_code_key(k): v for k, v in labels.items()}
        values = map_distinct(values, lambda v: by_key.get(_code_key(v), v))
    if spec.codes == "governorate":
        def resolve(v: Hashable) -> object:
            key = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
            try:
                return governorate(key).pcode
            except DataError:
                return key  # left for validation, which lists the valid governorates
        return map_distinct(values, resolve)
    if spec.codes is not None:
        table = {_code_key(k): v for k, v in spec.codes.items()}
        sentinel = object()

        def recode(v: Hashable) -> object:
            got = table.get(_code_key(v), sentinel)
            return v if got is sentinel else (np.nan if got is None else got)
        return map_distinct(values, recode)
    return values


def _derive(values: pd.Series, divisor: pd.Series | None, scale: float | None) -> pd.Series:
    """``values * scale / divisor``; text that is not a number stays, for validation to report."""
    number = pd.to_numeric(values, errors="coerce")
    result = number * (scale if scale is not None else 1.0)
    if divisor is not None:
        result = result / pd.to_numeric(divisor, errors="coerce")
    not_a_number = number.isna() & values.notna()
    return result.astype(object).where(~not_a_number, values) if not_a_number.any() else result


def apply_mapping(raw: pd.DataFrame, spec: SurveyMapping) -> Mapped:
    """Rename, recode and derive the canonical columns of ``raw`` as ``spec`` says.

    Values that a code list does not cover pass through unchanged, so that
    validation reports them with the allowed set; source columns absent from
    ``raw`` are reported in :attr:`Mapped.problems`, all at once.

    Parameters
    ----------
    raw : DataFrame
        The file as read; ``raw.attrs["value_labels"]`` holds the value labels
        of .sav and .dta files (see :func:`workbench.data.read_table`).
    spec : SurveyMapping
    """
    out: dict[str, pd.Series | Scalar] = {}
    mapped = Mapped(pd.DataFrame(index=raw.index))
    value_labels = raw.attrs.get("value_labels", {})
    absent: dict[str, list[str]] = {}
    for name in SURVEY.names:
        if name not in spec.columns:
            continue
        col = spec.columns[name]
        mapped.origins[name] = col.describe()
        if col.value is not None:
            out[name] = col.value
            continue
        lost = [s for s in col.sources if s not in raw.columns]
        if lost:
            mapped.origins[name] += f"; not in the file: {', '.join(map(repr, lost))}"
            if not SURVEY.column(name).required:  # required ones are reported by validation
                absent[name] = lost
            continue
        parts = [raw[s] for s in (col.from_ if isinstance(col.from_, list) else [col.from_])]
        if len(parts) > 1:
            values, too_wide = _key(parts, col.widths)
            if too_wide.any():
                mapped.problems.append(
                    f"column '{name}' ({col.describe()}): a part is longer than its width "
                    f"{col.widths}; {too_wide.sum():,} rows (first rows: "
                    f"{first_ids(np.flatnonzero(too_wide)[:6] + 1)})")
        else:
            values = parts[0]
        labels = value_labels.get(col.from_) if col.labels else None
        values = _recode(values, col, labels)
        if col.divide_by or col.scale is not None:
            values = _derive(values, raw[col.divide_by] if col.divide_by else None, col.scale)
        out[name] = values
    if absent:
        listed = "; ".join(f"{c} needs {', '.join(map(repr, s))}" for c, s in absent.items())
        mapped.problems.append(f"optional columns mapped in {spec.label} from source columns "
                               f"that are not in the file: {listed}; the file has: "
                               f"{first_ids(raw.attrs.get('file_columns', raw.columns), k=40)}")
    lost_keep = [k for k in spec.keep if k not in raw.columns]
    if lost_keep:
        mapped.problems.append(f"'keep' in {spec.label} names columns not in the file: "
                               f"{', '.join(lost_keep)}")
    kept = {k: raw[k] for k in spec.keep if k in raw.columns and k not in out}
    mapped.frame = pd.DataFrame({**out, **kept}, index=raw.index)
    mapped.frame.attrs = {k: v for k, v in raw.attrs.items()
                          if k not in ("value_labels", "column_labels", "file_columns")}
    return mapped

