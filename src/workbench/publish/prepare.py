"""Copies of executed notebooks ready for print: a PNG beside every plotly figure.

Quarto (and pandoc's own ipynb reader) print a plotly output that has no
``image/png`` as pages of figure JSON. :func:`prepared_copy` writes a copy of an
executed notebook in which every plotly output also carries a PNG made by
kaleido. The executed notebook itself is never modified.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from pathlib import Path

from workbench.publish.document import PLOTLY_MIME, PublishError
from workbench.publish.figures import FigureExporter, FigureExportError

__all__ = ["prepared_copy"]


def prepared_copy(src: Path, dst: Path, export: FigureExporter) -> int:
    """Write ``dst``: ``src`` with an ``image/png`` added to every plotly output that lacks one.

    Returns
    -------
    int
        Number of images added.

    Raises
    ------
    PublishError
        If a figure cannot be exported (so no chart reaches print as JSON).
    """
    if src.resolve() == dst.resolve():
        raise PublishError(f"{src}: refusing to modify an executed notebook in place; give another path")
    nb = json.loads(src.read_text(encoding="utf-8"))   # kept as stored, only PNGs added
    added = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, cell in enumerate(nb.get("cells", [])):
            for k, out in enumerate(cell.get("outputs", [])):
                bundle = out.get("data", {})
                if PLOTLY_MIME in bundle and "image/png" not in bundle:
                    png = Path(tmp) / f"{i}-{k}.png"
                    try:
                        export(bundle[PLOTLY_MIME], png)
                    except FigureExportError as exc:
                        raise PublishError(f"{src}: cell {i}: chart has no static image ({exc})") from None
                    bundle["image/png"] = base64.b64encode(png.read_bytes()).decode()
                    added += 1
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp_dst = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
    tmp_dst.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp_dst, dst)
    return added
