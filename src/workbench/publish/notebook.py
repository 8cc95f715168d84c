"""Read an executed notebook as plain JSON (nbformat 4), quickly.

Publishing only reads cells and outputs. ``nbformat.read`` validates every
notebook against its JSON schema and its import alone costs seconds, so the
publisher reads the JSON itself and checks only what it uses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench.errors import DataError

__all__ = ["read_notebook", "text"]


def text(value: Any) -> str:
    """A notebook string field, stored as a string or a list of lines.

    Examples
    --------
    >>> text(["a\\n", "b"])
    'a\\nb'
    """
    return "".join(value) if isinstance(value, list) else str(value)


def read_notebook(path: Path) -> dict[str, Any]:
    """The notebook as a dict, with every cell's ``source`` joined into one string.

    Raises
    ------
    DataError
        If the file is not JSON or not an nbformat 4 notebook.
    """
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: not a readable notebook ({exc}); re-run the batch for it") from None
    if not isinstance(nb, dict) or nb.get("nbformat") != 4 or not isinstance(nb.get("cells"), list):
        raise DataError(f"{path}: not an nbformat 4 notebook (found nbformat={nb.get('nbformat') if isinstance(nb, dict) else None})")
    for cell in nb["cells"]:
        cell["source"] = text(cell.get("source", ""))
        cell.setdefault("metadata", {})
    return nb
