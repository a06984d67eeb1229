"""The commit-confirm record on disk: ``ROOT/var/lib/nos-shell/confirm.json``.

Written atomically and durably, owner only: the deadline, the archive serial of the
configuration to go back to and the serial (and digest) of the unconfirmed commit. A
damaged record cannot be honoured: it is moved aside to ``confirm.json.damaged``.
"""
from __future__ import annotations

import contextlib
import json
import math
import os
from pathlib import Path
from typing import NamedTuple

from ..errors import NosError
from ..fsutil import atomic_write, fsync_dir

PENDING = Path("var/lib/nos-shell/confirm.json")
DAMAGED = Path("var/lib/nos-shell/confirm.json.damaged")


class DamagedRecord(NosError):
    """confirm.json exists but cannot be read as a pending commit-confirm."""


def minute_seconds() -> float:
    """Seconds per minute of commit-confirm (tests shorten it with NOS_SHELL_MINUTE_SECONDS)."""
    return float(os.environ.get("NOS_SHELL_MINUTE_SECONDS", "60"))


class Pending(NamedTuple):
    deadline: float      # time.time() when the revert is due
    revert_to: int       # archive serial of the configuration to go back to
    serial: int          # archive serial of the (newest) commit that must be confirmed
    user: str
    # sha256 of the config.boot text of that commit: its serial is only predicted before
    # the commit is archived, and after a crash another commit may take it ("": unknown)
    digest: str = ""


def pending(root: Path) -> Pending | None:
    """The pending commit-confirm, or None; raises DamagedRecord for an unreadable record."""
    path = Path(root) / PENDING
    try:
        data = json.loads(path.read_bytes())
        record = Pending(float(data["deadline"]), int(data["revert_to"]), int(data["serial"]),
                         str(data["user"]), str(data.get("digest", "")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DamagedRecord(f"{path}: damaged commit-confirm record ({type(exc).__name__}: {exc})") from None
    if not math.isfinite(record.deadline):          # NaN or Infinity would never fall due
        raise DamagedRecord(f"{path}: damaged commit-confirm record (deadline is not a time)")
    return record


def write(root: Path, record: Pending) -> None:
    """Record ``record`` durably (temp file, fsync, rename, fsync of the folder)."""
    atomic_write(Path(root) / PENDING, json.dumps(record._asdict()).encode(), mode=0o600)


def disarm(root: Path) -> bool:
    """Remove a pending confirmation, durably; True when there was one."""
    path = Path(root) / PENDING
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    fsync_dir(path.parent)      # a confirmed commit must not come back as pending after a crash
    return True


def set_aside(root: Path, problem: NosError) -> str:
    """Move a damaged record out of the way; the warning to show."""
    root = Path(root)
    with contextlib.suppress(FileNotFoundError):
        os.replace(root / PENDING, root / DAMAGED)
        fsync_dir((root / DAMAGED).parent)
    return (f"Warning: {problem.summary}; moved to {DAMAGED}: the pending commit-confirm cannot be "
            "carried out. Check 'show system commit' and use 'rollback' if the last commit must be undone.")
