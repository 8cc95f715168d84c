"""The Gini index with its linearized standard error.

Point estimate, as ``laeken::gini`` computes it (Eurostat definition), with
the rows of a domain sorted by welfare, ``C_k`` the cumulative weight up to
and including row ``k``, ``N`` the total weight and ``T`` the total of ``w y``:

.. math::

    G = \\frac{2 \\sum_k w_k C_k y_k - \\sum_k w_k^2 y_k}{N T} - 1
      = \\frac{\\sum_k \\sum_j w_k w_j |y_k - y_j|}{2 N T}.

The second form shows that ``G`` does not depend on the order of tied values.

Linearization (Deville 1999; Binder & Kovacevic 1995; Langel & Tillé 2013).
``G`` is a smooth function of the weights (for fixed welfare values), so its
linearized variable is its exact derivative with respect to each unit's weight:

.. math::

    z_k = \\frac{\\partial G}{\\partial w_k}
        = \\frac{2 (C_k y_k - T_k) + T - N y_k - G (T + N y_k)}{N T},

with ``T_k`` the cumulative ``w y`` up to and including ``k``. This is Langel &
Tillé's (2013) linearized variable. R's ``convey::svygini`` (1.x) estimates a
slightly different point, ``(sum (2 C_k - 1) w_k y_k) / (N T) - 1`` (Osier 2009),
and linearizes that one; the two differ by terms of order ``w_k / N``.

The design variance of ``sum_k w_k z_k`` is the variance of the Gini. Domains
(``by=``) keep the full design: ``z_k`` is zero outside the domain.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workbench.errors import DataError
from workbench.inequality._checks import welfare_values
from workbench.inequality.ordering import Ordered, welfare_order
from workbench.results import Estimate
from workbench.survey import Domains, SurveyDesign, Weighting, domains, finish_totals

__all__ = ["gini", "gini_cell_totals", "gini_scores"]


def gini_scores(ordered: Ordered) -> tuple[np.ndarray, np.ndarray]:
    """Gini index of each domain and each row's weighted linearized score.

    Parameters
    ----------
    ordered : Ordered
        Rows sorted by (domain, welfare), from :func:`order_within`.

    Returns
    -------
    gini : numpy.ndarray
        One per domain; NaN where the domain's total welfare is zero (undefined).
    scores : numpy.ndarray
        ``w_k z_k`` in the original row order (zero in undefined domains).
    """
    o = ordered
    with np.errstate(divide="ignore", invalid="ignore"):
        s1 = np.bincount(o.codes, weights=o.w * o.y * o.cum_w, minlength=o.count)
        s2 = np.bincount(o.codes, weights=o.w * o.w * o.y, minlength=o.count)
        NT = o.N * o.T
        # G >= 0 for welfare >= 0; a tiny negative value (equal incomes) is rounding: clip it.
        G = np.where(NT > 0, np.maximum((2 * s1 - s2) / NT - 1, 0.0), np.nan)
        Gc, Nc, Tc = np.nan_to_num(G)[o.codes], o.N[o.codes], o.T[o.codes]
        z = (2 * (o.cum_w * o.y - o.cum_wy) + Tc - Nc * o.y - Gc * (Tc + Nc * o.y)) / (Nc * Tc)
    z = np.where(NT[o.codes] > 0, z, 0.0)
    return G, o.unsort(o.w * z)


BLOCK_ROWS = 1 << 18
"""Rows of the welfare order taken at a time by :func:`gini_cell_totals`."""


def gini_cell_totals(doms: Domains, y: np.ndarray, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gini index of each domain and the total of its weighted scores ``w_k z_k`` in each cell.

    One pass over the rows in welfare order, a block at a time, with no
    full-length temporary. Within a block, rows are grouped by domain with a
    stable radix sort of their small domain codes, which keeps welfare order
    inside each domain; each domain's cumulative weight ``C_k`` and welfare
    ``T_k`` carry over from block to block. The pass gathers, per domain,
    ``s1 = sum w y C`` and ``s2 = sum w^2 y`` (so ``G = (2 s1 - s2) / (N T) - 1``)
    and, per cell, ``E_c = sum w (C y - T_k)``. The scores' cell totals follow
    from the linearized variable (module docstring), summed over the cell:
    ``(2 E_c + T B_c - N Y_c - G (T B_c + N Y_c)) / (N T)``, with ``B_c`` and
    ``Y_c`` the cell's totals of ``w`` and ``w y``.

    Parameters
    ----------
    doms : Domains
    y : numpy.ndarray
        Welfare of each row.
    order : numpy.ndarray
        Row positions in increasing order of ``y`` (:func:`~workbench.inequality.ordering.welfare_order`).

    Returns
    -------
    gini : numpy.ndarray
        One per domain; NaN where the domain's total welfare is zero (undefined).
    totals : numpy.ndarray
        One per cell of ``doms.cells`` (zero in undefined domains).
    """
    w, cells, D = doms.weights, doms.cells, doms.count
    Y, = cells.sum_blocks(lambda b: (w[b.rows] * y[b.rows],), 1)
    N, T = doms.N, doms.cell_sum(Y)
    s1, s2, E = np.zeros(D), np.zeros(D), np.zeros(cells.count)
    carry_w, carry_wy = np.zeros(D), np.zeros(D)
    for a in range(0, order.size, BLOCK_ROWS):  # a loop over blocks of rows, each vectorised
        rows = order[a:a + BLOCK_ROWS]
        codes, cell = cells.locate(rows, doms.compact)
        if codes is not None:
            by_domain = np.argsort(codes, kind="stable")  # radix: welfare order kept within domains
            rows, codes, cell = rows[by_domain], codes[by_domain], cell[by_domain]
        ys, ws = y[rows], w[rows]
        wy = ws * ys
        cw, cwy = np.cumsum(ws), np.cumsum(wy)
        if codes is None:
            cw += carry_w[0]
            cwy += carry_wy[0]
            carry_w[0], carry_wy[0] = cw[-1], cwy[-1]
            s1 += (wy * cw).sum()  # not np.dot: threaded BLAS costs more than it saves here
            s2 += (ws * wy).sum()
        else:
            # Within-domain running sums: the block's running sum, less its value before the
            # domain's first row in the block, plus the domain's sum over earlier blocks.
            count = np.bincount(codes, minlength=D)
            has = np.flatnonzero(count)
            first = (np.cumsum(count) - count)[has]
            last = first + count[has] - 1
            shift_w = carry_w[has] - (cw[first] - ws[first])
            shift_wy = carry_wy[has] - (cwy[first] - wy[first])
            cw += np.repeat(shift_w, count[has])
            cwy += np.repeat(shift_wy, count[has])
            carry_w[has], carry_wy[has] = cw[last], cwy[last]
            s1[has] += np.add.reduceat(wy * cw, first)
            s2[has] += np.add.reduceat(ws * wy, first)
        cw *= ys
        cw -= cwy  # C y - T_k
        cw *= ws
        E += np.bincount(cell, weights=cw, minlength=cells.count)
    with np.errstate(divide="ignore", invalid="ignore"):
        NT = N * T
        # G >= 0 for welfare >= 0; a tiny negative value (equal incomes) is rounding: clip it.
        G = np.where(NT > 0, np.maximum((2 * s1 - s2) / NT - 1, 0.0), np.nan)
        d = cells.domain
        Gc, Nc, Tc, B = np.nan_to_num(G)[d], N[d], T[d], doms.cell_weights
        totals = (2 * E + Tc * B - Nc * Y - Gc * (Tc * B + Nc * Y)) / (Nc * Tc)
    return G, np.where(NT[d] > 0, totals, 0.0)


def gini(design: SurveyDesign, welfare: str, *, by: str | Sequence[str] | None = None,
         weighting: Weighting = "person", level: float = 0.95) -> Estimate:
    """Gini index of welfare, with its linearized standard error.

    Parameters
    ----------
    design : SurveyDesign
    welfare : str
        Per-capita welfare column (``>= 0``).
    by : str or sequence of str, optional
        Domain columns; the full design is kept.
    weighting : {"person", "household"}
    level : float
        Confidence level of the t interval.

    Returns
    -------
    Estimate
        Statistic ``"gini"``, in [0, 1).

    Raises
    ------
    DataError
        Negative or missing welfare, or a domain whose total welfare is zero.

    Examples
    --------
    Two people with 1 and 3: mean absolute difference 1 (over all ordered pairs),
    mean 2, so G = 1 / (2 * 2) = 0.25.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 3.0], "w": [1.0, 1.0]})
    >>> gini(SurveyDesign(df, weight="w"), "y").estimate
    0.25
    """
    doms = domains(design, by, weighting)
    y = welfare_values(design, welfare, measure="the Gini index")
    G, totals = gini_cell_totals(doms, y, welfare_order(design, welfare, y))
    undefined = np.flatnonzero(np.isnan(G))
    if undefined.size:
        shown = doms.labels.iloc[undefined[:5]].to_dict(orient="records")
        raise DataError(f"the Gini index of {welfare!r} is undefined where total welfare is zero: "
                        f"{undefined.size} domain(s) {shown}")
    return finish_totals(design, "gini", doms, G, totals, level=level, meta={"variable": welfare})
