"""`?` and Tab over SSH in the default (plain) mode, with a PTY as people and paramiko use
it (TERM xterm and vt100): the listing is byte for byte the full-screen shell's own,
followed by the prompt and the typed text again; Tab completes; only plain text, CR/LF and
backspace-erase ever come back."""
from __future__ import annotations

import re
import time

import pytest

from nos_shell import Session
from nos_shell.shell.help import possible_completions
from nos_shell.shell.state import ShellState
from test_ssh import connect
from test_ssh_lab import require, ssh_server  # noqa: F401

paramiko = require("paramiko")

OP = "vyos@r1:~$ "
CONF = "vyos@r1# "
SAMPLES = {
    "op": ["", "sh", "show ", "show interfaces ", "show version ", "ping 192.0.2.1 ", "frob "],
    "conf": ["", "set ", "set interfaces ethernet ", "set interfaces ethernet eth0 ",
             "set interfaces ethernet eth0 d", "set interfaces ethernet eth0 address ",
             "set system ", "delete interfaces ", "show interfaces ethernet ", "commit ",
             "run show ", "set interfaces wobble ", "edit interfaces ethernet eth0 "],
}
ALLOWED_CONTROLS = re.compile(rb"[\x00-\x07\x09\x0b\x0c\x0e-\x1f\x7f]")   # all but \b \n \r


class Terminal:
    """An interactive SSH session with a PTY; reads until an exact ending."""

    def __init__(self, server, term: str):
        self.client = connect(server)
        self.channel = self.client.invoke_shell(term=term, width=200)
        self.channel.settimeout(10)
        self.seen = b""
        self.until(OP.encode())

    def until(self, ending: bytes) -> bytes:
        data = b""
        deadline = time.monotonic() + 15
        while not data.endswith(ending):
            if time.monotonic() > deadline:
                raise AssertionError(f"no {ending!r} after {data!r}")
            chunk = self.channel.recv(65536)
            if not chunk:
                raise AssertionError(f"connection closed after {data!r}")
            data += chunk
        self.seen += data
        return data

    def type(self, text: str, ending: str) -> str:
        self.channel.send(text.encode())
        return self.until(ending.encode()).decode()

    def close(self) -> None:
        self.client.close()


@pytest.fixture(params=["xterm", "vt100"])
def terminal(request, ssh_server):  # noqa: F811
    t = Terminal(ssh_server, request.param)
    yield t
    assert not ALLOWED_CONTROLS.search(t.seen), "only text, CR, LF and backspace may be sent"
    assert b"\x1b" not in t.seen
    t.close()


def full_screen_listing(root, mode: str, text: str) -> str:
    """What `?` prints in the full-screen shell for ``text`` (help.py on a ShellState)."""
    session = Session(root, user="vyos", via="ssh")
    try:
        state = ShellState(session)
        if mode == "conf":
            assert state.run("configure").ok
        return possible_completions(state, text)
    finally:
        session.close()


@pytest.mark.parametrize("mode", ["op", "conf"])
def test_question_mark_lists_exactly_what_the_full_screen_shell_lists(terminal, ssh_server, mode):  # noqa: F811
    prompt = OP
    if mode == "conf":
        terminal.type("configure\r", CONF)
        prompt = CONF
    for text in SAMPLES[mode]:
        listing = full_screen_listing(ssh_server.root, mode, text).replace("\n", "\r\n")
        out = terminal.type(text + "?", prompt + text)
        assert out == text + "\r\n" + listing + prompt + text, text
        # the line is still there, without the `?`: Ctrl-U erases exactly what was typed
        assert terminal.type("\x15", "\b \b" * len(text) if text else "") == "\b \b" * len(text)


def test_tab_completes_a_unique_prefix_and_lists_on_the_second_tab(terminal, ssh_server):  # noqa: F811
    assert terminal.type("sh\t", "sh" + "ow ") == "show "
    assert terminal.type("ver\t", "sion ") == "version "
    out = terminal.type("\r", OP)
    assert out.startswith("\r\nVersion:")
    # a single Tab on an empty line lists at once
    listing = full_screen_listing(ssh_server.root, "op", "").replace("\n", "\r\n")
    assert terminal.type("\t", OP) == "\r\n" + listing + OP
    terminal.type("conf\t\r", CONF)
    line = "set interfaces ethernet eth0 d"
    assert terminal.type(line + "\t", line) == line          # nothing to add: nothing happens
    listing = full_screen_listing(ssh_server.root, "conf", line).replace("\n", "\r\n")
    assert terminal.type("\t", CONF + line) == "\r\n" + listing + CONF + line
    assert terminal.type("es\t", "cription ") == "escription "
    terminal.type("'why? because'\r", CONF)
    out = terminal.type("compare commands\r", CONF)
    assert "set interfaces ethernet eth0 description 'why? because'\r\n" in out


def test_question_mark_in_a_value(terminal):
    """Inside quotes `?` is typed; `\\?` types a `?` in a bare word; Ctrl-V `?` too."""
    terminal.type("configure\r", CONF)
    terminal.type("set interfaces ethernet eth2 description 'who?'\r", CONF)
    assert terminal.type("set interfaces ethernet eth0 description what\\", "\\") .endswith("what\\")
    assert terminal.type("?", "\b?") == "\b?"                   # the backslash became the `?`
    terminal.type("\r", CONF)
    assert terminal.type("set interfaces ethernet eth1 description x\x16?", "x?").endswith("x?")
    terminal.type("\r", CONF)
    out = terminal.type("compare commands\r", CONF)
    assert "set interfaces ethernet eth0 description 'what?'\r\n" in out
    assert "set interfaces ethernet eth1 description 'x?'\r\n" in out
    assert "set interfaces ethernet eth2 description 'who?'\r\n" in out
