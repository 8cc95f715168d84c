"""The report builders on the demo data, checked against closed forms and direct estimator calls."""

import numpy as np
import pandas as pd
import pytest

from workbench import reports
from workbench.decompositions import fgt_contributions
from workbench.errors import DataError, ParameterError
from workbench.inequality import gini, s80s20, theil
from workbench.measures import FGT_MEASURES
from workbench.poverty import fgt
from workbench.poverty_lines import official_line
from workbench.profile import poverty_profile

BASRAH = "IQG02"


@pytest.fixture(scope="module")
def rnd(demo):
    return reports.load_round(demo.path, 2024, declare=False)


def closed_fgt(frame, line, alpha):
    """Person-weighted FGT by closed form: sum(w h g) / sum(w h), g = 1[y<z]((z-y)/z)^a."""
    w = frame["weight"] * frame["hhsize"]
    y = frame["consumption_pc"]
    g = np.where(y < line, ((line - y) / line) ** alpha, 0.0)
    return float((w * g).sum() / w.sum())


def test_round_has_the_official_line_and_is_synthetic(demo, rnd):
    assert reports.available_years(demo.path) == [2007, 2012, 2018, 2024]
    assert rnd.line == official_line(2024)
    assert rnd.synthetic is True and len(rnd.source.sha256) == 64
    with pytest.raises(DataError, match=r"survey_1999\.parquet not found"):
        reports.load_round(demo.path, 1999, declare=False)


def test_fgt_table_equals_the_closed_form(demo, rnd):
    frame = demo.read("survey_2024")
    table = reports.fgt_table(rnd.design, line=rnd.line, year=2024)
    assert len(table) == 3 * 19 and (table["year"] == 2024).all()
    for name, alpha in FGT_MEASURES.items():
        rows = table[table["measure"] == name].set_index("governorate")
        expected = {g: closed_fgt(part, rnd.line, alpha) for g, part in frame.groupby("governorate")}
        expected["national"] = closed_fgt(frame, rnd.line, alpha)
        # closed forms: rtol 1e-12
        np.testing.assert_allclose(rows["estimate"].reindex(list(expected)).to_numpy(),
                                   list(expected.values()), rtol=1e-12)
        direct = fgt(rnd.design, "consumption_pc", line=rnd.line, alpha=alpha, by="governorate")
        np.testing.assert_allclose(rows.drop("national")["se"].to_numpy(),
                                   direct.table["se"].to_numpy(), rtol=1e-12)
    assert table.loc[table["governorate"] == "national", "n"].unique().tolist() == [len(frame)]


def test_group_tables_are_domains_of_the_full_design(demo, rnd):
    frame = demo.read("survey_2024")
    sub = frame[frame["governorate"] == BASRAH]
    for column in ("head_sex", "district", "displacement"):
        table = reports.group_table(rnd, column, place=BASRAH, min_n=30)
        assert set(table["governorate"]) == {BASRAH}
        head = table[table["measure"] == "headcount"].set_index(column)
        counts = sub[column].astype(str).value_counts()
        assert head["n"].to_dict() == counts.to_dict()
        for value, part in sub.groupby(sub[column].astype(str)):
            assert head.loc[value, "estimate"] == pytest.approx(closed_fgt(part, rnd.line, 0), rel=1e-12)
        assert (head["suppressed"] == (head["n"] < 30)).all()
    direct = fgt(rnd.design, "consumption_pc", line=rnd.line, by=["governorate", "head_sex"]).table
    direct = direct[direct["governorate"] == BASRAH].set_index("head_sex")["se"]
    table = reports.group_table(rnd, "head_sex", place=BASRAH)
    got = table[table["measure"] == "headcount"].set_index("head_sex")["se"]
    np.testing.assert_allclose(got.to_numpy(), direct.reindex(got.index).to_numpy(), rtol=1e-12)


def test_districts_below_min_n_are_flagged(rnd):
    table = reports.group_table(rnd, "district", place=BASRAH, min_n=240)
    assert table["suppressed"].any() and not table["suppressed"].all()
    assert (table["suppressed"] == (table["n"] < 240)).all()


def test_inequality_table_matches_the_estimators(rnd):
    table = reports.inequality_table(rnd, places=[BASRAH])
    assert set(table["governorate"]) == {BASRAH, "national"}
    for name, estimator in (("gini", gini), ("theil", theil), ("s80s20", s80s20)):
        rows = table[table["measure"] == name].set_index("governorate")
        by = estimator(rnd.design, "consumption_pc", by="governorate").table.set_index("governorate")
        whole = estimator(rnd.design, "consumption_pc")
        assert rows.loc[BASRAH, "estimate"] == pytest.approx(by.loc[BASRAH, "estimate"], rel=1e-12)
        assert rows.loc[BASRAH, "se"] == pytest.approx(by.loc[BASRAH, "se"], rel=1e-12)
        assert rows.loc["national", "estimate"] == pytest.approx(whole.estimate, rel=1e-12)


def test_trend_table_uses_each_rounds_official_line(demo):
    rounds = [reports.load_round(demo.path, y, declare=False) for y in (2012, 2024)]
    trend = reports.trend_table(rounds, places=[BASRAH], measures=("headcount",))
    assert sorted(set(zip(trend["year"], trend["governorate"]))) == [
        (2012, BASRAH), (2012, "national"), (2024, BASRAH), (2024, "national")]
    for year in (2012, 2024):
        frame = demo.read(f"survey_{year}")
        got = trend.set_index(["year", "governorate"]).loc[(year, "national"), "estimate"]
        assert got == pytest.approx(closed_fgt(frame, official_line(year), 0), rel=1e-12)
    national_only = reports.trend_table(rounds, places=[], measures=("headcount",))
    assert set(national_only["governorate"]) == {"national"}


def test_profile_of_the_poor_and_its_records(rnd):
    profile = reports.poor_profile(rnd, place=BASRAH)
    direct = poverty_profile(rnd.design, "consumption_pc", line=rnd.line, by="governorate").table
    direct = direct[(direct["governorate"] == BASRAH)
                    & ((direct["poor"] > 0) | (direct["non_poor"] > 0))].reset_index(drop=True)
    pd.testing.assert_frame_equal(profile.drop(columns="year"), direct)
    records = reports.profile_records(profile)
    assert len(records) == 2 * len(profile)
    assert set(records["group"]) == {"poor", "non_poor"}
    poor = records[records["group"] == "poor"].reset_index(drop=True)
    np.testing.assert_allclose(poor["estimate"], profile["poor"], rtol=0)
    np.testing.assert_allclose(poor["ci_high"] - poor["estimate"],
                               poor["estimate"] - poor["ci_low"], rtol=1e-9)
    assert set(records["measure"]) == {"profile_share", "profile_mean"}
    en = reports.profile_report_table(profile, lang="en")
    ar = reports.profile_report_table(profile, lang="ar")
    assert len(en.rows) == len(profile) and en.rows[0][0] == "Household size (mean)"
    assert ar.header[1] == "الفقراء"
    assert all(cell.startswith("\u2066") for cell in ar.rows[0][1:])  # numbers kept left to right
    hidden = reports.profile_report_table(profile, min_n=10**6)
    assert all(row[1] == "n < 1000000" for row in hidden.rows) and "suppressed" in hidden.note


def test_contributions_sum_to_one_and_match_the_decomposition(demo, rnd):
    frame = demo.read("survey_2024")
    table = reports.contributions_table(rnd)
    share = table[table["measure"] == "share_of_poor"].set_index("governorate")
    assert len(share) == 18 and share["estimate"].sum() == pytest.approx(1.0, rel=1e-12)
    poor_people = (frame["weight"] * frame["hhsize"] * (frame["consumption_pc"] < rnd.line))
    expected = poor_people.groupby(frame["governorate"]).sum() / poor_people.sum()
    np.testing.assert_allclose(share["estimate"].reindex(expected.index), expected, rtol=1e-12)
    people = (frame["weight"] * frame["hhsize"]).groupby(frame["governorate"]).sum()
    np.testing.assert_allclose(share["N"], people.reindex(share.index), rtol=1e-12)
    raw = fgt_contributions(rnd.design, "consumption_pc", line=rnd.line, by="governorate")
    raw = raw[raw["governorate"] != "All"].set_index("governorate")
    np.testing.assert_allclose(share["se"], raw.loc[share.index, "contribution_share_se"], rtol=1e-12)
    with pytest.raises(ParameterError, match="unknown measure 'watts'"):
        reports.contributions_table(rnd, measure="watts")


def test_strategy_target_from_the_dashboard_parameters():
    trend = pd.DataFrame({"measure": "headcount", "governorate": "national", "year": [2012, 2018],
                          "estimate": [0.19, 0.20], "suppressed": False})
    path = reports.strategy_target(trend)  # parameters/dashboards.yaml: 2018 -> 2022, cut 25%
    assert path["year"].tolist() == [2018, 2019, 2020, 2021, 2022]
    assert path["target"].iloc[-1] == pytest.approx(0.15, rel=1e-12)
    assert reports.strategy_target(trend[trend["year"] == 2012]) is None


def test_line_rows_and_sentences():
    lines = reports.line_rows(2024, years=[2007, 2012, 2018, 2024, 2030])
    assert lines["year"].tolist() == [2007, 2012, 2018, 2024]
    np.testing.assert_allclose(lines["line"], [official_line(y) for y in lines["year"]], rtol=1e-12)
    assert "135,318 IQD" in reports.line_sentence(lines, 2024, "en")
    assert "دينار" in reports.line_sentence(lines, 2024, "ar")
    table = reports.line_report_table(lines, lang="ar")
    assert table.rows[1][:2] == ["2012", "105,500"]


def test_texts_in_both_languages(rnd):
    table = reports.fgt_table(rnd.design, line=rnd.line, year=2024)
    en = reports.summary(table, BASRAH, "en", line=rnd.line)
    ar = reports.summary(table, BASRAH, "ar", line=rnd.line)
    assert en.startswith("In 2024, ") and "Basrah" in en and "135,318 IQD" in en
    assert "البصرة" in ar
    small = table.assign(suppressed=table["governorate"] == BASRAH)
    assert "too small" in reports.summary(small, BASRAH, "en", line=rnd.line)
    assert "Iraq" in reports.summary(table, "national", "en", line=rnd.line)
    heading = reports.heading("poverty_profile", BASRAH, 2024, "ar", synthetic=True)
    assert "SYNTHETIC DEMO DATA" in heading and "ملف الفقر: البصرة" in heading
    assert reports.section("districts", "en", min_n=30).startswith("## Districts\n\nDistricts")
    assert reports.source_note(["x/survey_2024.parquet"], "ar", synthetic=False) == \
        "المصدر: مسح الأسر survey_2024.parquet"


def test_unknown_measures_are_refused(rnd):
    with pytest.raises(ParameterError, match="unknown measure 'watts'; valid: headcount"):
        reports.fgt_table(rnd.design, line=rnd.line, year=2024, measures=("watts",))
    with pytest.raises(ParameterError, match="unknown measure 'atkinson'"):
        reports.inequality_table(rnd, measures=("atkinson",))


def test_profile_leaves_out_categories_absent_in_the_governorate(demo, rnd):
    frame = demo.read("survey_2024")
    present = set(frame.loc[frame["governorate"] == BASRAH, "displacement"].astype(str))
    profile = reports.poor_profile(rnd, place=BASRAH)
    shown = set(profile.loc[profile["characteristic"] == "displacement", "level"])
    assert shown == present
    assert "−" in reports.profile_report_table(profile).rows[1][4]  # a CI across zero, spaced


def test_contributions_report_table(rnd):
    table = reports.contributions_report_table(reports.contributions_table(rnd), lang="en")
    assert len(table.rows) == 18
    shares = [float(r[1].rstrip("%")) for r in table.rows]
    assert shares == sorted(shares, reverse=True)
    assert table.header[3] == "Share of Iraq's population"
    small = reports.contributions_report_table(reports.contributions_table(rnd), min_n=1000)
    assert small.rows[-1][1] == "n < 1000" and "suppressed" in small.note


def test_estimate_se_table_adds_the_standard_error(rnd):
    table = reports.inequality_table(rnd, places=[BASRAH])
    shown = reports.estimate_se_table(table, by=["measure", "governorate"], lang="ar")
    assert shown.header[3] == "الخطأ المعياري"
    gini_basrah = table[(table["measure"] == "gini") & (table["governorate"] == BASRAH)].iloc[0]
    assert shown.rows[0][3] == f"{gini_basrah['se']:.3f}"
    hidden = reports.estimate_se_table(table, by="governorate", min_n=10**6)
    assert all(row[2] == "" for row in hidden.rows)
