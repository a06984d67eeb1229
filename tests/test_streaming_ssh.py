"""Streaming output and Ctrl-C over the real SSH server: the plain mode (a `\\x03` byte and a
`break` request), exec requests (a `signal` request; a `\\x03` byte with a PTY) and the
full-screen mode. `ping ... count 100 interval 0.2` is interrupted after its second reply;
fewer than 100 packets sent proves the replies came while it ran (no timed assertion).
The connection survives, typed-ahead input runs afterwards, a dropped client stops the
program."""
from __future__ import annotations

import asyncio
import re
import shutil
import time

import pytest

from lab import missing
from test_ops_everyday import last_entry, stub_journal
from test_ssh import Shell, connect
from test_ssh_lab import HOST, PASSWORDS, make_root, require, running_server, ssh_server  # noqa: F401
from test_streams import processes_with

PING = "ping 127.0.0.1 count 100 interval 0.2"
STATISTICS = re.compile(rb"\^C\r\n\r?\n?--- 127\.0\.0\.1 ping statistics ---\r\n(\d+) packets transmitted")
TIMEOUT = 15.0

paramiko = require("paramiko")
asyncssh = require("asyncssh")


@pytest.fixture(autouse=True)
def need_ping():
    if shutil.which("ping") is None:
        missing("ping (iputils-ping) is not installed")


def recv_until(channel, pattern: bytes, data: bytes = b"") -> bytes:
    deadline = time.monotonic() + TIMEOUT
    while not re.search(pattern, data, re.S):
        if time.monotonic() > deadline:
            raise AssertionError(f"{pattern!r} not seen in {data[-1500:]!r}")
        chunk = channel.recv(65536)
        if not chunk:
            raise AssertionError(f"channel closed before {pattern!r}; got {data[-1500:]!r}")
        data += chunk
    return data


def sent_before_interrupt(data: bytes) -> int:
    found = re.search(rb"(\d+) packets transmitted", data)
    assert found, data
    return int(found.group(1))


def test_plain_mode_streams_ctrl_c_stops_and_typed_lines_run_after(ssh_server):
    with connect(ssh_server) as client:
        shell = Shell(client)
        shell.channel.send(PING + "\r")
        data = recv_until(shell.channel, rb"icmp_seq=2 ")
        shell.channel.send("show host name\r")        # typed while ping runs: kept
        shell.channel.send("\x03")
        data = recv_until(shell.channel, rb"show host name\r\nr1\r\nvyos@r1:~\$ $", data)
        assert STATISTICS.search(data) and sent_before_interrupt(data) < 100
        after = data.split(b"rtt min/avg/max/mdev", 1)[1]
        assert re.fullmatch(rb" = \S+ ms\r\nvyos@r1:~\$ show host name\r\nr1\r\nvyos@r1:~\$ ", after)
        assert b"\x1b" not in data and re.search(rb"(?<!\r)\n", data) is None
        assert b"r1\r\n" in shell.run("show host name")   # the session goes on


async def _asyncssh_session(port: int, command: str | None, stop) -> tuple[bytes, int | None]:
    """Run a shell (command None: send PING) or a command; ``stop(process)`` after the
    second reply; everything read until the prompt (shell) or the end (command)."""
    async with asyncssh.connect(HOST, port=port, username="vyos", password=PASSWORDS["vyos"],
                                known_hosts=None, client_keys=None) as conn:
        process = await conn.create_process(command, term_type=None if command else "vt100",
                                            encoding=None)
        data = b""

        async def until(pattern: bytes) -> None:
            nonlocal data
            while not re.search(pattern, data, re.S):
                chunk = await asyncio.wait_for(process.stdout.read(65536), TIMEOUT)
                if not chunk:
                    raise AssertionError(f"{pattern!r} not seen in {data!r}")
                data += chunk

        if command is None:
            await until(rb"\$ $")
            process.stdin.write(PING.encode() + b"\r")
        await until(rb"icmp_seq=2 ")
        stop(process)
        if command is None:
            await until(rb"statistics.*vyos@r1:~\$ $")
            process.stdin.write(b"show host name\r")
            await until(rb"show host name\r\nr1\r\nvyos@r1:~\$ $")
            process.stdin.write(b"exit\r")
        else:
            while chunk := await asyncio.wait_for(process.stdout.read(65536), TIMEOUT):
                data += chunk
        await asyncio.wait_for(process.wait_closed(), TIMEOUT)
        return data, process.exit_status


def test_break_request_stops_ping_in_the_plain_mode(ssh_server):
    data, status = asyncio.run(_asyncssh_session(ssh_server.port, None, lambda p: p.send_break(0)))
    assert STATISTICS.search(data) and sent_before_interrupt(data) < 100 and status == 0


def test_exec_streams_and_a_signal_request_stops_it(ssh_server):
    data, status = asyncio.run(_asyncssh_session(ssh_server.port, PING, lambda p: p.send_signal("INT")))
    assert re.search(rb"icmp_seq=2 .*\n\n--- 127\.0\.0\.1 ping statistics ---\n", data, re.S), data
    assert sent_before_interrupt(data) < 100 and status == 130


def test_exec_with_a_pty_stops_on_ctrl_c(ssh_server):
    with connect(ssh_server) as client:
        channel = client.get_transport().open_session()
        channel.settimeout(TIMEOUT)
        channel.get_pty()
        channel.exec_command(PING)
        data = recv_until(channel, rb"icmp_seq=2 ")
        channel.send(b"\x03")
        data = recv_until(channel, rb"rtt min/avg/max/mdev = \S+ ms\r\n", data)
        assert channel.recv_exit_status() == 130
        assert sent_before_interrupt(data) < 100


def test_a_dropped_client_stops_the_program(ssh_server):
    marker = "-c 93 -i 0.2"
    with connect(ssh_server) as client:
        shell = Shell(client)
        shell.channel.send("ping 127.0.0.1 count 93 interval 0.2\r")
        recv_until(shell.channel, rb"icmp_seq=1 ")
        assert processes_with(marker)
    deadline = time.monotonic() + TIMEOUT
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not processes_with(marker)
    with connect(ssh_server) as client:                       # the server is fine
        assert b"r1\r\n" in Shell(client).run("show host name")


def test_full_screen_mode_streams_and_stops_on_ctrl_c(tmp_path):
    root = tmp_path / "root"
    keyfile = make_root(root)
    with running_server(root, keyfile, "--full-screen") as server, connect(server) as client:
        channel = client.invoke_shell(term="xterm", width=100, height=40)
        channel.settimeout(TIMEOUT)
        data = recv_until(channel, rb"vyos@r1:~\$")
        channel.send(PING + "\r")
        data = recv_until(channel, rb"icmp_seq=2 ", data)
        channel.send("show host name\r")          # typed while ping runs: waits for the prompt
        channel.send("\x03")
        data = recv_until(channel, rb"\^C.*statistics ---\r\n\d+ packets transmitted.*vyos@r1:~\$", data)
        assert sent_before_interrupt(data) < 100
        recv_until(channel, rb"show host name.*?r1\r\n", data.rsplit(b"statistics", 1)[1])


def test_end_of_input_lets_a_running_command_finish_then_runs_the_rest(ssh_server):
    """`printf 'ping ...\\nshow host name\\n' | ssh -T HOST`: the end of input is not Ctrl-C."""
    async def session() -> bytes:
        async with asyncssh.connect(HOST, port=ssh_server.port, username="vyos", password=PASSWORDS["vyos"],
                                    known_hosts=None, client_keys=None) as conn:
            process = await conn.create_process(encoding=None)
            process.stdin.write(b"ping 127.0.0.1 count 3 interval 0.2\nshow host name\n")
            process.stdin.write_eof()
            data = b""
            while chunk := await asyncio.wait_for(process.stdout.read(65536), TIMEOUT):
                data += chunk
            return data

    data = asyncio.run(session())
    assert re.search(rb"3 packets transmitted, 3 received.*\r\nvyos@r1:~\$ r1\r\nvyos@r1:~\$ \r\n$", data, re.S), data


def test_monitor_log_streams_over_ssh_and_ctrl_c_stops_it(tmp_path):
    """`monitor log` (a journalctl stub writing an entry every 0.1 s) in the plain mode:
    entries arrive as they come, `\\x03` stops it long before its 1000 entries and the
    prompt comes back."""
    root = tmp_path / "root"
    keyfile = make_root(root)
    stub = stub_journal(root)
    with running_server(root, keyfile) as server, connect(server) as client:
        shell = Shell(client)
        shell.channel.send("monitor log count 1000\r")
        data = recv_until(shell.channel, rb"stub entry 2\r\n")
        assert processes_with(stub)                          # shown while journalctl runs
        shell.channel.send("\x03")
        data = recv_until(shell.channel, rb"\^C.*vyos@r1:~\$ $", data)
        assert last_entry(data.decode()) < 1000 and not processes_with(stub)
        assert b"r1\r\n" in shell.run("show host name")       # the session goes on
