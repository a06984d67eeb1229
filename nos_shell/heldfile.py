"""Registry entries that live as long as their owner: a JSON file held under ``flock``.

The sessions registry (editors.py) and the logins registry (logins.py) keep one small file
per live session, each opened and locked (shared lock taken by readers fails while the
owner holds its exclusive one) for as long as the session lasts. The kernel releases the
lock when the owner's process dies, so a file whose lock is free belongs to nobody and is
removed by the reader that finds it.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
from pathlib import Path
from typing import Any


def read_held(path: Path) -> dict[str, Any] | None:
    """The JSON object in ``path`` while its owner holds it; None when the file is gone,
    unreadable, or nobody holds it (then it is removed, unless its owner replaced it with a
    new file in the meantime)."""
    for _ in range(5):
        try:
            handle = open(path, "rb")
        except OSError:             # gone meanwhile, or not a file: no session's entry
            return None
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EWOULDBLOCK):
                    raise
                try:
                    data = json.loads(handle.read())
                except ValueError:
                    return None
                return data if isinstance(data, dict) else None
            # nobody holds it: the owner died, or replaced this file a moment ago
            try:
                same = os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
            except FileNotFoundError:
                return None
            if same:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
                return None
    return None
