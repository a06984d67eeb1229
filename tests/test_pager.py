"""Long output pages at a terminal (`--More--`); `| no-more` and `terminal length 0` do not."""
from __future__ import annotations

import subprocess
import sys

import pytest

from test_shell_interactive import OP_PROMPT, Terminal

pytest.importorskip("prompt_toolkit")

LINES = 70   # more than one 40-row screen


@pytest.fixture
def term(tmp_path):
    root = tmp_path / "root"
    script = "configure\n" + "".join(f"set system name-server 192.0.2.{n}\n" for n in range(1, LINES + 1)) \
        + "commit\nexit\n"
    subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), "-f", "-"], input=script,
                   text=True, check=True, capture_output=True, timeout=60)
    t = Terminal(root)
    t.expect(OP_PROMPT)
    yield t
    t.close()


def test_long_output_pages_and_space_shows_the_rest(term):
    term.send("show configuration commands\r")
    term.expect(rb"--More--")
    assert b"192.0.2.70'" not in term.raw
    term.send(" ")
    term.expect(rb"192\.0\.2\.70'")
    term.expect(OP_PROMPT)


def test_q_stops_paging(term):
    term.send("show configuration commands\r")
    term.expect(rb"--More--")
    term.send("q")
    term.expect(OP_PROMPT)
    assert b"192.0.2.70'" not in term.raw


def test_no_more_and_terminal_length_zero_do_not_page(term):
    term.send("show configuration commands | no-more\r")
    term.expect(rb"192\.0\.2\.70'")
    term.expect(OP_PROMPT)
    term.send("set terminal length 0\r")
    term.expect(OP_PROMPT)
    term.send("show configuration commands\r")
    term.expect(rb"192\.0\.2\.70'")
    term.expect(OP_PROMPT)
    assert b"--More--" not in term.raw


def test_a_key_that_closes_the_pager_starts_the_next_line(term):
    """At `--More--`, typing the next command closes the pager and keeps every key of it
    (the first one is not eaten: `show host name`, not `how host name`)."""
    term.send("show configuration commands\r")
    term.expect(rb"--More--")
    term.send("show host name\r")
    term.expect_text("show host name\nvyos\n")
    term.expect(OP_PROMPT)
    assert b"[how]" not in term.raw and b"192.0.2.70'" not in term.raw
