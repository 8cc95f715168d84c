"""Chart and table builders: a tidy result table in, a themed figure (or formatted table) out.

Builders never call ``.show()``. Every figure passes through :func:`themed`,
which applies the house theme, title, units, source note and, for Arabic, the
mirrored axes. Every builder applies disclosure control from the ``n`` column
(:func:`apply_disclosure`). All labels come from :mod:`workbench.i18n`.
"""

from workbench.charts.bars import ci_error_bars, profile_bars, ranked_bars
from workbench.charts.boundaries import Boundaries, load_boundaries, registered_boundaries
from workbench.charts.disclosure import apply_disclosure
from workbench.charts.format import format_ci, format_count, format_value, measure_label, unit_label
from workbench.charts.incidence import growth_incidence_chart
from workbench.charts.maps import TILE_GRID, choropleth, governorate_map, tile_map
from workbench.charts.tables import ReportTable, estimate_table
from workbench.charts.theme import PALETTE, themed
from workbench.charts.trends import target_path, trend_lines

__all__ = [
    "PALETTE",
    "TILE_GRID",
    "Boundaries",
    "ReportTable",
    "apply_disclosure",
    "choropleth",
    "ci_error_bars",
    "estimate_table",
    "format_ci",
    "format_count",
    "format_value",
    "governorate_map",
    "growth_incidence_chart",
    "load_boundaries",
    "measure_label",
    "profile_bars",
    "ranked_bars",
    "registered_boundaries",
    "target_path",
    "themed",
    "tile_map",
    "trend_lines",
    "unit_label",
]
