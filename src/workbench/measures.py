"""The catalogue of measures by name, for the command line, the batch and the dashboards.

One table maps each short name (``fgt0``, ``gini``, ``atkinson1`` ...) to its
estimator, so every caller asks for measures the same way and gets one tidy
frame back: ``measure``, the domain columns, ``estimate, se, ci_low, ci_high,
df, n, N, cv``.

The three FGT measures also go by the names the reports, the results store and
the dashboards use (:data:`FGT_MEASURES`): ``headcount``, ``gap`` and
``severity`` are ``fgt0``, ``fgt1`` and ``fgt2``, and a result carries the name
it was asked for.

Examples
--------
>>> sorted(MEASURES)[:4]
['atkinson1', 'atkinson2', 'fgt0', 'fgt1']
>>> parse_measures("headcount, gini")
['headcount', 'gini']
>>> MEASURE_ALIASES["severity"], FGT_MEASURES["severity"]
('fgt2', 2.0)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from workbench.errors import ParameterError
from workbench.results import Estimate, concat
from workbench.survey import SurveyDesign, Weighting

__all__ = ["FGT_MEASURES", "MEASURES", "MEASURE_ALIASES", "Measure", "estimate_measures", "parse_measures"]


@dataclass(frozen=True)
class Measure:
    """A named measure: what it is, whether it needs a poverty line, how to estimate it."""

    name: str
    label: str
    needs_line: bool
    run: Callable[..., Estimate]


def _fgt(alpha: float) -> Callable[..., Estimate]:
    def run(design, welfare, *, line, by, weighting):
        from workbench.poverty import fgt

        return fgt(design, welfare, line=line, alpha=alpha, by=by, weighting=weighting)

    return run


def _poverty(name: str) -> Callable[..., Estimate]:
    def run(design, welfare, *, line, by, weighting):
        from workbench import poverty

        return getattr(poverty, name)(design, welfare, line=line, by=by, weighting=weighting)

    return run


def _inequality(name: str, **options: float) -> Callable[..., Estimate]:
    def run(design, welfare, *, line, by, weighting):
        from workbench import inequality

        return getattr(inequality, name)(design, welfare, by=by, weighting=weighting, **options)

    return run


def _mean(design, welfare, *, line, by, weighting):
    from workbench.survey import mean

    return mean(design, welfare, by=by, weighting=weighting)


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure("fgt0", "poverty headcount ratio", True, _fgt(0.0)),
        Measure("fgt1", "poverty gap index", True, _fgt(1.0)),
        Measure("fgt2", "poverty severity index", True, _fgt(2.0)),
        Measure("watts", "Watts index", True, _poverty("watts")),
        Measure("sen", "Sen index", True, _poverty("sen")),
        Measure("sst", "Sen-Shorrocks-Thon index", True, _poverty("sst")),
        Measure("poor", "number of poor people", True, _poverty("number_poor")),
        Measure("gini", "Gini index", False, _inequality("gini")),
        Measure("theil", "Theil T index", False, _inequality("theil")),
        Measure("mld", "mean log deviation", False, _inequality("mld")),
        Measure("atkinson1", "Atkinson index, epsilon 1", False, _inequality("atkinson", epsilon=1.0)),
        Measure("atkinson2", "Atkinson index, epsilon 2", False, _inequality("atkinson", epsilon=2.0)),
        Measure("palma", "Palma ratio", False, _inequality("palma")),
        Measure("s80s20", "S80/S20 quintile share ratio", False, _inequality("s80s20")),
        Measure("mean", "mean welfare", False, _mean),
    )
}


#: The FGT measures by the names the reports, the results store and the dashboards use, and their alpha.
FGT_MEASURES: dict[str, float] = {"headcount": 0.0, "gap": 1.0, "severity": 2.0}
#: Those names as names of :data:`MEASURES`.
MEASURE_ALIASES: dict[str, str] = {name: f"fgt{alpha:.0f}" for name, alpha in FGT_MEASURES.items()}


def parse_measures(text: str | Sequence[str]) -> list[str]:
    """Split and check a measure list such as ``"fgt0,gini"`` (or ``"headcount,gini"``).

    Raises
    ------
    ParameterError
        For an unknown name; the message lists the known ones.
    """
    names = [t.strip().lower() for t in (text.split(",") if isinstance(text, str) else text) if t.strip()]
    known = ", ".join([*MEASURES, *MEASURE_ALIASES])
    if not names:
        raise ParameterError(f"no measures given; choose from {known}")
    unknown = [n for n in names if n not in MEASURES and n not in MEASURE_ALIASES]
    if unknown:
        raise ParameterError(f"unknown measure(s) {', '.join(unknown)}; choose from {known}")
    return names


def estimate_measures(design: SurveyDesign, welfare: str, measures: str | Sequence[str], *,
                      line: float | str | None = None, by: str | Sequence[str] | None = None,
                      weighting: Weighting = "person") -> pd.DataFrame:
    """Estimate several measures and stack them in one tidy frame.

    Parameters
    ----------
    design : SurveyDesign
    welfare : str
        Per-capita welfare column.
    measures : str or sequence of str
        Names from :data:`MEASURES` or :data:`MEASURE_ALIASES`, e.g. ``"fgt0,fgt1,gini"``.
    line : float or str, optional
        Poverty line (a number, or a column of household lines); needed by poverty measures.
    by : str or sequence of str, optional
        Domain columns.
    weighting : {"person", "household"}
    """
    names = parse_measures(measures)
    chosen = {name: MEASURES[MEASURE_ALIASES.get(name, name)] for name in names}
    needs = [name for name, m in chosen.items() if m.needs_line]
    if needs and line is None:
        raise ParameterError(f"measure(s) {', '.join(needs)} need a poverty line: give --line")
    results = []
    for name, m in chosen.items():
        est = m.run(design, welfare, line=line, by=by, weighting=weighting)
        results.append(Estimate(name, est.table, est.meta))
    return concat(results)
