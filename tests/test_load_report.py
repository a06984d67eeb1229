"""A `load` or `merge` that a `-f` command file runs and that is refused reports every
problem on its own line, as the interactive shell shows them (it was one line joined by
": "), for both kinds of file: `set` lines and config.boot text."""
from __future__ import annotations

import subprocess
import sys

import pytest

from nos_shell import Session
from nos_shell.errors import NosError, ProblemList, located, report

BAD_COMMANDS = "set system host-name ok\nset bogus thing\nset interfaces ethernet eth0 nonsense 1\n"
BAD_BOOT = "system {\n    host-name x\n    bogus 1\n}\ninterfaces {\n    ethernet eth0 {\n        nonsense 1\n    }\n}\n"


def shell_lines(root, verb: str, path) -> list[str]:
    """The problems the interactive shell prints for ``verb path`` (its indented block)."""
    session = Session(root, user="vyos")
    session.run("configure")
    result = session.run(f"{verb} {path}")
    assert not result.ok
    return [line.strip() for line in result.output.splitlines() if line.strip()]


@pytest.mark.parametrize("verb", ["load", "merge"])
@pytest.mark.parametrize("name, text", [("bad.cmds", BAD_COMMANDS), ("bad.boot", BAD_BOOT)])
def test_a_refused_load_under_f_prints_one_problem_a_line(tmp_path, verb, name, text):
    bad = tmp_path / name
    bad.write_text(text)
    script = tmp_path / "script"
    script.write_text(f"configure\n{verb} {bad}\ncommit\n")
    root = tmp_path / "root"
    done = subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), "-f", str(script)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    expected = shell_lines(root, verb, bad)
    assert len(expected) >= 2
    assert lines[0] == f"{script}:2: {expected[0]}"
    assert lines[1:] == [f"  {line}" for line in expected[1:]]
    assert lines[0].startswith(f"{script}:2: {bad}:") and lines[1].startswith(f"  {bad}:")


def test_other_errors_keep_their_one_line_report():
    single = located("f:3", NosError("Configuration path: [x] is not valid", "Set failed"))
    assert report(single) == "f:3: Configuration path: [x] is not valid"
    listed = located("f:2", ProblemList("a:1: one", "a:2: two", "Load failed: nothing was loaded"))
    assert report(listed) == "f:2: a:1: one\n  a:2: two\n  Load failed: nothing was loaded"
    assert "\n" not in listed.summary             # logs still get one line
