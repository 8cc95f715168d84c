"""Content hashes of everything a run depends on, for incremental batches.

A run is up to date when the hashes of its notebook file, its parameters, the
data files it declares in ``reads``, and the package (its version and a hash of the
modules the notebook imports, :mod:`workbench.batch.imports`) all equal those of its
last successful run. Hashes are of content, not
of modification times, so touching a file or copying the tree changes nothing.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     p = Path(d, "a.txt"); _ = p.write_text("abc")
...     sha256_file(p)[:12]
'ba7816bf8f01'
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from workbench.batch import imports
from workbench.batch.plan import Run

__all__ = ["MISSING", "input_hash", "package_fingerprint", "run_inputs", "sha256_file"]

MISSING = "missing"
"""The hash recorded for a declared input that does not exist (yet)."""

def sha256_file(path: str | os.PathLike[str], *, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks (bounded memory)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


KERNEL_CODE = "import workbench.batch.isolation"
"""What the batch itself runs in every kernel (see :mod:`workbench.batch.kernel`)."""


@cache
def package_fingerprint(code: str = f"import {imports.PACKAGE}") -> str:
    """``<version>+<hash of the package source that code depends on>``, memoized.

    Only the modules that ``code`` imports, transitively, with their packages'
    ``__init__`` files and data files, are hashed (:mod:`workbench.batch.imports`),
    so editing e.g. the dashboards does not put the reports out of date.

    Parameters
    ----------
    code : str, optional
        Python source, usually a notebook's code cells and the batch's warm-up;
        by default the package's top-level import.
    """
    import workbench

    root = Path(workbench.__file__).parent
    return f"{workbench.__version__}+{imports.source_fingerprint(code, root)}"


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def run_inputs(run: Run, root: Path, memo: dict[Path, str] | None = None, *,
               warmup: str = "") -> dict[str, str]:
    """Hashes of a run's inputs: notebook, declared reads and the package code it uses.

    Parameters
    ----------
    run : Run
    root : Path
        Project root; paths in the result are relative to it where possible.
    memo : dict, optional
        Path to hash cache shared across the runs of a batch (many runs read
        the same survey file).
    warmup : str, optional
        The batch file's warm-up code, run in the kernel before the notebook.

    Returns
    -------
    dict of str to str
        ``{"notebook:<path>": sha, "<data path>": sha or "missing", "package": fingerprint}``.
        A glob that matches nothing is recorded as ``"<pattern>": "missing"``.
    """
    memo = {} if memo is None else memo

    def digest(path: Path) -> str:
        if path not in memo:
            memo[path] = sha256_file(path) if path.is_file() else MISSING
        return memo[path]

    out = {f"notebook:{_display(run.source, root)}": digest(run.source)}
    for pattern in run.reads:
        if glob.has_magic(pattern):
            matches = sorted(Path(p) for p in glob.glob(pattern))
            if not matches:
                out[_display(Path(pattern), root)] = MISSING
            for path in matches:
                out[_display(path, root)] = digest(path)
        else:
            out[_display(Path(pattern), root)] = digest(Path(pattern))
    notebook_sha = out[f"notebook:{_display(run.source, root)}"]
    out["package"] = package_fingerprint(_run_code(run.source, notebook_sha, warmup))
    return out


@cache
def _run_code(notebook: Path, sha: str, warmup: str) -> str:
    """What a run executes: the notebook's code cells (read once per content), the warm-up and
    the batch's own kernel code."""
    code = imports.notebook_code(notebook) if sha != MISSING else ""
    return "\n".join([code, warmup, KERNEL_CODE])


def input_hash(inputs: Mapping[str, str], parameters: Mapping[str, Any], **settings: Any) -> str:
    """One hash of a run's input hashes, its parameters and execution settings.

    Examples
    --------
    >>> a = input_hash({"x": "1"}, {"year": 2024}, kernel="python3")
    >>> a == input_hash({"x": "1"}, {"year": 2024}, kernel="python3")
    True
    >>> a == input_hash({"x": "1"}, {"year": 2018}, kernel="python3")
    False
    """
    blob = json.dumps({"inputs": dict(inputs), "parameters": dict(parameters), **settings},
                      sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()
