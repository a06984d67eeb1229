"""Over the real `nos-shell ssh-server`: a commit that would lock the SSH user out is refused
(VyOS: "Attempting to delete current user"), nothing of it is committed, and the user can
still log in afterwards. The same commit from the console goes through."""
from __future__ import annotations

import re
import time

from nos_shell import Session
from test_ssh_lab import HOST, PASSWORDS, require, ssh_server  # noqa: F401

paramiko = require("paramiko")

PROMPT = re.compile(rb"\S+@\S+(?::~\$|#) $")


class Terminal:
    """One interactive channel; :meth:`line` sends a line and returns what came back up to
    the next prompt."""

    def __init__(self, server, user: str):
        self.client = paramiko.SSHClient()
        self.client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        self.client.connect(HOST, port=server.port, username=user, password=PASSWORDS[user],
                            look_for_keys=False, allow_agent=False, timeout=10, auth_timeout=10)
        self.channel = self.client.invoke_shell()
        self.channel.settimeout(10)
        self.until_prompt()

    def until_prompt(self) -> str:
        got = b""
        limit = time.monotonic() + 20
        while not PROMPT.search(got):
            assert time.monotonic() < limit, got
            chunk = self.channel.recv(65536)
            assert chunk, got
            got += chunk
        return got.decode(errors="replace").replace("\r\n", "\n")

    def line(self, text: str) -> str:
        self.channel.send(text.encode() + b"\r")
        return self.until_prompt()

    def close(self) -> None:
        self.client.close()


def users(root) -> list[str]:
    return Session(root).running.keys("system", "login", "user")


def test_ssh_user_cannot_delete_itself_or_the_last_admin(ssh_server):
    root = ssh_server.root
    before = users(root)
    term = Terminal(ssh_server, "alice")
    try:
        term.line("configure")
        term.line("delete system login user alice")
        out = term.line("commit")
        assert "[ system login user alice ]" in out
        assert "Attempting to delete current user: alice" in out and "Commit failed" in out
        term.line("discard")
        term.line("delete system login")
        out = term.line("commit")
        assert "Attempting to delete the last admin-level login user over SSH" in out
        assert "Commit failed" in out
        term.line("exit discard")
    finally:
        term.close()
    assert users(root) == before
    Terminal(ssh_server, "alice").close()          # alice still gets in
    # vyos, another admin, may remove her over SSH
    term = Terminal(ssh_server, "vyos")
    try:
        term.line("configure")
        term.line("delete system login user alice")
        out = term.line("commit")
        assert "Commit failed" not in out, out
        term.line("exit")
    finally:
        term.close()
    assert "alice" not in users(root)
