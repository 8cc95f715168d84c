"""The walking skeleton's glue (temporary, see workbench.interim): FGT table and texts."""

import numpy as np
import pytest

from workbench import interim
from workbench.errors import DataError, ParameterError


def direct_fgt(frame, line, alpha):
    """Person-weighted FGT by closed form: sum(w h g) / sum(w h), g = 1[y<z]((z-y)/z)^a."""
    w = frame["weight"] * frame["hhsize"]
    y = frame["consumption_pc"]
    g = np.where(y < line, ((line - y) / line) ** alpha, 0.0)
    return float((w * g).sum() / w.sum())


def test_fgt_table_equals_the_closed_form_by_governorate_and_national(survey):
    frame = survey(2024, households_per_psu=3)
    line = 150_000.0
    table = interim.fgt_table(frame, line=line, year=2024)
    assert set(table["measure"]) == {"headcount", "gap", "severity"}
    for name, alpha in interim.ALPHAS.items():
        rows = table[table["measure"] == name].set_index("governorate")
        expected = {g: direct_fgt(part, line, alpha) for g, part in frame.groupby("governorate")}
        expected["national"] = direct_fgt(frame, line, alpha)
        # closed forms: rtol 1e-12
        np.testing.assert_allclose(rows["estimate"].reindex(list(expected)).to_numpy(),
                                   list(expected.values()), rtol=1e-12)
        assert rows.loc["national", "n"] == len(frame)
        assert rows.drop("national")["n"].tolist() == [12] * 18
    assert (table["year"] == 2024).all()
    # 12 households per governorate is fewer than 30; the national row rests on 216.
    assert table.groupby(table["governorate"] == "national")["suppressed"].all().to_dict() == {
        False: True, True: False}


def test_small_domains_are_flagged(survey):
    frame = survey(2024, households_per_psu=10)  # 40 households per governorate
    table = interim.fgt_table(frame, line=150_000.0, year=2024, measures=("headcount",))
    assert not table["suppressed"].any()
    table = interim.fgt_table(frame, line=150_000.0, year=2024, measures=("headcount",), min_n=41)
    assert table.set_index("governorate")["suppressed"].to_dict() == {
        **{g: True for g in frame["governorate"].unique()}, "national": False}


def test_bad_measure_and_missing_governorate(survey):
    frame = survey(2024, households_per_psu=2)
    with pytest.raises(ParameterError, match=r"unknown FGT measure 'watts'; valid: headcount"):
        interim.fgt_table(frame, line=1.0, year=2024, measures=("watts",))
    frame.loc[3, "governorate"] = None
    with pytest.raises(DataError, match=r"governorate have 1 missing values"):
        interim.fgt_table(frame, line=1.0, year=2024)


def test_texts_in_both_languages(survey):
    frame = survey(2024, households_per_psu=10)
    table = interim.fgt_table(frame, line=150_000.0, year=2024)
    en = interim.summary(table, "IQG02", "en", line=150_000.0)
    ar = interim.summary(table, "IQG02", "ar", line=150_000.0)
    share = table.query("measure == 'headcount' and governorate == 'IQG02'")["estimate"].iloc[0]
    assert f"{share * 100:.1f}%" in en and "Basrah" in en and "150,000 IQD" in en
    assert "البصرة" in ar and f"{share * 100:.1f}" in ar
    small = interim.summary(table.assign(suppressed=True), "IQG02", "en", line=150_000.0)
    assert small == "The sample of Basrah in 2024 is too small to publish its headcount (n < 30)."
    assert interim.heading("national_overview", "national", 2024, "ar", synthetic=True).startswith(
        "**بيانات تجريبية مصطنعة")
    assert "SYNTHETIC DEMO DATA" in interim.heading("poverty_profile", "IQG02", 2024, "ar",
                                                    synthetic=True)
    assert interim.heading("poverty_profile", "IQG02", 2024, "en", synthetic=False) == (
        "# Poverty profile: Basrah, 2024")


def test_survey_file_is_found_from_a_subfolder(tmp_path, monkeypatch, survey, parquet):
    parquet(survey(2024, households_per_psu=1), tmp_path / "data" / "demo" / "survey_2024.parquet")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    assert interim.survey_file("data/demo", 2024) == tmp_path / "data/demo/survey_2024.parquet"
    with pytest.raises(DataError, match=r"survey file data/demo/survey_2018.parquet not found"):
        interim.survey_file("data/demo", 2018)
