"""commit-confirm: a commit that reverts itself unless confirmed in time.

`commit-confirm N` commits as usual, then arms a timer: the file
``ROOT/var/lib/nos-shell/confirm.json`` names the revision to go back to and the deadline,
and a detached process (``python -m nos_shell.confirm --root ROOT``, in its own session so
it outlives the SSH connection that started it) waits for the deadline. `confirm` (or any
plain `commit`) removes the file. When the deadline passes with the file still there, the
previous configuration is applied again and archived as a new revision, as JunOS does
(VyOS reboots instead). Every session also checks the file when it reads the running
configuration, so a revert that was due while the machine was down happens at the next use.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .fsutil import atomic_write

PENDING = Path("var/lib/nos-shell/confirm.json")


def minute_seconds() -> float:
    """Seconds per minute of commit-confirm (tests shorten it with NOS_SHELL_MINUTE_SECONDS)."""
    return float(os.environ.get("NOS_SHELL_MINUTE_SECONDS", "60"))


@dataclass(frozen=True)
class Pending:
    deadline: float      # time.time() when the revert is due
    revert_to: int       # archive serial of the configuration to go back to
    serial: int          # archive serial of the commit that must be confirmed
    user: str


def pending(root: Path) -> Pending | None:
    try:
        data = json.loads((root / PENDING).read_text())
        return Pending(float(data["deadline"]), int(data["revert_to"]), int(data["serial"]), str(data["user"]))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        return None


def arm(root: Path, minutes: int, revert_to: int, serial: int, user: str) -> Pending:
    """Record the pending confirmation and start the timer process."""
    record = Pending(time.time() + minutes * minute_seconds(), revert_to, serial, user)
    atomic_write(root / PENDING, json.dumps(record.__dict__).encode())
    subprocess.Popen([sys.executable, "-m", "nos_shell.confirm", "--root", str(root)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, env=dict(os.environ))
    return record


def disarm(root: Path) -> bool:
    """Remove a pending confirmation; True when there was one."""
    try:
        (root / PENDING).unlink()
        return True
    except FileNotFoundError:
        return False


def revert_if_due(root: Path) -> bool:
    """Revert to the recorded revision when the deadline has passed; True when it did."""
    from .session import Session

    record = pending(root)
    if record is None or time.time() < record.deadline:
        return False
    session = Session(root, user="root", via="commit-confirm")
    with session.store.locked():
        if pending(root) != record:       # confirmed (or re-armed) meanwhile
            return False
        previous = session.store.revision_by_serial(record.revert_to)
        running = session.store.running()
        if previous is not None and previous != running:
            session.transact(running, previous,
                             f"commit-confirm of revision {record.serial} not confirmed: reverted")
        disarm(root)
    return True


def wait_and_revert(root: Path) -> None:
    """The timer process: sleep until the deadline (re-reading it), then revert if still due."""
    while True:
        record = pending(root)
        if record is None:
            return
        left = record.deadline - time.time()
        if left <= 0:
            revert_if_due(root)
            return
        time.sleep(min(left, 30.0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nos_shell.confirm",
                                     description="commit-confirm timer: revert unless confirmed")
    parser.add_argument("--root", required=True)
    args = parser.parse_args(argv)
    wait_and_revert(Path(args.root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
