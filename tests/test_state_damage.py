"""Damaged state files (found by attacking issue 8's journal): one clear message naming the
file, no traceback, nothing outside the root touched. Real `nos-shell` processes."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nos_shell.engine import journal
from nos_shell.session import Session

GOOD_TEXT = "system {\n    host-name \"x\"\n}\n"


def nos(root, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("content", [
    '{"running": null, "new": "", "changed": [], "removed": {}}',         # raised TypeError
    '{"running": null, "new": "", "reloading": "nftables"}',
    '{"running": null, "new": "", "everything": "no"}',
    '{"running": 3, "new": ""}',
    '[]',
    '"text"',
])
def test_a_journal_of_the_wrong_shape_stops_every_start_with_one_message(tmp_path, content):
    assert Session(tmp_path, apply=False).running
    (tmp_path / journal.JOURNAL).write_text(content)
    result = nos(tmp_path, "-c", "show configuration commands")
    assert result.returncode == 1
    assert "journal.json is damaged" in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert (tmp_path / journal.JOURNAL).read_text() == content       # kept for the operator


def test_a_journal_naming_files_outside_the_root_is_refused(tmp_path):
    """Recovery writes, removes and sweeps the files the journal names: a name leading out
    of the root (`../`) or an absolute one is damage, not an instruction."""
    root = tmp_path / "root"
    assert Session(root, apply=False).running
    outside = tmp_path / "etc"
    outside.mkdir()
    leftover = outside / ".passwd.abcd1234.tmp"
    leftover.write_text("not nos-shell's")
    for name in ("../etc/passwd", "/etc/passwd"):
        (root / journal.JOURNAL).write_text(
            json.dumps({"running": None, "new": GOOD_TEXT, "removed": {name: "networkd"}}))
        result = nos(root, "-c", "show configuration commands")
        assert result.returncode == 1 and "outside the root" in result.stderr, result.stderr
        assert leftover.exists()


def test_a_journal_that_is_not_a_file_is_reported(tmp_path):
    assert Session(tmp_path, apply=False).running
    (tmp_path / journal.JOURNAL).mkdir()
    result = nos(tmp_path, "-c", "show version")
    assert result.returncode == 1
    assert "journal.json is damaged" in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_a_commit_confirm_record_that_never_falls_due_is_set_aside(tmp_path):
    """JSON's Infinity as the deadline was accepted: the revert never happened and nothing
    said so. It is damage like NaN: moved aside and reported."""
    from nos_shell.engine import confirm

    assert Session(tmp_path, apply=False).running
    (tmp_path / confirm.PENDING).write_text('{"deadline": Infinity, "revert_to": 1, "serial": 2, "user": "x"}')
    result = nos(tmp_path, "-c", "show version")
    assert "damaged commit-confirm record" in result.stdout + result.stderr, result
    assert (tmp_path / confirm.DAMAGED).exists() and not (tmp_path / confirm.PENDING).exists()


def test_a_folder_in_the_sessions_registry_is_no_session(tmp_path):
    """A directory named like an entry in sessions/ made `show configuration sessions` and
    `configure exclusive` an internal error."""
    from nos_shell import editors

    assert Session(tmp_path, apply=False).running
    (tmp_path / editors.DIRECTORY / "x.json").mkdir(parents=True)
    result = nos(tmp_path, "-c", "show configuration sessions")
    assert result.returncode == 0 and "Internal error" not in result.stdout + result.stderr, result
    session = Session(tmp_path, apply=False)
    assert session.run("configure exclusive").ok


def test_a_manifest_naming_files_outside_the_root_removes_nothing_there(tmp_path):
    """A commit removes the generated files the manifest names and the configuration no
    longer wants: an entry `../victim` or an absolute path deleted that file outside the
    root. Such a manifest is damage: the commit fails with one message, the file stays."""
    from nos_shell.apply.files import MANIFEST

    root = tmp_path / "root"
    script = tmp_path / "commit"
    script.write_text("configure\nset interfaces ethernet eth0 address 192.0.2.1/24\ncommit\nexit\n")
    assert nos(root, "-f", str(script)).returncode == 0
    victim = tmp_path / "victim"
    victim.write_text("not nos-shell's")
    manifest = json.loads((root / MANIFEST).read_text())
    clean = json.dumps(manifest)
    script.write_text("configure\nset system host-name other\ncommit\nexit\n")
    for name in ("../victim", str(victim)):
        (root / MANIFEST).write_text(json.dumps({"files": {**manifest["files"], name: "networkd"}}))
        result = nos(root, "-f", str(script))
        assert result.returncode == 1 and "manifest.json is damaged" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and victim.exists()
    (root / MANIFEST).write_text(clean)
    assert nos(root, "-f", str(script)).returncode == 0
