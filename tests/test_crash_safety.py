"""Nothing is lost: a crash at any write of a commit or save leaves every state file whole.

The crash is simulated at each file-system step that writes take (every fsync, every
``syncfs`` and every rename, in turn: nos_shell/fault.py's points); afterwards a fresh
session on the same root must read a running configuration, a saved configuration and an
archive that are each either the old or the new version, never a mix or a torn file.

Each test runs two changes, one per kind of batched write of generated files
(fsutil.write_many): ``few`` changes two files (each fsynced on its own; the manifest
written as a delta), ``many`` adds three VLANs and removes one (one ``syncfs`` for all of
them; the manifest written whole).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest

from pathlib import PurePosixPath

from nos_shell import fsutil
from nos_shell.apply import Target, apply, compile_by_backend
from nos_shell.apply.files import owned
from nos_shell.apply.manifest import DELTA
from nos_shell.session import Session

OLD_NAME, NEW_NAME = "before", "after"


class Crash(BaseException):
    """Stands for the process dying: nothing after it runs (cleanup handlers do, harmlessly)."""


BASELINE = ["set interfaces ethernet eth0 address 192.0.2.1/24",
            "set interfaces ethernet eth0 vif 99 address 10.99.0.1/24", f"set system host-name {OLD_NAME}",
            # enough files that ``few`` writes the manifest as a delta (manifest.DELTA), ``many`` whole
            *(f"set interfaces ethernet eth0 vif {n} address 10.{n}.0.1/24" for n in range(200, 212))]
CHANGES = {
    "few": [f"set system host-name {NEW_NAME}"],
    "many": ["set interfaces ethernet eth1 address 198.51.100.1/24", "delete interfaces ethernet eth0 vif 99",
             *(f"set interfaces ethernet eth0 vif {n} address 10.{n}.0.1/24" for n in range(1, 4)),
             f"set system host-name {NEW_NAME}"],
}


def baseline(root) -> None:
    s = Session(root)
    for line in ("configure", *BASELINE, "commit", "save", "exit"):
        s.execute(line)


def change(root, lines: list[str]) -> None:
    s = Session(root)
    for line in ("configure", *lines, "commit", "save"):
        s.execute(line)


def settle(root) -> None:
    """The running configuration applied again on a copied root (no file changes): its
    manifest then records the copy's own inodes and times (a copy's do not match the
    manifest it copied), so the next commit can write the manifest as a delta."""
    running = Session(root, apply=False).running
    apply(Target(root), running, running)


def count_steps(root, lines: list[str], monkeypatch) -> list[str]:
    """The kinds of the fault points a change passes, in order."""
    kinds: list[str] = []
    monkeypatch.setattr(fsutil, "point", kinds.append)
    change(root, lines)
    monkeypatch.undo()
    return kinds


def crash_at(step: int, root, lines: list[str], monkeypatch) -> None:
    seen = [0]

    def point(kind: str) -> None:
        seen[0] += 1
        if seen[0] == step:
            raise Crash()

    monkeypatch.setattr(fsutil, "point", point)
    with pytest.raises(Crash):
        change(root, lines)
    monkeypatch.undo()


def agree(root) -> None:
    """The generated files, the manifest and the archive agree exactly; no journal and no
    temporary file is left anywhere under the root."""
    from nos_shell.engine.journal import JOURNAL
    from nos_shell.backends.contract import file_mode

    running = Session(root, apply=False).running
    wanted = {p: data for files in compile_by_backend(running).values() for p, data in files.items()}
    assert owned(root).keys() == wanted.keys()
    for rel, data in wanted.items():
        on_disk = root / rel
        assert on_disk.read_bytes() == bytes(data), rel
        assert on_disk.stat().st_mode & 0o7777 == file_mode(data)[0], rel
    generated = {p.relative_to(root).as_posix() for p in (root / "etc").rglob("*")
                 if p.is_file() and not p.name.startswith(".") and "etc/nos-shell" not in p.parent.as_posix()}
    assert generated == {str(p) for p in wanted}
    assert not (root / JOURNAL).exists()
    leftovers = [str(p) for p in root.rglob("*")
                 if any(pattern.fullmatch(p.name) for pattern in (fsutil.TEMP_NAME, fsutil.STAGE_NAME, fsutil.CHECK_NAME))]
    assert leftovers == []
    snapshot_agrees(root, running)


def snapshot_agrees(root, running) -> None:
    """The running configuration a process loaded is the newest archive file's text, and the
    snapshot beside the archive (a cache) was brought up to date by that load."""
    from nos_shell.config import snapshot
    from nos_shell.config.bootfile import load_boot
    from nos_shell.store import ARCHIVE, SNAPSHOT

    newest = max((root / ARCHIVE).glob("r*.boot"))
    assert running == load_boot(newest.read_text().split("\n", 1)[1])[0]
    assert snapshot.decode((root / SNAPSHOT).read_bytes(), newest.read_bytes()) == running


def staged(root) -> list[str]:
    """Staging directories of fsutil.write_many under ``root`` (a crash's leftovers)."""
    return [str(p) for p in root.rglob(".nos-stage.*")]


@pytest.mark.parametrize("size", [*sorted(CHANGES), "many-shared"])
def test_a_crash_at_any_step_loses_nothing(tmp_path, monkeypatch, size):
    """``many-shared``: the ``many`` change with one staging directory per file, so its
    files are created by several threads side by side (fsutil.SHARE)."""
    if size == "many-shared":
        size = "many"
        with pytest.MonkeyPatch.context() as share:
            share.setattr(fsutil, "SHARE", 1)
            crash_everywhere(tmp_path, monkeypatch, size)
    else:
        crash_everywhere(tmp_path, monkeypatch, size)


def crash_everywhere(tmp_path, monkeypatch, size: str) -> None:
    template = tmp_path / "template"
    baseline(template)
    probe = tmp_path / "probe"
    shutil.copytree(template, probe)
    settle(probe)
    kinds = count_steps(probe, CHANGES[size], monkeypatch)
    assert (probe / DELTA).exists() == (size == "few")
    # journal, generated files, manifest, archive, saved file: each fsync and rename
    assert kinds.count("rename") >= (5 if size == "few" else 14) and kinds.count("fsync") >= 6, kinds
    assert ("syncfs" in kinds) == (size == "many"), kinds
    for step in range(1, len(kinds) + 1):
        root = tmp_path / f"crash{step}"
        shutil.copytree(template, root)
        settle(root)
        crash_at(step, root, CHANGES[size], monkeypatch)
        after = Session(root)             # the next start resolves what the crash left
        agree(root)
        running = after.running.value("system", "host-name")
        saved = after.store.saved()
        assert running in (OLD_NAME, NEW_NAME), f"step {step}"
        assert after.running == Session(template if running == OLD_NAME else probe, apply=False).running
        assert saved is not None and saved.value("system", "host-name") in (OLD_NAME, NEW_NAME), f"step {step}"
        assert saved_snapshot_agrees(root) == saved, f"step {step}"
        for number in range(len(after.store.revisions())):
            after.store.revision(number)          # every archived revision still loads
        # and the next commit works normally from whatever state the crash left
        after.execute("configure")
        after.execute("set system host-name recovered")
        after.execute("commit")
        assert Session(root).running.value("system", "host-name") == "recovered"
        # no generated file is left that the manifest does not name or the running tree does not want
        wanted = {str(p) for files in compile_by_backend(after.running).values() for p in files}
        assert set(owned(root)) == {PurePosixPath(p) for p in wanted}, f"step {step}"
        on_disk = {str(p.relative_to(root)) for p in (root / "etc").rglob("*") if p.is_file()
                   and not p.name.startswith(".")} - {"etc/nos-shell/config.boot"}
        assert on_disk == wanted, f"step {step}"


def saved_snapshot_agrees(root):
    """The saved configuration's snapshot, brought up to date by the load before, decoded
    (it must match the saved file)."""
    from nos_shell.config import snapshot
    from nos_shell.store import SAVED, SAVED_SNAPSHOT

    return snapshot.decode((root / SAVED_SNAPSHOT).read_bytes(), (root / SAVED).read_bytes())


# -- a real process killed (SIGKILL) at every step, then the next process recovers ------------------

NAT = ["set nat source rule 100 outbound-interface name eth0",
       "set nat source rule 100 source address 192.0.2.0/24",
       "set nat source rule 100 translation address masquerade"]


def nos(root, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``nos-shell --root ROOT ARGS`` as a separate process."""
    return subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


def kill_commit(root, script, step: int | str) -> subprocess.CompletedProcess:
    result = nos(root, "-f", str(script), env={"NOS_SHELL_FAULT": str(step)})
    assert result.returncode == -signal.SIGKILL, f"step {step}: {result.stdout}{result.stderr}"
    return result


@pytest.mark.parametrize("size", sorted(CHANGES))
def test_a_killed_commit_process_is_rolled_back_or_forward_by_the_next_start(tmp_path, size):
    template = tmp_path / "template"
    baseline(template)
    script = tmp_path / "change"
    extra = NAT if size == "many" else []
    script.write_text("\n".join(["configure", *CHANGES[size], *extra, "commit", "exit"]) + "\n")
    probe, log = tmp_path / "probe", tmp_path / "steps"
    shutil.copytree(template, probe)
    assert nos(probe, "-f", str(script), env={"NOS_SHELL_FAULT_LOG": str(log)}).returncode == 0
    steps = log.read_text().split()
    assert {"fsync", "rename", "snapshot"} <= set(steps) and len(steps) >= 15
    assert ("syncfs" in steps) == (size == "many"), steps
    outcomes, left_staged = set(), []
    for step in range(1, len(steps) + 1):
        root = tmp_path / f"kill{step}"
        shutil.copytree(template, root)
        kill_commit(root, script, step)
        left_staged += [(steps[step - 1], path) for path in staged(root)]
        after = nos(root, "-c", "show configuration commands")      # the next start
        assert after.returncode == 0, after.stderr
        running = Session(root, apply=False).running
        if "rolled forward" in after.stderr:
            assert running == Session(probe, apply=False).running, f"step {step}"
        elif "rolled back" in after.stderr:
            assert running == Session(template, apply=False).running, f"step {step}"
        else:       # killed before the journal existed, or after it was cleared
            assert after.stderr in ("", "Recovery: removed 1 temporary file(s) left by an interrupted commit\n"), \
                f"step {step}"
        outcomes.add((running.value("system", "host-name"), after.stderr.split(":")[0]))
        agree(root)         # no staging directory is left either
    # every kind of outcome happened: nothing to do (both ends), rolled back, rolled forward
    assert {running for running, _ in outcomes} == {OLD_NAME, NEW_NAME}
    assert {"Recovery"} < {said for _, said in outcomes}
    # kills between staging and renaming left staging directories, which recovery removed
    assert {kind for kind, _ in left_staged} >= ({"syncfs", "rename"} if size == "many" else {"fsync", "rename"})


def test_a_kill_between_archiving_and_writing_the_snapshot_is_harmless(tmp_path):
    """The snapshot is written after the archive file; killed in between, the archive holds
    the new revision and the snapshot the old one: the next start sees the mismatch, loads
    the new revision from its text and writes the snapshot again."""
    from nos_shell.config import snapshot
    from nos_shell.store import ARCHIVE, SNAPSHOT

    root = tmp_path / "root"
    baseline(root)
    script = tmp_path / "change"
    script.write_text(f"configure\nset system host-name {NEW_NAME}\ncommit\nexit\n")
    kill_commit(root, script, "snapshot:1")
    newest = max((root / ARCHIVE).glob("r*.boot"))
    stale = (root / SNAPSHOT).read_bytes()
    assert snapshot.header(stale).serial == int(newest.stem[1:]) - 1      # killed in between
    after = nos(root, "-c", "show configuration commands")
    assert after.returncode == 0 and f"host-name '{NEW_NAME}'" in after.stdout, after.stderr
    assert "rolled forward" in after.stderr
    agree(root)
