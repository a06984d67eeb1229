"""scrapli with scrapli-community's `vyos_vyos` platform against `nos-shell ssh-server`:
the default `system` transport (OpenSSH's client in a PTY, password typed at its prompt)
and the `paramiko` transport."""
from __future__ import annotations

import shutil

import pytest

from test_ssh_lab import HOST, PASSWORDS, missing, require, ssh_server  # noqa: F401

scrapli = require("scrapli")
require("scrapli_community")


@pytest.mark.parametrize("transport", ["system", "paramiko"])
def test_scrapli_vyos_platform(ssh_server, transport, tmp_path, monkeypatch):
    if transport == "system" and shutil.which("ssh") is None:
        missing("OpenSSH's client (ssh) is not installed: scrapli's system transport runs it")
    if transport == "paramiko":
        require("paramiko")
    monkeypatch.setenv("HOME", str(tmp_path))
    domain = f"{transport}.example"
    conn = scrapli.Scrapli(host=HOST, port=ssh_server.port, auth_username="alice",
                           auth_password=PASSWORDS["alice"], auth_strict_key=False, platform="vyos_vyos",
                           transport=transport, timeout_socket=10, timeout_transport=20, timeout_ops=20,
                           ssh_config_file=False)
    conn.open()
    try:
        assert conn.get_prompt() == "alice@r1:~$"
        response = conn.send_command("show host name")
        assert response.result == "r1" and not response.failed

        replies = conn.send_configs([f"set system domain-name {domain}",
                                     "set interfaces ethernet eth0 description 'scrapli'"])
        assert not replies.failed
        assert conn.get_prompt() == "alice@r1#"
        assert domain in conn.send_config("compare").result
        assert not conn.send_config("commit").failed

        bad = conn.send_config("set interfaces ethernet eth0 mtu 99999")
        assert bad.failed                   # "Set failed" / "Value validation failed" detected
        assert not conn.send_config("discard").failed

        conn.acquire_priv("privilege_exec")
        assert conn.get_prompt() == "alice@r1:~$"
        config = conn.send_command("show configuration commands").result.splitlines()
        assert f"set system domain-name '{domain}'" in config
    finally:
        conn.close()
