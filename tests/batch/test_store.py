"""The results store: sidecars of the current successful runs, collected into two files."""

import json

import pandas as pd

from workbench.batch.manifest import Manifest, RunRecord
from workbench.batch.store import ESTIMATE_COLUMNS, collect, read_estimates


def sidecar(path, *, governorate, synthetic=True, headcount=0.2, scalar=1.0):
    records = [
        {"measure": "headcount", "governorate": governorate, "year": 2024, "estimate": headcount,
         "se": 0.01, "ci_low": headcount - 0.02, "ci_high": headcount + 0.02, "df": 36, "n": 400,
         "N": 1e6, "cv": 0.05, "suppressed": False},
        # The comparison rows every profile carries: the same estimate in every sidecar.
        {"measure": "headcount", "governorate": "national", "year": 2024, "estimate": 0.25,
         "se": 0.005, "ci_low": 0.24, "ci_high": 0.26, "df": 36, "n": 7000, "N": 4e7,
         "cv": 0.02, "suppressed": False},
    ]
    by_sex = [{"measure": "headcount", "head_sex": "female", "estimate": 0.3, "n": 12,
               "suppressed": True}]
    doc = {"schema": "workbench.figures/1", "synthetic": synthetic,
           "data": [{"path": "data/demo/survey_2024.parquet", "sha256": "ab",
                     "synthetic": synthetic}],
           "parameters": {"governorate": governorate}, "run_date": "2026-01-01T00:00:00+00:00",
           "package_version": "0.1.0", "figures": {"headcount_governorate": {"value": scalar}},
           "tables": {"poverty": {"meta": {}, "records": records},
                      "by_sex": {"meta": {}, "records": by_sex}}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    return str(path)


def add(m, tmp_path, gov, lang, status="done", **kw):
    stem = gov if lang == "en" else f"{gov}.{lang}"
    fig = sidecar(tmp_path / "executed" / f"{stem}.figures.json", governorate=gov, **kw)
    m.record(RunRecord(batch="b", notebook="poverty_profile", year=2024, governorate=gov, lang=lang,
                       parameters={}, input_hash="h", inputs={}, status=status,
                       output=str(tmp_path / "executed" / f"{stem}.ipynb"),
                       figures=fig if status == "done" else None))


def test_collect_one_tidy_table_and_key_figures(tmp_path):
    manifest = tmp_path / "manifest.sqlite"
    with Manifest(manifest) as m:
        add(m, tmp_path, "IQG02", "en", headcount=0.2, scalar=0.2)
        add(m, tmp_path, "IQG02", "ar", headcount=0.2, scalar=999.0)  # English is read instead
        add(m, tmp_path, "IQG08", "en", headcount=0.1, scalar=0.1)
        add(m, tmp_path, "IQG09", "ar", headcount=0.4, scalar=0.4)  # no English twin: read
        add(m, tmp_path, "IQG10", "en", status="failed")  # failed runs never reach the store
    paths = collect(manifest, tmp_path / "results")
    est = read_estimates(tmp_path / "results")
    assert tuple(est.columns) == ESTIMATE_COLUMNS
    whole = est[est["domain"] == ""]
    assert whole.set_index("governorate")["estimate"].to_dict() == {
        "IQG02": 0.2, "IQG08": 0.1, "IQG09": 0.4, "national": 0.25}
    sub = est[est["domain"] != ""]
    assert sub["domain"].tolist() == ["head_sex=female"] * 3
    assert sub["suppressed"].tolist() == [True] * 3
    assert sub["governorate"].tolist() == ["IQG02", "IQG08", "IQG09"]  # filled from the run
    assert est["synthetic"].all()
    assert str(est["n"].dtype) == "Int64" and str(est["suppressed"].dtype) == "boolean"

    kf = json.loads(paths["key_figures"].read_text())
    assert kf["synthetic"] is True
    assert [(r["governorate"], r["lang"], r["figures"]["headcount_governorate"]["value"])
            for r in kf["runs"]] == [("IQG02", "en", 0.2), ("IQG08", "en", 0.1),
                                     ("IQG09", "ar", 0.4)]
    assert kf["runs"][0]["data"][0]["sha256"] == "ab"


def test_empty_store_has_the_columns(tmp_path):
    manifest = tmp_path / "manifest.sqlite"
    Manifest(manifest).close()
    collect(manifest, tmp_path / "results")
    est = pd.read_parquet(tmp_path / "results" / "estimates.parquet")
    assert est.empty and tuple(est.columns) == ESTIMATE_COLUMNS
