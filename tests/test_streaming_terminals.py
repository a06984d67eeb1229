"""Streaming output and Ctrl-C at a real terminal: `nos-shell` on a pseudo-terminal that is
its controlling terminal, so Ctrl-C is the kernel's SIGINT, as for a person.

`ping ... count 100 interval 0.2` is interrupted after its second reply: the statistics
then report fewer than 100 packets sent, which proves the replies were shown while it ran
(no timed assertion), and the prompt comes back with the shell still working."""
from __future__ import annotations

import fcntl
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios

import pytest

from lab import missing
from test_ops_everyday import last_entry, stub_journal
from test_shell_interactive import OP_PROMPT, Terminal
from test_streams import processes_with

PING = "ping 127.0.0.1 count 100 interval 0.2"
STATISTICS = rb"\^C.*--- 127\.0\.0\.1 ping statistics ---\r*\n(\d+) packets transmitted"


def _take_terminal() -> None:    # in the child: the pty (stdin) becomes its controlling terminal
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class ControllingTerminal(Terminal):
    """:class:`Terminal`, with the pty as the process's controlling terminal."""

    def __init__(self, root, *args: str):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
        environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PROMPT_TOOLKIT_NO_CPR")}
        environ.update(TERM="xterm", HOME=str(root))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "nos_shell", "--root", str(root), "--user", "vyos", *args],
            stdin=slave, stdout=slave, stderr=slave, env=environ, start_new_session=True,
            preexec_fn=_take_terminal)
        os.close(slave)
        self.fd = master
        self.raw = b""
        self.pos = 0


@pytest.fixture
def spawn(tmp_path):
    if shutil.which("ping") is None:
        missing("ping (iputils-ping) is not installed")
    started: list[ControllingTerminal] = []

    def start(*args: str) -> ControllingTerminal:
        started.append(ControllingTerminal(tmp_path / "root", *args))
        return started[-1]

    yield start
    for term in started:
        term.close()


def interrupt_ping(term: Terminal) -> None:
    """Wait for the second reply, press Ctrl-C, check the statistics came after it."""
    term.expect(rb"icmp_seq=2 ")
    term.send("\x03")
    sent = int(term.expect(STATISTICS).group(1))
    assert 2 <= sent < 100


@pytest.mark.parametrize("mode", [(), ("--plain",)], ids=["full-screen", "plain"])
def test_ctrl_c_stops_ping_and_the_shell_goes_on(spawn, mode):
    term = spawn(*mode)
    term.expect(OP_PROMPT)
    term.send(PING + "\r")
    interrupt_ping(term)
    term.expect(OP_PROMPT)
    assert term.proc.poll() is None                  # the shell survived the SIGINT
    term.send("show host name\r")
    term.expect(rb"show host name.*?[^@]vyos\r*\n")
    term.expect(OP_PROMPT)
    if mode:
        assert b"\x1b" not in term.raw                # plain mode: no escape sequences
    term.send("ping 127.0.0.1 count 2 interval 0.2\r")   # runs to its end on its own
    term.expect(rb"2 packets transmitted, 2 received")
    term.expect(OP_PROMPT)


@pytest.mark.parametrize("mode", [(), ("--plain",)], ids=["full-screen", "plain"])
def test_ctrl_c_pressed_repeatedly_never_ends_the_shell(spawn, mode):
    term = spawn(*mode)
    term.expect(OP_PROMPT)
    term.send(PING + "\r")
    term.expect(rb"icmp_seq=2 ")
    term.send("\x03")
    term.expect(STATISTICS)       # (a second Ctrl-C before this is read would flush it away)
    term.send("\x03")            # as the program ends / at the prompt
    term.send("\x03")
    # a terminal discards what was typed before it handled a Ctrl-C: send until answered
    for _ in range(5):
        term.send("show host name\r")
        try:
            term.expect(rb"show host name.*?[^@]vyos\r*\n", timeout=3)
            break
        except AssertionError:
            continue
    else:
        pytest.fail("the shell no longer answers after repeated Ctrl-C")
    assert term.proc.poll() is None


def test_a_line_typed_during_a_command_runs_after_it(spawn):
    """Type-ahead, as in bash (Ctrl-C would discard it: the terminal flushes its input)."""
    term = spawn()
    term.expect(OP_PROMPT)
    term.send("ping 127.0.0.1 count 4 interval 0.2\r")
    term.expect(rb"icmp_seq=1 ")
    term.send("show host name\r")
    term.expect(rb"4 packets transmitted, 4 received")
    term.expect(OP_PROMPT)
    term.expect(rb"show host name.*?[^@]vyos\r*\n")


def test_command_line_streams_and_ctrl_c_exits_130(spawn):
    term = spawn("-c", PING)
    interrupt_ping(term)
    assert term.wait_exit() == 130
    assert re.search(rb"rtt min/avg/max/mdev", term.raw)


@pytest.mark.parametrize("mode", [(), ("--plain",)], ids=["full-screen", "plain"])
def test_monitor_log_streams_and_ctrl_c_gives_the_prompt_back(spawn, tmp_path, mode):
    """`monitor log` (a journalctl stub writing an entry every 0.1 s) shows entries as they
    come; Ctrl-C stops it long before its 1000 entries or 60 seconds, and the shell goes on."""
    stub = stub_journal(tmp_path / "root")
    term = spawn(*mode)
    term.expect(OP_PROMPT)
    term.send("monitor log count 1000\r")
    term.expect(rb"stub entry 2\D")       # (escape sequences may come before the line end)
    assert processes_with(stub)                          # shown while journalctl runs
    term.send("\x03")
    term.expect(OP_PROMPT)
    shown = term.raw.replace(b"\r", b"").decode(errors="replace")
    assert last_entry(shown) < 1000 and not processes_with(stub)
    term.send("show host name\r")
    term.expect(rb"show host name.*?[^@]vyos\r*\n")
    assert term.proc.poll() is None
