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
        assert running.values("system", "name-server")[-1:] == ["192.0.2.53"]     # (the server is shared)
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


# -- automation clients while another session edits ------------------------------------------
def test_clients_are_not_confused_by_the_warning_and_lose_nothing(ssh_server, tmp_path, monkeypatch):
    """netmiko and scrapli enter configuration mode while another session has uncommitted
    changes (so `configure` prints the warning), commit, and the other session's later
    commit keeps theirs."""
    from nos_shell.session import Session
    from test_ssh_lab import HOST, PASSWORDS, require

    netmiko = require("netmiko")
    scrapli = require("scrapli")
    require("scrapli_community")
    other = Session(ssh_server.root, user="setup", via="api", apply=False)
    assert other.run("configure").ok
    assert other.run("set interfaces ethernet eth0 mtu 1400").ok

    device = netmiko.ConnectHandler(device_type="vyos", host=HOST, port=ssh_server.port, username="alice",
                                    password=PASSWORDS["alice"], use_keys=False, allow_agent=False,
                                    timeout=20, conn_timeout=10, fast_cli=True)
    try:
        output = device.send_config_set(["set system name-server 192.0.2.54"])
        assert "Warning: other users are editing the configuration" in output
        assert "[edit]" in output and "failed" not in output.lower()
        device.commit(comment="netmiko next to another session")
        device.exit_config_mode()
        assert device.base_prompt == "alice@r1"
    finally:
        device.disconnect()

    monkeypatch.setenv("HOME", str(tmp_path))
    conn = scrapli.Scrapli(host=HOST, port=ssh_server.port, auth_username="alice",
                           auth_password=PASSWORDS["alice"], auth_strict_key=False, platform="vyos_vyos",
                           transport="paramiko", timeout_socket=10, timeout_transport=20, timeout_ops=20,
                           ssh_config_file=False)
    conn.open()
    try:
        assert not conn.send_configs(["set system name-server 192.0.2.55"]).failed
        assert conn.get_prompt() == "alice@r1#"
        assert not conn.send_config("commit").failed
        conn.acquire_priv("privilege_exec")
        assert conn.get_prompt() == "alice@r1:~$"
    finally:
        conn.close()

    assert other.run("commit").ok
    running = Store(ssh_server.root).running()
    assert running.value("interfaces", "ethernet", "eth0", "mtu") == "1400"
    assert running.values("system", "name-server")[-2:] == ["192.0.2.54", "192.0.2.55"]
    other.run("exit")
