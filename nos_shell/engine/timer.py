"""The commit-confirm timer process: waits for the deadline and reverts, outliving the
session that armed it (started in its own session, ``python -m nos_shell.engine.confirm
--root ROOT``). At most one runs per root: it holds an ``flock`` on ``confirm.timer``, which
holds its pid.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import NosError
from .confirm_record import PENDING, DamagedRecord, pending

TIMER = Path("var/lib/nos-shell/confirm.timer")
POLL_SECONDS = 1.0        # the timer re-reads the record this often (a new deadline counts)
RETRY_SECONDS = 30.0      # after a revert that failed (e.g. a reload), the timer tries again


def _lock(root: Path, blocking: bool = False) -> int | None:
    """Take the timer lock; its file descriptor, or None when another process holds it."""
    path = Path(root) / TIMER
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def timer_pid(root: Path) -> int | None:
    """The pid of the running timer process of ``root``, or None when none runs."""
    if not (Path(root) / TIMER).exists():
        return None
    fd = _lock(root)
    if fd is not None:
        os.close(fd)                # nobody held it
        return None
    with contextlib.suppress(OSError, ValueError):
        return int((Path(root) / TIMER).read_text().strip())
    return None


def ensure_timer(root: Path) -> None:
    """Start a timer process unless one already runs (a second one would exit at once)."""
    if timer_pid(root) is not None:
        return
    subprocess.Popen([sys.executable, "-m", "nos_shell.engine.confirm", "--root", str(root)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, env=dict(os.environ))


def _present(root: Path) -> bool:
    return (Path(root) / PENDING).exists()


def wait_and_revert(root: Path, revert_if_due: Callable[[Path], object]) -> None:
    """The timer process: hold the lock, wait for the deadline (re-read every second, so a
    new deadline counts), revert (``revert_if_due(root)``), and end when nothing is pending."""
    fd = _lock(root)
    if fd is None:
        return
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    while True:
        try:
            record = pending(root)
        except DamagedRecord:
            return                  # left for the next command or start to report
        if record is None:
            # release the lock, then look again: an arm that saw the lock held counts on us
            os.close(fd)
            if not _present(root):
                return
            fd = _lock(root)
            if fd is None:
                return
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            continue
        left = record.deadline - time.time()
        if left > 0:
            time.sleep(min(left, POLL_SECONDS))
            continue
        try:
            revert_if_due(root)
        except (NosError, OSError):
            time.sleep(RETRY_SECONDS)
