"""Atomic writes (workbench.files): the examples hold, and a failed write keeps the old file."""

import doctest

import pytest

import workbench.files
from workbench.files import atomic_path, write_atomic


def test_examples():
    result = doctest.testmod(workbench.files)
    assert result.attempted > 0 and result.failed == 0


def test_a_failed_write_keeps_the_previous_file_and_leaves_no_temporary(tmp_path):
    target = write_atomic(tmp_path / "results.json", "old")
    with pytest.raises(OSError), atomic_path(target) as tmp:
        tmp.write_text("new, half written")
        raise OSError("disk full")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]
