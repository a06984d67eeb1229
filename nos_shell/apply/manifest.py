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
with. Past :data:`DELTA_LIMIT` changed names (or a quarter of the manifest's), or for a
name the manifest does not have, the manifest is written whole again: its ``files`` map
always names every file nos-shell may own (all an older version reads; a digest it reads
that a delta replaced no longer matches the file's stat, so it reads the file).

The records as read from manifest.json are cached in ``manifest.cache``
(nos_shell/apply/manifest_cache.py), used only for the exact bytes and mtime it was made
from: reading 8,000 records takes a few ms instead of the JSON's tens.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from json.encoder import encode_basestring_ascii as quote
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from ..backends.contract import generated_path
from ..errors import NosError
from ..fsutil import atomic_write
from ..version import __version__
from . import manifest_cache
from .manifest_records import UNUSUAL as _UNUSUAL
from .manifest_records import Record, Stat, by_owner
from .manifest_records import checked_records as _checked_records
from .manifest_records import records as _records
from .manifest_records import suspect as _suspect

MANIFEST = Path("var/lib/nos-shell/manifest.json")
DELTA = Path("var/lib/nos-shell/manifest.delta.json")
DELTA_LIMIT = 512
"""More changed names than this since the last whole write: the manifest is written whole."""

def stat_of(st: os.stat_result) -> Stat:
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    """The manifest as read: the records by name (a path relative to the root, in the
    plain form ``str(PurePosixPath)`` gives) and the manifest file's own mtime (ns). Shared
    by the callers of :func:`load`: never changed in place."""

    records: dict[str, Record] = field(default_factory=dict)
    written_ns: int = 0
    compiler: str | None = None
    """The version of nos-shell that last wrote the manifest (None: one that did not say):
    when it is this one, a driver may take the names it generated before from the records
    (:func:`nos_shell.apply.drivers.deltas`)."""
    _grouped: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)

    def by_owner(self) -> dict[str, list[str]]:
        """Owner -> the names it generated, in the manifest's order (sorted, as written: a
        sweep in that order finds the files near each other), made once per manifest read."""
        if self._grouped is None:
            self._grouped = by_owner(self.records)
        return self._grouped

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
        None as soon as one is not (or is gone, or has another owner).

        Each file is looked up through one open descriptor of its directory (the kernel then
        resolves only the last part of the name), and its stat is compared field by field
        at once, so no stat result outlives its file: a sweep of 8,000 files costs their
        system calls and little more."""
        get, now, stat = self.records.get, self.written_ns, os.stat
        out: dict[str, Record] = {}
        directories: dict[str, int] = {}
        try:
            for name in names:
                record = get(name)
                if record is None:
                    return None
                whose, digest, mode, recorded = record
                if whose != owner or digest is None or recorded is None or recorded[1] >= now or recorded[2] >= now:
                    return None
                head, _, tail = name.rpartition("/")
                fd = directories.get(head)
                if fd is None:
                    fd = directories[head] = os.open(prefix + head if head else prefix, os.O_RDONLY | os.O_DIRECTORY)
                st = stat(tail, dir_fd=fd, follow_symlinks=False)
                if (st.st_ino != recorded[3] or st.st_mtime_ns != recorded[1] or st.st_ctime_ns != recorded[2]
                        or st.st_size != recorded[0] or st.st_mode & 0o7777 != mode):
                    return None
                out[name] = record
        except FileNotFoundError:
            return None
        finally:
            for fd in directories.values():
                os.close(fd)
        return out


class _Base(NamedTuple):
    """manifest.json as last read or written in this process: what :func:`save` writes a
    delta against (its generation, stat, digest, number of records and their newest time)
    and the delta over it (name -> record, or None for a name gone), and its records.""" 

    generation: str | None
    key: tuple[int, ...]
    compiler: str | None
    count: int
    newest: int
    entries: dict[str, Record | None]
    records: dict[str, Record]              # manifest.json's own


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
            delta, delta_st = _read(extra)
            key = (_key(st), None if delta_st is None else _key(delta_st))
            cached = _cache.get(path)
            if cached is not None and cached[0] == key:
                return cached[1]
            base = _from_cache(root, st)
            if base is None:
                base = _from_json(path, st, handle.read())
                _keep(root, base)               # (the next read takes it from the cache)
    except FileNotFoundError:
        return Manifest()
    records = base.records
    read = None if delta is None or base.generation is None else _entries(extra, delta, base.generation)
    if read is None or delta_st is None:
        book = Manifest(records, st.st_mtime_ns, base.compiler)
    else:
        entries, compiler = read
        base = base._replace(entries=entries)
        book = Manifest(_merged(records, base), delta_st.st_mtime_ns, compiler)
    _cache.clear()
    _cache[path] = (key, book, base)
    return book


def _read(path: Path) -> tuple[bytes | None, os.stat_result | None]:
    try:
        with open(path, "rb") as handle:
            return handle.read(), os.fstat(handle.fileno())
    except FileNotFoundError:
        return None, None


def _from_cache(root: Path, st: os.stat_result) -> _Base | None:
    """manifest.json's records from manifest.cache, when it was made from the file that
    shows exactly the stat ``st`` (its inode, size and times: a rewrite is a new inode, an
    edit in place a new ctime)."""
    payload = manifest_cache.read(root, _key(st))
    if payload is None:
        return None
    found = manifest_cache.unpack(payload)
    if found is None:
        return None
    generation, compiler, count, newest, records = found
    return _Base(generation, _key(st), compiler, count, newest, {}, records)


def _from_json(path: Path, st: os.stat_result, raw: bytes) -> _Base:
    """manifest.json's records parsed from its bytes ``raw``."""
    try:
        data = json.loads(raw)
        generation, compiler = data.get("generation"), _compiler(data)
        if generation is not None and type(generation) is not str:
            raise TypeError("its generation is not a token")
        records = _records(data["files"], data.get("content") or {})
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NosError(f"{path} is damaged ({exc}); refusing to touch generated files") from None
    return _Base(generation, _key(st), compiler, len(records), _newest(records), {}, records)


def _entries(path: Path, delta: bytes, generation: str) -> tuple[dict[str, Record | None], str | None] | None:
    """The delta's entries (name -> record, None for a name gone) and the version of
    nos-shell that wrote it, when it is for ``generation``; else None (a delta left behind
    by a whole write: ignored)."""
    try:
        data = json.loads(delta)
        if type(data) is not dict or data.get("base") != generation:
            return None
        names, compiler = data["files"], _compiler(data)
        if type(names) is not dict:
            raise TypeError("its maps are not objects")
        out: dict[str, Record | None] = dict(_records({name: owner for name, owner in names.items()
                                                       if owner is not None}, data.get("content") or {}))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NosError(f"{path} is damaged ({exc}); refusing to touch generated files") from None
    out.update((name, None) for name, owner in names.items() if owner is None)
    return out, compiler


def _compiler(data: dict) -> str | None:
    """The ``compiler`` a manifest or delta file names (TypeError when it is not text)."""
    compiler = data.get("compiler")
    if compiler is not None and type(compiler) is not str:
        raise TypeError("its compiler is not text")
    return compiler


def _newest(records: dict[str, Record]) -> int:
    """The newest mtime or ctime any record's stat shows (0 when none has a stat)."""
    stats = [record[3] for record in records.values() if record[3] is not None]
    return max(max(map(itemgetter(1), stats), default=0), max(map(itemgetter(2), stats), default=0))


def _merged(records: dict[str, Record], base: _Base) -> dict[str, Record]:
    """``records`` (manifest.json's, or any view with the same names outside the delta) with
    the delta applied. Judged by the delta's age from then on, a record of manifest.json as
    new as that file itself must not become trusted by that (the age rule): it loses its
    stat (the common case, none is so new, is one comparison)."""
    entries, base_ns = base.entries, base.key[3]
    if base.newest < base_ns:
        out = dict(records)
    else:
        out = {name: record if name in entries or record.stat is None
               or max(record.stat[1], record.stat[2]) < base_ns else Record(record.owner, record.digest, record.mode)
               for name, record in records.items()}
    for name, record in entries.items():
        if record is None:
            out.pop(name, None)
        else:
            out[name] = record
    return out


def forget() -> None:
    """Drop the manifest remembered by :func:`load` and :func:`save` (a benchmark's fresh
    process)."""
    _cache.clear()


def save(root: Path, records: dict[str, Record], touched: set[str] | None = None) -> None:
    """Write the manifest of ``root`` atomically; the next :func:`load` in this process
    returns ``records`` without reading it back (they must not change afterwards).

    When this process last read or wrote the manifest file and it is still that file, only
    what differs from it is written (the delta, see the module docstring; nothing when
    nothing differs from what it read or wrote last), up to
    :data:`DELTA_LIMIT` names and a quarter of the manifest's; else the whole manifest, with a
    new generation, and the cache of its records (manifest_cache.py). ``touched``: the only
    names whose records may differ from what this process read last (an incremental plan's),
    so the rest need not be compared one by one."""
    path, extra = root / MANIFEST, root / DELTA
    cached = _cache.get(path)
    base = cached[2] if cached is not None else None
    if cached is not None and base is not None and base.generation is not None and _still(path, base.key):
        found = None if touched is None else _touched_difference(cached[1].records, records, touched)
        changed, gone = found if found is not None else _difference(cached[1].records, records)
        if not changed and not gone and _still(extra, cached[0][1]):
            return                  # the files on disk say exactly this already
        entries = {**base.entries, **changed}
        entries.update((name, None) for name in gone)
        known = base.records
        # a new name goes into manifest.json itself: its ``files`` stay every name nos-shell
        # may own, for an older version that reads nothing else
        if len(entries) <= min(DELTA_LIMIT, base.count // 4) and all(name in known for name in changed):
            data = dump_delta(base.generation, {name: r for name, r in entries.items() if r is not None},
                              [name for name, r in entries.items() if r is None])
            atomic_write(extra, data)
            st = os.lstat(extra)
            base = base._replace(entries=entries)
            view = _merged(records, base)       # as a new process reads it (the age rule)
            _cache.clear()
            _cache[path] = ((base.key, _key(st)), Manifest(view, st.st_mtime_ns, __version__), base)
            return
    generation = os.urandom(8).hex()
    data = dump(records, generation)
    atomic_write(path, data)
    st = os.lstat(path)
    # a delta left behind names the old generation: ignored, so a crash before this
    # removal is harmless, and the removal needs no sync
    with contextlib.suppress(FileNotFoundError):
        os.unlink(extra)
    base = _Base(generation, _key(st), __version__, len(records), _newest(records), {}, records)
    _cache.clear()
    _cache[path] = ((base.key, None), Manifest(records, st.st_mtime_ns, __version__), base)
    _keep(root, base)


def _keep(root: Path, base: _Base) -> None:
    """Cache manifest.json's records (``base``)."""
    manifest_cache.write(root, base.key, manifest_cache.pack(base.generation, base.compiler, base.count,
                                                             base.newest, base.records))


def _still(path: Path, key: tuple[int, ...] | None) -> bool:
    """Whether the file at ``path`` still shows the stat ``key`` (None: is still absent)."""
    try:
        return _key(os.lstat(path)) == key
    except FileNotFoundError:
        return key is None


def _difference(base: dict[str, Record], records: dict[str, Record]) -> tuple[dict[str, Record], list[str]]:
    """(records new or different from ``base``, names of ``base`` no longer in ``records``)."""
    get = base.get
    changed = {name: record for name, record in records.items() if get(name) != record}
    gone = [name for name in base if name not in records] if len(base) + len(changed) > len(records) else []
    return changed, gone


def _touched_difference(base: dict[str, Record], records: dict[str, Record], touched: set[str]
                        ) -> tuple[dict[str, Record], list[str]] | None:
    """:func:`_difference` when only the names ``touched`` may differ: proven by the count
    (every other name of ``records`` is one of ``base``'s with its record); None when the
    count says otherwise (then every record is compared)."""
    get = base.get
    changed = {name: records[name] for name in touched if name in records and get(name) != records[name]}
    gone = [name for name in touched if name not in records and name in base]
    added = sum(1 for name in touched if name in records and name not in base)
    if len(records) != len(base) - len(gone) + added:
        return None
    return changed, gone


def dump(records: dict[str, Record], generation: str | None = None) -> bytes:
    """The manifest file's bytes: one line per file in each map, sorted by name (and the
    ``generation`` a delta names)."""
    head = "" if generation is None else f' "generation": {quote(generation)},\n "compiler": {quote(__version__)},\n'
    return f'{{\n{head}{_maps(records)}}}\n'.encode()


def dump_delta(generation: str, changed: dict[str, Record], gone: list[str]) -> bytes:
    """A delta file's bytes: the generation it applies to, the changed records as in the
    manifest, and ``null`` owners for the names gone."""
    body = _maps(changed, gone)
    return f'{{\n "base": {quote(generation)},\n "compiler": {quote(__version__)},\n{body}}}\n'.encode()


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
