"""A governorate whose sample holds nobody poor: the report says so instead of failing.

Sulaymaniyah (the lowest headcount of the demo data) is made rich in the 2024
round: every household's consumption at least twice the line. Its profile of the
poor is then not estimable, the difference is not tested, the other governorates'
profiles are untouched, and the report notebook runs to the end in both languages.
"""

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench import reports
from workbench.i18n import tr
from workbench.survey import mean

RICH = "IQG06"      # Sulaymaniyah
BASRAH = "IQG02"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rounds(demo, tmp_path_factory):
    """The demo's 2024 round as it is, and with nobody poor in Sulaymaniyah (written to a folder)."""
    rnd = reports.load_round(demo.path, 2024, declare=False)
    frame = demo.read("survey_2024").copy()
    rich = frame["governorate"] == RICH
    frame.loc[rich, "consumption_pc"] = np.maximum(frame.loc[rich, "consumption_pc"], 2 * rnd.line)
    folder = tmp_path_factory.mktemp("rich")
    frame.to_parquet(folder / "survey_2024.parquet")
    return rnd, reports.load_round(folder, 2024, declare=False), frame


def test_the_rich_governorate_is_flagged_and_its_non_poor_are_everyone(rounds):
    _, rich, frame = rounds
    profile = reports.poor_profile(rich, place=RICH)
    assert len(profile) > 0 and (profile["empty_group"] == "poor").all()
    assert (profile["n_poor"] == 0).all() and (profile["n_non_poor"] == (frame["governorate"] == RICH).sum()).all()
    assert profile[["poor", "poor_se", "difference", "difference_se", "t", "p_value"]].isna().all().all()
    # Everyone is non-poor: that column is the governorate's mean, as the survey estimator gives it.
    direct = mean(rich.design, "hhsize", by="governorate").table.set_index("governorate").loc[RICH]
    row = profile.set_index("characteristic").loc["hhsize"]
    assert row["non_poor"] == pytest.approx(direct["estimate"], rel=1e-12)
    assert row["non_poor_se"] == pytest.approx(direct["se"], rel=1e-8)


def test_other_governorates_are_untouched(rounds):
    """Before the fix one rich governorate made the whole round's profile fail, Basrah's too."""
    rnd, rich, _ = rounds
    pd.testing.assert_frame_equal(reports.poor_profile(rich, place=BASRAH),
                                  reports.poor_profile(rnd, place=BASRAH), rtol=1e-12)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_report_table_says_not_estimable_and_omits_the_test(rounds, lang):
    _, rich, _ = rounds
    profile = reports.poor_profile(rich, place=RICH)
    table = reports.profile_report_table(profile, lang=lang)
    not_estimable = tr("profile.label.not_estimable", lang)
    assert all(row[1] == not_estimable for row in table.rows)
    assert all(row[2] and row[2] != not_estimable for row in table.rows)   # non-poor shown
    assert all(row[3:] == ["", "", ""] for row in table.rows)              # no difference, CI, p
    assert tr("profile.note.no_poor", lang) in table.note
    assert "nan" not in table.to_markdown().lower()


def test_records_mark_the_empty_side_suppressed(rounds):
    _, rich, _ = rounds
    records = reports.profile_records(reports.poor_profile(rich, place=RICH))
    poor = records[records["group"] == "poor"]
    assert (poor["n"] == 0).all() and poor["suppressed"].all() and poor["estimate"].isna().all()
    assert not records.loc[records["group"] == "non_poor", "suppressed"].any()


@pytest.mark.slow
@pytest.mark.notebooks
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_report_notebook_runs_for_a_governorate_without_poor(rounds, tmp_path, lang):
    import papermill

    rich_dir = Path(rounds[1].source.path).parent
    out = tmp_path / f"{RICH}.{lang}.ipynb"
    os.environ["PLOTLY_RENDERER"] = "plotly_mimetype"
    papermill.execute_notebook(REPO / "notebooks" / "poverty_profile.ipynb", out, kernel_name="python3",
                               parameters={"governorate": RICH, "year": 2024, "lang": lang,
                                           "data_dir": str(rich_dir)},
                               cwd=str(REPO), progress_bar=False)
    nb = json.loads(out.read_text(encoding="utf-8"))
    markdown = "".join("".join(o.get("data", {}).get("text/markdown", ""))
                       for c in nb["cells"] for o in c.get("outputs", []))
    assert tr("profile.label.not_estimable", lang) in markdown
    assert tr("profile.note.no_poor", lang) in markdown
