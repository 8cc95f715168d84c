"""Sen and Sen–Shorrocks–Thon indices with linearized SEs.

**Sen (1976)**, in the form of Haughton & Khandker (2009, ch. 4):
``S = H (I + (1 - I) G_p)`` with ``H`` the headcount, ``I`` the income-gap
ratio among the poor and ``G_p`` the Gini among the poor. Since ``H I = P1``,

.. math::

    S = P_1 + G_p (P_0 - P_1).

``G_p`` is the weighted Gini (as :func:`workbench.inequality.gini`) of
normalised welfare ``y / z`` among the poor of the domain; with one line for
everyone this is the Gini of the poor's welfare. No ``q / (q + 1)``
small-sample factor is applied.

**Sen–Shorrocks–Thon** (Shorrocks 1995; Osberg & Xu 2000):
``SST = H * PG_p * (1 + G^g) = P1 (1 + G^g)``, with ``G^g`` the Gini of the
poverty-gap ratios ``max(0, (z - y) / z)`` over the whole domain population.

**Linearization.** For a fixed line, whether someone is poor does not depend
on the weights, so each index is a smooth function of the weights and its
linearized variable is the chain rule applied to the linearized variables
(influence functions) of its parts:

- ``z_S = z_P1 + G_p (z_P0 - z_P1) + (P0 - P1) z_Gp``, where ``z_Gp`` is the
  Gini's linearized variable (Langel & Tillé 2013) computed among the poor of
  the domain, and zero for the non-poor;
- ``z_SST = (1 + G^g) z_P1 + P1 z_Gg``, where ``z_Gg`` is the Gini's
  linearized variable for the gap ratios over the domain.

``z_P0`` and ``z_P1`` are the FGT ratio linearizations ``(g_i - P) / N``. A
domain with no poor has ``S = SST = 0`` and zero scores (``G_p`` is taken as 0,
where it is multiplied by zero anyway). The tests check these scores against a
numerical derivative of the estimator with respect to each PSU's weights.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workbench.inequality._checks import welfare_values
from workbench.inequality.gini import gini_scores
from workbench.inequality.ordering import order_within
from workbench.poverty.fgt import fgt_values
from workbench.poverty.line import Line, describe_line, line_values
from workbench.results import Estimate
from workbench.survey import Domains, SurveyDesign, Weighting, domains, finish

__all__ = ["sen", "sst"]

By = str | Sequence[str] | None


def _fgt_parts(doms: Domains, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """FGT value per domain and weighted linearized scores per row."""
    P = doms.sum(doms.weights * g) / doms.N
    return P, doms.weights * (g - doms.spread(P)) / doms.spread(doms.N)


def _gini_or_zero(doms: Domains, values: np.ndarray,
                  rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gini of ``values`` over ``rows`` within each domain, 0 where undefined; scores for all rows."""
    ordered = order_within(doms.codes[rows], values[rows], doms.weights[rows], doms.count)
    G, sub_scores = gini_scores(ordered)
    scores = np.zeros(len(values))
    scores[rows] = sub_scores
    return np.nan_to_num(G, nan=0.0), scores


def sen(design: SurveyDesign, welfare: str, *, line: Line, by: By = None,
        weighting: Weighting = "person", level: float = 0.95) -> Estimate:
    """Sen poverty index ``H (I + (1 - I) G_p)`` with its linearized SE.

    Parameters
    ----------
    design : SurveyDesign
    welfare : str
        Per-capita welfare column (``>= 0``).
    line : float or str
        Poverty line, or a column holding each household's line.
    by : str or sequence of str, optional
    weighting : {"person", "household"}
    level : float

    Examples
    --------
    Poor people with 20 and 60 under a line of 100, and two non-poor: H = 0.5,
    P1 = (0.8 + 0.4) / 4 = 0.3, G_p = Gini(20, 60) = 40 / (4 * 40) = 0.25, so
    S = 0.3 + 0.25 * (0.5 - 0.3) = 0.35.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [20.0, 60, 150, 300], "w": [1.0, 1, 1, 1]})
    >>> round(sen(SurveyDesign(df, weight="w"), "y", line=100).estimate, 12)
    0.35
    """
    doms = domains(design, by, weighting)
    y = welfare_values(design, welfare, measure="the Sen index")
    z = line_values(design, line)
    P0, s0 = _fgt_parts(doms, fgt_values(y, z, 0.0))
    P1, s1 = _fgt_parts(doms, fgt_values(y, z, 1.0))
    Gp, sg = _gini_or_zero(doms, y / z, np.flatnonzero(y < z))
    S = P1 + Gp * (P0 - P1)
    scores = s1 + doms.spread(Gp) * (s0 - s1) + doms.spread(P0 - P1) * sg
    return finish(design, "sen", doms, S, scores, level=level,
                  meta={"variable": welfare, "line": describe_line(line)})


def sst(design: SurveyDesign, welfare: str, *, line: Line, by: By = None,
        weighting: Weighting = "person", level: float = 0.95) -> Estimate:
    """Sen–Shorrocks–Thon poverty index ``P1 (1 + G^g)`` with its linearized SE.

    ``G^g`` is the Gini of the poverty-gap ratios over the whole population.

    Examples
    --------
    Gap ratios 0.8, 0.4, 0, 0: P1 = 0.3; the sum of absolute differences over
    ordered pairs is 5.6, so their Gini is 5.6 / (2 * 4 * 1.2) = 0.583333 and
    SST = 0.3 * 1.583333 = 0.475.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [20.0, 60, 150, 300], "w": [1.0, 1, 1, 1]})
    >>> round(sst(SurveyDesign(df, weight="w"), "y", line=100).estimate, 12)
    0.475
    """
    doms = domains(design, by, weighting)
    y = welfare_values(design, welfare, measure="the Sen-Shorrocks-Thon index")
    gap = fgt_values(y, line_values(design, line), 1.0)
    P1, s1 = _fgt_parts(doms, gap)
    Gg, sg = _gini_or_zero(doms, gap, np.arange(len(gap)))
    scores = doms.spread(1.0 + Gg) * s1 + doms.spread(P1) * sg
    return finish(design, "sst", doms, P1 * (1.0 + Gg), scores, level=level,
                  meta={"variable": welfare, "line": describe_line(line)})
