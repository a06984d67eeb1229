"""Who is logged in to nos-shell on a root: the registry behind `show users`.

Each interactive session (the local shell and every SSH shell; not one-off `-c`/`-f` runs
or SSH exec requests) writes one small JSON file in ``ROOT/var/lib/nos-shell/logins/``
and holds an exclusive ``flock`` on it while it lasts. A reader that can lock a file
itself knows its session is gone (ended, or its process died: the kernel drops the lock)
and removes it. Entries are written once by nos_shell/fsutil.py's held writer (under a
temporary name, locked, then renamed into place).
These are nos-shell's own sessions, not the system's login records.
"""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

from .fsutil import atomic_write_held
from .heldfile import read_held

DIRECTORY = Path("var/lib/nos-shell/logins")


@dataclass(frozen=True)
class Entry:
    user: str
    via: str          # cli (the local shell) or ssh
    tty: str          # the terminal device, or "-"
    peer: str         # the SSH client's address, or "-"
    pid: int
    since: str        # YYYY-mm-dd HH:MM:SS, local time


class Login:
    """One session's entry; it stays until :meth:`leave` or the process ends."""

    def __init__(self, root: Path, entry: Entry):
        self.path = Path(root) / DIRECTORY / f"{entry.pid}-{secrets.token_hex(6)}.json"
        self.entry = entry
        self._handle: BinaryIO | None = None

    @classmethod
    def enter(cls, root: Path, user: str, via: str, tty: str = "-", peer: str = "-") -> "Login":
        """Register a session that just started; keep the returned object for as long as the
        session lasts (its open file holds the lock). Never fails the session: a registry
        that cannot be written only leaves it out of `show users`."""
        login = cls(root, Entry(user, via, tty or "-", peer or "-", os.getpid(),
                                time.strftime("%Y-%m-%d %H:%M:%S")))
        with contextlib.suppress(OSError):
            login.publish()
        return login

    def publish(self) -> None:
        """Write the entry (atomically, held under its lock until :meth:`leave`)."""
        handle = atomic_write_held(self.path, json.dumps(asdict(self.entry)).encode())
        if self._handle is not None:
            self._handle.close()
        self._handle = handle

    def leave(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
            self._handle.close()
            self._handle = None


def logins(root: Path) -> list[Entry]:
    """The sessions logged in on ``root``, oldest first; entries of ended ones are removed."""
    directory = Path(root) / DIRECTORY
    try:
        names = sorted(n for n in os.listdir(directory) if n.endswith(".json") and not n.startswith("."))
    except FileNotFoundError:
        return []
    found = [e for e in (_read(directory / name) for name in names) if e is not None]
    return sorted(found, key=lambda e: (e.since, e.pid))


def _read(path: Path) -> Entry | None:
    data = read_held(path)
    try:
        return Entry(**data) if data is not None else None
    except TypeError:
        return None
