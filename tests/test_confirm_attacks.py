"""commit-confirm attacked after issue 8 (real `nos-shell` processes): a commit-confirm
killed before its revision was archived must not later revert somebody else's commit."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from confirm_lab import kill_timers, move_deadline, running
from nos_shell.engine import confirm
from nos_shell.store import Store


def nos(root: Path, *args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=120, input=stdin,
                          env={**os.environ, **(env or {})})


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "root"
    yield path
    kill_timers(path)


def test_a_commit_confirm_killed_before_its_archive_never_reverts_a_later_commit(root, tmp_path):
    """The record names the unconfirmed commit by the archive serial it *would* get. Killed
    before the archive, that serial went to the next commit, here a command file's (which
    does not confirm anything): at the deadline the file's committed change was reverted."""
    base = tmp_path / "base"
    base.write_text("configure\nset interfaces ethernet eth0 address 192.0.2.1/24\ncommit\nexit\n")
    assert nos(root, "-f", str(base)).returncode == 0
    killed = nos(root, stdin="configure\nset system host-name unconfirmed\ncommit-confirm 5\n",
                 env={"NOS_SHELL_FAULT": "rename:2"})     # the record is on disk, the archive not
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (root / confirm.PENDING).exists() and len(Store(root).revisions()) == 2
    script = tmp_path / "script"
    script.write_text("configure\nset system domain-name example.com\ncommit\nexit\n")
    done = nos(root, "-f", str(script))
    assert done.returncode == 0, done.stderr
    # the next command, not a timer process racing it (it polls every second), must find
    # the deadline passed, so that its output can be read: the timers go first
    kill_timers(root)
    move_deadline(root, -60)
    later = nos(root, "-c", "show system commit")
    assert later.returncode == 0, later.stderr
    assert running(root).value("system", "domain-name") == "example.com", later.stdout
    assert "never completed" in later.stdout
    assert not (root / confirm.PENDING).exists()


def test_a_commit_confirm_killed_after_its_archive_reverts_with_nobody_typing(root, tmp_path):
    """The timer process was started only after the commit: a shell killed between the
    archive and that point left the unconfirmed commit in force, with no timer, until
    somebody happened to type a command (issue 8's item 5, in a narrower window)."""
    from confirm_lab import timer_pids, wait_for

    base = tmp_path / "base"
    base.write_text("configure\nset interfaces ethernet eth0 address 192.0.2.1/24\ncommit\nexit\n")
    lines = "configure\nset system host-name unconfirmed\ncommit-confirm 5\n"
    probe, log = tmp_path / "probe", tmp_path / "steps"
    assert nos(probe, "-f", str(base)).returncode == 0
    assert nos(probe, stdin=lines, env={"NOS_SHELL_FAULT_LOG": str(log)}).returncode == 0
    kill_timers(probe)
    steps = log.read_text().split()
    # the last steps: the journal's removal (one folder fsync), then the record's final
    # write (fsync, rename, fsync): kill just before that write
    assert steps[-4:] == ["fsync", "fsync", "rename", "fsync"], steps
    assert nos(root, "-f", str(base)).returncode == 0
    killed = nos(root, stdin=lines, env={"NOS_SHELL_FAULT": str(len(steps) - 3)})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert running(root).value("system", "host-name") == "unconfirmed"     # archived
    assert timer_pids(root), "no timer process waits for the deadline"
    move_deadline(root, -60)
    # the revert archives the previous revision first, then removes the record: wait for both
    wait_for(lambda: running(root).value("system", "host-name") != "unconfirmed"
             and not (root / confirm.PENDING).exists(), 60, "the revert")


def test_confirm_during_a_revert_never_claims_to_have_stopped_it(root, tmp_path, monkeypatch):
    """`confirm` removed the record without the commit lock. Typed while the timer was
    reverting (it had found the deadline passed a moment before), it answered `Reload timer
    stopped` and the revert then completed: told confirmed, the operator got the old
    configuration. Here the revert hangs in `nft -f` (a stub), and the moment just before
    the deadline is reproduced by moving the deadline while it hangs."""
    import threading

    import exec_stub
    from confirm_lab import wait_for
    from nos_shell.session import Session

    stub = exec_stub.install(tmp_path, root)
    log, hang = stub.log, stub.hang
    for name, value in stub.env.items():
        monkeypatch.setenv(name, value)          # the timer process inherits them
    admin = Session(root)
    for line in ("configure", "set interfaces ethernet eth0 address 203.0.113.1/24",
                 "set nat source rule 100 outbound-interface name eth0",
                 "set nat source rule 100 translation address masquerade", "commit",
                 "delete nat", "commit-confirm 5"):
        assert admin.run(line).ok, line
    other = Session(root)
    assert other.run("configure").ok
    hang.touch()
    move_deadline(root, -60)
    wait_for(lambda: log.exists() and '["hanging"]' in log.read_text(), 60, "the revert to reach nft -f")
    move_deadline(root, 600)
    answer: list[str] = []
    worker = threading.Thread(target=lambda: answer.append(other.run("confirm").output))
    worker.start()
    worker.join(5)          # a wait, not an assertion: before the fix it answered at once
    hang.unlink()
    worker.join(120)
    assert answer and not worker.is_alive()
    with Store(root).locked():      # the timer holds the lock until its revert is over
        pass
    reverted = running(root).exists("nat")
    assert reverted == ("No confirm pending" in answer[0]), (answer, reverted)
    assert not (root / confirm.PENDING).exists()


def test_a_saved_unconfirmed_commit_does_not_come_back_at_the_next_boot(root):
    """`save` after `commit-confirm` wrote the unconfirmed configuration to config.boot.
    The revert put the running configuration back but not the saved one, so the next
    `nos-shell boot` loaded the unconfirmed SSH port again: locked out after a reboot."""
    from nos_shell.session import Session

    admin = Session(root)
    for line in ("configure", "set service ssh port 2222", "commit", "save",
                 "delete service ssh port", "set service ssh port 2223", "commit-confirm 5", "save"):
        assert admin.run(line).ok, line
    kill_timers(root)
    move_deadline(root, -60)
    result = nos(root, "boot")
    assert result.returncode == 0, result.stderr
    assert "not confirmed" in result.stdout and "saved configuration" in result.stdout
    assert Store(root).saved().values("service", "ssh", "port") == ["2222"]
    again = nos(root, "boot")               # the next reboot
    assert again.returncode == 0, again.stderr
    assert running(root).values("service", "ssh", "port") == ["2222"]
