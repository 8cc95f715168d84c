from __future__ import annotations

from pathlib import Path

import publish_fixtures as fixtures
import pytest


@pytest.fixture(scope="session")
def executed(tmp_path_factory) -> Path:
    """Basrah 2024 executed by papermill in English and Arabic, with its sidecar."""
    return fixtures.build_executed(tmp_path_factory.mktemp("reports"))


@pytest.fixture(scope="session")
def site(executed) -> tuple[Path, object]:
    """The fixture published with the pandoc engine: both languages, HTML and PDF."""
    from workbench.publish import publish

    out = executed.parent / "_site"
    result = publish(executed, out, engine="pandoc", jobs=1)
    return out, result
