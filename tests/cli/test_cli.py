"""The command line behaves like a good CLI: help, one-line errors, exit codes."""

import subprocess
import sys

from typer.testing import CliRunner

from workbench.cli import app

runner = CliRunner()


def test_help_lists_the_subcommands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "data" in result.output


def test_data_model_prints_the_canonical_survey_table():
    result = runner.invoke(app, ["data", "model"])
    assert result.exit_code == 0
    assert "| `consumption_pc` |" in result.output


def test_user_error_is_one_line_and_exit_code_2():
    # A real process: the console entry point turns WorkbenchError into one line, no traceback.
    code = ("import sys; sys.argv=['workbench','data','model'];"
            "import workbench.cli as c;"
            "from workbench.errors import DataError;"
            "c.app = lambda: (_ for _ in ()).throw(DataError('bad.csv: column weight must be > 0'));"
            "c.main()")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == ["error: bad.csv: column weight must be > 0"]


def test_unknown_subcommand_is_a_usage_error():
    result = runner.invoke(app, ["no-such-command"])
    assert result.exit_code == 2


def test_data_check_accepts_a_canonical_file_and_reports_a_bad_one(demo, tmp_path):
    good = runner.invoke(app, ["data", "check", str(demo.path / "survey_2018.parquet")])
    assert good.exit_code == 0, good.output
    assert "ok: survey_2018.parquet" in good.output and "36 strata" in good.output
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    result = runner.invoke(app, ["data", "check", str(bad)])
    assert result.exit_code == 2
    assert "bad.csv" in result.output and "missing required columns" in result.output
    assert bad.read_text() == "a,b\n1,2\n"


def test_data_import_writes_canonical_parquet_and_keeps_the_synthetic_label(demo, tmp_path):
    import pyarrow.parquet as pq

    source = demo.path / "survey_2012.parquet"
    before = source.read_bytes()
    out = tmp_path / "private" / "survey_2012.parquet"
    result = runner.invoke(app, ["data", "import", str(source), str(out)])
    assert result.exit_code == 0, result.output
    written = pq.read_table(out)
    assert written.schema.metadata[b"synthetic"] == b"true"
    assert written.num_rows == len(demo.read("survey_2012"))
    assert source.read_bytes() == before
