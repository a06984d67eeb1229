"""Generated files on disk: plans against the manifest, the batched write, restore.

nos-shell only ever writes or removes files listed in its manifest
(``ROOT/var/lib/nos-shell/manifest.json``, :mod:`.manifest`) or about to be added to it; a
file it did not generate is never touched, even when a new generated file would take its
path (that is an error instead).

A plan compares the wanted bytes with the manifest's digests, not with the disk: one
``lstat`` per file proves it unchanged since nos-shell wrote it (:meth:`Manifest.trusted`).
A file is read only when its previous bytes must be kept for a restore (it changes or goes)
or when the manifest cannot vouch for it (no digest yet, or changed since: edited by hand,
so it is compared byte for byte and rewritten when it differs).
"""
from __future__ import annotations

import contextlib
import grp
import os
import pwd
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from ..backends.contract import Files, file_mode
from ..errors import NosError
from ..fsutil import NewFile, write_many
from . import manifest
from .manifest import MANIFEST, Record, Stat

__all__ = ["MANIFEST", "OnDisk", "Plan", "owned", "plan", "read", "restore", "write"]


@dataclass
class Plan:
    """What writing ``new`` changes on disk, with the old bytes to restore on failure."""

    changed: dict[PurePosixPath, bytes] = field(default_factory=dict)   # path -> new bytes
    removed: set[PurePosixPath] = field(default_factory=set)
    previous: dict[PurePosixPath, "OnDisk | None"] = field(default_factory=dict)
    owners: dict[PurePosixPath, str] = field(default_factory=dict)      # path -> backend, old and new (see book)
    # every wanted file's manifest record by name (str of its path): with the stat just
    # checked when it is unchanged, without one when it changes (the write adds it)
    records: dict[str, Record] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)                        # names the manifest had
    # the manifest's records when ``owners`` holds only the files that change or go (an
    # incremental plan): the owners of the others
    book: dict[str, Record] = field(default_factory=dict)
    # ``records`` names exactly the wanted files, each with its owner, digest and mode (an
    # incremental plan makes them so): the write adds the new stats and keeps the rest;
    # ``revised``: the names whose records may differ from ``book``'s (the rest are its own)
    complete: bool = False
    revised: set[str] = field(default_factory=set)

    @property
    def touched(self) -> set[PurePosixPath]:
        return set(self.changed) | self.removed

    def __bool__(self) -> bool:
        return bool(self.changed or self.removed)


def owned(root: Path) -> dict[PurePosixPath, str]:
    """Relative path -> backend name of every file nos-shell generated under ``root``."""
    return manifest.load(root).owners()


class OnDisk(NamedTuple):
    data: bytes
    mode: int
    uid: int
    gid: int


def read(path: Path) -> OnDisk | None:
    """A file's bytes, mode and owner as they are now (None when absent)."""
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            return OnDisk(handle.read(), st.st_mode & 0o7777, st.st_uid, st.st_gid)
    except FileNotFoundError:
        return None


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _folder_there(base: str, name: str, folders: dict[str, bool]) -> bool:
    """Whether the folder of ``base/name`` may hold it: False only when that folder is
    absent (then none of its files is there: one ``lstat`` of the folder instead of one per
    file). ``folders`` keeps the answers of one plan."""
    folder = name.rpartition("/")[0]
    there = folders.get(folder)
    if there is None:
        st = _lstat(f"{base}/{folder}") if folder else None
        there = folders[folder] = not folder or st is not None
    return there


def plan(root: Path, new: dict[str, Files]) -> Plan:
    """Compare each backend's wanted files with what nos-shell last wrote (the manifest's
    digests, vouched for by one ``lstat``, else the bytes on disk); only differing bytes or
    modes count."""
    book = manifest.load(root)
    result = Plan(known=set(book.records))
    base = str(root)
    wanted: set[str] = set()
    folders: dict[str, bool] = {}       # folder -> whether it is there (a first commit: none is)
    for backend, files in new.items():
        for rel, data in files.items():
            name = str(rel)
            wanted.add(name)
            result.owners[rel] = backend
            blob, mode = bytes(data), file_mode(data)[0]
            digest = manifest.digest(blob)
            result.records[name] = Record(backend, digest, mode)
            st = _lstat(f"{base}/{name}") if _folder_there(base, name, folders) else None
            if st is None:
                result.changed[rel] = data
                result.previous[rel] = None
                continue
            if name not in book.records:
                raise NosError(f"{root / rel} exists and was not generated by nos-shell; "
                               "move it away before committing")
            record = book.trusted(name, st)
            if record is not None and (record.digest, record.mode) == (digest, mode):
                result.records[name] = Record(backend, digest, mode, manifest.stat_of(st))
                continue
            current = read(root / rel)      # the bytes to restore; or to compare, when untrusted
            if record is None and current is not None and (current.data, current.mode) == (blob, mode):
                result.records[name] = Record(backend, digest, mode, manifest.stat_of(st))
                continue
            result.changed[rel] = data
            result.previous[rel] = current
    for name in sorted(set(book.records) - wanted):
        rel = PurePosixPath(name)
        result.owners[rel] = book.records[name].owner
        current = read(root / rel)
        if current is not None:
            result.removed.add(rel)
            result.previous[rel] = current
    return result


def _owner_ids(data: bytes, known: dict[tuple[str, str], tuple[int, int] | None]) -> tuple[int, int] | None:
    """The (uid, gid) a generated file is given: only as root, and only when not root's.
    ``known`` keeps the names already looked up (thousands of files share a few owners)."""
    if os.geteuid() != 0:
        return None
    _, owner, group = file_mode(data)
    if (owner, group) not in known:
        known[owner, group] = _ids(owner, group)
    return known[owner, group]


def _ids(owner: str, group: str) -> tuple[int, int] | None:
    """(uid, gid) of a user and group name, None when either is unknown or both are root's."""
    try:
        ids = pwd.getpwnam(owner).pw_uid, grp.getgrnam(group).gr_gid
    except KeyError:
        return None
    return None if ids == (0, 0) else ids


def write(root: Path, new: dict[str, Files], change: Plan) -> None:
    """Make the plan real: the changed files in one batch (:func:`fsutil.write_many`), the
    removals, then the manifest with every wanted file's digest and stat."""
    claimed = not {str(rel) for rel in change.changed} <= change.known
    if claimed:
        # Claim every new path first: after a crash in the middle, the manifest still names
        # each file that may be on disk, so the next commit can remove what is not wanted.
        # (A file written from now on never matches a stat recorded before, so the
        # manifest on disk cannot vouch for any of them: each is read at the next plan.)
        claim = {name: Record(r.owner) for name, r in change.book.items()}
        claim.update((name, Record(r.owner)) for name, r in change.records.items())
        claim.update((str(rel), Record(owner)) for rel, owner in change.owners.items())
        claim.update((name, r) for name, r in change.records.items() if r.stat is not None)
        manifest.save(root, claim)
    written = _write_files(root, _as_written(change.changed))
    for rel in change.removed:
        with contextlib.suppress(FileNotFoundError):
            (root / rel).unlink()
    if change.complete:
        records = dict(change.records)
        for name, stat in written.items():
            owner, digest, mode, _ = records[name]
            records[name] = Record(owner, digest, mode, stat)
        manifest.save(root, records, touched=None if claimed else change.revised)
        return
    records: dict[str, Record] = {}
    for backend, files in new.items():
        for rel, data in files.items():
            name = str(rel)
            planned = change.records.get(name)
            if name in written:
                known = planned.digest if planned is not None else None
                records[name] = Record(backend, known or manifest.digest(bytes(data)), file_mode(data)[0],
                                       written[name])
            elif planned is not None and planned.owner == backend:
                records[name] = planned
            else:
                records[name] = Record(backend)
    manifest.save(root, records)


def _as_written(changed: dict[PurePosixPath, bytes]) -> dict[PurePosixPath, tuple[bytes, int, tuple[int, int] | None]]:
    """Each file's bytes, mode and (uid, gid) to write it with (plain bytes: 0644, root's)."""
    known: dict[tuple[str, str], tuple[int, int] | None] = {}
    return {rel: (data, 0o644, None) if type(data) is bytes
            else (bytes(data), file_mode(data)[0], _owner_ids(data, known))
            for rel, data in changed.items()}


def _write_files(root: Path, files: dict[PurePosixPath, tuple[bytes, int, tuple[int, int] | None]]
                 ) -> dict[str, Stat]:
    """Write ``files`` in one batch; their stats by name."""
    names = [str(rel) for rel in files]
    base = str(root)
    stats = write_many([NewFile(f"{base}/{name}", *spec) for name, spec in zip(names, files.values())])
    stat_of = manifest.stat_of
    return {name: stat_of(st) for name, st in zip(names, stats)}


def restore(root: Path, change: Plan, old_owned: dict[PurePosixPath, str]) -> None:
    """Undo a written plan: put back every previous file (with its mode and owner) and the
    manifest."""
    back = {rel: (previous.data, previous.mode,
                  (previous.uid, previous.gid) if os.geteuid() == 0 else None)
            for rel, previous in change.previous.items() if previous is not None}
    for rel, previous in change.previous.items():
        if previous is None:
            with contextlib.suppress(FileNotFoundError):
                (root / rel).unlink()
    written = _write_files(root, back)
    records = {}
    for rel, owner in old_owned.items():
        name = str(rel)
        planned = change.records.get(name)
        if name in written:
            data, mode, _ = back[rel]
            records[name] = Record(owner, manifest.digest(data), mode, written[name])
        elif rel not in change.previous and planned is not None and planned.stat is not None:
            records[name] = Record(owner, planned.digest, planned.mode, planned.stat)
        else:
            records[name] = Record(owner)
    manifest.save(root, records)
