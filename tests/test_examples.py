"""The example command files run cleanly and produce what they promise."""
from __future__ import annotations

from pathlib import Path

import pytest

from nos_shell.cli import read_lines
from nos_shell.session import Session

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.cmds"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_runs(path, tmp_path):
    session = Session(tmp_path)
    result = session.run_script(read_lines(str(path)), str(path))
    assert result.ok, result.error.summary
    assert len(session.store.revisions()) == 2
    assert (tmp_path / "etc/hostname").exists()


def test_there_are_examples():
    assert {p.stem for p in EXAMPLES} >= {"home-router", "datacenter-node", "edge-router"}
