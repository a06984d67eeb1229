"""commit-confirm: the detached timer really reverts; confirm and commit stop it."""
from __future__ import annotations

import time

import pytest

from nos_shell import confirm
from nos_shell.errors import NosError
from nos_shell.session import Session


@pytest.fixture
def s(tmp_path, monkeypatch):
    monkeypatch.setenv("NOS_SHELL_MINUTE_SECONDS", "0.5")   # one "minute" lasts half a second
    session = Session(tmp_path)
    session.execute("configure")
    return session


def wait_for(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def host_name(root) -> str:
    return Session(root).running.value("system", "host-name")


def test_unconfirmed_commit_is_reverted_by_the_timer_process(s, tmp_path):
    s.execute("set system host-name trial")
    out = s.execute("commit-confirm 2")
    assert "Initialized commit-confirm; 2 minutes to confirm before reload" in out
    assert host_name(tmp_path) == "trial"
    # the detached timer process does the revert: nobody touches the session meanwhile
    wait_for(lambda: not (tmp_path / confirm.PENDING).exists())
    assert host_name(tmp_path) == "vyos"
    newest = Session(tmp_path).store.revisions()[0]
    assert newest.via == "commit-confirm" and "not confirmed" in newest.comment
    assert "vyos" in (tmp_path / "etc/hostname").read_text()


def test_confirm_stops_the_timer(s, tmp_path):
    s.execute("set system host-name kept")
    s.execute("commit-confirm 1")
    assert s.execute("confirm") == "Reload timer stopped\n"
    assert s.execute("confirm") == "No confirm pending\n"
    time.sleep(1.5)
    assert host_name(tmp_path) == "kept"


def test_a_plain_commit_confirms(s, tmp_path):
    s.execute("set system host-name one")
    s.execute("commit-confirm 1")
    s.execute("set system domain-name example.net")
    assert "confirmed by this commit" in s.execute("commit")
    time.sleep(1.5)
    assert host_name(tmp_path) == "one"


def test_a_due_revert_happens_at_the_next_command(s, tmp_path):
    s.execute("set system host-name late")
    s.execute("commit")
    # as if the timer had died (reboot): the record is due and nothing is waiting
    confirm.disarm(tmp_path)
    revisions = s.store.revisions()
    (tmp_path / confirm.PENDING).write_text(
        f'{{"deadline": 0, "revert_to": {revisions[1].serial}, "serial": {revisions[0].serial}, "user": "x"}}')
    s.execute("show")
    assert s.running.value("system", "host-name") == "vyos"


def test_bounds_and_scripts(s, tmp_path):
    with pytest.raises(NosError, match="1 to 1440 minutes"):
        s.execute("commit-confirm 0")
    result = s.run_script(["set system host-name x", "commit-confirm 5"], "f")
    assert not result.ok and "cannot be used in a command file" in result.error.summary
