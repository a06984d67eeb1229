"""The interactive shell driven through a pseudo-terminal, as a person at a terminal uses it.

`nos-shell` runs on the slave side of a pty with TERM=xterm; the test reads the raw bytes
(escape sequences included) and answers the terminal's cursor-position requests like a
real terminal does. Waits are for patterns in the output, with generous timeouts.
"""
from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time

import pytest

pytest.importorskip("prompt_toolkit")

TIMEOUT = 15.0
OP_PROMPT = rb"vyos@vyos:~\$"
CONF_PROMPT = rb"vyos@vyos#"
CSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal:
    """A nos-shell process on a pty of 100x40 characters."""

    def __init__(self, root, *args: str, env: dict[str, str] | None = None):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
        environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PROMPT_TOOLKIT_NO_CPR")}
        environ.update(TERM="xterm", HOME=str(root), **(env or {}))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "nos_shell", "--root", str(root), "--user", "vyos", *args],
            stdin=slave, stdout=slave, stderr=slave, env=environ, start_new_session=True)
        os.close(slave)
        self.fd = master
        self.raw = b""
        self.pos = 0          # where the next expect starts looking

    def send(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:          # EIO: the child closed the terminal
            data = b""
        if not data:
            return False
        self.raw += data
        for _ in range(data.count(b"\x1b[6n")):        # cursor position request
            os.write(self.fd, b"\x1b[1;1R")
        return True

    def expect(self, pattern: bytes, timeout: float = TIMEOUT) -> re.Match:
        """Wait for ``pattern`` in the raw output after the previous match."""
        rx = re.compile(pattern, re.S)
        deadline = time.monotonic() + timeout
        while True:
            found = rx.search(self.raw, self.pos)
            if found:
                self.pos = found.end()
                return found
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(left):
                tail = self.raw[self.pos:][-1500:]
                raise AssertionError(f"{pattern!r} not seen in output; the output ends with {tail!r}")

    def expect_text(self, text: str, timeout: float = TIMEOUT) -> None:
        """Wait for ``text`` in the output with escape sequences and line ends removed."""
        deadline = time.monotonic() + timeout
        while True:
            plain = CSI.sub(b"", self.raw[self.pos:]).replace(b"\r", b"").decode(errors="replace")
            if text in plain:
                self.pos = len(self.raw)
                return
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(left):
                raise AssertionError(f"{text!r} not seen in output; the output ends with {plain[-1500:]!r}")

    def wait_exit(self, timeout: float = TIMEOUT) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.1)
        return self.proc.wait(timeout=max(0.1, deadline - time.monotonic()))

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        os.close(self.fd)


@pytest.fixture
def term(tmp_path):
    t = Terminal(tmp_path / "root")
    t.expect(OP_PROMPT)
    yield t
    t.close()


def configure(t: Terminal) -> None:
    t.send("configure\r")
    t.expect(rb"\[edit\]\r*\n")
    t.expect(CONF_PROMPT)


def test_starts_the_full_screen_shell_on_a_terminal(term):
    assert b"\x1b[" in term.raw                     # prompt_toolkit's renderer, not the plain loop
    term.send("show host name\r")
    term.expect_text("show host name\nvyos\n")
    term.expect(OP_PROMPT)


def test_tab_completes_a_partial_path(term):
    configure(term)
    term.send("set interfaces eth\t")
    term.expect(rb"ethernet")
    term.send("eth0 address 192.0.2.1/24\r")         # Tab added the blank after `ethernet`
    term.expect(CONF_PROMPT)
    term.send("compare\r")
    # the difference, in green
    term.expect(rb"\x1b\[[0-9;]*32m\+ ethernet eth0 \{")
    term.expect(CONF_PROMPT)


def test_question_mark_lists_possible_completions(term):
    configure(term)
    term.send("set interfaces ethernet eth0 ?")
    term.expect(rb"Possible completions:\r*\n   <Enter> +Execute the current command\r*\n")
    term.expect(rb"\+  address +IP address\r*\n")                # VyOS's markers: multi-value leaf
    term.expect(rb"\+> vif +Virtual Local Area Network \(VLAN\) ID\r*\n")   # tag node
    term.expect(CONF_PROMPT)
    # `?` was not typed into the line: it goes on as it was
    term.send("disable\r")
    term.expect(CONF_PROMPT)
    term.send("compare commands\r")
    term.expect(rb"set interfaces ethernet eth0 disable\r*\n")


def test_double_tab_lists_like_question_mark(term):
    configure(term)
    term.send("set interfaces ethernet eth0 d\t")
    term.expect(rb"\x07")                             # nothing to add: the bell
    term.send("\t")
    term.expect(rb"Possible completions:\r*\n   description +Description\r*\n > dhcp-options")
    term.expect(CONF_PROMPT)


def test_edit_navigation_and_the_edit_line(term):
    configure(term)
    term.send("edit interfaces ethernet eth0\r")
    term.expect(rb"\[edit interfaces ethernet eth0\]\r*\n")
    term.expect(CONF_PROMPT)
    term.send("set addr\t192.0.2.1/24\r")            # completion relative to the edit level
    term.expect(rb"\[edit interfaces ethernet eth0\]\r*\n")
    term.send("up\r")
    term.expect(rb"\[edit interfaces\]\r*\n")
    term.send("top\r")
    term.expect(rb"\[edit\]\r*\n")
    term.send("top\r")
    term.expect(rb"Already at the top level\r*\n")
    term.send("show interfaces ethernet\r")
    term.expect(rb"\+ *address \"192\.0\.2\.1/24\"")


def test_invalid_word_is_highlighted(term):
    configure(term)
    term.send("set interfaces foo ")
    # red and underlined: SGR 31 and 4 right before (part of) the word
    term.expect(rb"\x1b\[(?=(?:[0-9]*;)*31[;m])(?=(?:[0-9]*;)*4[;m])[0-9;]*m(f|fo|foo)")
    term.send("\x15set interfaces ethernet")          # Ctrl-U, then a valid line
    term.expect(rb"ethernet")
    assert not re.search(rb"\x1b\[(?:[0-9]*;)*31[;m][0-9;]*[a-z]*ernet", term.raw[term.pos - 200:])


def test_toolbar_counts_uncommitted_changes(term):
    configure(term)
    term.expect_text("no uncommitted changes")
    term.send("set system host-name r2\r")
    term.expect_text("[edit]  1 uncommitted change")
    term.send("commit\r")
    term.expect(rb"vyos@r2#")
    term.expect_text("no uncommitted changes")


def test_ctrl_c_cancels_the_line_and_ctrl_d_exits(term, tmp_path):
    configure(term)
    term.send("set system host-name cancelled\x03")
    term.expect(CONF_PROMPT)
    term.send("compare\r")
    term.expect(rb"No changes between working and active configurations\.")
    term.expect(CONF_PROMPT)
    term.send("\x04")                                 # like `exit`: back to operational mode
    term.expect(OP_PROMPT)
    term.send("\x04")                                 # like `exit` again: the shell ends
    assert term.wait_exit() == 0
    history = (tmp_path / "root/var/lib/nos-shell/history/vyos").read_text()
    assert "+configure" in history and "+compare" in history and "cancelled" not in history


def test_run_app_over_any_prompt_toolkit_input_and_output(tmp_path):
    """What an SSH session with a terminal uses: a pipe input and a Vt100 output of its own."""
    import asyncio
    import io

    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.vt100 import Vt100_Output

    from nos_shell import Session
    from nos_shell.shell.app import run_app

    class Screen(io.StringIO):
        def isatty(self) -> bool:
            return True

    async def main() -> tuple[int, str]:
        screen = Screen()
        with create_pipe_input() as pipe:
            output = Vt100_Output(screen, lambda: Size(rows=24, columns=80), term="xterm", enable_cpr=False)  # type: ignore[arg-type]
            task = asyncio.ensure_future(run_app(Session(tmp_path, user="vyos"), pipe, output, history=False))
            pipe.send_text("configure\rset system host-name r9\rcompare\r")
            deadline = time.monotonic() + TIMEOUT
            while '+ host-name "r9"' not in screen.getvalue() and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            pipe.close()                                   # the client went away
            status = await asyncio.wait_for(task, TIMEOUT)
        return status, screen.getvalue()

    status, text = asyncio.run(main())
    assert status == 0
    assert "[edit]\r\n" in text
    assert '\x1b[0;31m- host-name "vyos"\r\n\x1b[0;32m+ host-name "r9"' in text


def test_welcome_line_on_start(term):
    term.pos = 0
    term.expect_text("Welcome to nos-shell")
    assert b"type '?' for help, Tab to complete" in term.raw


def test_tab_on_an_empty_prompt_lists_at_the_first_press(term):
    term.send("\t")
    term.expect(rb"Possible completions:\r*\n")
    term.expect(rb"  configure +")
    term.expect(OP_PROMPT)
    assert b"\x07" not in term.raw                    # no bell first
    configure(term)
    term.send("set interfaces ethernet eth0 \t")     # nothing typed of the next word either
    term.expect(rb"Possible completions:\r*\n")
    term.expect(rb"  address +IP address\r*\n")
