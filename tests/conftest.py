"""Session fixtures shared by the test suite: the demo data, generated once per session."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

# Small census frame in several chunks; survey rounds and panel at their full default size,
# because the calibration tolerances are asserted on them.
DEMO_OPTIONS: dict[str, Any] = {"seed": 0, "census_households": 30_000, "chunk_size": 7_000}


@dataclass(frozen=True)
class Demo:
    """A generated demo directory and its manifest."""

    path: Path
    manifest: dict[str, Any]
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def read(self, name: str) -> pd.DataFrame:
        """A file of the demo directory as a DataFrame (cached; do not modify it)."""
        if name not in self._cache:
            self._cache[name] = pd.read_parquet(self.path / f"{name}.parquet")
        return self._cache[name]

    @property
    def years(self) -> list[int]:
        return self.manifest["options"]["years"]


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The demo data generated once per session, with a small frame."""
    from workbench.data.demo import generate

    out = tmp_path_factory.mktemp("demo")
    return Demo(out, generate(out, **DEMO_OPTIONS))


@pytest.fixture(scope="session")
def demo_params():
    """``parameters/demo.yaml``, validated."""
    from workbench.data.demo.parameters import load_demo_parameters

    return load_demo_parameters()


#: Flags for Debian's Chromium on a machine with no network but the package registries.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no `playwright install`), one per session.

    One session-wide instance: Playwright's sync API runs an event loop of its own, so two
    instances alive at once (or ``asyncio.run`` beside one) fail.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Debian chromium is missing: `make setup` installs it (DEBIAN_PACKAGES)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()
