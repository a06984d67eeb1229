"""`nos-shell boot`: the saved configuration comes back after a restart, and everything reloads."""
from __future__ import annotations

import subprocess
import sys
from pathlib import PurePosixPath

from nos_shell.api import tree_from_commands
from nos_shell.apply import Target, apply
from nos_shell.backends.registry import registered
from nos_shell.session import Session

from drivers import fake_driver


def nos(root, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=60)


def test_boot_commits_the_saved_configuration_like_vyos(tmp_path):
    s = Session(tmp_path)
    for line in ("configure", "set system host-name saved", "commit", "save",
                 "set system host-name unsaved", "commit", "exit discard"):
        s.execute(line)
    result = nos(tmp_path, "boot")
    assert result.returncode == 0, result.stderr
    assert "Loaded the saved configuration" in result.stdout
    after = Session(tmp_path)
    assert after.running.value("system", "host-name") == "saved"
    newest = after.store.revisions()[0]
    assert (newest.via, newest.comment) == ("boot", "saved configuration loaded at boot")
    assert (tmp_path / "etc/hostname").read_text().splitlines()[-1] == "saved"
    # the unsaved commit stays reachable
    assert "unsaved" in after.execute("compare 0 1")


def test_boot_with_nothing_to_load_only_applies(tmp_path):
    s = Session(tmp_path)
    for line in ("configure", "set system host-name r1", "commit", "save", "exit"):
        s.execute(line)
    result = nos(tmp_path, "boot")
    assert result.returncode == 0 and result.stdout == "Applied revision 0 (files only)\n"
    assert len(Session(tmp_path).store.revisions()) == 2


def test_everything_reloads_files_that_did_not_change(tmp_path, monkeypatch):
    seen = []
    fake = fake_driver(compile=lambda tree: {PurePosixPath("etc/fake.conf"): b"x"},
                                 reload=lambda ctx: seen.append(sorted(map(str, ctx.changed))))
    with registered(fake, alone=True):
        target, tree = Target(tmp_path, live=True), tree_from_commands("")
        apply(target, tree, tree)
        apply(target, tree, tree)                   # nothing changed: no reload at all
        apply(target, tree, tree, everything=True)
        assert seen == [["etc/fake.conf"], ["etc/fake.conf"]]
