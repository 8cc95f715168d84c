"""The Atkinson index with its linearized standard error.

With ``mu`` the mean and ``M = (1/N) sum w y^(1 - eps)``, the equally
distributed equivalent is ``ede = M^(1 / (1 - eps))`` (``exp(mean ln y)`` for
``eps = 1``) and ``A(eps) = 1 - ede / mu``.

Linearized variable (derivative with respect to each unit's weight):

.. math::

    z_k = -\\frac{ede}{\\mu N}\\Big[\\frac{y_k^{1-\\varepsilon}/M - 1}{1 - \\varepsilon}
          - \\Big(\\frac{y_k}{\\mu} - 1\\Big)\\Big],

with ``(y_k^(1-eps)/M - 1)/(1 - eps)`` replaced by ``ln y_k - mean ln y`` for ``eps = 1``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workbench.errors import ParameterError
from workbench.inequality._checks import positive_means, welfare_values
from workbench.results import Estimate
from workbench.survey import SurveyDesign, Weighting, domains, finish

__all__ = ["atkinson"]


def atkinson(design: SurveyDesign, welfare: str, *, epsilon: float = 1.0,
             by: str | Sequence[str] | None = None, weighting: Weighting = "person",
             level: float = 0.95) -> Estimate:
    """Atkinson inequality index ``A(epsilon)``, with its linearized standard error.

    Parameters
    ----------
    design : SurveyDesign
    welfare : str
        Per-capita welfare column: ``> 0`` when ``epsilon >= 1`` (logarithm or
        negative power), ``>= 0`` otherwise.
    epsilon : float
        Inequality aversion, ``>= 0``. The statistic is named ``atkinson{epsilon:g}``.
    by : str or sequence of str, optional
    weighting : {"person", "household"}
    level : float

    Raises
    ------
    ParameterError
        ``epsilon`` negative or not finite.
    DataError
        Welfare out of range for ``epsilon``, naming the column, count and ids.

    Examples
    --------
    Two people with 1 and 4: the geometric mean is 2 and the mean 2.5, so A(1) = 0.2.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 4.0], "w": [1.0, 1.0]})
    >>> round(atkinson(SurveyDesign(df, weight="w"), "y", epsilon=1).estimate, 12)
    0.2
    """
    if not (np.isfinite(epsilon) and epsilon >= 0):
        raise ParameterError(f"epsilon must be a finite number >= 0; got {epsilon!r}")
    doms = domains(design, by, weighting)
    y = welfare_values(design, welfare, positive=epsilon >= 1, measure=f"atkinson({epsilon:g})")
    w, N = doms.weights, doms.N
    mu = positive_means(doms, y, welfare)
    if epsilon == 1:
        log_y = np.log(y)
        mean_log = doms.sum(w * log_y) / N
        ede = np.exp(mean_log)
        transformed = log_y - doms.spread(mean_log)
    else:
        power = y ** (1.0 - epsilon)
        M = doms.sum(w * power) / N
        ede = M ** (1.0 / (1.0 - epsilon))
        transformed = (power / doms.spread(M) - 1.0) / (1.0 - epsilon)
    A = 1.0 - ede / mu
    ratio = doms.spread(ede / mu)
    scores = -w * ratio * (transformed - (y / doms.spread(mu) - 1.0)) / doms.spread(N)
    return finish(design, f"atkinson{epsilon:g}", doms, A, scores, level=level,
                  meta={"variable": welfare, "epsilon": float(epsilon)})
