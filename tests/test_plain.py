"""The plain line mode (nos_shell/shell/plain.py): exactly what automation clients read."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from nos_shell import Session
from nos_shell.shell.compat import clean, is_terminal_setting, shell_compat
from nos_shell.shell.plain import BANNER, LineProtocol

ESC = re.compile(rb"\x1b")


@pytest.fixture
def proto(tmp_path):
    return LineProtocol(Session(tmp_path, user="vyos", via="ssh"))


def typed(proto: LineProtocol, *chunks: bytes) -> bytes:
    return b"".join(proto.feed(chunk) for chunk in chunks)


def test_start_is_banner_then_prompt(proto):
    assert proto.start() == (BANNER + "\r\nvyos@vyos:~$ ").encode()
    assert not set("$#>") & set(BANNER)


def test_echo_output_prompt_with_crlf_only(proto):
    out = typed(proto, b"show host name\r")
    assert out == b"show host name\r\nvyos\r\nvyos@vyos:~$ "


@pytest.mark.parametrize("enter", [b"\r", b"\n", b"\r\n"])
def test_cr_lf_and_crlf_are_one_enter(proto, enter):
    out = typed(proto, b"show host name" + enter, b"show host name" + enter)
    assert out.count(b"vyos@vyos:~$ ") == 2
    assert out.count(b"vyos\r\n") == 2


def test_crlf_split_across_reads_is_one_enter(proto):
    out = typed(proto, b"show host name\r", b"\nshow host name\r", b"\n")
    assert out.count(b"vyos@vyos:~$ ") == 2
    assert b"\r\n\r\n" not in out


def test_configuration_mode_prints_edit_line_before_prompt(proto):
    out = typed(proto, b"configure\r\n", b"edit system\r\n", b"top\r\n")
    assert out == (b"configure\r\n[edit]\r\nvyos@vyos# "
                   b"edit system\r\n[edit system]\r\nvyos@vyos# "
                   b"top\r\n[edit]\r\nvyos@vyos# ")


def test_no_bare_lf_and_no_escape_in_a_whole_session(proto):
    out = proto.start() + typed(proto, b"configure\n", b"set interfaces ethernet eth0 address 192.0.2.1/24\n",
                                b"set interfaces wobble\n", b"compare\n", b"commit\n", b"show\n",
                                b"run show configuration\n", b"exit\n", b"show system commit\n")
    assert not ESC.search(out)
    assert re.search(rb"(?<!\r)\n", out) is None
    assert b"\r\r" not in out
    assert b"Set failed\r\n" in out
    assert b"+ address \"192.0.2.1/24\"" in out or b"+     address" in out


@pytest.mark.parametrize("line", [b"set terminal length 0", b"set terminal width 512", b"stty cols 100000",
                                  b"set terminal length 10000", b"terminal length 0"])
def test_terminal_settings_are_silent_in_both_modes(proto, line):
    assert typed(proto, line + b"\r\n") == line + b"\r\nvyos@vyos:~$ "
    typed(proto, b"configure\r\n")
    assert typed(proto, line + b"\r\n") == line + b"\r\n[edit]\r\nvyos@vyos# "


def test_backspace_and_control_keys(proto):
    out = typed(proto, b"show hostx\x7f name\r")
    assert out.startswith(b"show hostx\b \b name\r\n")
    assert b"vyos\r\n" in out
    # Ctrl-U forgets the line, Ctrl-C abandons it, arrow keys are ignored
    assert typed(proto, b"junk\x15") == b"junk" + b"\b \b" * 4
    assert typed(proto, b"more\x03") == b"more^C\r\nvyos@vyos:~$ "
    assert typed(proto, b"\x1b[A\x1bOBshow host name\r").startswith(b"show host name\r\nvyos")


def test_errors_are_plain_and_start_lines(proto):
    out = typed(proto, b"configure\r", b"set interfaces wobble eth0\r")
    assert b"\r\n  Configuration path: [interfaces wobble] is not valid\r\n  Set failed\r\n\r\n[edit]" in out
    assert not proto.last_ok


def test_exit_finishes(proto):
    assert typed(proto, b"exit\r") == b"exit\r\n"
    assert proto.finished


def test_ctrl_d_logs_out_on_an_empty_line(proto):
    proto.feed(b"\x04")
    assert proto.finished


def test_utf8_split_across_reads(proto):
    typed(proto, b"configure\r")
    out = typed(proto, b"set interfaces ethernet eth0 description 'caf\xc3", b"\xa9'\r")
    assert "café".encode() in out
    assert proto.session.candidate.value("interfaces", "ethernet", "eth0", "description") == "café"


def test_proc_uptime_answered_without_a_shell(proto):
    out = typed(proto, b"cat /proc/uptime | awk '{print $1}'\r").decode()
    value = out.split("\r\n")[1]
    assert float(value) > 0
    assert shell_compat("cat /proc/uptime").count(" ") == 1
    assert shell_compat("cat /etc/shadow") is None
    assert b"Invalid command: [cat]" in typed(proto, b"cat /etc/passwd\r")


def test_clean_removes_escapes():
    assert clean("\x1b[1mbold\x1b[0m \x1b]0;title\x07x\x07") == "bold x"
    assert is_terminal_setting("set terminal length 0") and not is_terminal_setting("set terminal foo 1")


def test_local_plain_loop_over_a_pipe(tmp_path):
    result = subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(tmp_path), "--user", "vyos"],
                            input=b"configure\r\nset system host-name r7\rcommit\nexit\nexit\n",
                            capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    note = f"files written under {tmp_path}; not applied (sandbox)\n".encode()
    assert result.stdout == (b"vyos@vyos:~$ [edit]\nvyos@vyos# [edit]\nvyos@vyos# " + note + b"[edit]\nvyos@r7# "
                             b"Warning: configuration changes have not been saved.\nvyos@r7:~$ ")


def test_local_plain_loop_on_a_dumb_terminal(tmp_path):
    """On a terminal that cannot host the editor (TERM=dumb; also sshd's PTY for a
    ForceCommand), the loop echoes itself and a CRLF is still one Enter."""
    import os
    import pty
    import time

    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ["TERM"] = "dumb"
        os.execv(sys.executable, [sys.executable, "-m", "nos_shell", "--root", str(tmp_path), "--user", "vyos"])
    data = b""

    def read_until(marker: bytes, count: int) -> bytes:
        nonlocal data
        deadline = time.monotonic() + 20
        while data.count(marker) < count and time.monotonic() < deadline:
            try:
                data += os.read(fd, 65536)
            except OSError:
                break
        return data

    try:
        read_until(b"vyos@vyos:~$ ", 1)
        os.write(fd, b"show host name\r\n")
        read_until(b"vyos@vyos:~$ ", 2)
        os.write(fd, b"show host name\r")
        read_until(b"vyos@vyos:~$ ", 3)
        os.write(fd, b"exit\r\n")
        read_until(b"never", 1)             # to the end: the child exits
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert b"\x1b" not in data
    assert data.split(b"nos-shell: managing")[-1].split(b"\n", 1)[1] == (
        b"vyos@vyos:~$ show host name\r\nvyos\r\nvyos@vyos:~$ show host name\r\nvyos\r\n"
        b"vyos@vyos:~$ exit\r\n")


def test_eof_runs_a_last_line_only_when_asked(tmp_path):
    proto = LineProtocol(Session(tmp_path), echo=False, newline="\n")
    proto.feed(b"configure\nset system host-name half")
    assert proto.eof(run_partial=False) == b"\n" and proto.session.candidate.value("system", "host-name") == "vyos"
    proto = LineProtocol(Session(tmp_path), echo=False, newline="\n")
    assert proto.feed(b"show host name") == b""
    assert proto.eof() == b"vyos\n" and proto.finished
