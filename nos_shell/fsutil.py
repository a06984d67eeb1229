"""The one atomic file writer: temp file in the same directory, fsync, rename, fsync the directory.

Also its two variants: many files through a staging directory with one flush
(:func:`write_many`, the generated files of a commit) and a registry entry published under
a lock its owner keeps (:func:`atomic_write_held`); and the clean-up of what a crash left of
either (:func:`remove_temp_files`).
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .fault import point


_TEMP_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"


def _random_part() -> str:
    """Eight letters of ``[a-z0-9_]``, as mkstemp draws them (:data:`TEMP_NAME`)."""
    return "".join(_TEMP_LETTERS[byte % 37] for byte in os.urandom(8))


def make_temp(directory: Path | str, prefix: str, suffix: str = ".tmp") -> tuple[int, str]:
    """(descriptor, path) of a new file ``PREFIX + 8 letters + SUFFIX`` in ``directory``,
    created exclusively with mode 0600: ``tempfile.mkstemp``'s contract, without importing
    tempfile (and random, shutil...) on a commit's path."""
    return _fresh(directory, prefix, suffix,
                  lambda path: os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                                       0o600))


def make_temp_dir(directory: Path | str, prefix: str) -> str:
    """The path of a new directory ``PREFIX + 8 letters`` in ``directory``, mode 0700 (as
    ``tempfile.mkdtemp`` makes it)."""
    return _fresh(directory, prefix, "", lambda path: os.mkdir(path, 0o700))[1]


def _fresh(directory: Path | str, prefix: str, suffix: str, make: Callable[[str], object]) -> tuple:
    """(what ``make`` returns, path) for the first free ``PREFIX + 8 letters + SUFFIX`` in
    ``directory`` that ``make`` creates exclusively (FileExistsError: another name)."""
    for _ in range(100):
        path = os.path.join(directory, f"{prefix}{_random_part()}{suffix}")
        try:
            return make(path), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {directory}")


def atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = make_temp(path.parent, f".{path.name}.")
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


@dataclass(frozen=True)
class NewFile:
    """One file for :func:`write_many`: its bytes, permission bits and (as root) owner."""

    path: Path | str
    data: bytes
    mode: int = 0o644
    owner: tuple[int, int] | None = None      # (uid, gid), set before the file appears


FEW = 2
"""Up to this many files, each is fsynced on its own; more are flushed with one ``syncfs``
(a flush of the whole file system costs more than one small fsync, far less than thousands)."""

WORKERS = 4
"""Threads that create the files of a big batch. Creating a file is kernel work that lets go
of the interpreter lock, and the file system takes creates in different directories side by
side (bench/write_path.py measures it): each thread fills its own staging directory."""

SHARE = 512
"""A destination directory gets one staging directory (and thread) per this many files, up
to :data:`WORKERS`."""


def write_many(files: Sequence[NewFile], *, sync: str = "auto") -> list[os.stat_result]:
    """Replace many files so that a crash leaves each one old or new, with no temporary name
    per file; returns each file's ``lstat`` once it is in place (in the order given).

    Every file is created with a plain create in a fresh staging directory beside its
    destination (``.nos-stage.XXXXXXXX``, same file system; a big directory's files are
    shared among several, filled side by side by :data:`WORKERS` threads), written and
    given its mode and owner there; the data reaches the disk (``sync``: ``"syncfs"`` once
    per file system, ``"sync"`` for :func:`os.sync`, ``"fsync"`` per file, ``"auto"`` fsync
    up to :data:`FEW` files, else syncfs); each file is renamed into place, the staging
    directories removed and each destination directory fsynced once. On an error the
    staging directories go and the error is raised; a crash leaves them for
    :func:`remove_temp_files`."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for index, item in enumerate(files):
        directory, slash, name = os.fspath(item.path).rpartition("/")
        groups.setdefault(directory or slash, []).append((index, name))     # ("/x": in "/")
    if sync == "auto":
        sync = "fsync" if len(files) <= FEW else "syncfs"
    umask = None if sync == "fsync" else _umask()
    jobs: list[tuple[_Stage, list[tuple[int, str]]]] = []
    try:
        for directory, members in groups.items():
            shares = 1 if sync == "fsync" else min(WORKERS, -(-len(members) // SHARE))
            for share in range(shares):
                jobs.append((_Stage.open(directory, umask), members[share::shares]))
        _fill(jobs, files, fsync=sync == "fsync")
        if sync != "fsync":
            point(sync)
            _flush([stage.stage_fd for stage, _ in jobs], sync)
        for stage, _ in jobs:
            stage.publish()
        stats: list[os.stat_result | None] = [None] * len(files)
        synced: set[str] = set()
        for stage, members in jobs:
            if stage.directory not in synced:
                synced.add(stage.directory)
                point("fsync")
                os.fsync(stage.dir_fd)
            for index, name in members:
                stats[index] = os.stat(name, dir_fd=stage.dir_fd, follow_symlinks=False)
        return stats  # type: ignore[return-value]
    finally:
        for stage, _ in jobs:
            stage.close()


def _fill(jobs: list[tuple[_Stage, list[tuple[int, str]]]], files: Sequence[NewFile], *, fsync: bool) -> None:
    """Create every staged file: in this thread for one staging directory, else with up to
    :data:`WORKERS` threads taking the directories in turn. The first error is raised once
    every thread has stopped; so is an interruption (Ctrl-C), after telling the threads to
    stop: no thread may still use a staging directory's descriptor when it is closed.
    (Plain threads: the executor of concurrent.futures would import logging for nothing.)"""
    import threading

    stop = threading.Event()

    def fill(job: tuple[_Stage, list[tuple[int, str]]]) -> None:
        stage, members = job
        for index, name in members:
            if stop.is_set():
                return
            stage.create(name, files[index], fsync=fsync)

    if len(jobs) == 1 or fsync:
        for job in jobs:
            fill(job)
        return
    errors: list[BaseException] = []
    waiting, take = list(reversed(jobs)), threading.Lock()

    def worker() -> None:
        while not stop.is_set():
            with take:
                if not waiting:
                    return
                job = waiting.pop()
            try:
                fill(job)
            except BaseException as exc:        # noqa: BLE001 - handed to the caller's thread
                errors.append(exc)
                stop.set()

    threads = [threading.Thread(target=worker, name=f"nos-stage-{n}", daemon=True)
               for n in range(min(WORKERS, len(jobs)))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    except BaseException:
        stop.set()
        for thread in threads:
            while thread.is_alive():
                try:
                    thread.join()
                except KeyboardInterrupt:       # a second Ctrl-C: the threads must still end
                    continue
        raise
    if errors:
        raise errors[0]


def _umask() -> int | None:
    """This process's umask, read without changing it (other threads may be creating files),
    or None when the kernel does not say."""
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return None


class _Stage:
    """A staging directory inside ``directory`` and open descriptors of both (every file
    operation is relative to one of them: no path is built per file)."""

    def __init__(self, directory: str, dir_fd: int, name: str, stage_fd: int):
        self.directory, self.dir_fd, self.name, self.stage_fd = directory, dir_fd, name, stage_fd
        self.names: list[str] = []
        self.umask: int | None = None

    @classmethod
    def open(cls, directory: str, umask: int | None = None) -> _Stage:
        """A new staging directory in ``directory``. ``umask``: the process's, when files
        whose mode it leaves alone may be created with that mode (no ``fchmod``); only
        where no default ACL decides the mode instead."""
        os.makedirs(directory, exist_ok=True)
        dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            name = os.path.basename(make_temp_dir(directory, STAGE_PREFIX))
            stage = cls(directory, dir_fd, name, os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC,
                                                          dir_fd=dir_fd))
        except BaseException:
            os.close(dir_fd)
            raise
        if umask is not None and not _has_default_acl(stage.stage_fd):
            stage.umask = umask
        return stage

    def create(self, name: str, item: NewFile, *, fsync: bool) -> None:
        # created with its own mode when the umask keeps it; else private, then fchmod
        # (always after fchown, which clears set-id bits)
        direct = item.owner is None and self.umask is not None and not item.mode & (self.umask | 0o7000)
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC,
                     item.mode if direct else 0o600, dir_fd=self.stage_fd)
        self.names.append(name)
        try:
            view = memoryview(item.data)
            while view:
                view = view[os.write(fd, view):]
            if item.owner is not None:
                os.fchown(fd, *item.owner)
            if not direct:
                os.fchmod(fd, item.mode)
            if fsync:
                point("fsync")
                os.fsync(fd)
        finally:
            os.close(fd)

    def publish(self) -> None:
        """Rename every staged file over its destination, then drop the empty stage."""
        stage_fd, dir_fd = self.stage_fd, self.dir_fd
        for name in self.names:
            point("rename")
            os.replace(name, name, src_dir_fd=stage_fd, dst_dir_fd=dir_fd)
        self.names = []
        os.rmdir(self.name, dir_fd=self.dir_fd)
        self.name = ""

    def close(self) -> None:
        """Remove what is left of the stage (after an error) and close both descriptors."""
        try:
            if self.name:
                for name in self.names:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(name, dir_fd=self.stage_fd)
                with contextlib.suppress(OSError):
                    os.rmdir(self.name, dir_fd=self.dir_fd)
        finally:
            os.close(self.stage_fd)
            os.close(self.dir_fd)


def _has_default_acl(fd: int) -> bool:
    """True when the directory ``fd`` has a default ACL (or that cannot be told)."""
    try:
        os.getxattr(fd, "system.posix_acl_default")
    except OSError as exc:
        import errno

        return exc.errno not in (errno.ENODATA, errno.EOPNOTSUPP)
    return True


def _flush(fds: list[int], how: str) -> None:
    """Bring every file system holding one of ``fds`` to disk: ``syncfs`` on one descriptor
    per file system (:func:`os.sync` when the C library lacks it), or ``sync``."""
    syncfs = _syncfs() if how == "syncfs" else None
    if syncfs is None:
        os.sync()
        return
    seen: set[int] = set()
    for fd in fds:
        device = os.fstat(fd).st_dev
        if device not in seen:
            seen.add(device)
            if syncfs(fd) != 0:
                import ctypes

                err = ctypes.get_errno()
                raise OSError(err, os.strerror(err))


_libc: list[Callable[[int], int] | None] = []


def _syncfs() -> Callable[[int], int] | None:
    """The C library's ``syncfs`` (looked up once, in this process's own symbols), or None."""
    if not _libc:
        import ctypes

        _libc.append(getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None))
    return _libc[0]


def atomic_write_held(path: Path, data: bytes, mode: int = 0o644) -> BinaryIO:
    """Replace ``path`` with ``data`` and return the new file, open and under an exclusive
    ``flock`` that lasts until the caller closes it (nos_shell/heldfile.py reads such files).

    Readers never see a half-written entry: the lock is taken and the data written before
    the rename. Nothing is synced to disk: an entry lives only as long as its owner's
    process, which a crash ends anyway."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = make_temp(path.parent, f".{path.name}.")
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

STAGE_PREFIX = ".nos-stage."
STAGE_NAME = re.compile(r"\.nos-stage\.[a-z0-9_]{8}")
"""The name of a staging directory of :func:`write_many`: ``.nos-stage.XXXXXXXX`` (mkdtemp)."""

CHECK_HOME = "var/lib/nos-shell"
CHECK_PREFIX = ".nos-check."
CHECK_NAME = re.compile(r"\.nos-check\.[a-z0-9_]{8}")
"""The name of a scratch directory of the check step (nos_shell/apply/checkstage.py), made in
the root's state folder :data:`CHECK_HOME`: ``.nos-check.XXXXXXXX``."""


def remove_temp_files(directory: Path, names: set[str] | None = None) -> int:
    """Remove temporary files this module left in ``directory`` (a crash between writing and
    renaming): its staging directories with what they hold, and temporary files (only those
    for a file in ``names`` when given). Returns how many went (a staging directory counts
    as one, plus one per file in it)."""
    removed = 0
    try:
        entries = os.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    for entry in entries:
        if STAGE_NAME.fullmatch(entry):
            removed += _remove_stage(directory / entry)
            continue
        match = TEMP_NAME.fullmatch(entry)
        if match and (names is None or match["name"] in names):
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                os.unlink(directory / entry)
                removed += 1
    return removed


def _remove_stage(stage: Path) -> int:
    """A staging directory and the plain files in it (anything else in it stays, and so
    does the directory then)."""
    try:
        fd = os.open(stage, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    removed = 0
    try:
        for name in os.listdir(fd):
            with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
                os.unlink(name, dir_fd=fd)
                removed += 1
    finally:
        os.close(fd)
    with contextlib.suppress(OSError):         # not empty: something that is not ours
        os.rmdir(stage)
        removed += 1
    return removed
