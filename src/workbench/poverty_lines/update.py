"""The annual update of the official poverty line with the CPI.

The directorate's official line of a year is the most recent survey-based line
(a *base*, ``bases`` in ``parameters/poverty_lines.yaml``) at or before that
year, carried forward with the consumer price index (Ravallion 1998, sec. 4;
``methods.md``):

.. math:: z_t = z_b \\, \\mathrm{CPI}_t / \\mathrm{CPI}_b .

The national CPI index is chained from the annual inflation rates in the
parameter file (base 2012 = 100; only ratios matter). A CPI frame with
governorate series can replace it, one series per governorate.

CPI frame
---------
A long table, one row per year and series:

``year`` (int), ``governorate`` (``"national"`` or an OCHA P-code such as
``IQG08``; names and ISO codes are accepted and mapped to the P-code),
``index`` (float > 0, any base), and optionally ``status`` (``V``, ``C``,
``R`` or ``S``; an index without it counts as ``R``, unverified).
``data/demo/cpi.parquet`` (synthetic) has this layout.

Provenance
----------
Every line carries a status: the base line's status in its base year;
otherwise the weakest of the base line's and the CPI's statuses, ``C`` when
all are ``V`` (:func:`workbench.config.weakest_status`). The 2012 base
(105,500) is recalled, so every line from 2012 on is ``R``.

Examples
--------
>>> round(official_line(2018))
112659
>>> round(official_line(2023))
131377
>>> line_table([2012, 2018]).round(1)[["year", "line", "cpi_ratio", "method", "status"]]
   year      line  cpi_ratio method status
0  2012  105500.0        1.0   base      R
1  2018  112659.4        1.1    cpi      R
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd

from workbench.config import LineBase, PovertyLinesParameters, load_parameters, weakest_status
from workbench.errors import DataError, ParameterError, first_ids
from workbench.geography import governorate as lookup_governorate
from workbench.geography import governorates

__all__ = ["CPI_COLUMNS", "LINE_COLUMNS", "NATIONAL", "line_table", "national_cpi", "official_line"]

NATIONAL = "national"
CPI_COLUMNS: tuple[str, ...] = ("year", "governorate", "index")
LINE_COLUMNS: tuple[str, ...] = (
    "year",
    "governorate",
    "line",
    "base_year",
    "base_line",
    "cpi_ratio",
    "method",
    "status",
)
_UNSTATED = "R"  # status of a CPI frame row without a status column


@dataclass(frozen=True)
class _Series:
    """One CPI series: year -> index level and year -> status of the index relative to others."""

    index: Mapping[int, float]
    status: Mapping[int, str]
    chained: Mapping[int, str] | None = None  # national: status of each year's inflation rate

    def ratio_status(self, base: int, year: int) -> str:
        if self.chained is not None:
            return weakest_status(*(self.chained[y] for y in range(base + 1, year + 1)))
        return weakest_status(self.status[base], self.status[year])


_STATE: dict[int, tuple[PovertyLinesParameters, _Series]] = {}


def _parameters() -> tuple[PovertyLinesParameters, _Series]:
    """The parsed parameter file and its national CPI series, computed once per file version."""
    params = load_parameters("poverty_lines")
    state = _STATE.get(id(params))
    if state is None:  # a new file version: the dict keeps params alive, so ids are not reused
        _STATE.clear()
        state = _STATE[id(params)] = (params, _chain(params))
    return state


def _chain(params: PovertyLinesParameters) -> _Series:
    """Chain the national index from the inflation rates (forward and back from the base)."""
    rate = {y: 1.0 + p / 100.0 for y, p in params.cpi_inflation.percent.items()}
    first, last = min(rate), max(rate)
    base = params.cpi_index.base_year
    index = {base: params.cpi_index.base_value}
    for y in range(base + 1, last + 1):
        index[y] = index[y - 1] * rate[y]
    for y in range(base - 1, first - 2, -1):
        index[y] = index[y + 1] / rate[y + 1]
    chained = dict(params.cpi_inflation.status_by_year)
    status = {}
    for y in index:
        lo, hi = sorted((y, base))
        status[y] = weakest_status(
            params.cpi_index.status, *(chained[t] for t in range(lo + 1, hi + 1))
        )
    return _Series(dict(sorted(index.items())), status, chained)


def national_cpi() -> pd.DataFrame:
    """The national CPI index chained from ``parameters/poverty_lines.yaml``.

    Returns
    -------
    pandas.DataFrame
        ``year, governorate ("national"), index, status`` in the CPI frame layout,
        base 2012 = 100. ``status`` is the weakest provenance of the inflation
        rates between the year and the base year.

    Examples
    --------
    >>> cpi = national_cpi().set_index("year")
    >>> float(cpi.loc[2012, "index"]), round(float(cpi.loc[2013, "index"]), 2)
    (100.0, 101.88)
    """
    _, series = _parameters()
    years = list(series.index)
    return pd.DataFrame(
        {
            "year": years,
            "governorate": NATIONAL,
            "index": [series.index[y] for y in years],
            "status": [series.status[y] for y in years],
        }
    )


def _year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, Integral):
        raise ParameterError(f"year must be an integer such as 2018; got {year!r}")
    return int(year)


def _base(params: PovertyLinesParameters, year: int) -> LineBase:
    bases = [b for b in params.bases if b.year <= year]
    if not bases:
        first = params.bases[0].year
        raise ParameterError(
            f"no official poverty line for {year}: the first survey-based line in "
            f"poverty_lines.yaml (bases) is {first}; lines before it are not defined"
        )
    return bases[-1]


def _key(gov: str | None) -> str:
    if gov is None or str(gov).strip().casefold() == NATIONAL:
        return NATIONAL
    return lookup_governorate(gov).pcode


def _cpi_series(cpi: pd.DataFrame) -> dict[str, _Series]:
    """Validate a CPI frame and split it into one series per governorate key."""
    if not isinstance(cpi, pd.DataFrame):
        raise DataError(
            f"cpi must be a pandas DataFrame with columns {', '.join(CPI_COLUMNS)}; "
            f"got {type(cpi).__name__}"
        )
    missing = [c for c in CPI_COLUMNS if c not in cpi.columns]
    if missing:
        raise DataError(
            f"CPI frame: missing column(s) {', '.join(missing)}; expected "
            f"{', '.join(CPI_COLUMNS)} (and optionally status)"
        )
    if cpi.empty:
        raise DataError("CPI frame: no rows")
    year = pd.to_numeric(cpi["year"], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(year) | (year != np.round(year))
    if bad.any():
        raise DataError(
            f"CPI frame: column 'year' must hold whole years; {bad.sum()} rows do not "
            f"(first rows: {first_ids(np.flatnonzero(bad))})"
        )
    index = pd.to_numeric(cpi["index"], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(index) | (index <= 0)
    if bad.any():
        raise DataError(
            f"CPI frame: column 'index' must be a finite number > 0; {bad.sum()} rows are "
            f"not (first rows: {first_ids(np.flatnonzero(bad))})"
        )
    labels = cpi["governorate"].astype(str)
    keys = {}
    for label in labels.unique():
        try:
            keys[label] = _key(label)
        except DataError:
            raise DataError(
                f"CPI frame: column 'governorate' holds {label!r}, neither 'national' nor a "
                "governorate; use OCHA P-codes IQG01-IQG18"
            ) from None
    key = labels.map(keys).to_numpy()
    dup = pd.DataFrame({"k": key, "y": year}).duplicated(keep=False).to_numpy()
    if dup.any():
        raise DataError(
            f"CPI frame: {dup.sum()} rows repeat a (year, governorate) pair "
            f"(first rows: {first_ids(np.flatnonzero(dup))}); keep one index per pair"
        )
    if "status" in cpi.columns:
        status = cpi["status"].fillna(_UNSTATED).astype(str).to_numpy()
        odd = sorted(set(status) - {"V", "C", "R", "S"})
        if odd:
            raise DataError(f"CPI frame: column 'status' must be V, C, R or S; found {odd}")
    else:
        status = np.full(len(cpi), _UNSTATED)
    out: dict[str, _Series] = {}
    order = np.lexsort((year, key))
    for k in pd.unique(key[order]):
        rows = order[key[order] == k]
        ys = year[rows].astype(int).tolist()
        out[k] = _Series(dict(zip(ys, index[rows].tolist())), dict(zip(ys, status[rows].tolist())))
    return out


def _line(
    base: LineBase, series: _Series, year: int, where: str, error: type[Exception] = DataError
) -> tuple[float, float, str]:
    """Line, CPI ratio and status of ``year`` from ``base`` along ``series``."""
    for y, why in (
        (base.year, f"the base year of the {base.year} line"),
        (year, "the requested year"),
    ):
        if y not in series.index:
            raise error(
                f"{where}: no CPI for {y} ({why}); it covers {min(series.index)}-"
                f"{max(series.index)}. Add the year's CPI (or inflation rate) first"
            )
    ratio = series.index[year] / series.index[base.year]
    if year == base.year:
        return base.line, 1.0, base.status
    return (
        base.line * ratio,
        ratio,
        weakest_status(base.status, series.ratio_status(base.year, year)),
    )


def official_line(
    year: int, governorate: str | None = None, *, cpi: pd.DataFrame | None = None
) -> float:
    """The official poverty line of ``year``, IQD per person per month.

    The most recent survey-based base line at or before ``year`` (2007: 76,896
    V; 2012: 105,500 R), carried forward with the CPI:
    ``z_t = z_base * CPI_t / CPI_base``.

    Parameters
    ----------
    year : int
        Year of the line.
    governorate : str, optional
        A governorate (P-code, ISO code, English or Arabic name). With a ``cpi``
        frame, that governorate's CPI series carries the base forward. Without
        one, the national CPI is used, as for the official national line: the
        result is then the same for every governorate.
    cpi : pandas.DataFrame, optional
        A CPI frame (``year, governorate, index[, status]``; see the module
        docstring). Without it, the national index chained from the inflation
        rates in ``parameters/poverty_lines.yaml``. With it, its ``"national"``
        series when ``governorate`` is None.

    Returns
    -------
    float

    Raises
    ------
    ParameterError
        ``year`` is before the first base or outside the CPI in the parameter file.
    DataError
        Unknown governorate; a CPI frame that is malformed or lacks the series
        or a year needed.

    Examples
    --------
    >>> official_line(2012)
    105500.0
    >>> round(official_line(2018), 1)
    112659.4
    >>> round(official_line(2018, "Basrah"), 1)  # national CPI: same line
    112659.4
    """
    params, national = _parameters()
    year = _year(year)
    base = _base(params, year)
    if cpi is None:
        if governorate is not None:
            _key(governorate)  # validate the name
        return _line(base, national, year, "poverty_lines.yaml (cpi_inflation)", ParameterError)[0]
    series = _cpi_series(cpi)
    key = _key(governorate)
    if key not in series:
        raise DataError(f"CPI frame: no series for {key!r}; it has {', '.join(series)}")
    return _line(base, series[key], year, f"CPI frame, series {key!r}")[0]


def line_table(
    years: Iterable[int] | None = None,
    *,
    cpi: pd.DataFrame | None = None,
    by_governorate: bool = False,
) -> pd.DataFrame:
    """The official poverty line for every year (and governorate), with its derivation.

    Parameters
    ----------
    years : iterable of int, optional
        Years to tabulate. Default: every year from the first base line to the
        last year of the CPI (the parameter file's, or the national series of
        ``cpi``, or all its years when it has no national series).
    cpi : pandas.DataFrame, optional
        A CPI frame (see :func:`official_line`). Without it, the national CPI of
        the parameter file.
    by_governorate : bool
        Add one row per governorate and year. With ``cpi``, each governorate's
        own series is used, and the frame must hold all 18. Without ``cpi``,
        every governorate gets the national line (method ``cpi``).

    Returns
    -------
    pandas.DataFrame
        Columns ``year, governorate, line, base_year, base_line, cpi_ratio,
        method, status``. ``governorate`` is ``"national"`` or a P-code;
        ``method`` is ``base`` (the survey-based line of its base year), ``cpi``
        (national CPI update) or ``cpi_governorate``; ``status`` is V, C, R or S.

    Examples
    --------
    >>> t = line_table()
    >>> int(t.year.min()), int(t.year.max())
    (2007, 2024)
    >>> t.loc[t.year == 2012, "method"].item()
    'base'
    """
    params, national = _parameters()
    if cpi is None:
        series = {NATIONAL: national}
        if by_governorate:
            series |= {g.pcode: national for g in governorates()}
        methods = dict.fromkeys(series, "cpi")
    else:
        given = _cpi_series(cpi)
        if by_governorate:
            missing = [g.pcode for g in governorates() if g.pcode not in given]
            if missing:
                raise DataError(
                    f"CPI frame: by_governorate needs a series for every governorate; "
                    f"{len(missing)} are missing ({first_ids(missing)})"
                )
            series = given
        elif NATIONAL in given:
            series = {NATIONAL: given[NATIONAL]}
        else:
            raise DataError("CPI frame: no 'national' series; add it or pass by_governorate=True")
        methods = {k: "cpi" if k == NATIONAL else "cpi_governorate" for k in series}
    if years is None:
        source = series.get(NATIONAL) or next(iter(series.values()))
        years = range(params.bases[0].year, max(source.index) + 1)
    years = sorted({_year(y) for y in years})
    if not years:
        raise ParameterError("line_table: no years given")
    rows = []
    for key, s in series.items():
        where = (
            "poverty_lines.yaml (cpi_inflation)" if cpi is None else f"CPI frame, series {key!r}"
        )
        error = ParameterError if cpi is None else DataError
        for year in years:
            base = _base(params, year)
            line, ratio, status = _line(base, s, year, where, error)
            method = "base" if year == base.year else methods[key]
            rows.append((year, key, line, base.year, base.line, ratio, method, status))
    table = pd.DataFrame(rows, columns=list(LINE_COLUMNS))
    return table.sort_values(["year", "governorate"], key=_national_first, ignore_index=True)


def _national_first(col: pd.Series) -> pd.Series:
    return col.map(lambda g: "" if g == NATIONAL else g) if col.name == "governorate" else col
