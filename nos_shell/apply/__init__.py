"""Apply a committed tree: compile, plan, check, write atomically, reload; revert on failure.

This is the only layer with side effects. Drivers (``backends/``, the contract in
``backends/contract.py``) stay free of I/O in verify and compile; in live mode the apply
layer runs their ``checks`` on the changed files staged in a scratch directory, before
anything is written, then their ``stop`` (alternatives no longer chosen) and ``reload``
with a :class:`Context` whose ``run`` is the one way to start a program (in the router's
context, never through a shell): see :mod:`.drivers`.

When a check fails nothing is written. When writing or a reload fails, the previous files are
put back and every driver is reloaded again with them, and the commit fails.

A crash cannot be undone in-process: :func:`apply` tells a :class:`Journal` what it is about
to do (before the first file is written, and before each driver's stop or reload), so the
next process can finish or undo it (``nos_shell/engine/journal.py``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ..config.tree import ConfigTree
from ..errors import CommitError
from ..models.shared import sharing
from ..gcpause import paused
from . import files, incremental, manifest
from .context import Context
from .drivers import check, compile_by_backend, reload_all
from .target import Target, load_target

__all__ = ["Context", "Journal", "Target", "apply", "compile_by_backend", "load_target", "reload_all",
           "sandbox_note"]


def sandbox_note(root: Path) -> str:
    """What a commit on a root that is not live says (once): nothing reached a system."""
    return f"files written under {root}; not applied (sandbox)"


class Journal(Protocol):
    """Where :func:`apply` records its intent before acting (see nos_shell/engine/journal.py)."""

    def begin(self, change: files.Plan) -> None:
        """Called once, before any file is written."""

    def reloading(self, backend: str) -> None:
        """Called before ``backend``'s stop or reload starts."""


def apply(target: Target, old: ConfigTree, new: ConfigTree, *, everything: bool = False,
          journal: Journal | None = None) -> list[str]:
    """Bring the target to ``new``; returns notes for the commit output.

    ``everything`` treats every generated file as changed, so each backend reloads as if all
    of it were new: what `nos-shell boot` needs after a restart (daemons to start, the NAT
    table to load), when the files on disk are already right. ``journal`` hears of every
    step before it happens.

    Unless ``everything``, only what the change touches is compiled and compared
    (:func:`incremental.plan`); a manifest that does not match ``old``, or none (a first
    commit), means the full compile and a plan against the files on disk."""
    with paused():
        wanted, change, previous = _plan(target, old, new, everything)
    if target.live:
        check(target, change)
    if journal is not None:
        journal.begin(change)
    with paused():
        files.write(target.root, wanted, change)
    if not target.live:
        return [sandbox_note(target.root)]
    try:
        return reload_all(target, old, new, change, started=journal.reloading if journal else None)
    except CommitError as failure:
        files.restore(target.root, change, previous.owners())
        try:
            reload_all(target, new, old, _reversed(change))
        except CommitError as second:
            raise CommitError(*failure.lines, "Reverting to the previous configuration also failed:",
                              *second.lines) from None
        raise CommitError(*failure.lines, "The previous configuration was restored.") from None


def _plan(target: Target, old: ConfigTree, new: ConfigTree, everything: bool
          ) -> tuple[dict[str, files.Files], files.Plan, manifest.Manifest]:
    """(wanted files per driver, plan, the manifest before) of :func:`apply`."""
    previous = manifest.load(target.root)
    with sharing():
        # nothing generated before (a first commit): no delta can be vouched for, so the
        # full compile is the only one (a delta would compile both trees for nothing)
        quick = None if everything or not previous.records else \
            incremental.plan(target.root, old, new, previous)
        if quick is not None:
            wanted, change = quick
        else:
            wanted = compile_by_backend(new)
            change = files.plan(target.root, wanted)
    if everything:
        for backend_files in wanted.values():
            for rel, data in backend_files.items():
                change.previous.setdefault(rel, files.read(target.root / rel))
                change.changed[rel] = data
    return wanted, change, previous


def _reversed(change: files.Plan) -> files.Plan:
    """The plan that the restore amounted to (for the second round of reloads)."""
    back = files.Plan(owners=change.owners)
    for rel, previous in change.previous.items():
        if previous is None:
            back.removed.add(rel)
        else:
            back.changed[rel] = previous.data
    return back
