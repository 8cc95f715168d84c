"""Inequality measures with Taylor-linearized standard errors, by domain.

Every function takes the design first and options by keyword, and returns a
frozen :class:`~workbench.results.Estimate`. Estimates are person-weighted by
default; domains (``by=``) keep the full design.

Variance: Taylor linearization through :func:`workbench.survey.finish`. A
domain's scores are zero outside it, so a domain found in a single PSU of a
stratum that has other PSUs still gets a variance from the full design (as in
R's ``svyby``); only strata of the design with a single PSU need a policy, and
the design's ``lonely_psu`` (fail, centre or merge) applies to every estimate.

>>> from workbench.inequality import gini, theil, mld, atkinson, palma, s80s20, decile_shares
"""

from workbench.inequality.atkinson import atkinson
from workbench.inequality.entropy import mld, theil
from workbench.inequality.gini import gini
from workbench.inequality.shares import decile_shares, palma, s80s20

__all__ = ["atkinson", "decile_shares", "gini", "mld", "palma", "s80s20", "theil"]
