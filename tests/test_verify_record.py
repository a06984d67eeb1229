"""The commit engine verifies incrementally only from a running configuration that this
version of nos-shell verified: the record ROOT/var/lib/nos-shell/verified (or, for a
command file's revisions, the same fact kept in the process) names it; anything else gets
a whole verify, so a configuration that got past no verify is still refused."""
from __future__ import annotations

import json

import pytest

from nos_shell.engine import verified
from nos_shell.engine.commit import Change, Engine
from nos_shell.errors import CommitError
from nos_shell.session import Session
from nos_shell.store import Store

DUPLICATE = ["interfaces", "ethernet", "eth1", "address", "10.0.0.1/24"]
"""With eth0's address below, a problem of the whole configuration (address twice)."""


def _change(store: Store, *words: list[str]) -> Change:
    serial, running = store.head()
    candidate = running.copy()
    for line in words:
        candidate.set(line)
    return Change(candidate, running, serial, "robot", "api")


def _unverified_running(store: Store) -> int:
    """Archive a running configuration with a problem, past every verify (as a hand edit
    or an older version's archive could hold), and return its serial."""
    tree = store.running().copy()
    tree.set(["interfaces", "ethernet", "eth0", "address", "10.0.0.1/24"])
    tree.set(DUPLICATE)
    with store.locked():
        return store.commit(tree, user="robot", via="api").serial


def _description(n: int) -> list[str]:
    return ["interfaces", "ethernet", "eth0", "description", f"d{n}"]


def test_a_commit_records_the_revision_it_verified(tmp_path) -> None:
    store = Store(tmp_path)
    done = Engine(store, None).commit(_change(store, _description(1)))
    info = json.loads((tmp_path / verified.RECORD).read_text())
    assert info["serial"] == done.serial and info["version"]
    assert verified.vouched(Store(tmp_path), done.serial)
    assert not verified.vouched(Store(tmp_path), done.serial - 1)


def test_an_unrecorded_running_configuration_is_verified_whole(tmp_path) -> None:
    store = Store(tmp_path)
    _unverified_running(store)
    with pytest.raises(CommitError, match="address 10.0.0.1 is already configured"):
        Engine(store, None).commit(_change(store, _description(1)))


def test_a_record_of_another_version_or_another_file_is_not_trusted(tmp_path) -> None:
    store = Store(tmp_path)
    serial = _unverified_running(store)
    verified.record(store, serial)                       # as if this version had verified it
    record = tmp_path / verified.RECORD
    info = json.loads(record.read_text())
    record.write_text(json.dumps({**info, "version": "0.0.0-older"}))
    assert not verified.vouched(store, serial)
    with pytest.raises(CommitError, match="already configured"):
        Engine(store, None).commit(_change(store, _description(1)))
    record.write_text(json.dumps(info))
    assert verified.vouched(store, serial)
    archive = next((tmp_path / "var/lib/nos-shell/archive").glob(f"r{serial:08d}.boot"))
    archive.write_bytes(archive.read_bytes() + b"\n")   # the file is not the one verified
    assert not verified.vouched(store, serial)
    for damaged in ("", "{", "[]", json.dumps({**info, "serial": True})):
        record.write_text(damaged)
        assert not verified.vouched(store, serial)


def test_a_recorded_running_configuration_is_verified_for_the_change_only(tmp_path) -> None:
    """What the record is for: with it, only what the change reaches is verified (here the
    old problem, which a real record never vouches for, is not looked at again)."""
    store = Store(tmp_path)
    serial = _unverified_running(store)
    verified.record(store, serial)
    done = Engine(store, None).commit(_change(store, _description(1)))
    assert done.serial == serial + 1 and verified.vouched(Store(tmp_path), done.serial)
    with pytest.raises(CommitError, match="already configured"):   # the change reaches it
        Engine(store, None).commit(_change(store, ["interfaces", "ethernet", "eth1", "mtu", "1400"],
                                           ["interfaces", "ethernet", "eth1", "address", "10.0.9.1/24"]))


def test_a_command_file_records_its_last_revision_when_it_is_kept(tmp_path) -> None:
    session = Session(tmp_path, apply=False)
    lines = ["configure", "set " + " ".join(_description(1)), "commit",
             "set " + " ".join(_description(2)), "commit", "exit"]
    assert session.run_script(lines, "file").ok
    newest = Store(tmp_path).revisions()[0].serial
    assert json.loads((tmp_path / verified.RECORD).read_text())["serial"] == newest
    assert verified.vouched(Store(tmp_path), newest)


def test_a_failed_command_file_records_nothing(tmp_path) -> None:
    session = Session(tmp_path, apply=False)
    lines = ["configure", "set " + " ".join(_description(1)), "commit", "no-such-command"]
    assert not session.run_script(lines, "file").ok
    assert not (tmp_path / verified.RECORD).exists()
