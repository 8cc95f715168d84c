"""Poverty measures with Taylor-linearized standard errors, by domain.

Every function takes the design first, the welfare column, then options by
keyword (``line`` is a number or a column of household lines), and returns a
frozen :class:`~workbench.results.Estimate`. Estimates are person-weighted by
default; domains (``by=``) keep the full design. Lines are fixed (not
estimated from the same sample).

>>> from workbench.poverty import fgt, headcount, watts, sen, sst, number_poor
"""

from workbench.poverty.fgt import fgt, headcount, number_poor, poverty_gap, severity
from workbench.poverty.sen import sen, sst
from workbench.poverty.watts import watts

__all__ = ["fgt", "headcount", "number_poor", "poverty_gap", "sen", "severity", "sst", "watts"]
