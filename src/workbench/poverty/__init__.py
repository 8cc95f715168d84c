"""Poverty measures with Taylor-linearized standard errors, by domain.

Every function takes the design first, the welfare column, then options by
keyword (``line`` is a number or a column of household lines), and returns a
frozen :class:`~workbench.results.Estimate`. Estimates are person-weighted by
default; domains (``by=``) keep the full design. Lines are fixed (not
estimated from the same sample).

Variance: Taylor linearization through :func:`workbench.survey.finish`. A
domain's scores are zero outside it, so a domain found in a single PSU of a
stratum that has other PSUs still gets a variance from the full design (as in
R's ``svyby``); only strata of the design with a single PSU need a policy, and
the design's ``lonely_psu`` (fail, centre or merge) applies to every estimate.

>>> from workbench.poverty import fgt, headcount, watts, sen, sst, number_poor
"""

from workbench.poverty.fgt import fgt, headcount, number_poor, poverty_gap, severity
from workbench.poverty.sen import sen, sst
from workbench.poverty.watts import watts

__all__ = ["fgt", "headcount", "number_poor", "poverty_gap", "sen", "severity", "sst", "watts"]
