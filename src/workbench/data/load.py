"""Reading survey files: CSV, Parquet, Stata ``.dta`` and SPSS ``.sav``.

:func:`read_table` returns a file's raw frame. It first checks that the content
is what the extension says (a CSV renamed ``.parquet``, a ``.dta`` that is
really text, an empty file all get a clear :class:`~workbench.errors.DataError`).
:func:`load_survey` reads, maps (:mod:`workbench.data.mapping`) and validates
(:mod:`workbench.data.validate`) a household survey round.

Stata and SPSS files are read with pyreadstat rather than pandas: one reader
for both formats (old and new Stata versions, compressed ``.zsav``), it
returns user-defined and extended missing values as NaN, reads only the
columns a mapping needs, and keeps the value labels (``1 = "Urban"``) that a
mapping can use (``labels: true``). pandas reads ``.dta`` too, but reads
``.sav`` only through pyreadstat.

Files are only ever opened for reading.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyreadstat

from workbench.data.mapping import SurveyMapping, apply_mapping, load_mapping
from workbench.data.validate import LonelyPSU, check_lonely_psu, check_survey
from workbench.errors import DataError, warn

__all__ = ["FORMATS", "load_survey", "read_table", "sniff"]

# Extension -> format name; each format name is also what sniff() returns.
FORMATS: dict[str, str] = {
    ".csv": "CSV text", ".parquet": "Parquet", ".pq": "Parquet",
    ".dta": "Stata .dta", ".sav": "SPSS .sav", ".zsav": "SPSS .sav",
}

# Metadata that pyarrow and pandas write for themselves, not the file's own.
_ARROW_KEYS = frozenset({b"pandas", b"ARROW:schema", b"PANDAS_ATTRS"})

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PAR1", "Parquet"),
    (b"<stata_dta>", "Stata .dta"),
    (b"$FL2", "SPSS .sav"),
    (b"$FL3", "SPSS .sav"),
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx or a zipped file?)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (Excel .xls?)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"%PDF", "a PDF document"),
    (b"SQLite format 3", "an SQLite database"),
)


def sniff(head: bytes) -> str:
    """Name the format of a file from its first bytes.

    Returns one of the :data:`FORMATS` names, or a description of what else it
    looks like.

    Examples
    --------
    >>> sniff(b"PAR1\\x15\\x04")
    'Parquet'
    >>> sniff(b"hhid,weight\\n1,2.5\\n")
    'CSV text'
    >>> sniff(b"<!DOCTYPE html><html>")
    'an HTML page (a download error page?)'
    """
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    # Stata 104-115: version byte, byte order (1 or 2), file type 1, then 0.
    if len(head) >= 4 and 104 <= head[0] <= 115 and head[1] in (1, 2) and head[2] == 1:
        return "Stata .dta"
    if b"\x00" in head:
        return "binary data of an unknown format"
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n").lower()
    if text.startswith(("<!doctype html", "<html")):
        return "an HTML page (a download error page?)"
    if text.startswith(("{", "[")):
        return "JSON text"
    return "CSV text"


def _first_line(head: bytes) -> str:
    line = head.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()[0][:60]
    return f" starting {line!r}" if line else ""


def _check_content(path: Path) -> str:
    """The file's format from its extension, after checking the content agrees."""
    if not path.exists():
        raise DataError(f"{path}: file not found")
    if not path.is_file():
        raise DataError(f"{path}: not a file")
    expected = FORMATS.get(path.suffix.lower())
    if expected is None:
        raise DataError(f"{path.name}: unsupported file type {path.suffix!r}; "
                        f"use {', '.join(sorted(FORMATS))}")
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head:
        raise DataError(f"{path.name}: the file is empty (0 bytes); expected {expected}")
    found = sniff(head)
    if found != expected:
        shown = _first_line(head) if found in ("CSV text", "JSON text") else ""
        raise DataError(f"{path.name}: the extension {path.suffix!r} says {expected}, but the "
                        f"content looks like {found}{shown}. Export the file again, or give it "
                        "the extension of what it is.")
    return expected


def _read_csv(path: Path, columns: Sequence[str] | None) -> pd.DataFrame:
    names = pd.read_csv(path, nrows=0, encoding="utf-8-sig", encoding_errors="replace").columns
    usecols = [c for c in names if c in set(columns)] if columns is not None else None
    try:
        frame = pd.read_csv(path, usecols=usecols, encoding="utf-8-sig", low_memory=False)
    except UnicodeDecodeError:
        # Arabic Windows exports are often in code page 1256 rather than UTF-8.
        frame = pd.read_csv(path, usecols=usecols, encoding="cp1256", low_memory=False)
        warn(f"{path.name}: not UTF-8; read as Windows-1256 (Arabic). Check the Arabic text.")
    frame.attrs["file_columns"] = list(names)
    return frame


def _file_metadata(schema: pa.Schema) -> dict[str, object]:
    """A Parquet file's own key-value metadata (``synthetic=true``); "true", "false" as bools."""
    values = {k.decode(errors="replace"): v.decode(errors="replace")
              for k, v in (schema.metadata or {}).items() if k not in _ARROW_KEYS}
    return {k: {"true": True, "false": False}.get(v, v) for k, v in values.items()}


def _read_parquet(path: Path, columns: Sequence[str] | None) -> pd.DataFrame:
    schema = pq.read_schema(path)
    usecols = [c for c in schema.names if c in set(columns)] if columns is not None else None
    frame = pd.read_parquet(path, columns=usecols)
    frame.attrs = {**_file_metadata(schema), **frame.attrs,
                   "file_columns": [n for n in schema.names if n != "__index_level_0__"]}
    return frame


def _read_stat(path: Path, columns: Sequence[str] | None) -> pd.DataFrame:
    reader = pyreadstat.read_dta if path.suffix.lower() == ".dta" else pyreadstat.read_sav
    _, every = reader(path, metadataonly=True)
    usecols = [c for c in every.column_names if c in set(columns)] if columns is not None else None
    frame, meta = reader(path, usecols=usecols)
    frame.attrs.update(
        file_columns=list(every.column_names),
        value_labels=meta.variable_value_labels,
        column_labels=dict(zip(meta.column_names, meta.column_labels, strict=True)),
    )
    return frame


_READERS = {"CSV text": _read_csv, "Parquet": _read_parquet,
            "Stata .dta": _read_stat, "SPSS .sav": _read_stat}


def read_table(
    path: str | os.PathLike[str], *, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Read a CSV, Parquet, Stata or SPSS file as it is, choosing the reader by extension.

    Parameters
    ----------
    path : path-like
        ``.csv`` (UTF-8, or Windows-1256 with a warning), ``.parquet``/``.pq``,
        ``.dta``, ``.sav``/``.zsav``.
    columns : sequence of str, optional
        Read only these columns (all by default). Names absent from the file
        are skipped, so that the caller can report them with other problems;
        ``attrs["file_columns"]`` lists every column of the file.

    Returns
    -------
    DataFrame
        With ``attrs["file_columns"]``; for Parquet files the file's own
        key-value metadata (``attrs["synthetic"] is True`` for the demo data);
        for .dta and .sav files
        ``attrs["value_labels"]`` (column -> {code: label}) and
        ``attrs["column_labels"]``.

    Raises
    ------
    DataError
        If the file is missing, empty, not what its extension says, or cannot
        be parsed.

    Examples
    --------
    >>> read_table("survey.xlsx")  # doctest: +SKIP
    DataError: survey.xlsx: unsupported file type '.xlsx'; use .csv, .dta, .parquet, ...
    """
    path = Path(path)
    kind = _check_content(path)
    try:
        return _READERS[kind](path, columns)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, pyreadstat.ReadstatError,
            OSError, ValueError) as exc:
        raise DataError(f"{path.name}: cannot be read as {kind}: {exc}") from None


def load_survey(
    path: str | os.PathLike[str],
    mapping: str | os.PathLike[str] | SurveyMapping | None = None,
    *,
    lonely_psu: LonelyPSU | None = None,
) -> pd.DataFrame:
    """Read a household survey round, map it to the canonical model and validate it.

    Parameters
    ----------
    path : path-like
        A CSV, Parquet, Stata ``.dta`` or SPSS ``.sav`` file. It is only read.
    mapping : str, path-like or SurveyMapping, optional
        The survey's mapping: a name in ``parameters/surveys/`` (``"ihses2012"``),
        a path to a YAML file, or a loaded mapping. None when the file already
        has canonical names and codes (the demo data's Parquet files).
    lonely_psu : {"fail", "centre", "merge"}, optional
        Policy for strata with a single PSU, applied later by the survey design
        and reported here in a :class:`~workbench.errors.DataWarning`. Default:
        the mapping's ``lonely_psu``, else ``"fail"``.

    Returns
    -------
    DataFrame
        The canonical survey table (see :func:`~workbench.data.validate.validate_survey`),
        with ``attrs`` ``source`` (file name), ``lonely_psu`` and, with a
        mapping, ``mapping`` (its survey name).

    Raises
    ------
    DataError
        One report listing every broken rule (column, rule, count, first hhids).
    ParameterError
        If the mapping is missing or malformed, or ``lonely_psu`` is not a policy.

    Examples
    --------
    >>> survey = load_survey("data/demo/survey_2018.parquet")  # doctest: +SKIP
    >>> raw = load_survey("IHSES2012_hh.sav", "ihses2012", lonely_psu="centre")  # doctest: +SKIP
    """
    path = Path(path)
    spec = load_mapping(mapping) if mapping is not None else None
    policy = check_lonely_psu(lonely_psu or (spec.lonely_psu if spec else "fail"))
    raw = read_table(path, columns=spec.source_columns if spec else None)
    file_columns = raw.attrs.get("file_columns", list(raw.columns))
    if spec is None:
        survey = check_survey(raw, source=path.name, lonely_psu=policy, file_columns=file_columns)
        survey.attrs = {k: v for k, v in survey.attrs.items()
                        if k not in ("value_labels", "column_labels", "file_columns")}
        return survey
    mapped = apply_mapping(raw, spec)
    survey = check_survey(
        mapped.frame, source=path.name, lonely_psu=policy, origins=mapped.origins,
        file_columns=file_columns, problems=mapped.problems,
        hint=f"Fix them in the source file or in the mapping {spec.label}; "
             "the source file was not changed.",
    )
    survey.attrs["mapping"] = spec.survey
    return survey

