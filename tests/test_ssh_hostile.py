"""Attacks on the real `nos-shell ssh-server` after issue 8's fixes (docs/guarantees.md,
"The SSH server's limits"); each test reproduces one hole as it was found."""
from __future__ import annotations

import contextlib
import resource
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from lab import terminate
from nos_shell import Session
from test_ssh_lab import HOST, PASSWORDS, Server, make_root, require, running_server, wait_for_port
from test_ssh_limits import connect, run

paramiko = require("paramiko")


@pytest.fixture(scope="module")
def ssh_server_module(tmp_path_factory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("hostile") / "root"
    keyfile = make_root(root)
    with running_server(root, keyfile) as server:
        yield server


def peak_rss_kib(pid: int) -> int:
    """The most memory the process has ever held (VmHWM): no timing needed to catch a peak."""
    with open(f"/proc/{pid}/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmHWM:"))


def big_root(tmp_path: Path) -> tuple[Path, Path, int]:
    """A root whose `show configuration commands` is about 250 KB."""
    root = tmp_path / "root"
    keyfile = make_root(root)
    s = Session(root, user="setup", apply=False)
    assert s.run("configure").ok
    for i in range(1000):
        assert s.run(f"set interfaces dummy dum{i} description '{'d' * 200}'").ok
    assert s.run("commit").ok
    size = len(s.run("run show configuration commands").output)
    assert size > 200_000
    return root, keyfile, size


def test_a_client_that_never_reads_cannot_make_the_server_hold_every_answer(tmp_path):
    """Was: 64 KB of `show configuration commands` lines in one write made the server run
    all 2340 of them and hold every answer before sending the first: an operator who reads
    nothing took the server from 48 MB to 1.3 GB. Now each line's answer is sent (as fast as
    the client reads) before the next line runs."""
    root, keyfile, size = big_root(tmp_path)
    with running_server(root, keyfile) as server:
        with connect(server, "oper") as client:
            channel = client.invoke_shell()
            channel.settimeout(120)
            line = b"show configuration commands\r"

            def first_answer() -> None:
                received = b""
                while b"set interfaces dummy dum999 " not in received:
                    chunk = channel.recv(1 << 20)
                    assert chunk, received[-300:]
                    received += chunk

            # one answer first: what the first command loads once (lark, the command grammar;
            # the server starts without them since the running snapshot) is not per answer
            channel.sendall(line)
            first_answer()
            before = peak_rss_kib(server.process.pid)
            channel.sendall(line * (65536 // len(line)))
            first_answer()
            grown = peak_rss_kib(server.process.pid) - before
        assert grown < 20 * size // 1024, f"the server grew by {grown} KiB for answers of {size} bytes"


@contextlib.contextmanager
def server_with_few_files(root: Path, keyfile: Path, files: int) -> Iterator[Server]:
    """`running_server`, with the server's descriptors limited as a service's are."""
    log = root.parent / f"{root.name}-ssh-server.log"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))

    with open(log, "wb") as handle:
        process = subprocess.Popen([sys.executable, "-m", "nos_shell", "--root", str(root), "ssh-server",
                                    "--listen", HOST, "--port", "0"], stdin=subprocess.DEVNULL,
                                   stdout=handle, stderr=subprocess.STDOUT, preexec_fn=limit)
    try:
        yield Server(root, wait_for_port(log, process), keyfile, log, process)
    finally:
        terminate(process)


def test_idle_connections_from_one_source_cannot_lock_everyone_out(tmp_path):
    """Was: 600 idle TCP connections from one address (never sending a byte) used every
    descriptor of a server limited to 512 (a service gets 1024 by default): accept() failed
    with EMFILE and no other client got a banner until they timed out. Now a source past
    16 connections that have not logged in has the next ones closed at once."""
    root = tmp_path / "root"
    keyfile = make_root(root)
    idle: list[socket.socket] = []
    with server_with_few_files(root, keyfile, 512) as server:
        try:
            for _ in range(600):
                try:
                    idle.append(socket.create_connection((HOST, server.port), timeout=5,
                                                         source_address=("127.0.0.2", 0)))
                except OSError:
                    break
            with connect(server, "vyos", source="127.0.0.3") as client:
                assert run(client, "show host name") == (0, b"r1\n", b"")
        finally:
            for sock in idle:
                sock.close()
        assert "too many connections not logged in" in server.log_text()
        assert "Too many open files" not in server.log_text()


def test_slots_count_per_key_and_in_all():
    from nos_shell.shell.connlimits import Slots

    slots = Slots(per_key=2, total=3)
    assert slots.open("a") and slots.open("a") and not slots.open("a")
    assert slots.open("b") and not slots.open("c")        # 3 in all
    slots.done("a")
    assert slots.open("c") and slots.count == 3
    for key in ("a", "b", "c"):
        slots.done(key)
    assert slots.count == 0 and slots.open("a")


def test_one_user_cannot_use_up_the_descriptors_with_logged_in_connections(tmp_path):
    """Was: an operator who opened 500 connections (logged in, in turns of 10) used every
    descriptor of a server limited to 512: accept() failed with EMFILE and the
    administrators could not log in. Now a user's connections past 32 are closed at once."""
    import asyncio

    import asyncssh

    from nos_shell.shell.connlimits import PER_USER

    root = tmp_path / "root"
    keyfile = make_root(root)

    async def login(port: int, user: str, source: str):
        return await asyncssh.connect(HOST, port, username=user, password=PASSWORDS[user],
                                      known_hosts=None, local_addr=(source, 0))

    async def attack(port: int) -> tuple[int, str]:
        kept = []
        for _ in range(60):
            results = await asyncio.gather(*[login(port, "oper", "127.0.0.4") for _ in range(10)],
                                           return_exceptions=True)
            kept += [c for c in results if not isinstance(c, BaseException)]
        alive = 0
        for conn in kept:       # the ones past the limit were closed by the server
            try:
                await asyncio.wait_for(conn.run("show host name", check=True), 30)
                alive += 1
            except (asyncssh.Error, OSError, asyncio.TimeoutError):
                pass
        admin = await asyncio.wait_for(login(port, "vyos", "127.0.0.5"), 30)
        async with admin:
            answer = (await admin.run("show host name")).stdout
        for conn in kept:
            conn.close()
        return alive, answer

    with server_with_few_files(root, keyfile, 512) as server:
        alive, answer = asyncio.run(attack(server.port))
        assert answer == "r1\n"
        assert alive == PER_USER
        assert "oper has too many connections" in server.log_text()
        assert "Too many open files" not in server.log_text()


def test_env_and_terminal_requests_cannot_grow_the_server(tmp_path):
    """Was: asyncssh kept every `env` request of a session and queued every window-change
    for a reader that ignores them; neither is flow-controlled. One operator session sent
    5000 env variables of 30 KB (the server grew by 144 MB) and 300,000 window changes (by
    133 MB), without limit. Now env requests are accepted and forgotten (nos-shell uses no
    environment, as OpenSSH without AcceptEnv) and terminal events are kept only for the
    full-screen editor, which reads them as they come."""
    root = tmp_path / "root"
    keyfile = make_root(root)
    with running_server(root, keyfile) as server:
        with connect(server, "oper") as client:
            before = peak_rss_kib(server.process.pid)
            channel = client.get_transport().open_session()
            for n in range(5000):
                channel.set_environment_variable(f"X{n}", "v" * 30000)
            channel.get_pty(term="vt100", width=80, height=24)
            for n in range(300_000):
                channel.resize_pty(width=n % 1000 + 1, height=24)
            channel.invoke_shell()      # answered after every request before it was handled
            channel.settimeout(60)
            channel.sendall(b"show host name\r")
            received = b""
            while b"r1\r\noper@r1:~$ " not in received:
                chunk = channel.recv(4096)
                assert chunk, received
                received += chunk
            grown = peak_rss_kib(server.process.pid) - before
        assert grown < 48 * 1024, f"the server grew by {grown} KiB"


def test_one_connection_holds_at_most_ten_sessions(ssh_server_module):
    """Was: one connection could open sessions without end, each able to hold a 2 MB
    window of unread input. Now the eleventh is refused until one closes (OpenSSH's
    MaxSessions)."""
    from nos_shell.shell.channels import MAX_SESSIONS

    with connect(ssh_server_module, "oper") as client:
        transport = client.get_transport()
        channels = [transport.open_session() for _ in range(MAX_SESSIONS)]
        with pytest.raises(paramiko.ChannelException):
            transport.open_session()
        channels.pop().close()
        for channel in channels:
            channel.exec_command("show host name")
            assert channel.recv_exit_status() == 0 and channel.recv(100) == b"r1\n"
        extra = transport.open_session(timeout=30)
        extra.exec_command("show host name")
        assert extra.recv_exit_status() == 0


def test_the_full_screen_editor_still_hears_of_a_resize(tmp_path):
    """Terminal events are dropped only where nothing reads them: the full-screen editor
    redraws when the client's window changes size."""
    from nos_shell.shell.sshsession import use_full_screen

    if not use_full_screen("xterm", True):
        pytest.skip("the full-screen app (nos_shell/shell/app.py) is not installed")
    root = tmp_path / "root"
    keyfile = make_root(root)
    with running_server(root, keyfile, "--full-screen") as server:
        with connect(server) as client:
            channel = client.invoke_shell(term="xterm-256color", width=80, height=24)
            channel.settimeout(30)
            data = b""
            while b"vyos@r1" not in data:
                chunk = channel.recv(65536)
                assert chunk, data
                data += chunk
            channel.resize_pty(width=100, height=30)
            assert channel.recv(65536)       # the redraw (nothing else was typed)


def test_unread_input_of_a_session_is_bounded_by_a_small_window(ssh_server_module):
    """Was: each session let the client send 3.2 MB (asyncssh's default 2 MB window, and
    its own buffer behind it) that nobody read while a command ran, or ever for
    `ssh HOST CMD`: 32 connections of 10 sessions made that 1 GB from one user. Now the
    window is 256 KiB and the client must wait past three times that."""
    from lab import require_tool

    from nos_shell.shell.channels import WINDOW

    require_tool("ping")
    with connect(ssh_server_module, "oper") as client:
        channel = client.get_transport().open_session()
        channel.exec_command("ping 127.0.0.1 count 100")      # reads no input for 100 s
        channel.settimeout(5)
        sent = 0
        block = b"z" * 32768
        while sent < 4 * 1024 * 1024:
            try:
                sent += channel.send(block)
            except socket.timeout:          # the window is used up: the server takes no more
                break
        channel.close()
    # the window, as much again in asyncssh's own buffer, and one window more while the
    # streaming exec reads its input for Ctrl-C (nos_shell/shell/relay.py ChannelInput)
    assert sent <= 3 * WINDOW, sent
