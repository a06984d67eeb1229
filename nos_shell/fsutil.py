"""The one atomic file writer: temp file in the same directory, fsync, rename, fsync the directory.

Also its two variants: many files with one sync (:func:`atomic_write_many`) and a registry
entry published under a lock its owner keeps (:func:`atomic_write_held`).
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

from .fault import point


def atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            point("fsync")
            os.fsync(handle.fileno())
        point("rename")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        point("fsync")
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_many(items: list[tuple[Path, bytes, int]]) -> None:
    """Replace many files at once, each atomically, with one sync for all of them.

    Every file is written under a temporary name, the data of all of them reaches the disk
    with a single ``sync``, then each is renamed over its target and each directory is
    synced once. A crash leaves every file either old or new, and thousands of files cost
    one flush instead of one each."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data, mode in items:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                os.fchmod(handle.fileno(), mode)
        point("fsync")
        os.sync()
        for tmp, path in staged:
            point("rename")
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    for directory in sorted({path.parent for _, path in staged}):
        fsync_dir(directory)


def atomic_write_held(path: Path, data: bytes, mode: int = 0o644) -> BinaryIO:
    """Replace ``path`` with ``data`` and return the new file, open and under an exclusive
    ``flock`` that lasts until the caller closes it (nos_shell/heldfile.py reads such files).

    Readers never see a half-written entry: the lock is taken and the data written before
    the rename. Nothing is synced to disk: an entry lives only as long as its owner's
    process, which a crash ends anyway."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    handle = os.fdopen(fd, "wb")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)      # a fresh file nobody else has opened yet
        os.fchmod(handle.fileno(), mode)
        handle.write(data)
        handle.flush()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            handle.close()                       # (its flush may fail the same way)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return handle


TEMP_NAME = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")
"""The name of a temporary file made by this module: ``.NAME.XXXXXXXX.tmp`` (mkstemp)."""


def remove_temp_files(directory: Path, names: set[str] | None = None) -> int:
    """Remove temporary files this module left in ``directory`` (a crash between writing and
    renaming); only those for a file in ``names`` when given. Returns how many went."""
    removed = 0
    try:
        entries = os.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    for entry in entries:
        match = TEMP_NAME.fullmatch(entry)
        if match and (names is None or match["name"] in names):
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                os.unlink(directory / entry)
                removed += 1
    return removed
