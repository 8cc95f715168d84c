"""Voila dashboards for decision makers, in Arabic and English, on the batch's precomputed results.

Each dashboard is a notebook in ``notebooks/dashboards/`` of two cells, a
``parameters`` cell and::

    from workbench.dashboards import show
    show("poverty_explorer", results=results, lang=lang)

and a :class:`~workbench.dashboards.page.Dashboard` subclass registered under
the notebook's name. ``workbench dashboard`` serves them all from one locked-down
Voila server (:mod:`workbench.dashboards.server`).

Adding a dashboard
------------------
1. Write ``src/workbench/dashboards/<name>.py``: a ``@register`` subclass of
   :class:`Dashboard` with ``name``, ``title_key``, ``summary_key`` and the four
   methods ``controls``, ``layout``, ``parts``, ``relabel`` (see
   :mod:`workbench.dashboards.progress` for a short one). Build it from the kit
   (:mod:`workbench.dashboards.kit`, charts from :mod:`workbench.dashboards.chart`) and read data only through the
   :class:`~workbench.dashboards.store.ResultsStore`.
2. Import the module below, so that it registers.
3. Copy a notebook in ``notebooks/dashboards/`` to ``<name>.ipynb`` and change the name.
4. Add its labels to ``workbench/i18n/catalogue.yaml`` under ``dashboard.<name>``.

The server lists, pre-heats and serves exactly the registered dashboards; the
tests in ``tests/dashboards`` check that notebooks and registry agree.
"""

from workbench.dashboards import explorer, progress  # noqa: F401  (registers the dashboards)
from workbench.dashboards.page import DASHBOARDS, Dashboard, register, show
from workbench.dashboards.store import ResultsMissing, ResultsStore, load_results

__all__ = [
           "DASHBOARDS",
           "Dashboard",
           "ResultsMissing",
           "ResultsStore",
           "load_results",
           "register",
           "show",
]
