"""Static images of plotly figures for print: figure JSON in, PNG out, one kaleido session.

kaleido drives Debian's Chromium. Starting it costs about 2 s; with one
:func:`kaleido.start_sync_server` session per process, each further figure costs
about 0.2 s. :class:`FigureExporter` holds that session for a whole batch of
reports and turns every failure into a :class:`FigureExportError` with the
reason, so the caller can fail or print a visible placeholder, never a page of
figure JSON.

Examples
--------
>>> import plotly.graph_objects as go
>>> with FigureExporter() as export:                        # doctest: +SKIP
...     export(go.Figure(go.Bar(x=[1], y=[2])).to_plotly_json(), Path("bar.png"))
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any, Self

from workbench.errors import WorkbenchError
from workbench.files import atomic_path

__all__ = ["PRINT_WIDTH", "FigureExportError", "FigureExporter"]

PRINT_WIDTH = 900    # CSS pixels; the PNG is rendered at 2x for print
PRINT_HEIGHT = 500


class FigureExportError(WorkbenchError):
    """A figure could not be turned into a static image."""


class FigureExporter:
    """A kaleido session that writes figure JSON as PNG files.

    Use as a context manager: the Chromium server starts lazily on the first
    figure and stops on exit. Set ``WORKBENCH_NO_KALEIDO=1`` to disable exports
    (every figure then fails with a reason, and prints as a placeholder).
    """

    def __init__(self, scale: float = 2.0) -> None:
        self.scale = scale
        self._started = False
        self.count = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        if self._started:
            return
        if os.environ.get("WORKBENCH_NO_KALEIDO"):
            raise FigureExportError("static chart export is disabled (WORKBENCH_NO_KALEIDO is set)")
        try:
            import kaleido

            kaleido.start_sync_server(silence_warnings=True)
        except Exception as exc:  # noqa: BLE001 - Chromium missing or broken: report it, the caller decides
            raise FigureExportError(f"kaleido could not start Chromium ({exc}); install Debian's "
                                    "chromium (`make setup`) or set BROWSER_PATH") from None
        self._started = True

    def close(self) -> None:
        """Stop the Chromium server if this exporter started it."""
        if self._started:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            self._started = False

    def __call__(self, figure: dict[str, Any], path: Path) -> Path:
        """Write ``figure`` (plotly JSON: ``data``, ``layout``) to ``path`` as PNG.

        Raises
        ------
        FigureExportError
            If kaleido fails; the message says why.
        """
        self._start()
        import plotly.io as pio

        layout = figure.get("layout") or {}
        width = int(layout.get("width") or PRINT_WIDTH)
        height = int(layout.get("height") or PRINT_HEIGHT)
        try:
            with atomic_path(path) as tmp, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fig = pio.from_json(__import__("json").dumps(figure), skip_invalid=True)
                pio.write_image(fig, tmp, format="png", width=width, height=height, scale=self.scale)
        except Exception as exc:  # noqa: BLE001 - any kaleido/Chromium failure becomes a reason
            raise FigureExportError(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from None
        self.count += 1
        return path
