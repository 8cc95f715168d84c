"""Give each notebook run a fresh start inside a warm (reused) kernel.

Runs inside the kernel. Before every run, :mod:`workbench.batch.kernel` resets
IPython's user namespace (``get_ipython().reset(new_session=True)``: no
variable of an earlier run survives, execution counts restart at 1) and calls
:func:`begin_run`, which puts back what an earlier notebook may have changed
outside its namespace: environment variables, ``sys.path``, the working
directory, warning filters, pandas options, plotly's default renderer and
template, and the key-figures recorder.

What is *not* reset: modules stay imported (that is the point of a warm
kernel), so a notebook that mutates a module's global state (other than the
above) can affect later runs in the same kernel. Notebooks of this project do
not; a run that fails also gets a new kernel (see :mod:`.job`).
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Mapping
from typing import Any

__all__ = ["begin_run", "snapshot"]

_baseline: dict[str, Any] | None = None


def snapshot() -> None:
    """Remember the kernel's state after warm-up; :func:`begin_run` restores it."""
    global _baseline
    _baseline = {
        "environ": dict(os.environ),
        "path": list(sys.path),
        "filters": list(warnings.filters),
    }


def begin_run(cwd: str, env: Mapping[str, str]) -> None:
    """Restore the warm-up state, then enter ``cwd`` and set the run's environment."""
    if _baseline is None:
        snapshot()
    assert _baseline is not None
    os.environ.clear()
    os.environ.update(_baseline["environ"])
    os.environ.update(env)
    sys.path[:] = _baseline["path"]
    warnings.filters[:] = _baseline["filters"]
    os.chdir(cwd)
    if "pandas" in sys.modules:
        # Every option but the plotting backend (resetting it imports matplotlib);
        # deprecated options warn when reset.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sys.modules["pandas"].reset_option(r"^(?!plotting\.)")
    if "plotly.io" in sys.modules:
        pio = sys.modules["plotly.io"]
        pio.renderers.default = os.environ.get("PLOTLY_RENDERER", "plotly_mimetype")
        pio.templates.default = "plotly"
    if "workbench.batch.figures" in sys.modules:
        sys.modules["workbench.batch.figures"].reset()
