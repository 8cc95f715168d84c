"""The estimator tests share one helper module, tests/poverty/testkit.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "poverty"))
