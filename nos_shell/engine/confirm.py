"""commit-confirm: a commit that reverts itself unless confirmed in time, across restarts.

The pending revert is a record on disk (confirm_record.py), written *before* the commit
applies anything, so a crash at any later step still reverts. `confirm` or any plain
`commit` removes it. A second `commit-confirm` while one is pending keeps the original
configuration to go back to and sets the new deadline (as JunOS does).

A detached timer process (timer.py; this module is its entry point, ``python -m
nos_shell.engine.confirm --root ROOT``) waits for the deadline and reverts: the previous
configuration is applied again and archived as a new revision. Nothing depends on the timer
surviving: :func:`resume`, run when `nos-shell boot` and `nos-shell ssh-server` start,
reverts when the deadline passed while nothing was running and otherwise starts a timer
again; every session also reverts an overdue record at its next command.

A record is stale when a commit newer than the unconfirmed one exists (that commit
confirmed it; the record survived only because a crash came before its removal): it is
dropped without reverting anything. A damaged record cannot be honoured: it is moved aside
to ``confirm.json.damaged`` and reported.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NosError
from .confirm_record import (DAMAGED, PENDING, DamagedRecord, Pending, disarm, minute_seconds, pending,
                             set_aside, write)
from .timer import ensure_timer, wait_and_revert

if TYPE_CHECKING:
    from ..apply.target import Target
    from ..config.tree import ConfigTree
    from ..store import Revision, Store

__all__ = ["DAMAGED", "PENDING", "Arming", "DamagedRecord", "Pending", "begin", "digest", "disarm",
           "extend", "main", "pending", "resume", "revert_if_due", "set_aside", "write"]


def _stale(store: Store, record: Pending) -> bool:
    return store.revisions()[0].serial > record.serial


def _named(revision: Revision | None) -> str:
    """A revision as `show system commit` lists it: time and user."""
    return f"{revision.time} by {revision.user}" if revision else "a pruned revision"


# -- arming, as part of a commit ------------------------------------------------------------
@dataclass
class Arming:
    """A commit-confirm being committed: recorded before the commit applies anything."""

    store: Store
    minutes: int
    previous: Pending | None
    record: Pending

    def cancel(self) -> None:
        """The commit failed: put back what was pending before (or nothing)."""
        if self.previous is not None:
            write(self.store.root, self.previous)
        else:
            disarm(self.store.root)

    def finish(self, serial: int) -> str:
        """The commit is archived as ``serial``: record it, make sure a timer runs; the message."""
        self.record = self.record._replace(serial=serial)
        write(self.store.root, self.record)
        ensure_timer(self.store.root)
        text = f"Initialized commit-confirm; {self.minutes} minutes to confirm before reload\n"
        if self.previous is None:
            return text + "(without 'confirm', nos-shell re-applies the previous revision)\n"
        back = next((r for r in self.store.revisions() if r.serial == self.record.revert_to), None)
        return text + ("(a commit-confirm was already pending: without 'confirm', nos-shell returns to the "
                       f"configuration from before the first one, {_named(back)})\n")


def digest(tree: ConfigTree) -> str:
    """What identifies the unconfirmed commit's configuration in the record."""
    import hashlib

    from ..config.bootfile import dump_boot

    return hashlib.sha256(dump_boot(tree).encode()).hexdigest()


def begin(store: Store, minutes: int, user: str, tree: ConfigTree | None = None) -> Arming:
    """Under the commit lock, before the commit applies anything: record the revert of
    committing ``tree``.

    With a commit-confirm already pending, the configuration to go back to stays the one
    from before it; the deadline becomes the new one."""
    try:
        previous = pending(store.root)
    except DamagedRecord:
        previous = None             # reported (and set aside) by the command that got here
    if previous is not None and _stale(store, previous):
        previous = None
    newest = store.revisions()[0].serial
    record = Pending(time.time() + minutes * minute_seconds(),
                     previous.revert_to if previous else newest, newest + 1, user,
                     digest(tree) if tree is not None else "")
    write(store.root, record)
    # the timer runs from here on: a process killed before `finish` still reverts on time
    # (a commit that fails removes the record, and the timer then ends by itself)
    ensure_timer(store.root)
    return Arming(store, minutes, previous, record)


def extend(store: Store, minutes: int) -> str:
    """`commit-confirm` with nothing to commit: a pending one gets the new deadline."""
    try:
        record = pending(store.root)
    except DamagedRecord:
        return ""
    if record is None or _stale(store, record):
        return ""
    write(store.root, record._replace(deadline=time.time() + minutes * minute_seconds()))
    ensure_timer(store.root)
    return f"The pending commit-confirm now reverts in {minutes} minutes unless confirmed\n"


# -- reverting -----------------------------------------------------------------------------
def revert_if_due(root: Path, target: Target | Callable[[], Target] | None = None) -> list[str]:
    """Revert when the deadline has passed, on ``target`` (None: the root's own, loaded
    here; a function: asked only when a revert is due); what happened (empty when nothing
    was due). Raises NosError when applying the previous configuration fails (the record
    stays)."""
    from ..store import Store

    root = Path(root)
    try:
        record = pending(root)
    except DamagedRecord as exc:
        return [set_aside(root, exc)]
    if record is None or time.time() < record.deadline:
        return []
    if target is None:
        from ..apply.target import load_target

        target = load_target(root)
    elif callable(target):
        target = target()
    store = Store(root)
    with store.locked():
        try:
            if pending(root) != record:           # confirmed (or re-armed) meanwhile
                return []
        except DamagedRecord as exc:
            return [set_aside(root, exc)]
        notes = _revert(store, target, record)
        disarm(root)
    return notes


def _revert(store: Store, target: Target, record: Pending) -> list[str]:
    """Apply and archive the configuration to go back to (under the commit lock)."""
    from ..errors import CommitError
    from .transaction import commit, commit_failed

    revisions = store.revisions()
    if revisions[0].serial > record.serial:
        return ["commit-confirm: already confirmed by a later commit; nothing to revert"]
    if record.digest:
        # the serial was predicted before the commit was archived: when that commit was cut
        # short by a crash, a later commit (e.g. a command file's) took the number
        unconfirmed = store.revision_by_serial(record.serial)
        if unconfirmed is None or digest(unconfirmed) != record.digest:
            return ["commit-confirm: the unconfirmed commit never completed; nothing to revert"]
    back = next((r for r in revisions if r.serial == record.revert_to), None)
    previous = store.revision_by_serial(record.revert_to)
    if back is None or previous is None:
        return [f"Warning: commit-confirm not confirmed, but the revision to go back to (archive serial "
                f"{record.revert_to}) is no longer in the archive: nothing was reverted"]
    running = store.running()
    if previous == running:
        return ["commit-confirm: the unconfirmed commit never completed; nothing to revert"]
    # time and user are what `show system commit` lists; offsets from the revert's own entry
    # stay right as newer commits shift the revision numbers
    below = revisions.index(back) + 1
    comment = (f"commit-confirm of {_named(revisions[0])} (next revision below) not confirmed: "
               f"back to the configuration of {_named(back)} ({below} revisions below)")
    unconfirmed = [store.revision_by_serial(r.serial) for r in revisions
                   if record.revert_to < r.serial <= record.serial]
    try:
        commit(store, target, running, previous, "root", "commit-confirm", comment)
    except CommitError as exc:
        raise commit_failed(exc) from None
    # `save` after the unconfirmed commit put it where the next boot loads it from: it goes
    # back too, or the revert would be undone by the next reboot
    saved = store.saved()
    if saved is not None and any(saved == tree for tree in unconfirmed if tree is not None):
        store.save(previous)
        return [comment, "commit-confirm: the saved configuration held the unconfirmed commit; "
                         "it was put back as well"]
    return [comment]


def resume(root: Path) -> list[str]:
    """At the start of `nos-shell boot` and `nos-shell ssh-server`: honour a pending
    commit-confirm. Revert now when its deadline passed while nothing was running, else
    make sure a timer process waits for it. The lines to report."""
    root = Path(root)
    try:
        record = pending(root)
    except DamagedRecord as exc:
        return [set_aside(root, exc)]
    if record is None:
        return []
    if time.time() >= record.deadline:
        try:
            return revert_if_due(root)
        except (NosError, OSError) as exc:
            ensure_timer(root)          # it retries; the record stays until it succeeds
            lines = exc.lines if isinstance(exc, NosError) else [str(exc)]
            return ["Warning: reverting the unconfirmed commit failed; the timer retries:", *lines]
    from ..store import Store

    if _stale(Store(root), record):
        disarm(root)
        return ["commit-confirm: already confirmed by a later commit; nothing to revert"]
    ensure_timer(root)
    due = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(record.deadline))
    return [f"commit-confirm pending: the commit is reverted at {due} unless confirmed"]


# -- the timer process's entry point ---------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nos_shell.engine.confirm",
                                     description="commit-confirm timer: revert unless confirmed")
    parser.add_argument("--root", required=True)
    args = parser.parse_args(argv)
    wait_and_revert(Path(args.root), revert_if_due)
    return 0


if __name__ == "__main__":
    sys.exit(main())
