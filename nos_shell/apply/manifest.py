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
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import NosError

MANIFEST = Path("var/lib/nos-shell/manifest.json")

Stat = tuple[int, int, int, int]
"""What a file's ``lstat`` must still show (with the mode): size, mtime_ns, ctime_ns, inode."""


def stat_of(st: os.stat_result) -> Stat:
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Record:
    """One generated file: its owner and, when known, what was written and its stat."""

    owner: str
    digest: str | None = None
    mode: int | None = None
    stat: Stat | None = None


@dataclass
class Manifest:
    """The manifest as read: the records and the manifest file's own mtime (ns)."""

    records: dict[PurePosixPath, Record] = field(default_factory=dict)
    written_ns: int = 0

    def owners(self) -> dict[PurePosixPath, str]:
        return {rel: record.owner for rel, record in self.records.items()}

    def trusted(self, rel: PurePosixPath, st: os.stat_result) -> Record | None:
        """The record of ``rel`` when ``st`` (its ``lstat`` now) proves the file is still
        what the record says, else None (the file must be read)."""
        record = self.records.get(rel)
        if record is None or record.digest is None or record.stat is None:
            return None
        if record.stat != stat_of(st) or record.mode != st.st_mode & 0o7777 or max(st.st_mtime_ns, st.st_ctime_ns) >= self.written_ns:
            return None
        return record


def load(root: Path) -> Manifest:
    """The manifest of ``root`` (empty when there is none); NosError when it is damaged."""
    path = root / MANIFEST
    try:
        with open(path, "rb") as handle:
            written = os.fstat(handle.fileno()).st_mtime_ns
            data = json.loads(handle.read())
        return Manifest(_records(data["files"], data.get("content") or {}), written)
    except FileNotFoundError:
        return Manifest()
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NosError(f"{path} is damaged ({exc}); refusing to touch generated files") from None


def _records(files: dict, content: dict) -> dict[PurePosixPath, Record]:
    records: dict[PurePosixPath, Record] = {}
    for name, owner in files.items():
        rel = PurePosixPath(name)
        # a commit removes what the manifest names: never outside the root
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise ValueError(f"it names a file outside the root: {str(rel)[:100]!r}")
        if not isinstance(owner, str):
            raise TypeError(f"the owner of {name[:100]!r} is not a name")
        entry = content.get(name)
        if entry is None:
            records[rel] = Record(owner)
            continue
        if (not isinstance(entry, list) or len(entry) != 6 or not isinstance(entry[0], str)
                or not all(type(n) is int for n in entry[1:])):
            raise ValueError(f"the content entry of {name[:100]!r} is not [digest, mode, size, times, inode]")
        records[rel] = Record(owner, entry[0], entry[1], tuple(entry[2:]))   # type: ignore[arg-type]
    return records


def dump(records: dict[PurePosixPath, Record]) -> bytes:
    """The manifest file's bytes: one line per file in each map, sorted."""
    names = sorted(records)
    files = ",\n".join(f"  {json.dumps(str(rel))}: {json.dumps(records[rel].owner)}" for rel in names)
    content = ",\n".join(f"  {json.dumps(str(rel))}: {json.dumps([r.digest, r.mode, *r.stat])}"
                         for rel in names for r in (records[rel],) if r.digest is not None
                         and r.mode is not None and r.stat is not None)
    return f'{{\n "files": {{\n{files}\n }},\n "content": {{\n{content}\n }}\n}}\n'.encode()


__all__ = ["MANIFEST", "Manifest", "Record", "Stat", "digest", "dump", "load", "stat_of"]
