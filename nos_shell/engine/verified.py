"""Which running configuration passed verify, and by which version of nos-shell.

``ROOT/var/lib/nos-shell/verified`` names the archive serial of the revision the commit
engine verified and archived last, the sha256 of that archive file and the nos-shell
version that verified it. The next commit verifies incrementally
(``registry.verify_all(since=...)``) only when the running configuration is that very file
and this is that version: a new or changed rule must see the whole old configuration, and
a revision that arrived by any other way (rollback, boot, a hand edit) is not vouched for.

The record is a cache of a fact, not state: written without fsync (a crash leaves it old,
torn or missing, and each of those only means a whole verify next time). Within one
process the same fact is kept per store object as well (:func:`remember`), for the
revisions of a command file, which reach the disk only at its end.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from ..version import __version__

if TYPE_CHECKING:
    from ..config.tree import ConfigTree
    from ..store import Store

RECORD = Path("var/lib/nos-shell/verified")

_remembered: WeakKeyDictionary[Store, tuple[int, ConfigTree]] = WeakKeyDictionary()


def remember(store: Store, serial: int, tree: ConfigTree) -> None:
    """Note, in this process, that ``tree`` (archived in ``store`` as ``serial``, perhaps not
    yet on disk) passed verify."""
    _remembered[store] = (serial, tree)


def remembered(store: Store, tree: ConfigTree) -> int | None:
    """The serial :func:`remember` noted for this very tree object in ``store``, or None."""
    found = _remembered.get(store)
    return found[0] if found is not None and found[1] is tree else None


def _archive_digest(store: Store, serial: int) -> str | None:
    from ..store import ARCHIVE

    try:
        data = store.path(ARCHIVE / f"r{serial:08d}.boot").read_bytes()
    except OSError:
        return None
    return hashlib.sha256(data).hexdigest()


def record(store: Store, serial: int) -> None:
    """Note that archive revision ``serial`` (written to disk) passed verify by this version."""
    digest = _archive_digest(store, serial)
    path = store.path(RECORD)
    if digest is None:
        with contextlib.suppress(OSError):
            path.unlink()
        return
    data = json.dumps({"version": __version__, "serial": serial, "archive": digest}).encode()
    scratch = path.with_name(path.name + ".tmp")       # the caller holds the commit lock
    fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(scratch, path)


def vouched(store: Store, serial: int) -> bool:
    """Whether archive revision ``serial``, as it is on disk now, passed verify by this version."""
    try:
        info = json.loads(store.path(RECORD).read_bytes())
    except (OSError, ValueError):
        return False
    if not isinstance(info, dict) or info.get("version") != __version__ \
            or type(info.get("serial")) is not int or info["serial"] != serial:
        return False
    digest = info.get("archive")
    return isinstance(digest, str) and digest == _archive_digest(store, serial)
