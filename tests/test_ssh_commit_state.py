"""The SSH server while a commit is in progress (attack on issue 8's journal): a session
opened while another session's commit holds the commit lock must not hold the event loop.
Real server; reloads go to a stub that waits (nothing on this machine is touched)."""
from __future__ import annotations

import os
import socket
import threading

import exec_stub
from confirm_lab import wait_for
from test_ssh_lab import make_root, require, running_server
from test_ssh_limits import banner, connect, run

paramiko = require("paramiko")


def lock_waiters(root) -> int:
    """How many flock waiters /proc/locks lists on the commit lock of ``root``."""
    inode = os.stat(root / "var/lib/nos-shell/lock").st_ino
    with open("/proc/locks") as locks:
        return sum(1 for line in locks if "->" in line and f":{inode} " in line)


def test_a_session_opened_during_a_commit_does_not_freeze_the_server(tmp_path, monkeypatch):
    """Every new session first resolves an unfinished journal, under the commit lock. The
    server created sessions on its event loop: while another session's commit held the
    lock (here `nft -f` hangs), a new session blocked the loop, and no client got even the
    SSH banner until the commit ended."""
    root = tmp_path / "root"
    keyfile = make_root(root)
    stub = exec_stub.install(tmp_path, root)
    log, hang = stub.log, stub.hang
    for name, value in stub.env.items():
        monkeypatch.setenv(name, value)
    with running_server(root, keyfile) as server:
        with connect(server, "vyos") as admin, connect(server, "alice") as other:
            shell = admin.invoke_shell()
            hang.touch()
            shell.send(b"configure\nset nat source rule 10 outbound-interface name eth0\n"
                       b"set nat source rule 10 translation address masquerade\ncommit\n")
            wait_for(lambda: log.exists() and '["hanging"]' in log.read_text(), 60, "the commit to hang in nft -f")
            answer: dict[str, tuple] = {}
            worker = threading.Thread(target=lambda: answer.update(show=run(other, "show version")))
            worker.start()
            wait_for(lambda: lock_waiters(root) > 0, 60, "the new session to wait for the commit lock")
            try:
                greeting = banner(server)           # 10 s socket timeout: a frozen loop never answers
            except socket.timeout:
                greeting = b""
            finally:
                hang.unlink()
            worker.join(120)
            assert greeting.startswith(b"SSH-2.0-"), "the server did not answer while a commit ran"
            assert answer["show"][0] == 0, answer
