"""The one catalogue: complete in both languages, consistent placeholders, no strings elsewhere."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from workbench.errors import ParameterError
from workbench.geography import governorates
from workbench.i18n import LANGS, direction, entries, keys, ltr, place_name, tr

ARABIC = re.compile(r"[\u0600-\u06FF]")
# Same text in both languages on purpose (a symbol, or the name of the other language's switch).
SAME_IN_BOTH = {"unit.percent"}
SRC = Path(__file__).resolve().parents[2] / "src" / "workbench"


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_key_has_english_and_arabic():
    for key, texts in entries().items():
        assert set(texts) == set(LANGS), key
        assert texts["en"].strip() and texts["ar"].strip(), key
        if key not in SAME_IN_BOTH and key != "nav.other_language":
            assert ARABIC.search(texts["ar"]), f"{key}: Arabic text has no Arabic letters"
            assert not ARABIC.search(texts["en"]), f"{key}: English text has Arabic letters"


def test_placeholders_match_between_languages():
    for key, texts in entries().items():
        assert _fields(texts["en"]) == _fields(texts["ar"]), key


def test_tr_fills_fields_and_rejects_unknowns():
    assert tr("chart.by_governorate", "en", measure="Gap", year=2024) == "Gap by governorate, 2024"
    assert tr("chart.by_governorate", "ar", measure="فجوة", year=2024) == "فجوة حسب المحافظة، 2024"
    assert tr("no.such.key", "ar", default="x") == "x"
    with pytest.raises(ParameterError, match="no key 'no.such.key'"):
        tr("no.such.key", "en")
    with pytest.raises(ParameterError, match="unknown language 'fr'"):
        tr("label.year", "fr")  # type: ignore[arg-type]


def test_governorate_names_come_from_geography():
    for g in governorates():
        assert place_name(g.pcode, "ar") == g.name_ar
        assert place_name(g.pcode, "en") == g.name_en
    assert place_name("national", "ar") == "العراق"


def test_direction_and_ltr_isolation():
    assert direction("ar") == "rtl" and direction("en") == "ltr"
    assert ltr("1–2", "ar") == "\u20661–2\u2069"
    assert ltr("1–2", "en") == "1–2"


def _code_strings(path: Path) -> list[str]:
    """String literals of a module, docstrings (examples) excepted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
            and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_reader_facing_arabic_lives_only_in_the_catalogue():
    """Charts, tables and publishing code hold no Arabic literals: they call tr()."""
    offenders = [str(p.relative_to(SRC)) for folder in ("charts", "publish") for p in (SRC / folder).rglob("*.py")
                 if any(ARABIC.search(s) for s in _code_strings(p))]
    assert offenders == []
    assert len(keys()) > 50
