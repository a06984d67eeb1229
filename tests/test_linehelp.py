"""`?`, Tab and the line-editing keys of the plain line mode (nos_shell/shell/linehelp.py,
plain.py): the same candidates as the full-screen shell, plain text only, and nothing
changes for scripts (no echo: no PTY, a pipe)."""
from __future__ import annotations

import os
import pty
import re
import sys
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nos_shell import Session
from nos_shell.shell.linehelp import ESCAPED, HELP, INSERT, question_mark
from nos_shell.shell.plain import LineProtocol
from nos_shell.shell.state import ShellState
from propsettings import examples
from test_shell_interactive import CONF_PROMPT, CSI, OP_PROMPT, Terminal

OP, CONF = "vyos@vyos:~$ ", "vyos@vyos# "


@pytest.fixture
def proto(tmp_path):
    return LineProtocol(Session(tmp_path, user="vyos", via="ssh"))


def typed(proto: LineProtocol, *chunks: str) -> str:
    return b"".join(proto.feed(chunk.encode()) for chunk in chunks).decode()


def listing_of(proto: LineProtocol, text: str) -> str:
    """The `?` listing the plain mode prints for ``text`` (the line is left as it was)."""
    out = typed(proto, text + "?")
    prompt = proto.session.prompt
    assert out.startswith(text + "\r\n") and out.endswith(prompt + text), out
    typed(proto, "\x15")
    return out[len(text) + 2:-len(prompt + text)].replace("\r\n", "\n")


def test_question_mark_rule(tmp_path):
    state = ShellState(Session(tmp_path, user="vyos"))
    assert state.run("configure").ok
    assert question_mark(state, "set system host-name ") == HELP
    assert question_mark(state, "set interfaces ethernet eth0 description 'why") == INSERT
    assert question_mark(state, 'set interfaces ethernet eth0 description "a \\" b') == INSERT
    assert question_mark(state, "set interfaces ethernet eth0 description 'done'") == HELP
    assert question_mark(state, "set interfaces ethernet eth0 description what\\") == ESCAPED
    assert question_mark(state, "set interfaces ethernet eth0 description what\\\\") == HELP


def test_scripts_without_echo_type_question_marks_and_tabs_as_before(tmp_path):
    """No PTY (or a pipe): nothing is echoed, `?` is an ordinary character, Tab a blank."""
    proto = LineProtocol(Session(tmp_path, user="vyos"), echo=False, newline="\n")
    out = typed(proto, "configure\n", "set\tinterfaces ethernet eth0 description what?\n", "compare commands\n")
    assert "Possible completions" not in out
    assert "set interfaces ethernet eth0 description 'what?'\n" in out


def test_tab_completes_and_a_second_tab_lists(proto):
    assert typed(proto, "sh\t") == "show "
    assert typed(proto, "\x15") == "\b \b" * 5
    assert typed(proto, "conf\t\r") == "configure \r\n[edit]\r\n" + CONF
    assert typed(proto, "set interfaces ethernet eth0 d\t") == "set interfaces ethernet eth0 d"
    second = typed(proto, "\t")
    assert second.startswith("\r\nPossible completions:\r\n   description")
    assert second.endswith(CONF + "set interfaces ethernet eth0 d")
    # a quoted value is completed quoted, replacing what was typed
    typed(proto, "\x15", "set interfaces ethernet eth0 description 'a b'\r", "delete interfaces ethernet eth0 ")
    assert typed(proto, "description a\t") == "description a" + "\b \b" + "'a b' "


def test_line_editing_keys(proto):
    typed(proto, "configure\r")
    assert typed(proto, "set system host-name  ab\x17") == "set system host-name  ab" + "\b \b" * 2
    assert typed(proto, "\x17") == "\b \b" * 11                 # the blanks after a word go with it
    assert typed(proto, "x\x16?\x16\t\r").startswith("x? \r\n")  # Ctrl-V: the next key as it is
    assert typed(proto, "junk\x03") == "junk^C\r\n[edit]\r\n" + CONF


def test_listing_is_plain_text(proto):
    out = typed(proto, "?", "configure\r", "set interfaces ethernet eth0 ?", "\t\t", "\x15", "frob ?")
    assert "\x1b" not in out and not re.search(r"[\x00-\x07\x09\x0b-\x0c\x0e-\x1f\x7f]", out)
    assert "\r\n\r\n  Invalid command: [frob]\r\n\r\n" + CONF + "frob " in out


def test_plain_and_full_screen_list_the_same_candidates(tmp_path):
    """The real full-screen shell on a pty and the plain mode, same root, same lines: the
    `?` listings agree row for row."""
    root = tmp_path / "root"
    term = Terminal(root)
    plain = LineProtocol(Session(root, user="vyos"))
    samples = {"op": ["", "sh", "show ", "show interfaces "],
               "conf": ["set ", "set interfaces ethernet ", "set interfaces ethernet eth0 ",
                        "set system ", "delete ", "show interfaces "]}
    try:
        term.expect(OP_PROMPT)
        for mode, lines in samples.items():
            if mode == "conf":
                term.send("configure\r")
                term.expect(CONF_PROMPT)
                typed(plain, "configure\r")
            for text in lines:
                term.send(text + "?")
                found = term.expect(rb"Possible completions:.*?vyos@vyos")
                screen = CSI.sub(b"", found.group()).replace(b"\r", b"").decode()
                full = screen[:-len("vyos@vyos")]
                term.send("\x15")
                assert listing_of(plain, text) == full, text
    finally:
        term.close()


def test_local_plain_mode_on_a_terminal(tmp_path):
    """`nos-shell --plain` on a terminal: `?` and Tab like over SSH, lines end with \\n."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ["TERM"] = "xterm"
        os.execv(sys.executable, [sys.executable, "-m", "nos_shell", "--root", str(tmp_path), "--user", "vyos",
                                  "--plain"])
    data = b""

    def until(ending: bytes) -> bytes:
        nonlocal data
        deadline = time.monotonic() + 20
        while not data.endswith(ending) and time.monotonic() < deadline:
            try:
                data += os.read(fd, 65536)
            except OSError:
                break
        return data

    try:
        until(OP.encode())
        os.write(fd, b"sh\t")
        until(b"show ")
        os.write(fd, b"ver?")
        until(OP.encode() + b"show ver")
        os.write(fd, b"\t\r")
        until(OP.encode())
        os.write(fd, b"exit\r")
        until(b"never")
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert b"\x1b" not in data
    session = data.split(OP.encode(), 1)[1]
    # the terminal turns each \n into \r\n (output processing stays on in character mode)
    assert session.startswith(b"show ver\r\nPossible completions:\r\n  version  Show the version\r\n"
                              + OP.encode() + b"show version \r\nVersion:")


# -- what the user sees is what runs ----------------------------------------------------------
KEYS = ["show ", "sh", "int", "interfaces ", "ver", "configure", "ping ", "192.0.2.1", "x", " ", "'",
        "\\", "?", "\t", "\x7f", "\x15", "\x17", "\x16"]


def dumb_terminal(data: str) -> tuple[str, int]:
    """The last line of a terminal that only knows CR, LF, backspace and text; and the column."""
    line: list[str] = []
    col = 0
    for char in data:
        if char == "\n":
            line, col = [], 0
        elif char == "\r":
            col = 0
        elif char == "\b":
            col = max(0, col - 1)
        else:
            line[col:col + 1] = [char]
            col += 1
    return "".join(line), col


@pytest.fixture(scope="module")
def shared_root(tmp_path_factory):
    return tmp_path_factory.mktemp("linehelp") / "root"


@examples(60)
@given(keys=st.lists(st.sampled_from(KEYS), max_size=12))
def test_the_screen_shows_the_line_that_would_run(shared_root, keys):
    """Whatever is typed (`?`, Tab, erasing keys, Ctrl-V in any order), a dumb terminal
    shows the prompt and exactly the line the protocol holds, with the cursor at its end."""
    proto = LineProtocol(Session(shared_root, user="vyos"))
    out = proto.start().decode() + typed(proto, *keys)
    assert "\x1b" not in out and not re.search(r"[\x00-\x07\x09\x0b-\x0c\x0e-\x1f\x7f]", out)
    shown, col = dumb_terminal(out)
    expected = proto.session.prompt + "".join(proto._line)
    assert col == len(expected)
    assert shown.rstrip(" ") == expected.rstrip(" ")
