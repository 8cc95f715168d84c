"""Which parts of the ``workbench`` package a notebook depends on.

A batch run is out of date when code it uses changes, not when any file of the
package does: editing a dashboard should not re-run every report. The
dependencies are found statically: the ``import`` statements of the notebook's
code cells (and of the batch file's warm-up code), followed through the package's
own modules transitively, including imports inside functions. A module brings
its parent packages' ``__init__`` files and the data files of its folder (YAML
catalogues, CSV registries) with it.

Imports that static analysis cannot see (``importlib.import_module`` with a
computed name) are not followed; the package does not use them.

Examples
--------
>>> sorted(imported_names("from workbench import reports\\nimport numpy\\nimport workbench.charts as c"))
['workbench', 'workbench.charts', 'workbench.reports']
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

__all__ = ["imported_names", "module_files", "notebook_code", "source_fingerprint"]

PACKAGE = "workbench"
DATA_SUFFIXES = (".yaml", ".yml", ".csv", ".json", ".typ", ".css", ".html", ".js")


def notebook_code(path: Path) -> str:
    """The code cells of a notebook, joined, with IPython magics and shell lines dropped."""
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    lines = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        lines += [line for line in text.splitlines() if not line.lstrip().startswith(("%", "!"))]
    return "\n".join(lines)


def imported_names(code: str, *, module: str = "", is_package: bool = False) -> set[str]:
    """Names of ``workbench`` modules (or of objects in them) that ``code`` imports.

    Parameters
    ----------
    code : str
        Python source.
    module : str, optional
        Dotted name of the module the code belongs to, to resolve relative imports.
    is_package : bool, default False
        Whether that module is a package's ``__init__``.

    Returns
    -------
    set of str
        Dotted names; ``from workbench.charts import ranked_bars`` gives both
        ``workbench.charts`` and ``workbench.charts.ranked_bars`` (the latter is
        dropped later if it is not a module).
    """
    names: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            names.add(source)
            names.update(f"{source}.{alias.name}" for alias in node.names)
    return {n for n in names if n == PACKAGE or n.startswith(PACKAGE + ".")}


def _file_of(name: str, root: Path) -> Path | None:
    """The source file of module ``name`` under the package folder ``root``, if any."""
    parts = name.split(".")[1:]
    if not parts:
        return root / "__init__.py"
    folder = root.joinpath(*parts)
    for candidate in (folder / "__init__.py", folder.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def module_files(names: Iterable[str], root: Path) -> set[Path]:
    """Source and data files of the given modules and everything they import, transitively.

    Parameters
    ----------
    names : iterable of str
        Dotted ``workbench`` module names (names that are not modules are ignored).
    root : Path
        The ``workbench`` package folder.

    Returns
    -------
    set of Path
    """
    seen: set[str] = set()
    files: set[Path] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        parts = name.split(".")
        # Importing a.b.c runs a/__init__ and a/b/__init__ first.
        for i in range(1, len(parts) + 1):
            dotted = ".".join(parts[:i])
            if dotted in seen:
                continue
            seen.add(dotted)
            path = _file_of(dotted, root)
            if path is None:
                continue
            files.add(path)
            files.update(p for p in path.parent.iterdir() if p.suffix in DATA_SUFFIXES)
            todo += imported_names(path.read_text(encoding="utf-8"), module=dotted,
                                   is_package=path.name == "__init__.py")
    return files


def source_fingerprint(code: str, root: Path) -> str:
    """SHA-256 (16 hex digits) of the package files that ``code`` depends on.

    Paths (relative to ``root``) and bytes are hashed in sorted order, so the
    fingerprint changes exactly when one of those files does.
    """
    h = hashlib.sha256()
    for path in sorted(module_files(imported_names(code), root)):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]
