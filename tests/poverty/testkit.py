"""Shared helpers for the estimator tests: designs, R references, the numerical-derivative check.

The numerical check: an estimator is a function of the weights. Scaling every
weight of PSU ``j`` by ``(1 + t)`` and differentiating at ``t = 0`` gives
``sum_{i in j} w_i z_i``, the PSU total of the linearized scores. So the
linearized variance must equal the design variance of these numerical PSU
derivatives (central differences), to the accuracy of the differences.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.survey import SurveyDesign, domain_total_variance


def toy_frame(seed: int = 0, *, n_strata: int = 3, psu_per_stratum: int = 4,
              hh_per_psu: int = 6) -> pd.DataFrame:
    """Synthetic households: strata, PSUs, weights, sizes, welfare with ties, two regions."""
    rng = np.random.default_rng(seed)
    n = n_strata * psu_per_stratum * hh_per_psu
    h = np.repeat(np.arange(n_strata), psu_per_stratum * hh_per_psu)
    psu = np.repeat(np.arange(n_strata * psu_per_stratum), hh_per_psu)
    y = np.round(rng.lognormal(np.log(120), 0.6, n), 1)
    y[::7] = y[1]  # ties
    return pd.DataFrame({
        "hhid": np.arange(1000, 1000 + n),
        "h": h, "psu": psu,
        "w": rng.uniform(50, 150, n),
        "size": rng.integers(1, 9, n),
        "y": y,
        "region": np.where(rng.uniform(size=n) < 0.45, "north", "south"),
        "zline": np.where(h == 0, 100.0, 130.0),
    })


def toy_design(seed: int = 0, **shape: int) -> SurveyDesign:
    """:func:`toy_frame` as a stratified, clustered, person-weighted design."""
    return SurveyDesign(toy_frame(seed, **shape), weight="w", strata="h", psu="psu", hhsize="size")


def reweighted(design: SurveyDesign, factor: np.ndarray) -> SurveyDesign:
    """The same design with each row's weight multiplied by ``factor``."""
    data = design.data.copy()
    data[design.weight] = data[design.weight].to_numpy(dtype=float) * factor
    return SurveyDesign(data, weight=design.weight, strata=design.strata, psu=design.psu,
                        fpc=design.fpc, hhsize=design.hhsize, lonely_psu=design.lonely_psu,
                        id=design.id)


def numerical_variance(design: SurveyDesign, estimator: Callable[[SurveyDesign], np.ndarray],
                       h: float = 1e-5) -> np.ndarray:
    """Design variance of the numerical derivative of ``estimator`` w.r.t. each PSU's weights.

    Parameters
    ----------
    estimator : callable
        Design -> array of estimates (one per domain).
    h : float
        Relative step of the central difference.
    """
    derivatives = []
    for j in range(design.n_psu):  # a few dozen PSUs in a test design
        bump = np.where(design.psu_code == j, h, 0.0)
        up = estimator(reweighted(design, 1 + bump))
        down = estimator(reweighted(design, 1 - bump))
        derivatives.append((np.asarray(up) - np.asarray(down)) / (2 * h))
    derivatives = np.array(derivatives)  # (PSU, domain)
    first_row = np.unique(design.psu_code, return_index=True)[1]
    out = []
    for d in range(derivatives.shape[1]):
        scores = np.zeros(len(design.data))
        scores[first_row] = derivatives[:, d]
        out.append(domain_total_variance(design, scores, np.zeros(len(scores), dtype=np.int64), 1)[0])
    return np.array(out)


REFERENCE = Path(__file__).resolve().parents[1] / "reference"


def eusilc() -> pd.DataFrame:
    """laeken's synthetic eusilc (persons), as written by tests/reference/inequality/make_reference.R."""
    return pd.read_csv(REFERENCE / "inequality" / "eusilc.csv.gz")


def eusilc_design(data: pd.DataFrame | None = None) -> SurveyDesign:
    """convey's eusilc design: persons as PSUs, regions as strata, weights rb050."""
    data = eusilc() if data is None else data
    return SurveyDesign(data, weight="rb050", strata="db040", psu="rb030")


def reference(area: str) -> pd.DataFrame:
    """R reference values of ``area`` (poverty, inequality), domain '' for the whole sample."""
    table = pd.read_csv(REFERENCE / area / "reference.csv", keep_default_na=False)
    for col in ("estimate", "se"):
        table[col] = table[col].astype(float)
    return table
