"""Who is in configuration mode on a root, and the `configure exclusive` lock.

Each session in configuration mode has one small JSON file in
``ROOT/var/lib/nos-shell/sessions/`` (user, via, pid, since, exclusive, changes). The
session holds an exclusive ``flock`` on its own file for as long as it is in
configuration mode, so a reader can tell a live entry (the lock is held) from one left
behind by a process that died (the lock is free: the file is removed). ``flock`` locks
belong to an open file description, not to a process, so this also works for the many
sessions the SSH server runs in one process. A file is replaced (new file locked first,
then renamed over the old one), never rewritten in place, so readers see whole entries.

`configure exclusive` holds an exclusive ``flock`` on ``ROOT/var/lib/nos-shell/exclusive``;
a commit of any other session checks it (under the commit lock) and is refused while it
is held. The kernel drops the lock when the holder's file is closed: on `exit`, when
the session ends, or when its process dies.
"""
from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import os
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import IO

from .errors import NosError
from .heldfile import read_held

DIRECTORY = Path("var/lib/nos-shell/sessions")
EXCLUSIVE = Path("var/lib/nos-shell/exclusive")
_COUNTER = itertools.count(1)


@dataclass(frozen=True)
class Editor:
    """One session in configuration mode."""

    ident: str
    user: str
    via: str
    pid: int
    since: str            # YYYY-mm-dd HH:MM:SS, local time
    exclusive: bool = False
    changes: bool = False  # the candidate was changed since the last commit or discard

    def describe(self) -> str:
        """`bob via ssh (pid 12) since 2026-12-01 10:20:01`."""
        if not self.pid:
            return "another session"
        return f"{self.user} via {self.via} (pid {self.pid}) since {self.since}"


class Presence:
    """One session's entry in the registry and its hold on the exclusive lock."""

    def __init__(self, root: Path, user: str, via: str):
        self.root = Path(root)
        self.entry = Editor(f"{os.getpid()}-{next(_COUNTER)}-{os.urandom(4).hex()}", user, via,
                            os.getpid(), "")
        self._handle: IO[bytes] | None = None       # our locked registry file
        self._exclusive: IO[bytes] | None = None    # the exclusive lock, when held

    @property
    def active(self) -> bool:
        return self._handle is not None

    @property
    def changes(self) -> bool:
        return self.entry.changes

    @property
    def exclusive(self) -> bool:
        return self._exclusive is not None

    def enter(self, exclusive: bool = False) -> None:
        """Register (configuration mode entered); with ``exclusive`` also take the lock,
        refused (NosError) while another session holds it or has uncommitted changes."""
        if exclusive:
            self._take_exclusive()
        self.entry = replace(self.entry, since=time.strftime("%Y-%m-%d %H:%M:%S"),
                             exclusive=exclusive, changes=False)
        try:
            self._publish()
        except NosError:
            self.leave()            # no half-entered session keeps the exclusive lock
            raise

    def update(self, changes: bool) -> None:
        """Record whether the session has uncommitted changes (written only on a change)."""
        if self.active and changes != self.entry.changes:
            self.entry = replace(self.entry, changes=changes)
            with contextlib.suppress(NosError):     # advisory: an edit never fails for it
                self._publish()

    def leave(self) -> None:
        """Out of configuration mode: remove the entry and release the exclusive lock."""
        if self._handle is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._path())
            self._handle.close()
            self._handle = None
        if self._exclusive is not None:
            self._exclusive.close()
            self._exclusive = None

    def _path(self) -> Path:
        return self.root / DIRECTORY / f"{self.entry.ident}.json"

    def _publish(self) -> None:
        directory = self.root / DIRECTORY
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / f".{self.entry.ident}.tmp"
        handle = open(tmp, "wb")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)   # a fresh file nobody else has opened
            handle.write(json.dumps(asdict(self.entry)).encode())
            handle.flush()
            os.replace(tmp, self._path())
        except OSError as exc:                  # e.g. a full disk
            with contextlib.suppress(OSError):
                handle.close()                  # (its flush fails the same way)
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise NosError(f"Cannot register the session in {directory}: {exc.strerror or exc}") from None
        if self._handle is not None:
            self._handle.close()
        self._handle = handle

    def _take_exclusive(self) -> None:
        path = self.root / EXCLUSIVE
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "ab")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            holder = lock_holder(self.root)
            raise NosError("Configuration database locked by: "
                           + (holder.describe() + ", exclusive" if holder else "another session"),
                           "Cannot enter exclusive configuration mode") from None
        busy = [e for e in editors(self.root) if e.changes and e.ident != self.entry.ident]
        if busy:
            handle.close()
            raise NosError("Configuration database modified: uncommitted changes in the sessions of",
                           *(f"  {e.describe()}" for e in busy),
                           "Cannot enter exclusive configuration mode")
        self._exclusive = handle


def editors(root: Path) -> list[Editor]:
    """The sessions in configuration mode on ``root`` (oldest first); entries left by
    processes that died are removed on the way."""
    directory = Path(root) / DIRECTORY
    try:
        listing = os.listdir(directory)
    except FileNotFoundError:
        return []
    for name in listing:
        if name.startswith(".") and name.endswith(".tmp"):
            _remove_if_unlocked(directory / name)     # left by a crash before its rename
    names = sorted(n for n in listing if n.endswith(".json"))
    found = [e for e in (_read(directory / n) for n in names) if e is not None]
    return sorted(found, key=lambda e: (e.since, e.ident))


def _read(path: Path) -> Editor | None:
    data = read_held(path)
    try:
        return Editor(**data) if data is not None else None
    except TypeError:
        return None


def _remove_if_unlocked(path: Path) -> None:
    """Remove a temporary entry nobody holds, once it is old enough that no session can be
    between creating and locking it."""
    try:
        if time.time() - os.stat(path).st_mtime < 60:
            return
        with open(path, "rb") as handle:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            os.unlink(path)
    except (BlockingIOError, FileNotFoundError):
        pass


def lock_holder(root: Path) -> Editor | None:
    """The live session holding the exclusive lock, or None when the lock is free."""
    path = Path(root) / EXCLUSIVE
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return None
        except BlockingIOError:
            pass
    holders = [e for e in editors(root) if e.exclusive]
    return holders[0] if holders else Editor("?", "another session", "?", 0, "?", True)
