"""``workbench estimate``: tidy output that equals the package's estimators, and clear errors."""

import io
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from workbench.cli import app
from workbench.inequality import gini
from workbench.poverty import fgt
from workbench.poverty_lines import official_line
from workbench.survey import SurveyDesign

runner = CliRunner()
COLUMNS = ["measure", "estimate", "se", "ci_low", "ci_high", "df", "n", "N"]


def run(*args: str):
    return runner.invoke(app, ["estimate", *args])


def test_demo_official_line_by_governorate_equals_fgt(demo):
    result = run("demo:2012", "--line", "official:2012", "--measures", "fgt0", "--by", "governorate",
                 "--format", "csv", "--data-dir", str(demo.path))
    assert result.exit_code == 0, result.output
    out = pd.read_csv(io.StringIO(result.stdout))
    assert list(out.columns) == ["measure", "governorate", *COLUMNS[1:]]
    assert len(out) == 18
    survey = demo.read("survey_2012")
    design = SurveyDesign(survey, weight="weight", strata="stratum", psu="psu", hhsize="hhsize")
    expected = fgt(design, "consumption_pc", line=official_line(2012), by="governorate").table
    np.testing.assert_allclose(out["estimate"], expected["estimate"], rtol=1e-12)
    np.testing.assert_allclose(out["se"], expected["se"], rtol=1e-12)
    assert (out["n"] == expected["n"]).all()


def test_non_canonical_csv_with_explicit_columns(demo, tmp_path):
    survey = demo.read("survey_2024").head(3000)
    raw = survey.rename(columns={"consumption_pc": "pcexp", "weight": "wt", "stratum": "strat",
                                 "psu": "ea", "hhsize": "size"})
    path = tmp_path / "my survey.csv"
    raw.to_csv(path, index=False)
    result = run(str(path), "--welfare", "pcexp", "--weight", "wt", "--strata", "strat", "--psu", "ea",
                 "--hhsize", "size", "--measures", "gini,mean", "--format", "json", "--lonely-psu", "centre")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [r["measure"] for r in records] == ["gini", "mean"]
    design = SurveyDesign(raw, weight="wt", strata="strat", psu="ea", hhsize="size", lonely_psu="centre")
    assert records[0]["estimate"] == pytest.approx(gini(design, "pcexp").estimate, rel=1e-12)


def test_household_weighting_differs_from_person_weighting(demo):
    args = ["demo:2018", "--line", "official:2018", "--format", "json", "--data-dir", str(demo.path)]
    person = json.loads(run(*args).stdout)[0]
    household = json.loads(run(*args, "--weighting", "household").stdout)[0]
    assert household["N"] < person["N"]
    assert household["estimate"] != pytest.approx(person["estimate"])


def test_table_format_names_governorates_and_says_synthetic(demo):
    result = run("demo:2024", "--line", "official:2024", "--by", "governorate", "--data-dir", str(demo.path))
    assert result.exit_code == 0
    assert "SYNTHETIC DEMO DATA" in result.output
    assert "Basrah" in result.stdout and "IQG02" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--measures", "fgt0"], "need a poverty line"),
        (["--line", "-5"], "--line must be positive"),
        (["--line", "abc"], "--line must be a number or official:YEAR"),
        (["--line", "100000", "--measures", "foo"], "unknown measure"),
        (["--line", "100000", "--by", "nope"], "--by 'nope' is not a column"),
        (["--line", "100000", "--weighting", "people"], "--weighting must be person or household"),
    ],
)
def test_bad_options_give_one_line_and_exit_code_2(demo, args, message):
    result = run("demo:2024", "--data-dir", str(demo.path), *args)
    assert result.exit_code == 2
    assert message in result.output


def test_missing_demo_round_points_to_the_fix(tmp_path):
    result = run("demo:2012", "--line", "1", "--data-dir", str(tmp_path))
    assert result.exit_code == 2
    assert "run `workbench data demo` first" in result.output


def test_the_report_names_of_the_fgt_measures_are_accepted(demo):
    """``headcount, gap, severity`` (the reports' and dashboards' names) are fgt0, fgt1, fgt2."""
    args = ["demo:2018", "--line", "official:2018", "--format", "json", "--data-dir", str(demo.path)]
    by_alias = json.loads(run(*args, "--measures", "headcount,gap,severity").stdout)
    by_name = json.loads(run(*args, "--measures", "fgt0,fgt1,fgt2").stdout)
    assert [r["measure"] for r in by_alias] == ["headcount", "gap", "severity"]
    for alias, name in zip(by_alias, by_name, strict=True):
        assert alias["estimate"] == name["estimate"] and alias["se"] == name["se"]
    result = run(*args, "--measures", "headcount,poverty")
    assert result.exit_code == 2 and "unknown measure(s) poverty" in result.output
    assert "severity" in result.output
