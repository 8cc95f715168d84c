from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.geography import governorates


@pytest.fixture
def params_dir(tmp_path, monkeypatch):
    """An empty parameters folder used instead of the project's."""
    folder = tmp_path / "parameters"
    folder.mkdir()
    monkeypatch.setenv("WORKBENCH_PARAMETERS", str(folder))
    return folder


@pytest.fixture
def gov_table() -> pd.DataFrame:
    """18 governorates, headcount 2024; Muthanna (IQG03) rests on 12 households."""
    codes = [g.pcode for g in governorates()]
    est = np.linspace(0.05, 0.50, len(codes))
    t = pd.DataFrame({"measure": "headcount", "year": 2024, "governorate": codes, "estimate": est,
                      "se": 0.01, "ci_low": est - 0.02, "ci_high": est + 0.03, "n": 500})
    t.loc[t.governorate == "IQG03", "n"] = 12
    return t
