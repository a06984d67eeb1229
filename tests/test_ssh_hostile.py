"""Attacks on the real `nos-shell ssh-server` after issue 8's fixes (docs/guarantees.md,
"The SSH server's limits"); each test reproduces one hole as it was found."""
from __future__ import annotations

import socket
from pathlib import Path

from nos_shell import Session
from test_ssh_lab import HOST, make_root, require, running_server
from test_ssh_limits import connect

paramiko = require("paramiko")


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
            before = peak_rss_kib(server.process.pid)
            channel = client.invoke_shell()
            channel.settimeout(120)
            line = b"show configuration commands\r"
            channel.sendall(line * (65536 // len(line)))
            received = b""
            while received.count(b"set interfaces dummy dum999 ") < 1:   # the first answer came
                chunk = channel.recv(1 << 20)
                assert chunk, received[-300:]
                received += chunk
            grown = peak_rss_kib(server.process.pid) - before
        assert grown < 20 * size // 1024, f"the server grew by {grown} KiB for answers of {size} bytes"
