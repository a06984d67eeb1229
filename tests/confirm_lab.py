"""Helpers for the commit-confirm tests (no tests here): find, kill and wait for the timer
process of a root, move a pending deadline, read the archive without running a command."""
from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from nos_shell.engine import confirm
from nos_shell.fsutil import atomic_write
from nos_shell.store import Store


def wait_for(predicate: Callable[[], object], timeout: float = 60.0, what: str = "condition",
             describe: Callable[[], str] | None = None) -> None:
    """Poll ``predicate`` until it is true; a generous timeout, never a timed assertion."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}" + (
            f" ({describe()})" if describe else "")
        time.sleep(0.1)


def timer_pids(root: Path) -> list[int]:
    """Live (not zombie) `python -m nos_shell.engine.confirm --root ROOT` processes, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            argv = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if b"nos_shell.engine.confirm" in argv and os.fsencode(str(root)) in argv and state != "Z":
            found.append(int(entry))
    return found


def kill_timers(root: Path) -> None:
    """SIGKILL every timer process of ``root``, as a power cut would, and wait until gone
    (a timer that was still being started when the first ones were killed is killed too)."""
    for _ in range(20):
        pids = timer_pids(root)
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        wait_for(lambda: not set(pids) & set(timer_pids(root)), 120, "the killed timer to go",
                 describe=lambda: _describe(timer_pids(root)))
    raise AssertionError(f"timers keep appearing: {_describe(timer_pids(root))}")


def _describe(pids: list[int]) -> str:
    """State, parent and command line of each process (why a timer did not go)."""
    lines = []
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            lines.append(f"pid {pid} state {stat[0]} ppid {stat[1]}: {argv}")
        except OSError as exc:
            lines.append(f"pid {pid}: {exc}")
    return "; ".join(lines)


def move_deadline(root: Path, seconds_from_now: float) -> None:
    """Rewrite the pending deadline (as if that much time had passed, or less)."""
    record = json.loads((root / confirm.PENDING).read_text())
    record["deadline"] = time.time() + seconds_from_now
    atomic_write(root / confirm.PENDING, json.dumps(record).encode())


def running(root: Path):
    """The running configuration read straight from the archive (runs no command, so it
    cannot trigger a revert by itself)."""
    return Store(root).running()


def newest(root: Path):
    return Store(root).revisions()[0]


def next_second() -> None:
    """Wait until the wall-clock second changes, so two commits get different times."""
    now = time.strftime("%Y-%m-%d %H:%M:%S")
    wait_for(lambda: time.strftime("%Y-%m-%d %H:%M:%S") != now, 5, "the next second")
