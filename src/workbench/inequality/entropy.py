"""Generalized entropy: Theil T (GE(1)) and the mean log deviation (GE(0)), with linearized SEs.

With ``N = sum w``, ``mu = sum w y / N``:

- Theil T = ``(1/N) sum w (y/mu) ln(y/mu)``; zero welfare contributes 0 (``y ln y -> 0``);
- MLD (Theil L) = ``(1/N) sum w ln(mu/y)``; needs ``y > 0``.

Both are smooth functions of three totals (``N``, ``sum w y`` and
``sum w y ln y`` or ``sum w ln y``), so their linearized variables are the
derivatives with respect to each unit's weight (Deville 1999). Writing
``r_k = y_k / mu``:

- Theil T: ``z_k = (r_k (ln r_k - T - 1) + 1) / N``;
- MLD: ``z_k = (r_k - 1 - ln r_k - L) / N``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import xlogy

from workbench.inequality._checks import positive_means, welfare_values
from workbench.results import Estimate
from workbench.survey import SurveyDesign, Weighting, domains, finish

__all__ = ["mld", "theil"]

By = str | Sequence[str] | None


def theil(design: SurveyDesign, welfare: str, *, by: By = None, weighting: Weighting = "person",
          level: float = 0.95) -> Estimate:
    """Theil T index, GE(1), with its linearized standard error.

    Parameters
    ----------
    design : SurveyDesign
    welfare : str
        Per-capita welfare column (``>= 0``).
    by : str or sequence of str, optional
        Domain columns; the full design is kept.
    weighting : {"person", "household"}
    level : float

    Examples
    --------
    Two people with 1 and 3 (mean 2): T = (0.5 ln 0.5 + 1.5 ln 1.5) / 2.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 3.0], "w": [1.0, 1.0]})
    >>> round(theil(SurveyDesign(df, weight="w"), "y").estimate, 6)
    0.130812
    """
    doms = domains(design, by, weighting)
    y = welfare_values(design, welfare, measure="the Theil index")
    r = y / doms.spread(positive_means(doms, y, welfare))
    w, N = doms.weights, doms.spread(doms.N)
    T = doms.sum(w * xlogy(r, r)) / doms.N
    log_r = np.log(np.where(r > 0, r, 1.0))  # r * log r is 0 where r is 0
    scores = w * (r * (log_r - doms.spread(T) - 1) + 1) / N
    return finish(design, "theil", doms, T, scores, level=level, meta={"variable": welfare})


def mld(design: SurveyDesign, welfare: str, *, by: By = None, weighting: Weighting = "person",
        level: float = 0.95) -> Estimate:
    """Mean log deviation (Theil L), GE(0), with its linearized standard error.

    Parameters
    ----------
    design : SurveyDesign
    welfare : str
        Per-capita welfare column (``> 0``: it takes logarithms).
    by : str or sequence of str, optional
    weighting : {"person", "household"}
    level : float

    Raises
    ------
    DataError
        Welfare that is zero, negative or missing, naming the column, count and ids.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 3.0], "w": [1.0, 1.0]})
    >>> round(mld(SurveyDesign(df, weight="w"), "y").estimate, 6)  # (ln 2 + ln 2/3) / 2
    0.143841
    """
    doms = domains(design, by, weighting)
    y = welfare_values(design, welfare, positive=True, measure="the mean log deviation")
    r = y / doms.spread(positive_means(doms, y, welfare))
    w, N = doms.weights, doms.spread(doms.N)
    log_r = np.log(r)
    L = -doms.sum(w * log_r) / doms.N
    scores = w * (r - 1 - log_r - doms.spread(L)) / N
    return finish(design, "mld", doms, L, scores, level=level, meta={"variable": welfare})
