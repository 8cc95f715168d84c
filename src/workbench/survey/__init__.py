"""Survey design and design-based estimation (Taylor linearization).

One :class:`SurveyDesign` carries the weights, strata, PSUs, finite population
correction and household size; every estimator takes it first and returns an
:class:`~workbench.results.Estimate`. Domains (``by=``) keep the full design, as
R's ``svyby`` does. Each estimator is validated against R's ``survey`` package
(fixtures and the script that made them in ``tests/reference/survey/``).

- :func:`mean`, :func:`total`, :func:`ratio`: R's ``svymean``, ``svytotal``, ``svyratio``;
- :func:`proportion`: R's ``svymean`` on a factor;
- :func:`quantile`: R's ``svyquantile`` with Woodruff intervals.

Building blocks for other estimators: :func:`domains`, :func:`finish` (scores to
an estimate), :func:`finish_totals` (cell totals of scores to an estimate),
:func:`domain_total_variance`.

>>> import pandas as pd
>>> from workbench.survey import SurveyDesign, mean
>>> df = pd.DataFrame({"y": [1.0, 2, 3, 4], "w": [1.0, 1, 2, 2],
...                    "h": [1, 1, 2, 2], "c": [1, 2, 1, 2]})
>>> round(mean(SurveyDesign(df, weight="w", strata="h", psu="c"), "y").estimate, 4)
2.8333
"""

from workbench.survey.design import LonelyPSU, SurveyDesign, Weighting
from workbench.survey.estimators import mean, ratio, total
from workbench.survey.linearization import Domains, domains, finish, finish_totals
from workbench.survey.proportion import proportion
from workbench.survey.quantile import quantile
from workbench.survey.variance import domain_total_variance

__all__ = [
    "Domains",
    "LonelyPSU",
    "SurveyDesign",
    "Weighting",
    "domain_total_variance",
    "domains",
    "finish",
    "finish_totals",
    "mean",
    "proportion",
    "quantile",
    "ratio",
    "total",
]
