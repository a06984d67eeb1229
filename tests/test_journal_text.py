"""The journal's copy of the new configuration (nos_shell/engine/journal.py ``Writer.begin``)
is ``dump_boot`` of the tree being applied, and is taken from the text the commit already
proved (transaction.commit) or the store archived (a command file), not rendered again.

Each test records every journal entry written and every call of ``dump_boot`` made inside
the journal's ``begin``: the entry's text must be exactly the new tree's config.boot text,
with no render.
"""
from __future__ import annotations

import json

import pytest

from nos_shell.config import bootfile
from nos_shell.engine import journal
from nos_shell.session import Session

BASE = ["configure", "set interfaces ethernet eth0 address 192.0.2.1/24",
        "set interfaces ethernet eth0 vif 5 address 10.5.0.1/24", "commit", "exit"]


@pytest.fixture
def seen(monkeypatch) -> dict[str, list]:
    """Journal entries as written (JSON), and the trees the journal rendered itself."""
    out: dict[str, list] = {"entries": [], "rendered": [], "inside": []}
    real_write, real_dump, real_begin = journal.atomic_write, bootfile.dump_boot, journal.Writer.begin

    def write(path, data, mode=0o644):
        out["entries"].append(json.loads(data))
        return real_write(path, data, mode=mode)

    def dump(tree):
        if out["inside"]:
            out["rendered"].append(tree)
        return real_dump(tree)

    def begin(self, change):
        out["inside"].append(True)
        try:
            return real_begin(self, change)
        finally:
            out["inside"].pop()

    monkeypatch.setattr(journal, "atomic_write", write)
    monkeypatch.setattr(bootfile, "dump_boot", dump)
    monkeypatch.setattr(journal.Writer, "begin", begin)
    return out


def _setup(root) -> None:
    s = Session(root)
    for line in BASE:
        s.execute(line)


def test_a_commit_journals_the_proven_text(tmp_path, seen):
    _setup(tmp_path)
    s = Session(tmp_path)
    seen["entries"].clear()
    for line in ("configure", "set interfaces ethernet eth0 vif 5 mtu 1400", "commit"):
        s.execute(line)
    assert seen["entries"], "the commit wrote no journal"
    assert all(entry["new"] == bootfile.dump_boot(s.running) for entry in seen["entries"])
    assert seen["rendered"] == []


def test_a_command_file_journals_the_archived_text(tmp_path, seen):
    _setup(tmp_path)
    s = Session(tmp_path)
    seen["entries"].clear()
    seen["rendered"].clear()
    result = s.run_script(["configure", "set interfaces ethernet eth0 vif 5 mtu 1400", "commit",
                           "set interfaces ethernet eth0 vif 5 mtu 1300", "commit"])
    assert result.ok, result.output
    assert seen["entries"], "the command file wrote no journal"
    final = Session(tmp_path).running
    assert final.value("interfaces", "ethernet", "eth0", "vif", "5", "mtu") == "1300"
    assert all(entry["new"] == bootfile.dump_boot(final) for entry in seen["entries"])
    assert seen["rendered"] == []
