"""The manifest of generated files: who owns each one, and what nos-shell last wrote there.

``ROOT/var/lib/nos-shell/manifest.json`` holds two maps keyed by the file's path relative
to the root:

- ``files``: path -> owner (the driver's name), the list of files nos-shell may touch
  (this is all that older versions wrote, and all they read);
- ``content``: path -> ``[sha256 hex, mode, size, mtime_ns, ctime_ns, inode]``, the bytes
  and permission bits nos-shell last wrote there and the ``lstat`` of the file just after.

A plan trusts a file's ``content`` entry without reading the file when the file's
``lstat`` still shows the recorded size, times, inode and mode, and the recorded times are
older than the manifest itself (:meth:`Manifest.trusted`). Any write, ``chmod``, rename or
editor's replacement afterwards sets the file's ctime to the present, which the recorded
one is not, so a file changed by anybody since is read and compared like a file with no
entry. A file changed within the same clock tick as its own write is caught by the age
rule (the "racily clean" case of git's index): its entry is not trusted until a later
manifest proves it older.

A commit that changes a few files does not write the whole manifest again: the changes
since the last whole write go to ``manifest.delta.json`` (:data:`DELTA`), which names the
``generation`` of the manifest it applies to (a token each whole write draws afresh) and
holds, for each name that changed, its owner and ``content`` entry (``null`` for a name
gone). Each write of either file is atomic, so a crash leaves the last state written: a
delta whose generation is not the manifest's (a whole write came after it) is ignored.
Reading the two, the records of the manifest whose times are not older than the manifest
itself lose their stat (the delta is younger, and the age rule must still judge them by
the file they were written in), and the delta's ``mtime`` is the age the rule compares
with. Past :data:`DELTA_LIMIT` changed names (or a quarter of the manifest's) the manifest
is written whole again.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from json.encoder import encode_basestring_ascii as quote
from dataclasses import dataclass, field
from itertools import chain, repeat
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from ..backends.contract import generated_path
from ..errors import NosError
from ..fsutil import atomic_write

MANIFEST = Path("var/lib/nos-shell/manifest.json")
DELTA = Path("var/lib/nos-shell/manifest.delta.json")
DELTA_LIMIT = 512
"""More changed names than this since the last whole write: the manifest is written whole."""

Stat = tuple[int, int, int, int]
"""What a file's ``lstat`` must still show (with the mode): size, mtime_ns, ctime_ns, inode."""


def stat_of(st: os.stat_result) -> Stat:
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Record(NamedTuple):
    """One generated file: its owner and, when known, what was written and its stat (a
    named tuple: a manifest holds thousands, built at every load)."""

    owner: str
    digest: str | None = None
    mode: int | None = None
    stat: Stat | None = None


@dataclass
class Manifest:
    """The manifest as read: the records by name (a path relative to the root, in the
    plain form ``str(PurePosixPath)`` gives) and the manifest file's own mtime (ns). Shared
    by the callers of :func:`load`: never changed in place."""

    records: dict[str, Record] = field(default_factory=dict)
    written_ns: int = 0

    def owners(self) -> dict[PurePosixPath, str]:
        return {generated_path(name): record.owner for name, record in self.records.items()}

    def trusted(self, name: str, st: os.stat_result) -> Record | None:
        """The record of ``name`` when ``st`` (its ``lstat`` now) proves the file is still
        what the record says, else None (the file must be read)."""
        record = self.records.get(name)
        if record is None or record.digest is None or record.stat is None:
            return None
        if record.stat != stat_of(st) or record.mode != st.st_mode & 0o7777 or max(st.st_mtime_ns, st.st_ctime_ns) >= self.written_ns:
            return None
        return record

    def vouched(self, names: list[str], prefix: str, owner: str) -> dict[str, Record] | None:
        """The records of the files ``names`` (each at ``prefix + name``), all ``owner``'s,
        when one ``lstat`` each proves every one of them unchanged as :meth:`trusted` does;
        None as soon as one is not (or is gone, or has another owner)."""
        get, now = self.records.get, self.written_ns
        try:
            stats = _lstat_all(names, prefix)
        except FileNotFoundError:
            return None
        out: dict[str, Record] = {}
        for name, st in zip(names, stats):
            record = get(name)
            if (record is None or record.owner != owner or record.digest is None
                    or record.stat != (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
                    or record.mode != st.st_mode & 0o7777 or st.st_mtime_ns >= now or st.st_ctime_ns >= now):
                return None
            out[name] = record
        return out


def _lstat_all(names: list[str], prefix: str) -> list[os.stat_result]:
    """``lstat`` of each ``prefix + name``: through one open descriptor of each directory
    (the kernel then looks up only the last part of each name)."""
    directories: dict[str, int] = {}
    stat = os.stat
    try:
        out = []
        for name in names:
            head, _, tail = name.rpartition("/")
            fd = directories.get(head)
            if fd is None:
                fd = directories[head] = os.open(prefix + head if head else prefix, os.O_RDONLY | os.O_DIRECTORY)
            out.append(stat(tail, dir_fd=fd, follow_symlinks=False))
        return out
    finally:
        for fd in directories.values():
            os.close(fd)


@dataclass(frozen=True)
class _Base:
    """The manifest file as last read or written in this process: its generation token and
    its own records (without the delta's), what :func:`save` writes a delta against."""

    generation: str | None
    records: dict[str, Record]
    key: tuple[int, ...]


_cache: dict[Path, tuple[tuple[tuple[int, ...], tuple[int, ...] | None], Manifest, _Base]] = {}
"""The last manifest read, by its path and the stats of its two files (a commit reads it more
than once; each write replaces a file, so a changed manifest never shows the same stats)."""


def _key(st: os.stat_result) -> tuple[int, ...]:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def load(root: Path) -> Manifest:
    """The manifest of ``root`` (empty when there is none); NosError when it is damaged."""
    path, extra = root / MANIFEST, root / DELTA
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            delta_st = _lstat_or_none(extra)
            key = (_key(st), None if delta_st is None else _key(delta_st))
            cached = _cache.get(path)
            if cached is not None and cached[0] == key:
                return cached[1]
            data = json.loads(handle.read())
        generation = data.get("generation")
        if generation is not None and type(generation) is not str:
            raise TypeError("its generation is not a token")
        base = _Base(generation, _records(data["files"], data.get("content") or {}), key[0])
    except FileNotFoundError:
        return Manifest()
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NosError(f"{path} is damaged ({exc}); refusing to touch generated files") from None
    book = Manifest(base.records, st.st_mtime_ns)
    if delta_st is not None and generation is not None:
        book = _with_delta(extra, base, st.st_mtime_ns) or book
    _cache.clear()
    _cache[path] = (key, book, base)
    return book


def _lstat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _with_delta(path: Path, base: _Base, base_ns: int) -> Manifest | None:
    """The manifest ``base`` with the delta at ``path`` applied, when the delta is for this
    generation of it; else None (a delta left behind by a whole write: ignored)."""
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            data = json.loads(handle.read())
        if type(data) is not dict or data.get("base") != base.generation:
            return None
        names = data["files"]
        if type(names) is not dict:
            raise TypeError("its maps are not objects")
        gone = [name for name, owner in names.items() if owner is None]
        changed = _records({name: owner for name, owner in names.items() if owner is not None},
                           data.get("content") or {})
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NosError(f"{path} is damaged ({exc}); refusing to touch generated files") from None
    # judged by the delta's age from now on: a record as new as the manifest it was written
    # in must not become trusted by that (the age rule), so it loses its stat
    records = {name: record if record.stat is None or max(record.stat[1], record.stat[2]) < base_ns
               else Record(record.owner, record.digest, record.mode)
               for name, record in base.records.items()}
    records.update(changed)
    for name in gone:
        records.pop(name, None)
    return Manifest(records, st.st_mtime_ns)


_UNUSUAL = re.compile(r"(?:^|/)\.{0,2}(?:/|$)")
"""An empty, ``.`` or ``..`` part anywhere in a name (an absolute name has an empty first part)."""

_SUSPECT = ("//", "\n/", "/\n", "\n\n", "/.", "\n.")
"""What an empty part (or an absolute name), or a part starting with a dot (``.``, ``..``),
shows as text in names joined by newlines with one before and after: a newline only adds
boundaries, so a suspect manifest may be a good one (a dot file, a newline in a name),
which the slow loop then reads; a good one is found by a few substring searches."""


def _suspect(names) -> bool:
    """Whether some name may have an empty, ``.`` or ``..`` part (or be absolute)."""
    text = "\n" + "\n".join(names) + "\n"
    return any(part in text for part in _SUSPECT)

_SHAPE = [str, int, int, int, int, int]
"""The types of a ``content`` entry's six fields."""


def _records(files: dict, content: dict) -> dict[str, Record]:
    if type(files) is not dict or type(content) is not dict:
        raise TypeError("its maps are not objects")
    # The usual manifest in one pass each (names, owners, entries); anything unusual is
    # read again by the loop below, which says what is wrong with the first bad entry.
    if not _suspect(files) and set(map(type, files.values())) <= {str}:
        records = _plain_records(files, content)
        if records is not None:
            return records
    return _checked_records(files, content)


def _plain_records(files: dict[str, str], content: dict) -> dict[str, Record] | None:
    """The records, when every ``content`` entry has the right shape; else None. Column by
    column (the checks and the building run in C: 8,000 records in a few ms)."""
    names = list(files)
    entries = list(map(content.get, names))
    if not names or None in entries:
        return _mixed_records(files, content)
    if set(map(type, entries)) != {list} or set(map(len, entries)) != {6}:
        return None
    digests, modes, sizes, mtimes, ctimes, inodes = zip(*entries)
    if set(map(type, digests)) != {str} or set(map(type, chain(modes, sizes, mtimes, ctimes, inodes))) != {int}:
        return None
    rows = zip(files.values(), digests, modes, zip(sizes, mtimes, ctimes, inodes))
    return dict(zip(names, map(tuple.__new__, repeat(Record), rows)))


def _mixed_records(files: dict[str, str], content: dict) -> dict[str, Record] | None:
    """:func:`_plain_records` when some names have no ``content`` entry: entry by entry."""
    make, get = tuple.__new__, content.get
    records: dict[str, Record] = {}
    for name, owner in files.items():
        entry = get(name)
        if entry is None:
            records[name] = make(Record, (owner, None, None, None))
        elif type(entry) is list and list(map(type, entry)) == _SHAPE:
            records[name] = make(Record, (owner, entry[0], entry[1], (entry[2], entry[3], entry[4], entry[5])))
        else:
            return None
    return records


def _checked_records(files: dict, content: dict) -> dict[str, Record]:
    records: dict[str, Record] = {}
    for name, owner in files.items():
        parts = name.split("/")
        if name.startswith("/") or ".." in parts or "" in parts or "." in parts:
            _refuse_name(name)
        if type(owner) is not str:
            raise TypeError(f"the owner of {name[:100]!r} is not a name")
        entry = content.get(name)
        if entry is None:
            records[name] = Record(owner)
            continue
        if (type(entry) is not list or len(entry) != 6 or type(entry[0]) is not str or type(entry[1]) is not int
                or type(entry[2]) is not int or type(entry[3]) is not int or type(entry[4]) is not int
                or type(entry[5]) is not int):
            raise ValueError(f"the content entry of {name[:100]!r} is not [digest, mode, size, times, inode]")
        records[name] = Record(owner, entry[0], entry[1], (entry[2], entry[3], entry[4], entry[5]))
    return records


def _refuse_name(name: str) -> None:
    """Raise the error for a name that is absolute or has an empty, ``.`` or ``..`` part."""
    parts = name.split("/")
    # a commit removes what the manifest names: never outside the root
    if name.startswith("/") or ".." in parts:
        raise ValueError(f"it names a file outside the root: {name[:100]!r}")
    raise ValueError(f"it names a file by an unusual path: {name[:100]!r}")


def forget() -> None:
    """Drop the manifest remembered by :func:`load` and :func:`save` (a benchmark's fresh
    process)."""
    _cache.clear()


def save(root: Path, records: dict[str, Record]) -> None:
    """Write the manifest of ``root`` atomically; the next :func:`load` in this process
    returns ``records`` without reading it back (they must not change afterwards).

    When this process last read or wrote the manifest file and it is still that file, only
    what differs from it is written (the delta, see the module docstring), up to
    :data:`DELTA_LIMIT` names and a quarter of the manifest's; else the whole manifest, with a
    new generation."""
    path, extra = root / MANIFEST, root / DELTA
    cached = _cache.get(path)
    base = cached[2] if cached is not None else None
    if base is not None and base.generation is not None and _still(path, base.key):
        changed, gone = _difference(base.records, records)
        if len(changed) + len(gone) <= min(DELTA_LIMIT, len(base.records) // 4):
            atomic_write(extra, dump_delta(base.generation, changed, gone))
            st = os.lstat(extra)
            _cache.clear()
            _cache[path] = ((base.key, _key(st)), Manifest(records, st.st_mtime_ns), base)
            return
    generation = os.urandom(8).hex()
    atomic_write(path, dump(records, generation))
    st = os.lstat(path)
    # a delta left behind names the old generation: ignored, so a crash before this
    # removal is harmless, and the removal needs no sync
    with contextlib.suppress(FileNotFoundError):
        os.unlink(extra)
    _cache.clear()
    _cache[path] = ((_key(st), None), Manifest(records, st.st_mtime_ns), _Base(generation, records, _key(st)))


def _still(path: Path, key: tuple[int, ...]) -> bool:
    """Whether the file at ``path`` still shows the stat ``key``."""
    st = _lstat_or_none(path)
    return st is not None and _key(st) == key


def _difference(base: dict[str, Record], records: dict[str, Record]) -> tuple[dict[str, Record], list[str]]:
    """(records new or different from ``base``, names of ``base`` no longer in ``records``)."""
    get = base.get
    changed = {name: record for name, record in records.items() if get(name) != record}
    gone = [name for name in base if name not in records] if len(base) + len(changed) > len(records) else []
    return changed, gone


def dump(records: dict[str, Record], generation: str | None = None) -> bytes:
    """The manifest file's bytes: one line per file in each map, sorted by name (and the
    ``generation`` a delta names)."""
    head = "" if generation is None else f' "generation": {quote(generation)},\n'
    return f'{{\n{head}{_maps(records)}}}\n'.encode()


def dump_delta(generation: str, changed: dict[str, Record], gone: list[str]) -> bytes:
    """A delta file's bytes: the generation it applies to, the changed records as in the
    manifest, and ``null`` owners for the names gone."""
    body = _maps(changed, gone)
    return f'{{\n "base": {quote(generation)},\n{body}}}\n'.encode()


def _maps(records: dict[str, Record], gone: list[str] = ()) -> str:        # type: ignore[assignment]
    """The ``files`` and ``content`` maps, one line per name, sorted."""
    owners: dict[str, str] = {}         # a few owners, quoted once each
    files: list[str] = []
    lines: list[str] = []
    for name in sorted(records):
        owner, digest, mode, stat = records[name]
        quoted = quote(name)
        if owner not in owners:
            owners[owner] = quote(owner)
        files.append(f"  {quoted}: {owners[owner]}")
        if digest is not None and mode is not None and stat is not None:
            lines.append(f'  {quoted}: [{quote(digest)}, {mode:d}, {stat[0]:d}, {stat[1]:d}, {stat[2]:d}, {stat[3]:d}]')
    files += [f"  {quote(name)}: null" for name in sorted(gone)]
    body, entries = ",\n".join(files), ",\n".join(lines)
    return f' "files": {{\n{body}\n }},\n "content": {{\n{entries}\n }}\n'


__all__ = ["DELTA", "DELTA_LIMIT", "MANIFEST", "Manifest", "Record", "Stat", "digest", "dump", "dump_delta", "forget",
           "load", "save", "stat_of"]
