"""Atomic file writes: a reader never sees half a file, a failure leaves the old one.

Every output of the workbench (demo data, batch results, published pages and
PDFs, figure images, sidecars) is written to a temporary name in its own folder
and moved into place with :func:`os.replace`, which is atomic on one file system.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     path = write_atomic(Path(d, "sub", "a.txt"), "hello")
...     path.read_text(), sorted(p.name for p in path.parent.iterdir())
('hello', ['a.txt'])
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_path", "write_atomic"]


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it when the block succeeds.

    The folder is created if needed. The temporary name is unique per process
    and call (threads of one process may write beside each other), and it is
    removed if the block fails.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     target = Path(d, "b.txt")
    ...     try:
    ...         with atomic_path(target) as tmp:
    ...             _ = tmp.write_text("half")
    ...             raise RuntimeError("interrupted")
    ...     except RuntimeError:
    ...         pass
    ...     target.exists(), list(Path(d).iterdir())
    (False, [])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: str | os.PathLike[str], content: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to ``path`` atomically; return the path."""
    with atomic_path(path) as tmp:
        if isinstance(content, bytes):
            tmp.write_bytes(content)
        else:
            tmp.write_text(content, encoding="utf-8")
    return Path(path)
