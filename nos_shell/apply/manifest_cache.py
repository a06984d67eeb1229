"""A cache of the manifest as read (nos_shell/apply/manifest.py): its records in ``marshal``
form, a few ms to load against the tens of ms parsing and checking the JSON takes.

``ROOT/var/lib/nos-shell/manifest.cache`` is one header line, then the payload:

    nos-shell manifest cache 4 PYTHON KEY PAYLOAD-CRC32\\n<marshal bytes>

``KEY`` names what the payload was read from: the device, inode, size, mtime and ctime of
manifest.json (the delta file, small, is read as JSON each time). The cache is used only
when the file shows exactly that stat: nos-shell replaces the file by a rename (a new
inode), and any other change to it sets its ctime to the present, which user space cannot
set back, so a cache of other bytes is never taken for them and the 2 MB file need not be
read to find out. The payload is used only when its CRC-32 matches (a torn or damaged
cache is not unmarshalled: a checksum against accidents, as the stat key is). It is written after each whole write of the manifest,
replacing the last one by a rename, without a sync: lost in a crash, it is only missed.
A miss costs nothing but the JSON read.
"""
from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from array import array
from itertools import repeat
from pathlib import Path

from ..fsutil import make_temp
from .manifest_records import Record

CACHE = Path("var/lib/nos-shell/manifest.cache")
MAGIC = b"nos-shell manifest cache 4"
PYTHON = f"{sys.implementation.name}-{sys.version_info[0]}.{sys.version_info[1]}-{marshal.version}".encode()

Key = tuple[int, ...]
"""manifest.json's (st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns)."""


def key_text(key: Key) -> bytes:
    return ":".join(map(str, key)).encode()


def read(root: Path, key: Key) -> object | None:
    """The payload cached for ``key``, or None (no cache, another key, damaged)."""
    try:
        with open(root / CACHE, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    head, _, payload = data.partition(b"\n")
    parts = head.split(b" ")
    if len(parts) != 7 or b" ".join(parts[:4]) != MAGIC or parts[4] != PYTHON or parts[5] != key_text(key):
        return None
    if parts[6] != _check(payload):
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def pack(generation: str | None, compiler: str | None, count: int, newest: int,
         records: dict[str, Record]) -> tuple:
    """The payload of manifest.json's records: the fields by column, the stats as one packed
    array of 64-bit numbers (-1 for none), since unmarshalling 8,000 tuples of large
    integers costs more than making them from an array."""
    rows = list(records.values())
    packed = array("q", [number for row in rows for number in (row[3] or _NO_STAT)]).tobytes()
    return (generation, compiler, count, newest, list(records), [row[0] for row in rows],
            [row[1] for row in rows], [row[2] for row in rows], packed)


_NO_STAT = (-1, -1, -1, -1)


def unpack(payload: object) -> tuple[str | None, str | None, int, int, dict[str, Record]] | None:
    """(generation, compiler, count, newest, records) of a :func:`pack` payload; None when
    it is not one."""
    try:
        generation, compiler, count, newest, names, owners, digests, modes, packed = payload   # type: ignore[misc]
        numbers = array("q")
        numbers.frombytes(packed)
        if not len(names) == len(owners) == len(digests) == len(modes) == len(numbers) // 4:
            return None
        flat = iter(numbers)
        stats = zip(flat, flat, flat, flat)
        if numbers and min(numbers[::4]) < 0:          # (records without a stat: rare)
            stats = [None if stat[0] < 0 else stat for stat in stats]     # type: ignore[assignment]
        return generation, compiler, count, newest, dict(zip(names, map(
            tuple.__new__, repeat(Record), zip(owners, digests, modes, stats))))
    except (TypeError, ValueError):
        return None


def _check(payload: bytes) -> bytes:
    """The payload's CRC-32, as the header holds it."""
    return b"%08x" % zlib.crc32(payload)


def write(root: Path, key: Key, payload: object) -> None:
    """Cache ``payload`` for ``key`` (best effort: a cache that cannot be written is missed)."""
    data = marshal.dumps(payload)
    head = b" ".join([MAGIC, PYTHON, key_text(key), _check(data)])
    path = root / CACHE
    with contextlib.suppress(OSError):
        fd, tmp = make_temp(path.parent, f".{path.name}.")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(head + b"\n" + data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def forget(root: Path) -> None:
    """Remove the cache (tests; a root being reset)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(root / CACHE)


__all__ = ["CACHE", "Key", "forget", "pack", "read", "unpack", "write"]
