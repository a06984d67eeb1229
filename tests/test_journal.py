"""The commit journal (nos_shell/engine/journal.py, recovery.py, transaction.py).

A sandbox root made "live" with a stub exec prefix: every program a reload would run is
recorded by the stub instead (nothing on this machine is touched), and ``nft -f`` can be made
to hang, as a reload that never returns. The failure found in issue 8: a commit killed (or
interrupted with Ctrl-C) during ``nft -f``, then retried, succeeded without running anything,
because the files already matched; the archive said the NAT rule was active and the kernel
never got it.
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest

import exec_stub
from nos_shell.engine import journal, recovery
from nos_shell.session import Session
from nos_shell.store import Store

NAT = ["set nat source rule 100 outbound-interface name eth0",
       "set nat source rule 100 source address 192.0.2.0/24",
       "set nat source rule 100 translation address masquerade"]


class Stubbed:
    """A root whose reloads go to the stub; its log of commands, and the hang switch."""

    def __init__(self, tmp_path):
        tmp_path.mkdir(exist_ok=True)
        self.root = tmp_path / "root"
        self.stub = exec_stub.install(tmp_path, self.root)
        self.log, self.hang = self.stub.log, self.stub.hang
        self.env = {**os.environ, **self.stub.env}
        self.script = tmp_path / "nat"
        self.script.write_text("\n".join(["configure", *NAT, "commit", "exit"]) + "\n")
        base = tmp_path / "base"
        base.write_text("configure\nset interfaces ethernet eth0 address 203.0.113.1/24\ncommit\nexit\n")
        result = self.nos("-f", str(base))
        assert result.returncode == 0, result.stderr

    def commands(self) -> list[list[str]]:
        return self.stub.commands()

    def nos(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(self.root), *args],
                              capture_output=True, text=True, timeout=120, env=self.env)

    def start(self, *args: str) -> subprocess.Popen:
        """nos-shell in its own process group (the stub it runs is in it too)."""
        return subprocess.Popen([sys.executable, "-m", "nos_shell", "--root", str(self.root), *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env,
                                start_new_session=True)

    def wait_hanging(self, proc: subprocess.Popen) -> None:
        deadline = time.monotonic() + 60
        while ["hanging"] not in self.commands():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the commit never reached nft -f"
            time.sleep(0.05)

    def nat_running(self) -> bool:
        return Store(self.root).running().exists("nat")     # read only: no recovery


@pytest.fixture
def stubbed(tmp_path):
    return Stubbed(tmp_path)


def nft_loads(commands: list[list[str]]) -> list[list[str]]:
    return [argv for argv in commands if argv[:2] == ["nft", "-f"]]


@pytest.mark.parametrize("how", ["kill", "ctrl-c"])
def test_a_commit_interrupted_during_nft_is_undone_and_its_retry_loads_the_table(stubbed, how):
    proc = stubbed.start("-f", str(stubbed.script))
    try:
        stubbed.hang.touch()
        stubbed.wait_hanging(proc)
        stubbed.hang.unlink()                  # what runs after the interruption does not hang
        os.killpg(proc.pid, signal.SIGKILL if how == "kill" else signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == (-signal.SIGKILL if how == "kill" else 130), err
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert not stubbed.nat_running()           # the archive never claimed the rule
    stubbed.log.unlink()
    # the next start (here a plain `show`) rolls the interrupted commit back: the NAT file
    # is removed again and the table it may have loaded is deleted
    first = stubbed.nos("-c", "show configuration commands")
    assert first.returncode == 0, first.stderr
    nft_file = stubbed.root / "etc/nftables.d/nos-shell.nft"
    if how == "kill":
        assert "rolled back" in first.stderr
        assert nft_loads(stubbed.commands()) == [["nft", "-f", str(nft_file)]]   # the old table again
    else:                                      # Ctrl-C: undone before the process ended
        assert first.stderr == ""
    assert not journal.exists(stubbed.root)
    assert "masquerade" not in nft_file.read_text()
    # the retried commit loads the table (before the fix it ran nothing: files matched)
    stubbed.log.unlink(missing_ok=True)
    retry = stubbed.nos("-f", str(stubbed.script))
    assert retry.returncode == 0, retry.stderr
    assert nft_loads(stubbed.commands()) == [["nft", "-f", str(nft_file)]]
    assert stubbed.nat_running() and "masquerade" in nft_file.read_text()


def test_a_kill_after_the_archive_rolls_forward_without_undoing_the_commit(tmp_path):
    """Killed after the archive's rename, before the journal's removal: the revision was
    archived, so the next start keeps it, and reloads nothing that was already reloaded."""
    probe, log = Stubbed(tmp_path / "probe"), tmp_path / "steps"
    probe.env["NOS_SHELL_FAULT_LOG"] = str(log)
    assert probe.nos("-f", str(probe.script)).returncode == 0
    steps = log.read_text().split()
    # ... the archive: rename, fsync of its folder; the journal removed, fsync of its folder
    assert steps[-3:] == ["rename", "fsync", "fsync"]
    other = Stubbed(tmp_path / "killed")
    other.env["NOS_SHELL_FAULT"] = str(len(steps) - 1)
    killed = other.nos("-f", str(other.script))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert other.nat_running()          # archived before the kill
    del other.env["NOS_SHELL_FAULT"]
    other.log.unlink()
    after = other.nos("-c", "show configuration commands")
    assert after.returncode == 0 and "rolled forward" in after.stderr, after.stderr
    assert other.nat_running() and nft_loads(other.commands()) == []
    assert not journal.exists(other.root)


def test_recovery_is_one_directory_read_without_a_journal(tmp_path, monkeypatch):
    assert Session(tmp_path, apply=False).running
    calls = []
    real = os.listdir
    monkeypatch.setattr(journal.os, "listdir", lambda p: (calls.append(p), real(p))[1])
    assert recovery.recover(tmp_path) == []
    assert calls == [tmp_path / "var/lib/nos-shell"]


def test_only_nos_shell_temporary_files_of_its_own_files_are_removed(tmp_path):
    """The sweep removes `.NAME.XXXXXXXX.tmp` of files nos-shell generates, never another file."""
    s = Session(tmp_path)
    for line in ("configure", "set interfaces ethernet eth0 address 192.0.2.1/24", "commit"):
        s.execute(line)
    units = tmp_path / "etc/systemd/network"
    generated = sorted(p.name for p in units.iterdir())[0]
    ours = units / f".{generated}.abcd1234.tmp"
    foreign = [units / ".other.network.abcd1234.tmp", units / f".{generated}.tmp", units / "keep.tmp"]
    for path in [ours, *foreign]:
        path.write_text("x")
    # a journal as a crash leaves it (written before any file), then the next start
    journal.Writer(s.store, s.running, live=False).begin(_plan_touching(tmp_path, generated))
    messages = recovery.recover(tmp_path)
    assert "Recovery: removed 1 temporary file(s) left by the interruption" in messages
    assert not ours.exists() and all(p.exists() for p in foreign)


def _plan_touching(root, name):
    from pathlib import PurePosixPath

    from nos_shell.apply import files

    rel = PurePosixPath("etc/systemd/network") / name
    return files.Plan(changed={rel: (root / rel).read_bytes()}, owners={rel: "networkd"})


def test_a_damaged_journal_stops_every_start_with_one_message(tmp_path):
    assert Session(tmp_path, apply=False).running
    (tmp_path / journal.JOURNAL).write_text("{")
    result = subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(tmp_path), "-c", "show version"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "journal.json is damaged" in result.stderr and "Traceback" not in result.stderr


def interrupted(tmp_path):
    """A sandbox root whose last commit was killed after writing its first generated file."""
    root = tmp_path / "root"
    s = Session(root)
    for line in ("configure", "set interfaces ethernet eth0 address 192.0.2.1/24", "commit", "exit"):
        s.execute(line)
    change = tmp_path / "change"
    change.write_text("configure\nset system host-name killed\ncommit\n")
    result = subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), "-f", str(change)],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "NOS_SHELL_FAULT": "rename:4"})   # journal, manifest, file
    assert result.returncode == -signal.SIGKILL and journal.exists(root), result.stderr
    assert killed_files(root)           # a mix: some generated files are new
    return root


def killed_files(root) -> list[str]:
    return [str(p) for p in (root / "etc").rglob("*") if p.is_file() and b"killed" in p.read_bytes()]


@pytest.mark.parametrize("entry", [["-c", "show version"], ["-f", "-"], [], ["boot"], ["ssh-server", "--port", "0"]])
def test_every_entry_point_recovers_first(tmp_path, entry):
    root = interrupted(tmp_path)
    argv = [sys.executable, "-m", "nos_shell", "--root", str(root), *entry]
    if entry[:1] == ["ssh-server"]:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            first = proc.stderr.readline()         # type: ignore[union-attr]
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    else:
        result = subprocess.run(argv, input="exit\n", capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        first = result.stderr.splitlines()[0]
    assert first.startswith("Recovery: an interrupted commit was rolled back"), first
    assert not journal.exists(root) and killed_files(root) == []


def test_a_session_made_through_the_python_api_recovers_first(tmp_path, capsys):
    root = interrupted(tmp_path)
    s = Session(root)
    assert s.recovered and s.recovered[0].startswith("Recovery: an interrupted commit was rolled back")
    assert capsys.readouterr().err.startswith("Recovery:")
    assert not journal.exists(root) and killed_files(root) == []


def test_a_write_that_fails_half_way_is_undone_at_once(tmp_path, monkeypatch):
    """A full disk (here: the third rename fails) ends the commit with one message and the
    previous files back, instead of an internal error and a mix."""
    from nos_shell import fsutil

    s = Session(tmp_path)
    for line in ("configure", "set interfaces ethernet eth0 address 192.0.2.1/24", "commit"):
        s.execute(line)
    before = {p: p.read_bytes() for p in (tmp_path / "etc").rglob("*") if p.is_file()}
    calls, real = [], os.replace

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(fsutil.os, "replace", failing)
    s.execute("set interfaces ethernet eth1 address 198.51.100.1/24")
    s.execute("set system host-name full")
    result = s.run("commit")
    monkeypatch.undo()
    assert not result.ok and "Cannot write the generated files" in result.output
    assert "Internal error" not in result.output and "rolled back" in result.output
    assert {p: p.read_bytes() for p in (tmp_path / "etc").rglob("*") if p.is_file()} == before
    assert not journal.exists(tmp_path)
