"""What a batch runs: batch.yaml expanded into runs, narrowed by the command line."""

from pathlib import Path

import pytest

from workbench.batch.plan import NATIONAL, BatchConfig, load_config, plan_runs
from workbench.errors import DataError, ParameterError
from workbench.geography import governorates

ROOT = Path("/project")


def config(**overrides) -> BatchConfig:
    raw = {
        "years": [2018, 2024], "languages": ["en", "ar"], "governorates": "all",
        "notebooks": {
            "poverty_profile": {"path": "notebooks/poverty_profile.ipynb", "per": "governorate",
                                "reads": ["{data_dir}/survey_{year}.parquet",
                                          "{data_dir}/survey_*.parquet"],
                                "parameters": {"min_n": 30}},
            "national_overview": {"path": "notebooks/national_overview.ipynb", "per": "year"},
        },
    }
    raw.update(overrides)
    return BatchConfig.model_validate(raw)


def test_all_governorates_years_languages_and_the_national_runs():
    runs = plan_runs(config(), root=ROOT)
    profiles = [r for r in runs if r.notebook == "poverty_profile"]
    overviews = [r for r in runs if r.notebook == "national_overview"]
    assert len(profiles) == 18 * 2 * 2
    assert {r.governorate for r in profiles} == {g.pcode for g in governorates()}
    assert [(r.year, r.governorate, r.lang) for r in overviews] == [
        (2018, NATIONAL, "en"), (2018, NATIONAL, "ar"),
        (2024, NATIONAL, "en"), (2024, NATIONAL, "ar")]
    assert len({r.key for r in runs}) == len(runs)


def test_output_paths_follow_the_contract():
    runs = {r.key: r for r in plan_runs(config(), root=ROOT)}
    en = runs[("poverty_profile", 2024, "IQG02", "en")]
    ar = runs[("poverty_profile", 2024, "IQG02", "ar")]
    nat = runs[("national_overview", 2018, NATIONAL, "ar")]
    assert en.output == ROOT / "reports/executed/poverty_profile/2024/IQG02.ipynb"
    assert ar.output == ROOT / "reports/executed/poverty_profile/2024/IQG02.ar.ipynb"
    assert ar.figures == ROOT / "reports/executed/poverty_profile/2024/IQG02.ar.figures.json"
    assert nat.output == ROOT / "reports/executed/national_overview/2018/national.ar.ipynb"


def test_parameters_injected_per_run():
    runs = {r.key: r for r in plan_runs(config(), root=ROOT)}
    assert dict(runs[("poverty_profile", 2018, "IQG09", "ar")].parameters) == {
        "year": 2018, "lang": "ar", "data_dir": "data/demo", "governorate": "IQG09", "min_n": 30}
    assert "governorate" not in runs[("national_overview", 2024, NATIONAL, "en")].parameters


def test_reads_placeholders_are_filled_per_run():
    run = plan_runs(config(), root=ROOT, years=[2018], governorates=["Duhok"], languages=["en"])[0]
    assert run.reads == ("/project/data/demo/survey_2018.parquet",
                         "/project/data/demo/survey_*.parquet")


@pytest.mark.parametrize("spelling", ["Basra", "البصرة", "IQ-BA", "IQG02", "al-Basrah"])
def test_governorate_narrowing_accepts_any_spelling(spelling):
    runs = plan_runs(config(), root=ROOT, governorates=[spelling])
    assert {r.governorate for r in runs} == {"IQG02"}
    # Narrowing to a governorate leaves out the per-year notebooks ...
    assert {r.notebook for r in runs} == {"poverty_profile"}


def test_naming_a_per_year_notebook_keeps_it_with_a_governorate_filter():
    runs = plan_runs(config(), root=ROOT, governorates=["Basra"],
                     notebooks=["poverty_profile", "national_overview"])
    assert {r.notebook for r in runs} == {"poverty_profile", "national_overview"}


def test_year_notebook_and_language_narrowing():
    runs = plan_runs(config(), root=ROOT, years=[2024], notebooks=["national_overview"],
                     languages=["ar"])
    assert [r.key for r in runs] == [("national_overview", 2024, NATIONAL, "ar")]


def test_unknown_year_notebook_language_or_governorate_is_a_clear_error():
    with pytest.raises(ParameterError, match=r"unknown year 2010; valid: 2018, 2024"):
        plan_runs(config(), root=ROOT, years=[2010])
    with pytest.raises(ParameterError, match=r"unknown notebook 'profile'; valid: poverty_profile"):
        plan_runs(config(), root=ROOT, notebooks=["profile"])
    with pytest.raises(ParameterError, match=r"unknown language 'fr'"):
        plan_runs(config(), root=ROOT, languages=["fr"])
    with pytest.raises(DataError, match=r"unknown governorate 'Atlantis'; valid: .*\(IQG02\)"):
        plan_runs(config(), root=ROOT, governorates=["Atlantis"])


def test_governorate_outside_the_batch_file_is_an_error():
    cfg = config(governorates=["Basrah", "Duhok"])
    assert {r.governorate for r in plan_runs(cfg, root=ROOT, notebooks=["poverty_profile"])} == {
        "IQG02", "IQG09"}
    with pytest.raises(ParameterError, match=r"governorate IQG08 is not in the batch file"):
        plan_runs(cfg, root=ROOT, governorates=["Baghdad"])


def test_per_notebook_years_override_the_batch_years():
    cfg = config()
    cfg.notebooks["national_overview"].years = [2024]
    runs = plan_runs(cfg, root=ROOT, notebooks=["national_overview"])
    assert {r.year for r in runs} == {2024}


def test_the_repository_batch_file_is_valid_and_plans_the_demo_batch():
    repo = Path(__file__).resolve().parents[2]
    cfg = load_config(repo / "parameters" / "batch.yaml")
    runs = plan_runs(cfg, root=repo)
    profiles = [r for r in runs if r.notebook == "poverty_profile"]
    assert len(profiles) == 18 * 4 * 2  # governorates x rounds x languages
    assert len(runs) - len(profiles) == 4 * 2  # national overviews
    assert all(r.source.is_file() for r in runs)


def test_bad_batch_files_name_the_file_and_the_key(tmp_path):
    with pytest.raises(ParameterError, match=r"batch file .*missing.yaml not found"):
        load_config(tmp_path / "missing.yaml")
    bad = tmp_path / "batch.yaml"
    bad.write_text("years: [2024]\nnotebooks:\n  p: {path: p.ipynb, per: district}\n")
    with pytest.raises(ParameterError, match=r"batch.yaml: notebooks.p.per: Input should be"):
        load_config(bad)
    bad.write_text("years: [2024]\nnotebooks: {}\ncolour: red\n")
    with pytest.raises(ParameterError, match=r"colour: Extra inputs are not permitted"):
        load_config(bad)
    bad.write_text("years: [2024\n")
    with pytest.raises(ParameterError, match=r"not valid YAML"):
        load_config(bad)
