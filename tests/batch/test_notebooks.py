"""The walking-skeleton notebooks: thin, parameterised, and right on small demo-like data."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from workbench.batch.hashing import sha256_file
from workbench.batch.runner import run_batch
from workbench.geography import districts
from workbench.poverty_lines import official_line

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = ("poverty_profile", "national_overview")
PARAM_LINE = re.compile(r"^\w+: (str|int|float|bool) = .+  # .+$")
CHART_CALL = re.compile(
    r"\b(ranked_bars|profile_bars|trend_lines|comparison_trends|district_bars)\(")
TIDY = {"measure", "year", "governorate", "estimate", "se", "ci_low", "ci_high", "df", "n", "N",
        "suppressed"}


def with_domains(frame):
    """Add the columns the profile's sections need: district, head's sex, displacement."""
    rng = np.random.default_rng(7)
    first_two = {}
    for d in districts():
        first_two.setdefault(d.governorate_pcode, []).append(d.pcode)
    pick = rng.integers(0, 2, len(frame))
    return frame.assign(
        district=[first_two[g][k] for g, k in zip(frame["governorate"], pick, strict=True)],
        head_sex=rng.choice(["male", "female"], len(frame), p=[0.8, 0.2]),
        displacement=rng.choice(["non_displaced", "returnee"], len(frame), p=[0.7, 0.3]))


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_are_thin_and_declare_typed_parameters(name):
    nb = json.loads((REPO / "notebooks" / f"{name}.ipynb").read_text())
    cells = code_cells(nb)
    params = cells[0]
    assert params["metadata"]["tags"] == ["parameters"]
    lines = "".join(params["source"]).splitlines()
    assert all(PARAM_LINE.match(line) for line in lines), lines
    declared = {line.split(":")[0] for line in lines}
    assert declared == ({"governorate", "year", "lang", "data_dir"} if name == "poverty_profile"
                        else {"year", "lang", "data_dir"})
    for cell in cells:
        source = "".join(cell["source"])
        assert not re.search(r"^\s*(def|class) ", source, re.MULTILINE), "no def/class in notebooks"
        assert not cell.get("outputs"), "notebooks are committed without outputs"
    charts = [c for c in cells if CHART_CALL.search("".join(c["source"]))]
    assert charts and all("".join(c["source"]).startswith("#| label: fig-") for c in charts)
    assert "figures.save()" in "".join(cells[-1]["source"])


@pytest.mark.notebooks
@pytest.mark.slow
def test_poverty_profile_for_one_governorate_on_demo_like_data(tmp_path, survey, parquet,
                                                                 batch_file):
    frame = with_domains(survey(2024, households_per_psu=10))
    parquet(frame, tmp_path / "data" / "survey_2024.parquet")
    (tmp_path / "notebooks").mkdir()
    source = REPO / "notebooks" / "poverty_profile.ipynb"
    (tmp_path / "notebooks" / source.name).write_bytes(source.read_bytes())
    repo_config = yaml.safe_load((REPO / "parameters" / "batch.yaml").read_text())
    config = batch_file(tmp_path, {"poverty_profile": repo_config["notebooks"]["poverty_profile"]},
                        governorates=["Basra"], languages=["en", "ar"],
                        warmup=repo_config["warmup"])
    result = run_batch(config, root=tmp_path, jobs=1, progress=False)
    assert [(r.lang, r.status, r.error) for r in result.records] == [
        ("en", "done", None), ("ar", "done", None)]

    # Person-weighted headcount of Basrah and Iraq by closed form, at the official 2024 line.
    line = official_line(2024)
    w = frame["weight"] * frame["hhsize"]
    poor = (frame["consumption_pc"] < line).astype(float)
    basrah = frame["governorate"] == "IQG02"
    expected = {"gov": (w * poor)[basrah].sum() / w[basrah].sum(),
                "nat": (w * poor).sum() / w.sum()}

    out = tmp_path / "reports/executed/poverty_profile/2024"
    for stem, words in (("IQG02", ("Poverty profile: Basrah, 2024",)),
                        ("IQG02.ar", ("ملف الفقر: البصرة", "بيانات تجريبية مصطنعة"))):
        nb = json.loads((out / f"{stem}.ipynb").read_text())
        outputs = [o for c in code_cells(nb) for o in c["outputs"]]
        assert not [o for o in outputs if o["output_type"] == "error"]
        first_md = next("".join(o["data"]["text/markdown"]) for o in outputs
                        if "text/markdown" in o.get("data", {}))
        assert "SYNTHETIC DEMO DATA" in first_md and all(w_ in first_md for w_ in words)
        fig_cell = next(c for c in code_cells(nb)
                        if "".join(c["source"]).startswith("#| label: fig-"))
        kinds = [k for o in fig_cell["outputs"] for k in o.get("data", {})]
        assert "application/vnd.plotly.v1+json" in kinds and "image/png" not in kinds

        doc = json.loads((out / f"{stem}.figures.json").read_text())
        assert doc["synthetic"] is True
        assert doc["data"] == [{"path": "data/survey_2024.parquet", "synthetic": True,
                                "sha256": sha256_file(tmp_path / "data/survey_2024.parquet")}]
        figs = doc["figures"]
        np.testing.assert_allclose(figs["headcount_governorate"]["value"], expected["gov"],
                                   rtol=1e-12)  # closed form
        np.testing.assert_allclose(figs["headcount_national"]["value"], expected["nat"],
                                   rtol=1e-12)
        np.testing.assert_allclose(figs["poverty_line"]["value"], line, rtol=1e-12)
        assert figs["households_sampled"]["value"] == int(basrah.sum())
        records = doc["tables"]["poverty"]["records"]
        assert {r["measure"] for r in records} == {"headcount", "gap", "severity"}
        assert len(records) == 3 * 19 and all(r["ci_low"] <= r["estimate"] <= r["ci_high"]
                                              for r in records)
        tables = doc["tables"]
        assert {"poverty", "trend", "poor_profile", "inequality", "displacement", "head_sex",
                "districts"} <= set(tables)
        for name, table in tables.items():
            assert TIDY <= set(table["records"][0]), name
        # 40 households per governorate over two districts: every district is below 30.
        assert all(r["suppressed"] for r in tables["districts"]["records"])
        sexes = {r["head_sex"]: r for r in tables["head_sex"]["records"]
                 if r["measure"] == "headcount"}
        female = frame[basrah & (frame["head_sex"] == "female")]
        assert sexes["female"]["n"] == len(female)
