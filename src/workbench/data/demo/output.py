"""Writing the demo data: canonical Arrow schemas, atomic and reproducible files.

- Columns are typed from :mod:`workbench.data.model`: ``int`` as int64,
  ``float`` as float64, ``bool``, ``str`` as string, ``category`` as a
  dictionary with the model's values in order (pandas reads it back as an
  ordered-by-declaration categorical).
- Every file's schema metadata says ``synthetic=true`` and names the table,
  the generator and the seed. Nothing in a file depends on the clock, so the
  same seed gives the same bytes.
- A file is written to a temporary name in its directory and moved into place
  with :func:`os.replace`, so a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from workbench.data.model import Table
from workbench.files import atomic_path

__all__ = [
    "arrow_table",
    "atomic_path",
    "schema",
    "sha256",
    "write_json",
    "write_parquet",
    "write_parquet_chunks",
]

_TYPES = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "str": pa.string()}
_PARQUET = {"compression": "zstd", "compression_level": 3, "write_statistics": True}


def schema(table: Table, metadata: Mapping[str, str]) -> pa.Schema:
    """The Arrow schema of a canonical table, with ``metadata`` attached.

    Examples
    --------
    >>> from workbench.data.model import CPI
    >>> schema(CPI, {"synthetic": "true"}).field("status").type
    DictionaryType(dictionary<values=string, indices=int8, ordered=0>)
    """
    fields = []
    for c in table.columns:
        kind = pa.dictionary(pa.int8(), pa.string()) if c.dtype == "category" else _TYPES[c.dtype]
        fields.append(pa.field(c.name, kind, nullable=c.nullable))
    return pa.schema(fields, metadata={k: str(v) for k, v in metadata.items()})


def _array(values: np.ndarray, kind: pa.DataType, levels: tuple[str, ...] | None) -> pa.Array:
    if levels is not None:
        return pa.DictionaryArray.from_arrays(pa.array(np.asarray(values, dtype=np.int8)),
                                              pa.array(list(levels), pa.string()))
    values = np.asarray(values)
    if values.dtype.kind == "f" and kind == pa.int64():  # nullable integers come as float + NaN
        missing = np.isnan(values)
        return pa.array(np.where(missing, 0, values).astype(np.int64), type=kind, mask=missing)
    if values.dtype.kind == "f" and kind == pa.float64():
        missing = np.isnan(values)
        return pa.array(values, type=kind, mask=missing if missing.any() else None)
    return pa.array(values, type=kind)


def arrow_table(table: Table, columns: Mapping[str, np.ndarray], metadata: Mapping[str, str]) -> pa.Table:
    """Build the Arrow table of a canonical table from numpy columns.

    Category columns are integer codes into the model's values; nullable
    integer columns may come as floats with NaN for missing.

    Raises
    ------
    ValueError
        The columns are not exactly the table's (a bug in the generator).
    """
    if set(columns) != set(table.names):
        raise ValueError(f"{table.name}: columns differ from the model: missing "
                         f"{sorted(set(table.names) - set(columns))}, extra "
                         f"{sorted(set(columns) - set(table.names))}")
    sch = schema(table, metadata)
    arrays = [_array(columns[c.name], sch.field(c.name).type,
                     c.values if c.dtype == "category" else None) for c in table.columns]
    return pa.Table.from_arrays(arrays, schema=sch)


def write_parquet(path: Path, data: pa.Table, *, row_group_size: int = 1 << 20) -> None:
    """Write one Parquet file atomically."""
    with atomic_path(path) as tmp:
        pq.write_table(data, tmp, row_group_size=row_group_size, **_PARQUET)


def write_parquet_chunks(path: Path, sch: pa.Schema, chunks: Iterable[pa.Table]) -> int:
    """Write chunks as the row groups of one Parquet file, atomically; return the row count.

    Only one chunk is in memory at a time.
    """
    rows = 0
    with atomic_path(path) as tmp, pq.ParquetWriter(tmp, sch, **_PARQUET) as writer:
        for chunk in chunks:
            writer.write_table(chunk, row_group_size=max(chunk.num_rows, 1))
            rows += chunk.num_rows
    return rows


def write_json(path: Path, obj: Any) -> None:
    """Write JSON atomically, with sorted keys (stable bytes)."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                       encoding="utf-8")


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
