"""The manifest's delta file (nos_shell/apply/manifest.py): a commit of a few files writes
only what changed, and reading gives exactly the records written.

- a one-file commit leaves manifest.json as it was and writes a small delta; a fresh
  read of the two gives the records the commit saved;
- a delta naming another generation (one left behind by a crash between a whole write
  and the delta's removal) is ignored;
- records of the manifest as new as the manifest file itself lose their stat under a
  delta (the age rule judges them by the file they were written in, not the younger
  delta), so such a record is never trusted, and an edit of that file in the same clock
  tick, with the same size, is still found and put back;
- a damaged delta is refused like a damaged manifest; a delta past a quarter of the
  names is not written (the whole manifest is);
- the quick name check suspects every name the exact rule refuses (hypothesis).
"""
from __future__ import annotations

import json
import os
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nos_shell.api import tree_from_commands
from nos_shell.apply import Target, apply, manifest, manifest_cache
from nos_shell.apply.manifest import DELTA, MANIFEST, Record
from nos_shell.errors import NosError

from propsettings import examples

VLANS = 20
UNIT = "etc/systemd/network/10-nos-eth0.{}.network"


def commands(mtu: int = 1400, vlans: int = VLANS) -> str:
    lines = ["set interfaces ethernet eth0 address 192.0.2.1/24"]
    lines += [f"set interfaces ethernet eth0 vif {n} address 10.0.{n}.1/24" for n in range(1, vlans + 1)]
    lines.append(f"set interfaces ethernet eth0 vif 5 mtu {mtu}")
    return "\n".join(lines) + "\n"


def commit(root, old: str, new: str) -> None:
    apply(Target(root), tree_from_commands(old), tree_from_commands(new))


def fresh(root) -> manifest.Manifest:
    """The manifest as a new process reads it."""
    manifest.forget()
    return manifest.load(root)


@pytest.fixture
def committed(tmp_path):
    """A root after a first commit (the manifest written whole), as a new process finds it."""
    commit(tmp_path, "", commands())
    assert not (tmp_path / DELTA).exists()
    manifest.forget()
    return tmp_path


def test_a_one_file_commit_writes_a_delta_that_reads_back(committed):
    whole = (committed / MANIFEST).read_bytes()
    saved = manifest.load(committed)            # what the commit saved (remembered)
    commit(committed, commands(), commands(mtu=1200))
    remembered = manifest.load(committed)
    assert (committed / MANIFEST).read_bytes() == whole
    delta = json.loads((committed / DELTA).read_text())
    assert list(delta["files"]) == [UNIT.format(5)] and delta["base"] == json.loads(whole)["generation"]
    book = fresh(committed)
    assert book.records == remembered.records != saved.records
    assert book.written_ns == os.lstat(committed / DELTA).st_mtime_ns


def test_a_delta_of_another_generation_is_ignored(committed):
    commit(committed, commands(), commands(mtu=1200))
    stale = (committed / DELTA).read_bytes()
    commit(committed, commands(mtu=1200), commands(mtu=1100, vlans=VLANS + 10))    # a whole write
    assert not (committed / DELTA).exists()
    whole = fresh(committed)
    (committed / DELTA).write_bytes(stale)      # as if the crash came before its removal
    assert fresh(committed).records == whole.records
    assert b"MTUBytes=1100" in (committed / UNIT.format(5)).read_bytes()


def test_records_as_new_as_the_manifest_lose_their_stat_under_a_delta(committed):
    path = committed / MANIFEST
    os.utime(path, ns=(0, 0))                   # every record now as new as the manifest file
    racy = fresh(committed)
    assert all(r.stat is not None for r in racy.records.values())
    commit(committed, commands(), commands(mtu=1200))
    assert (committed / DELTA).exists()
    book = fresh(committed)
    assert book.records[UNIT.format(5)].stat is not None        # (the delta's own record)
    others = [name for name in book.records if name != UNIT.format(5)]
    assert others and all(book.records[name].stat is None for name in others)
    # so a same-size edit of such a file, even one its stat cannot show, is read and put back
    edited = committed / UNIT.format(9)
    good = edited.read_bytes()
    st = edited.stat()
    edited.write_bytes(good.replace(b"10.0.9.1", b"10.0.9.7"))
    os.utime(edited, ns=(st.st_atime_ns, st.st_mtime_ns))
    commit(committed, commands(mtu=1200), commands(mtu=1100))
    assert edited.read_bytes() == good


@pytest.mark.parametrize("damage", [b"{", b'{"base": "%s", "files": []}', b'{"base": "%s", "files": {"a": 1}}',
                                    b'{"base": "%s", "files": {"../x": "networkd"}}'])
def test_a_damaged_delta_is_refused(committed, damage):
    commit(committed, commands(), commands(mtu=1200))
    generation = json.loads((committed / MANIFEST).read_text())["generation"]
    (committed / DELTA).write_bytes(damage.replace(b"%s", generation.encode()))
    manifest.forget()
    with pytest.raises(NosError, match="manifest.delta.json is damaged"):
        manifest.load(committed)


def test_a_change_of_many_names_writes_the_whole_manifest(committed):
    commit(committed, commands(), commands(mtu=1200))
    assert (committed / DELTA).exists()
    commit(committed, commands(mtu=1200), commands(mtu=1200, vlans=VLANS + 10))
    assert not (committed / DELTA).exists()
    assert set(json.loads((committed / MANIFEST).read_text())["files"]) == set(fresh(committed).records)


def test_a_save_without_the_manifest_it_read_writes_it_whole(tmp_path):
    records = {f"etc/x{n}": Record("networkd") for n in range(8)}
    manifest.save(tmp_path, records)
    shutil.copy(tmp_path / MANIFEST, tmp_path / "copy")
    os.replace(tmp_path / "copy", tmp_path / MANIFEST)     # replaced behind this process's back
    manifest.save(tmp_path, {**records, "etc/x0": Record("bird")})
    assert not (tmp_path / DELTA).exists()
    assert fresh(tmp_path).records["etc/x0"] == Record("bird")


PART = st.sampled_from(["etc", "a.b", ".x", "..", ".", "", "x..y", "a\nb", "/"])


@examples(300)
@given(st.lists(st.lists(PART, min_size=1, max_size=4).map("/".join), min_size=1, max_size=5))
def test_every_unusual_name_is_suspected(names):
    if any(manifest._UNUSUAL.search(name) for name in names):
        assert manifest._suspect(names)


# -- the cache of the manifest as read (nos_shell/apply/manifest_cache.py) ---------------------

def _json_read(root) -> manifest.Manifest:
    """The manifest read from its JSON files alone (the cache removed first)."""
    manifest_cache.forget(root)
    return fresh(root)


@pytest.mark.parametrize("whole", [True, False])
def test_the_cache_reads_as_the_json_does(committed, whole):
    commit(committed, commands(), commands(mtu=1200, vlans=VLANS + 10) if whole else commands(mtu=1200))
    assert (committed / DELTA).exists() != whole and (committed / manifest_cache.CACHE).exists()
    if not whole:                   # a delta leaves the cache of manifest.json as it was
        commit(committed, commands(mtu=1200), commands(mtu=1100))
    cached = fresh(committed)
    assert manifest_cache.read(committed, _cache_key(committed)) is not None      # (it was used)
    parsed = _json_read(committed)
    assert (cached.records, cached.written_ns) == (parsed.records, parsed.written_ns)


def test_the_cache_of_a_racy_manifest_reads_as_the_json_does(committed):
    os.utime(committed / MANIFEST, ns=(0, 0))
    commit(committed, commands(), commands(mtu=1200))
    cached = fresh(committed)
    parsed = _json_read(committed)
    assert cached.records == parsed.records
    assert any(record.stat is None for record in cached.records.values())


def test_the_cache_of_other_bytes_is_not_used(committed):
    """An edit of manifest.json that keeps its size and mtime (put back) is still read."""
    commit(committed, commands(), commands(mtu=1200))
    path = committed / MANIFEST
    st = path.stat()
    text = path.read_text()
    assert '"etc/hostname": "system"' in text
    path.write_text(text.replace('"etc/hostname": "system"', '"etc/hostname": "sYstem"'))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert fresh(committed).records["etc/hostname"].owner == "sYstem"


@pytest.mark.parametrize("damage", ["torn", "flipped", "header"])
def test_a_damaged_cache_is_not_used(committed, damage):
    commit(committed, commands(), commands(mtu=1200))
    path = committed / manifest_cache.CACHE
    data = path.read_bytes()
    if damage == "torn":
        data = data[: len(data) // 2]
    elif damage == "flipped":       # one digest changed: still unmarshals, to other records
        known = manifest.load(committed).records["etc/hostname"].digest.encode()
        at = data.index(known)
        data = data[:at] + (b"0" if data[at:at + 1] != b"0" else b"1") + data[at + 1:]
    else:
        data = b"x" + data
    path.write_bytes(data)
    assert fresh(committed).records == _json_read(committed).records


def _cache_key(root) -> manifest_cache.Key:
    st = (root / MANIFEST).stat()
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def test_a_read_without_a_cache_leaves_one(committed):
    commit(committed, commands(), commands(mtu=1200))
    manifest_cache.forget(committed)
    parsed = fresh(committed)                   # the JSON read
    assert manifest_cache.read(committed, _cache_key(committed)) is not None
    assert fresh(committed).records == parsed.records


def test_a_commit_that_changes_no_file_writes_no_manifest(committed):
    commit(committed, commands(), commands(mtu=1200))
    before = [(committed / name).stat() for name in (MANIFEST, DELTA)]
    saved = fresh(committed)
    tree = tree_from_commands(commands(mtu=1200))
    apply(Target(committed), tree, tree)            # nothing to write: the same records
    assert [(committed / name).stat() for name in (MANIFEST, DELTA)] == before
    assert fresh(committed).records == saved.records
    (committed / UNIT.format(9)).write_bytes(b"edited\n")     # a file put back: its record changes
    apply(Target(committed), tree, tree)
    assert (committed / DELTA).stat() != before[1]
    assert fresh(committed).records[UNIT.format(9)] != saved.records[UNIT.format(9)]


def test_a_new_name_is_written_into_the_manifest_itself(committed):
    """An older nos-shell reads manifest.json alone: its ``files`` must name every file."""
    commit(committed, commands(), commands(mtu=1200))
    assert (committed / DELTA).exists()
    records = dict(fresh(committed).records)
    records["etc/new"] = Record("networkd")
    manifest.save(committed, records)
    assert "etc/new" in json.loads((committed / MANIFEST).read_text())["files"]
    assert not (committed / DELTA).exists() and fresh(committed).records == records


# -- the difference a plan names (manifest._touched_difference) -------------------------------

_NAMES = st.sets(st.sampled_from([f"etc/f{n}" for n in range(12)]), max_size=12)


@examples(300)
@given(_NAMES, _NAMES, _NAMES, st.data())
def test_the_difference_of_the_touched_names_is_the_whole_difference_or_none(base_names, kept, touched, data):
    """Given records that keep every untouched name of ``kept`` as the base has it, the
    difference from the touched names alone is the one a full comparison finds; an
    untouched base name missing from the records (an owner nobody plans for) makes it say
    None, so the full comparison runs instead."""
    base = {name: Record("networkd", name * 2, 0o644, (1, 2, 3, 4)) for name in base_names}
    records = {name: base[name] for name in kept & base_names if name not in touched}
    for name in touched:
        if data.draw(st.booleans()):          # written (new or changed), else gone
            records[name] = Record("networkd", data.draw(st.sampled_from(["a", name * 2])), 0o644, None)
    found = manifest._touched_difference(base, records, touched)
    whole = manifest._difference(base, records)
    orphans = (base_names - touched) - set(records)
    if orphans:
        assert found is None
    else:
        assert found is not None and found[0] == whole[0] and sorted(found[1]) == sorted(whole[1])
