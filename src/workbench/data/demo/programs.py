"""The Social Protection Network: proxy-means test, staged roll-out, receipt.

- **PMT.** A weighted least-squares regression of log per-capita consumption on
  proxies (household size, the head's characteristics, displacement, the
  dwelling, assets, the ration card and governorate), as in Grosh & Baker
  (1995). The score is the predicted log consumption; households below a
  threshold are eligible.
- **Roll-out.** The PMT-based programme of the 2014 law reaches governorates in
  stages (``spn.rollout`` in ``demo.yaml``). Before it arrives, the old network
  pays categorical benefits (female heads, the old, the unemployed), badly
  targeted.
- **Errors.** Not every eligible household applies (poorer ones more often),
  some eligible applicants are not paid and some ineligible ones are. With a
  PMT's prediction error this gives exclusion errors of the size the PMT
  literature reports (Brown, Ravallion & van de Walle 2018).

Benefits follow the household-size scale of ``spn.benefit``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from workbench.data.demo.calibration import logit_intercept, sigmoid, weighted_quantile
from workbench.data.demo.households import ASSETS
from workbench.data.demo.parameters import Benefit, DemoParameters
from workbench.data.model import DISPLACEMENT, EDUCATION, EMPLOYMENT

__all__ = ["benefit", "fit_pmt", "pmt_matrix", "rollout_years", "survey_receipt"]


def rollout_years(params: DemoParameters, gov_codes: np.ndarray) -> np.ndarray:
    """Roll-out year of the PMT-based programme by governorate; 9999 where it never comes.

    Examples
    --------
    >>> from workbench.data.demo.parameters import load_demo_parameters
    >>> rollout_years(load_demo_parameters(), np.array(["IQG08", "IQG09"])).tolist()
    [2016, 9999]
    """
    year = {code: y for y, codes in params.spn.rollout.items() for code in codes}
    return np.array([year.get(str(c), 9999) for c in gov_codes], dtype=np.int64)


def pmt_matrix(people: Mapping[str, np.ndarray], dwelling: Mapping[str, np.ndarray],
               area: np.ndarray, gov: np.ndarray, n_gov: int) -> np.ndarray:
    """The PMT's proxies as a design matrix (with an intercept and dummies)."""
    size = people["hhsize"].astype(float)
    age = people["head_age"].astype(float)

    def dummies(codes: np.ndarray, k: int) -> np.ndarray:
        return (codes[:, None] == np.arange(1, k)[None, :]).astype(float)

    columns = [np.ones_like(size), np.log(size), (area == 0).astype(float),
               people["head_sex"].astype(float), age / 10.0, (age / 10.0) ** 2,
               dwelling["rooms"] / size, dwelling["rooms"].astype(float),
               dwelling["pds_holder"].astype(float)]
    columns += [dwelling[name].astype(float) for name in ASSETS]
    return np.column_stack(columns + [dummies(people["head_education"], len(EDUCATION)),
                                      dummies(people["head_employment"], len(EMPLOYMENT)),
                                      dummies(people["displacement"], len(DISPLACEMENT)),
                                      dummies(gov, n_gov)])


def fit_pmt(x: np.ndarray, y: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, float]:
    """Weighted least squares of ``y`` on ``x``: coefficients and weighted R².

    Examples
    --------
    >>> x = np.column_stack([np.ones(4), [0.0, 1, 2, 3]])
    >>> beta, r2 = fit_pmt(x, np.array([1.0, 3, 5, 7]), np.ones(4))
    >>> np.round(beta, 8).tolist(), round(r2, 8)
    ([1.0, 2.0], 1.0)
    """
    root = np.sqrt(weight)
    beta = np.linalg.lstsq(x * root[:, None], y * root, rcond=None)[0]
    resid = y - x @ beta
    centred = y - np.average(y, weights=weight)
    return beta, float(1.0 - (weight @ resid**2) / (weight @ centred**2))


def benefit(hhsize: np.ndarray, spec: Benefit) -> np.ndarray:
    """Monthly SPN benefit of a household, IQD.

    Examples
    --------
    >>> from workbench.data.demo.parameters import load_demo_parameters
    >>> benefit(np.array([1, 3, 6, 10]), load_demo_parameters().spn.benefit).tolist()
    [50000.0, 78000.0, 120000.0, 120000.0]
    """
    amount = spec.one_person + spec.per_extra_person * (np.asarray(hhsize) - 1)
    return np.minimum(amount, spec.max).astype(float)


def survey_receipt(rng: np.random.Generator, *, params: DemoParameters, new_programme: np.ndarray,
                   people: Mapping[str, np.ndarray], relative_welfare: np.ndarray,
                   score: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, float]:
    """Who receives the SPN in a survey round.

    Parameters
    ----------
    new_programme : numpy.ndarray of bool
        The household's governorate has the PMT-based programme this year.
    relative_welfare : numpy.ndarray
        Log pre-transfer per-capita consumption over the line.
    score : numpy.ndarray
        PMT score (predicted log per-capita consumption).
    weight : numpy.ndarray
        Household weights.

    Returns
    -------
    receipt : numpy.ndarray of bool
    threshold : float
        The PMT threshold (log IQD) admitting ``spn.eligible_share`` of households.
    """
    spn = params.spn
    n = len(score)
    u_apply, u_admin, u_old = rng.random(n), rng.random(n), rng.random(n)
    threshold = weighted_quantile(score, weight, spn.eligible_share)
    eligible = score < threshold
    applied = u_apply < sigmoid(spn.apply.intercept + spn.apply.welfare_slope * relative_welfare)
    paid_new = applied & np.where(eligible, u_admin >= spn.eligible_not_paid,
                                  u_admin < spn.ineligible_paid)
    old = spn.old_network
    linear = (old.female_head * (people["head_sex"] == 1)
              + old.old_inactive * ((people["head_employment"] == 2) & (people["head_age"] >= 60))
              + old.unemployed * (people["head_employment"] == 1)
              + old.welfare_slope * relative_welfare)
    paid_old = np.zeros(n, dtype=bool)
    if (~new_programme).any():
        c = logit_intercept(linear[~new_programme], weight[~new_programme], old.share)
        paid_old = u_old < sigmoid(c + linear)
    return np.where(new_programme, paid_new, paid_old), threshold
