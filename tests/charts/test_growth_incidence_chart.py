"""The growth incidence chart: band, curve, mean, title, notes, disclosure, Arabic."""

import numpy as np
import pandas as pd
import pytest

from workbench.charts import growth_incidence_chart
from workbench.errors import DataError


@pytest.fixture
def curve() -> pd.DataFrame:
    p = np.arange(1, 100, dtype=float)
    est = 0.01 - 0.00005 * p
    return pd.DataFrame({"percentile": p, "estimate": est, "se": 0.002, "ci_low": est - 0.004,
                         "ci_high": est + 0.004, "n": 25000})


def chart(curve, **kw):
    return growth_incidence_chart(curve, start=2018, end=2024, years=6, mean_growth=0.0063,
                                  headcount=0.2005, deflator=1.2011, source="synthetic", **kw)


def footer(fig):
    return next(a.text for a in fig.layout.annotations if a.yref == "paper" and a.y == 0)


def test_band_curve_and_mean_in_percent_per_year(curve):
    fig = chart(curve)
    band, line, mean = fig.data
    assert band.fill == "toself" and len(band.x) == 2 * len(curve)
    np.testing.assert_allclose(band.y[:99], 100 * curve["ci_high"])
    np.testing.assert_allclose(band.y[99:], 100 * curve["ci_low"][::-1])
    np.testing.assert_allclose(line.y, 100 * curve["estimate"])
    assert list(mean.y) == [pytest.approx(0.63)] * 2 and mean.line.dash == "dash"
    assert mean.name == "Growth of the mean: 0.6% per year"
    assert fig.layout.shapes[0].x0 == pytest.approx(20.05)  # the initially poor


def test_title_units_notes_and_source(curve):
    fig = chart(curve)
    assert "Growth incidence curve, Iraq, 2018 to 2024" in fig.layout.title.text
    assert "percent per year, real" in fig.layout.title.text
    text = footer(fig).replace("<br>", " ")
    assert "Annualised growth of real consumption" in text and "(6 years)" in text
    assert "2018 is expressed in 2024 prices" in text and "1.201" in text
    assert "95% confidence intervals" in text and "Source: synthetic" in text
    assert fig.layout.xaxis.title.text == "Percentile of consumption per person"


def test_small_samples_are_not_drawn(curve):
    curve.loc[curve["percentile"] > 95, "n"] = 12
    fig = chart(curve, min_n=30)
    assert max(fig.data[1].x) == 95 and len(fig.data[0].x) == 2 * 95
    assert "fewer than 30 sampled households" in footer(fig).replace("<br>", " ")


def test_arabic_labels_and_mirrored_axis(curve):
    fig = chart(curve, lang="ar")
    arabic = range(0x0600, 0x06FF)
    for text in (fig.layout.title.text, fig.data[1].name, fig.data[2].name, fig.layout.xaxis.title.text):
        assert any(ord(c) in arabic for c in text), text
    assert "منحنى حدوث النمو" in fig.layout.title.text
    assert list(fig.layout.xaxis.range) == [100, 0] and fig.layout.yaxis.side == "right"


def test_missing_columns_are_named(curve):
    with pytest.raises(DataError, match="ci_low"):
        chart(curve.drop(columns="ci_low"))


def test_docstring_examples_hold():
    import doctest

    import workbench.charts.incidence as module

    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
