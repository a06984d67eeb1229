"""Concurrent sessions on one root: no lost update (optimistic concurrency, as JunOS
`configure private`), conflicts refused with their paths, `configure exclusive`, and
`show configuration sessions`. In-process sessions here; real processes in
tests/test_concurrency_processes.py, SSH in tests/test_ssh_concurrency.py."""
from __future__ import annotations

import pytest

from nos_shell.session import Session
from nos_shell.store import Store


def conf(root, user="vyos", via="cli") -> Session:
    session = Session(root, user=user, via=via, apply=False)
    assert session.run("configure").ok
    return session


def ok(session: Session, *lines: str) -> str:
    out = ""
    for line in lines:
        result = session.run(line)
        assert result.ok, (line, result.output)
        out += result.output
    return out


def test_the_reported_lost_update_is_gone(tmp_path):
    a = conf(tmp_path, "alice")
    b = conf(tmp_path, "bob")
    ok(b, "set system host-name bee", "commit")
    ok(a, "set system domain-name example.com")
    compared = ok(a, "compare")
    # A's compare says the running configuration moved and shows only what A's commit does
    assert "changed" in compared and "bob" in compared
    assert "host-name" not in compared and "domain-name" in compared
    ok(a, "commit")
    running = Store(tmp_path).running()
    assert running.value("system", "host-name") == "bee"
    assert running.value("system", "domain-name") == "example.com"
