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
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from json.encoder import encode_basestring_ascii as quote
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from ..backends.contract import generated_path
from ..errors import NosError
from ..fsutil import atomic_write

MANIFEST = Path("var/lib/nos-shell/manifest.json")

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
        lstat, get, now = os.lstat, self.records.get, self.written_ns
        try:
            stats = [(name, lstat(prefix + name)) for name in names]
        except FileNotFoundError:
            return None
        out: dict[str, Record] = {}
        for name, st in stats:
            record = get(name)
            if (record is None or record.owner != owner or record.digest is None
                    or record.stat != (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
                    or record.mode != st.st_mode & 0o7777 or st.st_mtime_ns >= now or st.st_ctime_ns >= now):
                return None
            out[name] = record
        return out


_cache: dict[Path, tuple[tuple[int, ...], Manifest]] = {}
"""The last manifest read, by its path and stat (a commit reads it more than once; each
write replaces the file, so a changed manifest never shows the same stat)."""


def load(root: Path) -> Manifest:
    """The manifest of ``root`` (empty when there is none); NosError when it is damaged."""
    path = root / MANIFEST
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
            cached = _cache.get(path)
            if cached is not None and cached[0] == key:
                return cached[1]
            data = json.loads(handle.read())
        book = Manifest(_records(data["files"], data.get("content") or {}), st.st_mtime_ns)
    except FileNotFoundError:
        return Manifest()
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NosError(f"{path} is damaged ({exc}); refusing to touch generated files") from None
    _cache.clear()
    _cache[path] = (key, book)
    return book


_UNUSUAL = re.compile(r"(?:^|/)\.{0,2}(?:/|$)")
"""An empty, ``.`` or ``..`` part anywhere in a name (an absolute name has an empty first part)."""

_SHAPE = [str, int, int, int, int, int]
"""The types of a ``content`` entry's six fields."""


def _records(files: dict, content: dict) -> dict[str, Record]:
    if type(files) is not dict or type(content) is not dict:
        raise TypeError("its maps are not objects")
    # The usual manifest in one pass each (names, owners, entries); anything unusual is
    # read again by the loop below, which says what is wrong with the first bad entry.
    if not any(map(_UNUSUAL.search, files)) and all(type(owner) is str for owner in files.values()):
        records = _plain_records(files, content)
        if records is not None:
            return records
    return _checked_records(files, content)


def _plain_records(files: dict[str, str], content: dict) -> dict[str, Record] | None:
    """The records, when every ``content`` entry has the right shape; else None."""
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
    returns ``records`` without reading it back (they must not change afterwards)."""
    path = root / MANIFEST
    atomic_write(path, dump(records))
    st = os.lstat(path)
    _cache.clear()
    _cache[path] = ((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns),
                    Manifest(records, st.st_mtime_ns))


def dump(records: dict[str, Record]) -> bytes:
    """The manifest file's bytes: one line per file in each map, sorted by name."""
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
    body, entries = ",\n".join(files), ",\n".join(lines)
    return f'{{\n "files": {{\n{body}\n }},\n "content": {{\n{entries}\n }}\n}}\n'.encode()


__all__ = ["MANIFEST", "Manifest", "Record", "Stat", "digest", "dump", "forget", "load", "save", "stat_of"]
