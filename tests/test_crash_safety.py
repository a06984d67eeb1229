"""Nothing is lost: a crash at any write of a commit or save leaves every state file whole.

The crash is simulated at each file-system step that atomic writes take (every fsync and
every rename, in turn); afterwards a fresh session on the same root must read a running
configuration, a saved configuration and an archive that are each either the old or the
new version, never a mix or a torn file.
"""
from __future__ import annotations

import os
import shutil

import pytest

from pathlib import PurePosixPath

from nos_shell import fsutil
from nos_shell.apply import compile_by_backend
from nos_shell.apply.files import owned
from nos_shell.session import Session

OLD_NAME, NEW_NAME = "before", "after"


class Crash(BaseException):
    """Stands for the process dying: nothing after it runs (cleanup handlers do, harmlessly)."""


def baseline(root) -> None:
    s = Session(root)
    for line in ("configure", "set interfaces ethernet eth0 address 192.0.2.1/24",
                 f"set system host-name {OLD_NAME}", "commit", "save", "exit"):
        s.execute(line)


def change(root) -> None:
    s = Session(root)
    for line in ("configure", "set interfaces ethernet eth1 address 198.51.100.1/24",
                 f"set system host-name {NEW_NAME}", "commit", "save"):
        s.execute(line)


def count_steps(root, monkeypatch) -> int:
    calls = []
    real_replace, real_fsync = os.replace, os.fsync
    monkeypatch.setattr(fsutil.os, "replace", lambda *a: (calls.append(1), real_replace(*a))[1])
    monkeypatch.setattr(fsutil.os, "fsync", lambda *a: (calls.append(1), real_fsync(*a))[1])
    change(root)
    monkeypatch.undo()
    return len(calls)


def crash_at(step: int, root, monkeypatch) -> None:
    seen = [0]
    real_replace, real_fsync = os.replace, os.fsync

    def guard(real):
        def wrapped(*args):
            seen[0] += 1
            if seen[0] == step:
                raise Crash()
            return real(*args)
        return wrapped

    monkeypatch.setattr(fsutil.os, "replace", guard(real_replace))
    monkeypatch.setattr(fsutil.os, "fsync", guard(real_fsync))
    with pytest.raises(Crash):
        change(root)
    monkeypatch.undo()


def test_a_crash_at_any_step_loses_nothing(tmp_path, monkeypatch):
    template = tmp_path / "template"
    baseline(template)
    probe = tmp_path / "probe"
    shutil.copytree(template, probe)
    steps = count_steps(probe, monkeypatch)
    assert steps >= 6          # archive file, generated files, manifest, saved file, ...
    for step in range(1, steps + 1):
        root = tmp_path / f"crash{step}"
        shutil.copytree(template, root)
        crash_at(step, root, monkeypatch)
        after = Session(root)
        running = after.running.value("system", "host-name")
        saved = after.store.saved()
        assert running in (OLD_NAME, NEW_NAME), f"step {step}"
        assert saved is not None and saved.value("system", "host-name") in (OLD_NAME, NEW_NAME), f"step {step}"
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
