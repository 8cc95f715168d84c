"""The official line of every year: a survey base carried forward with the CPI."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import DataError, ParameterError
from workbench.geography import governorates
from workbench.poverty_lines import LINE_COLUMNS, line_table, national_cpi, official_line

# Inflation, percent (iraq.md, WDI): 2013-2018 and 2019-2023.
PI_2013_2018 = [1.88, 2.24, 1.39, 0.56, 0.18, 0.37]
PI_2019_2023 = [-0.20, 0.57, 6.04, 4.99, 4.36]


def chain(rates):
    return math.prod(1 + r / 100 for r in rates)


def test_base_years_are_the_survey_lines():
    assert official_line(2007) == 76896.0
    assert official_line(2012) == 105500.0


def test_2018_and_2023_match_iraq_md():
    # iraq.md (C): CPI-uprated from 2012 gives about 112,700 for 2018 and 131,400 for 2023.
    z18, z23 = official_line(2018), official_line(2023)
    assert z18 == pytest.approx(105500 * chain(PI_2013_2018), rel=1e-12)
    assert z23 == pytest.approx(105500 * chain(PI_2013_2018 + PI_2019_2023), rel=1e-12)
    assert round(z18, -2) == 112700
    assert round(z23, -2) == 131400


def test_2024_uses_the_recalled_rate():
    assert official_line(2024) == pytest.approx(official_line(2023) * 1.03, rel=1e-12)


def test_years_between_bases_use_the_earlier_base():
    # 2011: the 2007 line (76,896) times the 2008-2011 inflation (2.7, -2.2, 2.4, 5.6; R).
    assert official_line(2011) == pytest.approx(76896 * chain([2.7, -2.2, 2.4, 5.6]), rel=1e-12)


def test_national_cpi_index():
    cpi = national_cpi().set_index("year")
    assert list(cpi.columns) == ["governorate", "index", "status"]
    assert cpi.loc[2012, "index"] == 100.0
    assert cpi.loc[2018, "index"] == pytest.approx(100 * chain(PI_2013_2018), rel=1e-12)
    # Going back: I_2011 = I_2012 / 1.0609; the series starts a year before the first rate (2007).
    assert cpi.loc[2011, "index"] == pytest.approx(100 / 1.0609, rel=1e-12)
    assert cpi.index.min() == 2006 and cpi.index.max() == 2024
    assert cpi.loc[2018, "status"] == "C" and cpi.loc[2024, "status"] == "R"


def test_out_of_range_years_fail_clearly():
    with pytest.raises(
        ParameterError, match=r"no official poverty line for 2006.*first survey-based line.*2007"
    ):
        official_line(2006)
    with pytest.raises(ParameterError, match=r"poverty_lines\.yaml.*no CPI for 2030.*2006-2024"):
        official_line(2030)
    with pytest.raises(ParameterError, match=r"year must be an integer"):
        official_line(2018.0)
    with pytest.raises(ParameterError, match=r"year must be an integer"):
        official_line(True)
    with pytest.raises(ParameterError, match=r"no CPI for 2031"):
        line_table([2018, 2031])


def test_numpy_integer_years_are_accepted():
    assert official_line(np.int64(2018)) == official_line(2018)


def test_governorate_without_cpi_frame_is_the_national_line():
    assert official_line(2018, "Basrah") == official_line(2018)
    assert official_line(2018, "البصرة") == official_line(2018)
    with pytest.raises(DataError, match=r"unknown governorate 'Atlantis'"):
        official_line(2018, "Atlantis")


def cpi_frame():
    """A small CPI frame: national, Basrah (IQG02) and Anbar (IQG01), different bases."""
    rows = [
        (2012, "national", 100.0),
        (2018, "national", 110.0),
        (2023, "national", 121.0),
        (2012, "IQG02", 50.0),
        (2018, "IQG02", 60.0),
        (2023, "IQG02", 70.0),
        (2012, "IQG01", 200.0),
        (2018, "IQG01", 210.0),
    ]
    return pd.DataFrame(rows, columns=["year", "governorate", "index"])


def test_governorate_cpi_series_carries_the_base():
    cpi = cpi_frame()
    # Basrah: 105,500 x 60 / 50 = 126,600; national: 105,500 x 1.1 = 116,050.
    assert official_line(2018, "IQG02", cpi=cpi) == pytest.approx(126600.0, rel=1e-12)
    assert official_line(2018, "Basrah", cpi=cpi) == pytest.approx(126600.0, rel=1e-12)
    assert official_line(2018, cpi=cpi) == pytest.approx(116050.0, rel=1e-12)
    assert official_line(2012, "IQG01", cpi=cpi) == 105500.0


def test_cpi_frame_errors():
    cpi = cpi_frame()
    with pytest.raises(DataError, match=r"series 'IQG01'.*no CPI for 2023 \(the requested year\)"):
        official_line(2023, "IQG01", cpi=cpi)
    with pytest.raises(DataError, match=r"no series for 'IQG08'"):
        official_line(2018, "Baghdad", cpi=cpi)
    with pytest.raises(DataError, match=r"no CPI for 2007 \(the base year of the 2007 line\)"):
        official_line(2009, cpi=cpi)
    with pytest.raises(DataError, match=r"missing column\(s\) index"):
        official_line(2018, cpi=cpi.drop(columns="index"))
    bad = cpi.copy()
    bad.loc[1, "index"] = -3.0
    with pytest.raises(DataError, match=r"'index' must be a finite number > 0; 1 rows"):
        official_line(2018, cpi=bad)
    with pytest.raises(DataError, match=r"2 rows repeat a \(year, governorate\) pair"):
        official_line(2018, cpi=pd.concat([cpi, cpi.iloc[[0]]]))
    with pytest.raises(DataError, match=r"holds 'Gotham'"):
        official_line(2018, cpi=cpi.assign(governorate=cpi.governorate.replace("IQG01", "Gotham")))
    with pytest.raises(DataError, match=r"'status' must be V, C, R or S"):
        official_line(2018, cpi=cpi.assign(status="maybe"))


def test_line_table_layout_and_provenance():
    t = line_table()
    assert list(t.columns) == list(LINE_COLUMNS)
    assert t.year.tolist() == list(range(2007, 2025))
    assert (t.governorate == "national").all()
    row = t.set_index("year")
    assert row.loc[2007, ["method", "status"]].tolist() == ["base", "V"]
    assert row.loc[2008, ["method", "status", "base_year"]].tolist() == ["cpi", "R", 2007]
    # 2012's base is recalled (R), so all its updates are R even where the CPI is verified.
    assert row.loc[2018, ["method", "status", "base_line"]].tolist() == ["cpi", "R", 105500.0]
    assert row.loc[2018, "line"] == official_line(2018)
    assert row.loc[2018, "cpi_ratio"] == pytest.approx(chain(PI_2013_2018), rel=1e-12)


def test_line_table_by_governorate_without_cpi_repeats_the_national_line():
    t = line_table([2018, 2023], by_governorate=True)
    assert len(t) == 2 * 19
    assert t.governorate.iloc[0] == "national"
    per_year = t.groupby("year")["line"].agg(["min", "max"])
    assert (per_year["min"] == per_year["max"]).all()


def test_line_table_with_governorate_cpis():
    rows = [
        (y, g, 100.0 * (1 + 0.01 * i) ** (y - 2012), "S")
        for i, g in enumerate(["national"] + [g.pcode for g in governorates()])
        for y in range(2012, 2025)
    ]
    cpi = pd.DataFrame(rows, columns=["year", "governorate", "index", "status"])
    t = line_table([2012, 2020], cpi=cpi, by_governorate=True)
    assert len(t) == 2 * 19
    assert set(t.loc[t.year == 2020, "method"]) == {"cpi", "cpi_governorate"}
    assert set(t.status) == {"R", "S"}  # 2012: the base (R); 2020: synthetic CPI (S)
    dq = t[(t.governorate == "IQG17") & (t.year == 2020)]
    i = 1 + [g.pcode for g in governorates()].index("IQG17")
    assert dq.line.item() == pytest.approx(105500 * (1 + 0.01 * i) ** 8, rel=1e-12)
    with pytest.raises(DataError, match=r"needs a series for every governorate; 16 are missing"):
        line_table(cpi=cpi_frame(), by_governorate=True)
    with pytest.raises(DataError, match=r"no 'national' series"):
        line_table(cpi=cpi[cpi.governorate != "national"])


@given(t1=st.integers(2012, 2024), t2=st.integers(2012, 2024))
def test_update_is_multiplicative_in_the_cpi(t1, t2):
    cpi = national_cpi().set_index("year")["index"]
    assert official_line(t2) / official_line(t1) == pytest.approx(cpi[t2] / cpi[t1], rel=1e-12)


@settings(max_examples=50, deadline=None)
@given(
    index=st.lists(st.floats(1.0, 1e4), min_size=13, max_size=13),
    t1=st.integers(2012, 2024),
    t2=st.integers(2012, 2024),
)
def test_update_is_multiplicative_with_any_cpi_frame(index, t1, t2):
    cpi = pd.DataFrame({"year": range(2012, 2025), "governorate": "IQG08", "index": index})
    ratio = official_line(t2, "IQG08", cpi=cpi) / official_line(t1, "IQG08", cpi=cpi)
    assert ratio == pytest.approx(index[t2 - 2012] / index[t1 - 2012], rel=1e-12)
