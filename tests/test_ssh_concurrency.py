"""Two admins over SSH against the real server (one process, many sessions): no lost
update, a stale `compare`, `configure exclusive` across sessions of one process, and a
closed connection releasing its lock and its entry in `show configuration sessions`."""
from __future__ import annotations

import time

from nos_shell.store import Store
from test_ssh import Shell, connect, paramiko  # noqa: F401
from test_ssh_lab import ssh_server  # noqa: F401


def test_two_ssh_admins_lose_no_update(ssh_server):
    with connect(ssh_server, "alice") as one, connect(ssh_server) as two:
        a, b = Shell(one), Shell(two)
        assert a.run("configure") == b"configure\r\n[edit]\r\nalice@r1# "
        warned = b.run("configure")
        assert b"Warning: other users are editing the configuration:\r\n  alice via ssh" in warned
        assert warned.endswith(b"\r\n[edit]\r\nvyos@r1# ")
        b.run("set system domain-name bee.example")
        assert b"Commit failed" not in b.run("commit")
        a.run("set system name-server 192.0.2.53")
        compared = a.run("compare")
        assert b"Warning: the running configuration changed" in compared and b"by vyos via ssh" in compared
        assert b"domain-name" not in compared and b"name-server" in compared
        assert b"Commit failed" not in a.run("commit")
        running = Store(ssh_server.root).running()
        assert running.value("system", "domain-name") == "bee.example"
        assert running.values("system", "name-server") == ["192.0.2.53"]
        # a conflict is refused over SSH in the VyOS error layout clients look for
        a.run("set system domain-name ant.example")
        b.run("set system domain-name bee2.example")
        b.run("commit")
        refused = a.run("commit")
        assert b"\r\n  [ system domain-name ]\r\n" in refused and b"\r\n  Commit failed\r\n" in refused
        a.run("exit discard")
        b.run("exit")


def test_configure_exclusive_over_ssh_and_release_on_disconnect(ssh_server):
    with connect(ssh_server) as two:
        b = Shell(two)
        b.run("configure")
        b.run("set system domain-name locked.example")
        with connect(ssh_server, "alice") as one:
            a = Shell(one)
            # JunOS: no exclusive lock while another session has uncommitted changes
            refused = a.run("configure exclusive")
            assert b"Configuration database modified" in refused and refused.endswith(b"alice@r1:~$ ")
            b.run("discard")
            assert a.run("configure exclusive").endswith(b"[edit]\r\nalice@r1# ")
            b.run("set system domain-name locked.example")
            refused = b.run("commit")
            assert b"Configuration database locked by: alice via ssh" in refused
            assert b"Commit failed" in refused
            table = b.run("run show configuration sessions")
            assert b"alice  ssh" in table and b"* vyos   ssh" in table
        # alice's connection closed without leaving configuration mode
        deadline = time.monotonic() + 10
        while b"alice" in b.run("run show configuration sessions"):
            assert time.monotonic() < deadline, "the closed session still holds its entry"
            time.sleep(0.1)
        assert b"Commit failed" not in b.run("commit")
        b.run("exit")
    assert Store(ssh_server.root).running().value("system", "domain-name") == "locked.example"
