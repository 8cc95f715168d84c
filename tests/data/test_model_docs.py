"""docs/data.md is the text that `workbench data model` prints: regenerate it after a model change."""

from pathlib import Path

from typer.testing import CliRunner

from workbench.cli import app
from workbench.data.docs import model_markdown
from workbench.data.model import TABLES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "data.md"


def test_docs_data_md_is_the_generated_text():
    assert DOCS.read_text(encoding="utf-8") == model_markdown() + "\n", (
        "docs/data.md is stale: run `workbench data model > docs/data.md`")


def test_the_command_prints_the_same_text():
    result = CliRunner().invoke(app, ["data", "model"])
    assert result.exit_code == 0
    assert result.output == DOCS.read_text(encoding="utf-8")


def test_every_table_is_documented_with_unique_columns_and_a_declared_key():
    text = DOCS.read_text(encoding="utf-8")
    for table in TABLES.values():
        assert f"## `{table.name}`" in text
        assert len(set(table.names)) == len(table.names), table.name
        assert set(table.key) <= set(table.names), table.name
