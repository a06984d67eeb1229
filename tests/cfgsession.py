"""A configuration-mode session in a sandbox root and a commit of some lines, for tests
that judge a commit by its outcome and output (``from cfgsession import cli, commit``:
the fixture is registered in the importing module), and :func:`commit_round` for tests
that keep one operational session and commit now and then."""
from __future__ import annotations

import pytest

from nos_shell.session import Session


@pytest.fixture
def cli(tmp_path) -> Session:
    """A console session (user vyos) in configuration mode on a fresh sandbox root."""
    session = Session(tmp_path, user="vyos", via="cli")
    session.execute("configure")
    return session


def commit(session: Session, *lines: str) -> tuple[bool, str]:
    """Run ``lines`` (each must succeed), then commit: (committed, output)."""
    for line in lines:
        result = session.run(line)
        assert result.ok, (line, result.output)
    result = session.run("commit")
    return result.ok, result.output


def commit_round(session: Session, *lines: str) -> str:
    """`configure`, ``lines``, `commit` (its output), then `exit discard` whatever happened:
    the session is back in operational mode."""
    session.execute("configure")
    for line in lines:
        session.execute(line)
    try:
        return session.execute("commit")
    finally:
        session.execute("exit discard")
