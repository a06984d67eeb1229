"""commit-confirm: the detached timer really reverts; confirm and commit stop it."""
from __future__ import annotations

import re
import time

import pytest

from confirm_lab import kill_timers, move_deadline, next_second
from nos_shell.engine import confirm
from nos_shell.errors import NosError
from nos_shell.session import Session


@pytest.fixture
def s(tmp_path, monkeypatch):
    monkeypatch.setenv("NOS_SHELL_MINUTE_SECONDS", "0.5")   # one "minute" lasts half a second
    session = Session(tmp_path)
    session.execute("configure")
    yield session
    kill_timers(tmp_path)


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


# -- a second commit-confirm, the revert's comment, damaged and stale records ----------------
def test_a_second_commit_confirm_keeps_the_original_revision_and_moves_the_deadline(s, tmp_path):
    original = s.store.revisions()[0].serial
    s.execute("set system host-name first")
    s.execute("commit-confirm 100")
    first = confirm.pending(tmp_path)
    s.execute("set system host-name second")
    out = s.execute("commit-confirm 200")
    assert "Initialized commit-confirm; 200 minutes to confirm before reload" in out
    assert "already pending" in out
    record = confirm.pending(tmp_path)
    assert record.revert_to == original and record.deadline > first.deadline
    move_deadline(tmp_path, 0)
    # the timer process returns to the configuration from before the FIRST commit-confirm
    wait_for(lambda: not (tmp_path / confirm.PENDING).exists())
    assert host_name(tmp_path) == "vyos"


def test_commit_confirm_without_changes_moves_the_deadline(s, tmp_path):
    s.execute("set system host-name trial")
    s.execute("commit-confirm 100")
    before = confirm.pending(tmp_path)
    out = s.execute("commit-confirm 50")
    assert out.startswith("No configuration changes to commit\n")
    assert "now reverts in 50 minutes" in out
    after = confirm.pending(tmp_path)
    assert after.deadline < before.deadline and after.revert_to == before.revert_to
    assert s.execute("confirm") == "Reload timer stopped\n"


def test_the_revert_comment_names_revisions_as_show_system_commit_shows_them(s, tmp_path):
    s.execute("set system host-name base")
    s.execute("commit")
    next_second()
    s.execute("set system host-name unconfirmed")
    s.execute("commit-confirm 100")
    next_second()
    move_deadline(tmp_path, 0)
    wait_for(lambda: not (tmp_path / confirm.PENDING).exists())
    s.execute("exit discard")
    listing = s.execute("show system commit")
    comment = listing.splitlines()[1].strip()
    named = re.fullmatch(r"commit-confirm of (.+ by \S+) \(next revision below\) not confirmed: "
                         r"back to the configuration of (.+ by \S+) \((\d+) revisions below\)", comment)
    assert named, comment
    lines = {m.group(2): int(m.group(1)) for m in re.finditer(r"^(\d+)\s+(.+ by \S+) via", listing, re.M)}
    reverted, restored = lines[named.group(1)], lines[named.group(2)]
    assert (reverted, restored) == (1, int(named.group(3)))
    assert s.store.revision(reverted).value("system", "host-name") == "unconfirmed"
    assert s.store.revision(restored).value("system", "host-name") == "base"
    assert host_name(tmp_path) == "base"


def test_a_damaged_record_is_reported_and_set_aside(s, tmp_path):
    (tmp_path / confirm.PENDING).write_text('{"deadline": 12')       # cut short
    out = s.execute("show system host-name")
    assert out.startswith("Warning: ") and str(confirm.PENDING) in out and "damaged" in out
    assert not (tmp_path / confirm.PENDING).exists()
    assert (tmp_path / confirm.DAMAGED).read_text() == '{"deadline": 12'
    (tmp_path / confirm.PENDING).write_text('{"deadline": "soon", "revert_to": 1}')
    notes = confirm.resume(tmp_path)
    assert len(notes) == 1 and "damaged" in notes[0]


def test_a_record_left_behind_by_a_crash_after_a_later_commit_reverts_nothing(s, tmp_path):
    s.execute("set system host-name trial")
    s.execute("commit-confirm 100")
    left_over = (tmp_path / confirm.PENDING).read_bytes()
    s.execute("set system domain-name example.net")
    s.execute("commit")                       # confirms; as if the crash came before the unlink:
    (tmp_path / confirm.PENDING).write_bytes(left_over)
    move_deadline(tmp_path, -1)
    notes = confirm.resume(tmp_path)
    assert notes and "later commit" in notes[0]
    assert host_name(tmp_path) == "trial"
    assert not (tmp_path / confirm.PENDING).exists()


def test_a_failed_commit_confirm_keeps_the_pending_one(s, tmp_path):
    s.execute("set system host-name first")
    s.execute("commit-confirm 100")
    first = confirm.pending(tmp_path)
    # from now on every reload fails: the target runs its commands through `false`
    settings = tmp_path / "etc/nos-shell/apply.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('live = true\nexec-prefix = ["false"]\nset-hostname = true\n'
                        'skip-reload = ["networkd", "nftables", "bird", "gobgp", "timesyncd"]\n')
    s.execute("set system host-name second")
    with pytest.raises(NosError, match="hostname second failed"):
        s.execute("commit-confirm 5")
    assert confirm.pending(tmp_path) == first
    settings.unlink()
    assert s.execute("confirm") == "Reload timer stopped\n"


def test_the_record_is_private_and_written_whole(s, tmp_path):
    s.execute("set system host-name trial")
    s.execute("commit-confirm 100")
    path = tmp_path / confirm.PENDING
    assert path.stat().st_mode & 0o777 == 0o600
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert s.execute("confirm") == "Reload timer stopped\n"
