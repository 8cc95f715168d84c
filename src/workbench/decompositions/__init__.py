"""Decompositions of poverty: growth and redistribution, subgroups, sectors, with design-based SEs.

Round ``a`` is the initial one, ``b`` the final one; welfare must be in the
same prices in both rounds (or the line of each round given in its own prices,
as a pair of lines). ``P`` is an FGT index.

- :func:`datt_ravallion`, :func:`shapley_growth_redistribution`
  (:mod:`~workbench.decompositions.growth_redistribution`): growth
  ``P(mu_b, L_a) - P_a``, redistribution ``P(mu_a, L_b) - P_a`` and a residual
  (Datt & Ravallion 1992), or their Shapley averages over the two references
  (Shorrocks 2013). The counterfactuals are FGT indices at lines scaled by the
  ratio of the means, linearized through the line: ``dP/dz`` analytic for
  ``alpha > 0``, a kernel density (Osier 2009) for the headcount.
- :func:`fgt_contributions` (:mod:`~workbench.decompositions.contributions`):
  ``P = sum_g (N_g / N) P_g``; each group's contribution ``(N_g / N) P_g`` and
  share ``(N_g / N) P_g / P``.
- :func:`huppi_ravallion` (:mod:`~workbench.decompositions.sectoral`): the
  change splits into intra-sectoral effects ``sum_g n_ga (P_gb - P_ga)``,
  population shifts ``sum_g P_ga (n_gb - n_ga)`` and their interaction.

**Standard errors.** The two rounds are independent samples: the variance of
a component is ``V_a + V_b``, the design variance of its linearized scores
with respect to round ``a``'s weights plus that with respect to round ``b``'s,
and its t interval uses Welch–Satterthwaite degrees of freedom
(:mod:`~workbench.decompositions.rounds`). Results across rounds are
:class:`~workbench.decompositions.rounds.ChangeEstimate` tables: the domain
columns, ``component``, then ``estimate, se, ci_low, ci_high, df, n, N, cv``
and ``n_a, n_b, N_a, N_b``. Validated against R ``survey`` (exact
linearization, ``svycontrast``) and a replicate-weight jackknife in
``tests/reference/decompositions/``.

Tables with one row per group end with a total row whose group columns read
``"All"`` (as pandas' ``pivot_table(margins=True)``).

>>> import pandas as pd
>>> from workbench.survey import SurveyDesign
>>> a = SurveyDesign(pd.DataFrame({"y": [1.0, 2, 3, 4], "w": 1.0}), weight="w")
>>> b = SurveyDesign(pd.DataFrame({"y": [2.0, 2, 2, 10], "w": 1.0}), weight="w")
>>> dr = datt_ravallion(a, b, "y", line=2.5)
>>> dr.table[["component", "estimate"]].to_dict("list")
{'component': ['fgt_a', 'fgt_b', 'change', 'growth', 'redistribution', 'residual'], \
'estimate': [0.5, 0.75, 0.25, -0.25, 0.25, 0.25]}
"""

from workbench.decompositions.contributions import fgt_contributions
from workbench.decompositions.growth_redistribution import (
           datt_ravallion,
           shapley_growth_redistribution,
)
from workbench.decompositions.rounds import ChangeEstimate
from workbench.decompositions.sectoral import huppi_ravallion

__all__ = ["ChangeEstimate", "datt_ravallion", "fgt_contributions", "huppi_ravallion",
           "shapley_growth_redistribution"]
