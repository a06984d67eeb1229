"""`show users` over the real SSH server: shell sessions are listed while they last."""
from __future__ import annotations

import time

from test_ssh import Shell, connect
from test_ssh_lab import ssh_server  # noqa: F401  (fixture)


def users(shell: Shell) -> dict[str, list[str]]:
    text = shell.run("show users | no-more").decode().replace("\r\n", "\n")
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("----")) + 1
    return {line.split()[0]: line.split() for line in lines[start:] if line.strip() and "@" not in line}


def test_show_users_lists_ssh_shells_until_they_close(ssh_server):
    with connect(ssh_server) as admin, connect(ssh_server, "oper") as oper:
        first = Shell(admin)
        second = Shell(oper)
        _, stdout, _ = admin.exec_command("show date", timeout=10)     # a one-off command: not a login
        stdout.channel.recv_exit_status()
        found = users(first)
        assert set(found) == {"vyos", "oper"}
        assert found["vyos"][1:4] == ["ssh", "pty", "127.0.0.1"]
        assert b"Permission denied: operator-level users cannot restart services" in second.run("restart ssh")
        second.channel.close()
        deadline = time.monotonic() + 10
        while set(users(first)) != {"vyos"}:
            assert time.monotonic() < deadline, "the closed session is still listed"
            time.sleep(0.1)
