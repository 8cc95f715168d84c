"""Survey design and design-based estimation (Taylor linearization).

>>> from workbench.survey import SurveyDesign, mean
"""

from workbench.survey.design import LonelyPSU, SurveyDesign, Weighting
from workbench.survey.estimators import mean, ratio, total
from workbench.survey.linearization import Domains, domains, finish
from workbench.survey.variance import domain_total_variance

__all__ = ["SurveyDesign", "LonelyPSU", "Weighting", "mean", "total", "ratio",
           "Domains", "domains", "finish", "domain_total_variance"]
