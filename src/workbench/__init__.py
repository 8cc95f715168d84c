"""Analytical workbench of Iraq's Poverty Reduction Strategy directorate.

Layers, from the bottom (nothing imports upward): parameters and data
(:mod:`workbench.config`, :mod:`workbench.geography`, :mod:`workbench.data`),
survey design, estimators, results, output (charts, i18n), orchestration
(batch, publish, dashboards, cli).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("workbench")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
