"""Persistent state under a root directory: the revision archive and the saved configuration.

Layout (mirroring system paths below ``root``):

- ``etc/nos-shell/config.boot``: the saved configuration (`save`), loaded at first start;
- ``var/lib/nos-shell/archive/rNNNNNNNN.boot``: one file per commit, config.boot text after
  a `//` header line holding the commit's metadata as JSON. The newest revision *is* the
  running configuration, so a commit is a single atomic file creation: a crash leaves
  either the old or the new running configuration, never a mix.

Beside the archive, ``var/lib/nos-shell/running.snapshot`` holds the running tree in a
form that loads without the grammar (nos_shell/config/snapshot.py), written after each
archived revision. It is only a cache: used when its digest matches the newest archive
file, else the text is parsed and the snapshot rewritten when this process may;
``saved.snapshot`` does the same for the saved configuration. A snapshot written by a
commit says its tree is proven (:func:`archive_text`): the next commit then reads back
only what it changes (nos_shell/config/readback.py).

Writes can be deferred (:meth:`Store.deferred`) so a command file commits nothing
unless every line succeeds.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from .config.readback import archive_text
from .config.tree import ConfigTree
from .errors import CommitError
from .fault import point
from .fsutil import atomic_write

SAVED = Path("etc/nos-shell/config.boot")
ARCHIVE = Path("var/lib/nos-shell/archive")
LOCK = Path("var/lib/nos-shell/lock")
SNAPSHOT = Path("var/lib/nos-shell/running.snapshot")
SAVED_SNAPSHOT = Path("var/lib/nos-shell/saved.snapshot")
HEADER = "// nos-shell revision "
DEFAULT_REVISIONS = 100
_HELD: set[tuple[str, int]] = set()     # (root, thread) pairs holding the commit lock
PRIVATE = 0o600

DEFAULT_CONFIG = """\
set interfaces loopback lo
set system host-name 'vyos'
set system login user vyos authentication plaintext-password 'vyos'
set system login user vyos level 'admin'
"""


class Revision(NamedTuple):
    serial: int          # ever-increasing file number
    time: str            # YYYY-mm-dd HH:MM:SS, local time
    user: str
    via: str             # cli | ssh | file | api | boot
    comment: str


class Store:
    """Revisions and saved configuration of one root directory."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._pending: list[tuple[Path, bytes | None]] | None = None
        self._cache: dict[Path, ConfigTree] = {}
        self._proven: dict[int, weakref.ref[ConfigTree]] = {}    # trees whose text reads back
        self._text: tuple[weakref.ref[ConfigTree], str] | None = None   # a proven tree's text
        self._archive_paths: dict[str, Path] = {}    # archive file name -> its path, made once

    # -- paths ----------------------------------------------------------------------
    def path(self, relative: Path | str) -> Path:
        return self.root / relative

    @property
    def saved_path(self) -> Path:
        return self.path(SAVED)

    def resolve_file(self, name: str) -> Path:
        """A user-given file name: absolute as given, relative under the saved-config folder."""
        given = Path(name)
        return given if given.is_absolute() else self.saved_path.parent / given

    # -- deferred writes ---------------------------------------------------------------
    @contextlib.contextmanager
    def deferred(self) -> Iterator[Callable[[], None]]:
        """Hold writes in memory; the yielded function makes them real.

        Leaving the block without calling it drops them (nothing was written)."""
        self._pending = []
        pending = self._pending

        def flush() -> None:
            self._pending = None
            for path, data in pending:
                self._write_now(path, data)
            pending.clear()

        try:
            yield flush
        finally:
            self._pending = None

    @property
    def deferring(self) -> bool:
        """True inside :meth:`deferred`: nothing reaches the disk yet."""
        return self._pending is not None

    def _write(self, path: Path, data: bytes | None) -> None:
        if self._pending is not None:
            self._pending[:] = [(p, d) for p, d in self._pending if p != path]
            self._pending.append((path, data))
        else:
            self._write_now(path, data)

    def _write_now(self, path: Path, data: bytes | None) -> None:
        if data is None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            return
        cache = path in (self.path(SNAPSHOT), self.path(SAVED_SNAPSHOT))
        if cache:
            point("snapshot")       # a crash test's kill point: file written, snapshot not yet
        # owner only: configurations hold password hashes and WireGuard private keys; a
        # snapshot is a cache: a read-only root or a full disk leave it stale, never fail a commit
        with contextlib.suppress(OSError) if cache else contextlib.nullcontext():
            atomic_write(path, data, mode=PRIVATE)

    def _read(self, path: Path) -> bytes | None:
        if self._pending is not None:
            for p, data in reversed(self._pending):
                if p == path:
                    return data
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Serialise commits of concurrent sessions on this root."""
        lock = self.path(LOCK)
        lock.parent.mkdir(parents=True, exist_ok=True)
        key = (os.path.abspath(self.root), threading.get_ident())
        with open(lock, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            _HELD.add(key)
            try:
                yield
            finally:
                _HELD.discard(key)
                fcntl.flock(handle, fcntl.LOCK_UN)

    @property
    def holds_lock(self) -> bool:
        """True while this thread holds the commit lock of this root (flock is not re-entrant)."""
        return (os.path.abspath(self.root), threading.get_ident()) in _HELD

    # -- revisions -------------------------------------------------------------------------
    def _archive_files(self) -> list[Path]:
        directory = self.path(ARCHIVE)
        names = set()
        with contextlib.suppress(FileNotFoundError):
            names = {n for n in os.listdir(directory) if n.startswith("r") and n.endswith(".boot")}
        if self._pending is not None:
            for path, data in self._pending:
                if path.parent == directory:
                    (names.add if data is not None else names.discard)(path.name)
        known = self._archive_paths
        return [known.get(n) or known.setdefault(n, directory / n) for n in sorted(names, reverse=True)]

    def newest_on_disk(self) -> str | None:
        """The file name of the newest archived revision on disk (pending writes ignored)."""
        with contextlib.suppress(FileNotFoundError):
            names = [n for n in os.listdir(self.path(ARCHIVE)) if n.startswith("r") and n.endswith(".boot")]
            return max(names, default=None)
        return None

    def commits_pending(self) -> bool:
        """True inside :meth:`deferred` once something was committed there."""
        return any(path.parent == self.path(ARCHIVE) for path, _ in self._pending or ())

    def _files(self) -> list[Path]:
        """Archive files, newest first; on first use the initial revision is made."""
        files = self._archive_files()
        if not files:
            self._initialise()
            files = self._archive_files()
        return files

    def revisions(self) -> list[Revision]:
        """Newest first; index 0 is the running configuration. Never empty."""
        return [self._meta(path) for path in self._files()]

    def _meta(self, path: Path) -> Revision:
        first = self._first_line(path)
        info = json.loads(first[len(HEADER):]) if first.startswith(HEADER) else {}
        return Revision(int(path.stem[1:]), info.get("time", ""), info.get("user", "?"),
                        info.get("via", "?"), info.get("comment", ""))

    def _first_line(self, path: Path) -> str:
        """The header line of an archive file, without reading the whole file."""
        if self._pending is not None and any(p == path for p, _ in self._pending):
            data = self._read(path) or b""
            return data.split(b"\n", 1)[0].decode("utf-8", "replace")
        try:
            with open(path, "rb") as handle:
                return handle.readline().rstrip(b"\n").decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def revision(self, number: int) -> ConfigTree:
        """Revision ``number`` (0 = running). IndexError when there is no such revision."""
        files = self._files()
        if not 0 <= number < len(files):
            raise IndexError(number)
        return self._load(files[number]).copy()

    def revision_by_serial(self, serial: int) -> ConfigTree | None:
        """The archived revision with this file number (a copy), or None when pruned."""
        path = self.path(ARCHIVE) / f"r{serial:08d}.boot"
        if path not in self._archive_files():
            return None
        return self._load(path).copy()

    def head(self) -> tuple[int, ConfigTree]:
        """(archive serial, tree) of the running configuration, read together; the tree is
        shared with the archive cache: do not modify it."""
        newest = self._files()[0]
        return int(newest.stem[1:]), self._load(newest)

    def running(self) -> ConfigTree:
        """The running configuration, shared with the archive cache: do not modify it."""
        return self._load(self._files()[0])

    def _load(self, path: Path) -> ConfigTree:
        if path not in self._cache:
            data = self._read(path) or b""
            serial = int(path.stem[1:])
            tree = self._from_snapshot(SNAPSHOT, data, serial)
            self._cache[path] = tree if tree is not None else self._parse(SNAPSHOT, path, data, serial)
        return self._cache[path]

    def _from_snapshot(self, snap: Path, data: bytes, serial: int | None) -> ConfigTree | None:
        """The tree of the file bytes ``data`` from snapshot ``snap``, or None when that is
        absent or cannot stand for them (nos_shell/config/snapshot.py)."""
        from .config import snapshot

        try:
            found = self._read(self.path(snap))
            if found is None or (head := snapshot.header(found)).serial != serial:
                return None
            tree = snapshot.decode(found, data)
        except (snapshot.Stale, OSError):      # (OSError: e.g. not a file, not readable)
            return None
        if head.proven:
            self._mark_proven(tree)
            self._remember_text(tree, data)
        return tree

    def _remember_text(self, tree: ConfigTree, data: bytes) -> None:
        """Keep the config.boot text of archive bytes ``data`` (a proven snapshot's file,
        written by :meth:`commit` as ``dump_boot(tree)``) for the next commit's splice."""
        head, _, text = data.partition(b"\n")
        if head.startswith(HEADER.encode()):
            self._text = (weakref.ref(tree), text.decode())

    def _parse(self, snap: Path, source: Path, data: bytes, serial: int | None, *,
               ignore_unknown: bool = False) -> ConfigTree:
        """``source`` (bytes ``data``) parsed as config.boot text; snapshot ``snap`` is brought
        up to date when ``source`` is still current (the newest revision, the saved file as
        read) and this process may write it."""
        from .config.bootfile import load_boot
        from .config.snapshot import encode

        tree, _ = load_boot(data.decode(), str(source), ignore_unknown=ignore_unknown)
        # inside deferred() too: a cache of files already on disk, not a held-back write
        held = {path for path, _ in self._pending or ()}
        if not held & {source, self.path(snap)} and self._current(source, data):
            with self.try_locked() as locked:
                if locked and self._current(source, data):     # again, now that nobody commits
                    self._write_now(self.path(snap), encode(tree, data, serial))
        return tree

    def _current(self, source: Path, data: bytes) -> bool:
        """True when ``source`` holds ``data`` and, in the archive, is the newest revision."""
        if source.parent == self.path(ARCHIVE):
            return source.name == self.newest_on_disk()     # (the digest pins ``data``)
        return self._read(source) == data

    @contextlib.contextmanager
    def try_locked(self) -> Iterator[bool]:
        """The commit lock when it is free right now (True), without waiting; False when
        another process holds it or this process cannot open it (a read-only root)."""
        if self.holds_lock:
            yield True
            return
        with contextlib.ExitStack() as stack:
            got = False
            with contextlib.suppress(OSError):
                handle = stack.enter_context(open(self.path(LOCK), "a"))
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)      # released by the close
                got = True
            yield got

    def commit(self, tree: ConfigTree, *, user: str, via: str, comment: str = "",
               text: str | None = None) -> Revision:
        """Archive ``tree`` as the new running configuration and prune old revisions.

        The store keeps ``tree`` itself as the running configuration: the caller hands it
        over and must not change it afterwards. A tree whose config.boot text would not
        read back as the same tree is refused (:func:`archive_text`) before anything is
        written; ``text`` is that proven text when the caller already has it."""
        from .config import snapshot

        files = self._archive_files()
        if text is None:
            text = self.proven_text(tree)
        serial = int(files[0].stem[1:]) + 1 if files else 1
        info = {"time": time.strftime("%Y-%m-%d %H:%M:%S"), "user": user, "via": via, "comment": comment}
        path = self.path(ARCHIVE) / f"r{serial:08d}.boot"
        data = (HEADER + json.dumps(info) + "\n" + text).encode()
        self._write(path, data)
        self._cache[path] = tree
        self._mark_proven(tree)
        self._text = (weakref.ref(tree), text)
        self._write(self.path(SNAPSHOT), snapshot.encode(tree, data, serial, proven=True))
        if self._pending is None:
            self._make_private(path.parent, files)
        keep = int(tree.value("system", "config-management", "commit-revisions") or DEFAULT_REVISIONS)
        for old in ([path] + files)[max(keep, 1):]:
            self._write(old, None)
            self._cache.pop(old, None)
        return Revision(serial, info["time"], user, via, comment)

    def text_of(self, tree: ConfigTree) -> str | None:
        """``dump_boot(tree)`` when this store archived ``tree`` in this process (or read it
        from a proven snapshot) and still has the text; else None."""
        known = self._text
        return known[1] if known is not None and known[0]() is tree else None

    def proven_text(self, tree: ConfigTree) -> str:
        """:func:`archive_text` of ``tree``, reading back only what differs from the running
        configuration when that one is proven (archived, or from a snapshot saying so)."""
        files = self._archive_files()
        head = self._cache.get(files[0]) if files else None
        known = self._proven.get(id(head))
        base = head if known is not None and known() is head else None
        text = None
        if base is not None and self._text is not None and self._text[0]() is base:
            from .config.bootfile import dump_boot
            from .config.readback import whole_is_cheaper
            from .config.splice import spliced

            text = spliced(self._text[1], base, tree) or dump_boot(tree)
            if whole_is_cheaper(self._text[1], text):
                base = None
        return archive_text(tree, base, text)

    def _mark_proven(self, tree: ConfigTree) -> None:
        """Remember that ``tree``'s config.boot text reads back as ``tree``."""
        self._proven[id(tree)] = weakref.ref(tree)

    @staticmethod
    def _make_private(directory: Path, files: list[Path]) -> None:
        """The archive folder 0700 and every revision 0600, also ones written by older versions."""
        for path, mode in [(directory, 0o700)] + [(f, PRIVATE) for f in files]:
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mode & 0o777 != mode:
                    os.chmod(path, mode)

    def _initialise(self) -> None:
        """First start: revision 0 is the saved configuration, or the default one."""
        from .api import tree_from_commands
        from .config.bootfile import load_boot

        saved = self._read(self.saved_path)
        if saved is not None:
            tree, _ = load_boot(saved.decode(), str(self.saved_path), ignore_unknown=True)
        else:
            tree = tree_from_commands(DEFAULT_CONFIG)
        self.commit(tree, user="root", via="boot", comment="initial configuration")

    # -- saved configuration -----------------------------------------------------------------
    def saved(self) -> ConfigTree | None:
        data = self._read(self.saved_path)
        if data is None:
            return None
        tree = self._from_snapshot(SAVED_SNAPSHOT, data, None)
        return tree if tree is not None else \
            self._parse(SAVED_SNAPSHOT, self.saved_path, data, None, ignore_unknown=True)

    def save(self, tree: ConfigTree, target: Path | None = None) -> Path:
        from .config.bootfile import dump_boot
        from .config.snapshot import encode

        path = target or self.saved_path
        data = dump_boot(tree).encode()
        writes = [(path, data)]
        if path == self.saved_path and any(tree is kept for kept in self._cache.values()):
            # an archived tree: its text is proven to read back as the tree itself
            writes.append((self.path(SAVED_SNAPSHOT), encode(tree, data)))
        if self.deferring or self.holds_lock:
            for write in writes:
                self._write(*write)
        else:
            # under the commit lock: a commit's clean-up of temporary files in the
            # configuration folder then never meets this write's own (nos_shell/engine/journal.py)
            with self.locked():
                for write in writes:
                    self._write(*write)
        return path
