"""The write path of generated files: plans against the manifest's digests, the staged write.

A plan must not read a generated file unless it changes, goes, or the manifest cannot
vouch for it (an old manifest, a file edited by hand since nos-shell wrote it); the
batched writer (fsutil.write_many) leaves nothing but the files, each with its mode.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path, PurePosixPath

import pytest

from nos_shell import fsutil
from nos_shell.api import tree_from_commands
from nos_shell.apply import Target, apply, compile_by_backend, files
from nos_shell.apply.manifest import MANIFEST, load
from nos_shell.errors import NosError

VLANS = 30


def commands(mtu: int = 1400) -> str:
    lines = ["set interfaces ethernet eth0 address 192.0.2.1/24"]
    for n in range(1, VLANS + 1):
        lines.append(f"set interfaces ethernet eth0 vif {n} address 10.0.{n}.1/24")
    lines.append(f"set interfaces ethernet eth0 vif 5 mtu {mtu}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def committed(tmp_path) -> Path:
    """A sandbox root with the VLANs committed."""
    tree = tree_from_commands(commands())
    apply(Target(tmp_path), tree, tree)
    return tmp_path


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """Every generated file a plan reads back (the real reader, observed)."""
    seen: list[Path] = []
    real = files.read

    def read(path: Path):
        seen.append(path)
        return real(path)

    monkeypatch.setattr(files, "read", read)
    return seen


def wanted(text: str) -> dict:
    return compile_by_backend(tree_from_commands(text))


def test_an_unchanged_configuration_reads_no_file(committed, reads):
    change = files.plan(committed, wanted(commands()))
    assert not change and reads == []
    assert len(load(committed).records) > 2 * VLANS


def differing(old: dict, new: dict) -> set[PurePosixPath]:
    flat_old = {p: bytes(d) for fs in old.values() for p, d in fs.items()}
    return {p for fs in new.values() for p, d in fs.items() if flat_old.get(p) != bytes(d)}


def test_a_one_line_change_reads_only_the_file_it_changes(committed, reads):
    change = files.plan(committed, wanted(commands(1300)))
    units = differing(wanted(commands()), wanted(commands(1300)))
    assert len(units) == 1 and set(change.changed) == units and not change.removed
    unit, = units
    assert reads == [committed / unit]                  # its old bytes, kept for a restore
    assert b"1400" in change.previous[unit].data        # type: ignore[union-attr]


def test_a_removed_file_is_read_for_its_restore(committed, reads):
    change = files.plan(committed, wanted(commands().replace("vif 30 address 10.0.30.1/24", "vif 29 mtu 1400")))
    assert {str(p) for p in change.removed} == {"etc/systemd/network/10-nos-eth0.30.network",
                                                "etc/systemd/network/10-nos-eth0.30.netdev"}
    assert sorted(reads) == sorted({committed / p for p in change.touched})


@pytest.mark.parametrize("before_manifest", [False, True])
@pytest.mark.parametrize("how", ["same size, times put back", "mode", "deleted", "replaced by an editor"])
def test_a_file_edited_by_hand_is_noticed_and_rewritten(committed, reads, how, before_manifest):
    """The guarantee "after a commit the generated files are the configuration" holds without
    reading every file: the edit changed the file's ctime (or inode), so it is read. An edit
    after the manifest was written is newer than it; one before (``before_manifest``: the
    manifest's time moved past the edit) no longer matches the recorded stat."""
    unit = committed / "etc/systemd/network/10-nos-eth0.7.network"
    good, st = unit.read_bytes(), unit.stat()
    if how == "same size, times put back":
        unit.write_bytes(good.replace(b"10.0.7.1", b"10.0.7.9"))
        os.utime(unit, ns=(st.st_atime_ns, st.st_mtime_ns))
    elif how == "mode":
        unit.chmod(0o600)
    elif how == "deleted":
        unit.unlink()
    else:
        spare = unit.with_name("edited")
        spare.write_bytes(good + b"# note\n")
        spare.replace(unit)
    if before_manifest:
        later = time.time_ns() + 10**9
        os.utime(committed / MANIFEST, ns=(later, later))
    change = files.plan(committed, wanted(commands()))
    assert set(change.changed) == {PurePosixPath("etc/systemd/network/10-nos-eth0.7.network")}
    assert reads == ([] if how == "deleted" else [unit])
    tree = tree_from_commands(commands())
    apply(Target(committed), tree, tree)
    assert unit.read_bytes() == good and unit.stat().st_mode & 0o7777 == 0o644


def test_an_old_manifest_without_digests_still_works(committed, reads):
    """A manifest written before digests (owners only) reads every file once, then the
    commit records them."""
    path = committed / MANIFEST
    owners = json.loads(path.read_text())["files"]
    path.write_text(json.dumps({"files": owners}, indent=1))
    assert files.plan(committed, wanted(commands())).changed == {}
    assert len(reads) == len(owners)
    tree = tree_from_commands(commands())
    apply(Target(committed), tree, tree)      # nothing changed: rewrites only the manifest
    reads.clear()
    tree2 = tree_from_commands(commands(1300))
    apply(Target(committed), tree, tree2)
    assert len(reads) == 1
    assert set(json.loads(path.read_text())["content"]) == set(owners)


def test_entries_as_new_as_the_manifest_are_not_trusted(committed, reads):
    """Racily clean: a file changed in the same clock tick as the manifest was written might
    still show its recorded stat, so an entry not older than the manifest is read."""
    path = committed / MANIFEST
    os.utime(path, ns=(0, 0))
    assert not files.plan(committed, wanted(commands()))
    assert len(reads) == len(load(committed).records)


@pytest.mark.parametrize("entry", [["x", 420], "abc", ["a", 420, 1, 2, 3, "4"]])
def test_a_damaged_content_entry_is_refused(committed, entry):
    path = committed / MANIFEST
    data = json.loads(path.read_text())
    data["content"]["etc/hostname"] = entry
    path.write_text(json.dumps(data))
    with pytest.raises(NosError, match="manifest.json is damaged"):
        files.plan(committed, wanted(commands()))


@pytest.mark.parametrize("sync", ["auto", "fsync", "syncfs", "sync"])
def test_write_many_puts_each_file_in_place_with_its_mode(tmp_path, sync):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/old").write_bytes(b"old")
    items = [fsutil.NewFile(tmp_path / "a/old", b"new", 0o600), fsutil.NewFile(tmp_path / "a/b/c", b"c"),
             *(fsutil.NewFile(tmp_path / f"d/{n}", b"%d" % n, 0o640) for n in range(5))]
    stats = fsutil.write_many(items, sync=sync)
    for item, st in zip(items, stats):
        assert item.path.read_bytes() == item.data
        assert item.path.stat().st_mode & 0o7777 == item.mode
        now = os.lstat(item.path)      # reading it may have moved its atime (relatime): not compared
        assert (now.st_ino, now.st_size, now.st_mtime_ns, now.st_ctime_ns, now.st_mode) == \
            (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode)
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == \
        ["a", "a/b", "a/b/c", "a/old", "d", *(f"d/{n}" for n in range(5))]


def test_write_many_cleans_its_stage_when_a_rename_fails(tmp_path):
    """A destination that cannot be replaced (here a directory) fails the batch: the error
    is raised and no staging directory stays; files already renamed are new (the caller's
    journal undoes them)."""
    (tmp_path / "b").mkdir()
    (tmp_path / "b/inner").write_text("x")
    items = [fsutil.NewFile(tmp_path / "a", b"a"), fsutil.NewFile(tmp_path / "b", b"b"),
             fsutil.NewFile(tmp_path / "c", b"c")]
    with pytest.raises(OSError):
        fsutil.write_many(items)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]
    assert (tmp_path / "a").read_bytes() == b"a" and (tmp_path / "b").is_dir()


def test_leftover_stages_are_removed_and_nothing_else(tmp_path):
    stage = tmp_path / ".nos-stage.abcd1234"
    stage.mkdir()
    (stage / "10-nos-eth0.network").write_text("half")
    (tmp_path / ".nos-stage.other").mkdir()            # not a name mkdtemp makes here
    (tmp_path / "10-admin.network").write_text("theirs")
    assert fsutil.remove_temp_files(tmp_path, {"10-nos-eth0.network"}) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [".nos-stage.other", "10-admin.network"]


@pytest.fixture
def shared(monkeypatch) -> list[str]:
    """Staging directories of a few files each, so a small batch is staged by several
    threads side by side; the list collects the directory each staging one was made in."""
    monkeypatch.setattr(fsutil, "SHARE", 3)
    opened: list[str] = []
    real = fsutil._Stage.open

    def open_stage(directory, *args):
        opened.append(directory)
        return real(directory, *args)

    monkeypatch.setattr(fsutil._Stage, "open", staticmethod(open_stage))
    return opened


def test_a_big_directory_is_staged_by_several_threads_and_every_file_lands(tmp_path, shared):
    modes = (0o644, 0o600, 0o640, 0o755)
    items = [fsutil.NewFile(tmp_path / f"net/{n:02d}.network", b"file %d\n" % n, modes[n % 4]) for n in range(20)]
    items.append(fsutil.NewFile(tmp_path / "other/one", b"one"))
    stats = fsutil.write_many(items)
    assert shared.count(str(tmp_path / "net")) == fsutil.WORKERS and shared.count(str(tmp_path / "other")) == 1
    for item, st in zip(items, stats):
        assert item.path.read_bytes() == item.data
        assert os.lstat(item.path).st_ino == st.st_ino and st.st_mode & 0o7777 == item.mode
    assert sorted(p.name for p in (tmp_path / "net").iterdir()) == [f"{n:02d}.network" for n in range(20)]


def test_a_file_one_thread_cannot_create_fails_the_batch_and_publishes_nothing(tmp_path, shared):
    items = [fsutil.NewFile(tmp_path / f"net/{n:02d}", b"x") for n in range(20)]
    items[13] = fsutil.NewFile(tmp_path / ("net/" + "n" * 300), b"x")      # ENAMETOOLONG in one share
    with pytest.raises(OSError, match="too long"):
        fsutil.write_many(items)
    assert len(shared) == fsutil.WORKERS
    assert list((tmp_path / "net").iterdir()) == []       # no file, no staging directory


def test_modes_are_exact_under_any_umask(tmp_path):
    """Files whose mode the umask would cut are created private and given their mode."""
    items = [fsutil.NewFile(tmp_path / f"d/{n}", b"x", mode) for n, mode in enumerate((0o644, 0o600, 0o666))]
    old = os.umask(0o077)
    try:
        fsutil.write_many(items)
    finally:
        os.umask(old)
    assert [os.stat(item.path).st_mode & 0o7777 for item in items] == [0o644, 0o600, 0o666]
