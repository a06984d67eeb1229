"""Apply a committed tree: compile, plan, check, write atomically, reload; revert on failure.

This is the only layer with side effects. Backends stay free of I/O: the apply layer hands
each backend a :class:`Context` whose ``run`` method is the one way to start a program (in
the router's context, never through a shell). A backend module may provide:

- ``checks(staged: dict[PurePosixPath, Path]) -> list[list[str]]``: commands that check its
  changed files, staged in a scratch directory (``bird -p -c FILE``, ``nft -c -f FILE``);
  run only in live mode, before anything is written;
- ``reload(ctx: Context) -> None``: make the running system follow the new files and tree
  (``networkctl reload``, ``birdc configure``, ...); called in live mode for every backend
  on every commit, with the backend's own changed and removed paths, so a backend whose
  state lives outside files (GoBGP's announcements) can compare ``ctx.old``/``ctx.new``.

When a check fails nothing is written. When writing or a reload fails, the previous files are
put back and every backend is reloaded again with them, and the commit fails.

A crash cannot be undone in-process: :func:`apply` tells a :class:`Journal` what it is about
to do (before the first file is written, and before each backend's reload), so the next
process can finish or undo it (``nos_shell/journal.py``).
"""
from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol

from ..config.tree import ConfigTree
from ..errors import CommitError
from . import files
from .target import Target, load_target

__all__ = ["Context", "Journal", "Target", "apply", "load_target", "reload_all", "sandbox_note"]


def sandbox_note(root: Path) -> str:
    """What a commit on a root that is not live says (once): nothing reached a system."""
    return f"files written under {root}; not applied (sandbox)"


class Journal(Protocol):
    """Where :func:`apply` records its intent before acting (see nos_shell/journal.py)."""

    def begin(self, change: files.Plan) -> None:
        """Called once, before any file is written."""

    def reloading(self, backend: str) -> None:
        """Called before ``backend``'s reload starts."""


@dataclass
class Context:
    """What a backend's reload sees: the target, both trees, its own file changes."""

    target: Target
    old: ConfigTree
    new: ConfigTree
    changed: set[PurePosixPath] = field(default_factory=set)
    removed: set[PurePosixPath] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def run(self, *argv: str, check: bool = True, timeout: float = 60,
            input: str | None = None) -> subprocess.CompletedProcess:
        """Run a program in the router's context; raises CommitError when it fails."""
        from ..fault import point

        full = self.target.argv(*argv)
        point("reload")
        try:
            result = subprocess.run(full, capture_output=True, text=True, timeout=timeout, input=input)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise CommitError(f"{' '.join(argv)}: {exc}") from None
        if check and result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise CommitError(f"{' '.join(argv)} failed (exit {result.returncode})", *detail)
        return result

    def file(self, rel: PurePosixPath | str) -> Path:
        return self.target.path(rel)


def _backends() -> dict[str, object]:
    from ..backends import BACKENDS, load

    return {name: load(name) for name in BACKENDS}


def compile_by_backend(tree: ConfigTree) -> dict[str, files.Files]:
    return {name: module.compile(tree) for name, module in _backends().items()}  # type: ignore[attr-defined]


def apply(target: Target, old: ConfigTree, new: ConfigTree, *, everything: bool = False,
          journal: Journal | None = None) -> list[str]:
    """Bring the target to ``new``; returns notes for the commit output.

    ``everything`` treats every generated file as changed, so each backend reloads as if all
    of it were new: what `nos-shell boot` needs after a restart (daemons to start, the NAT
    table to load), when the files on disk are already right. ``journal`` hears of every
    step before it happens."""
    wanted = compile_by_backend(new)
    previous_owned = files.owned(target.root)
    change = files.plan(target.root, wanted)
    if everything:
        for backend_files in wanted.values():
            for rel, data in backend_files.items():
                change.previous.setdefault(rel, files.read(target.root / rel))
                change.changed[rel] = data
    if target.live:
        _check(target, change)
    if journal is not None:
        journal.begin(change)
    files.write(target.root, wanted, change)
    if not target.live:
        return [sandbox_note(target.root)]
    try:
        return reload_all(target, old, new, change, started=journal.reloading if journal else None)
    except CommitError as failure:
        files.restore(target.root, change, previous_owned)
        try:
            reload_all(target, new, old, _reversed(change))
        except CommitError as second:
            raise CommitError(*failure.lines, "Reverting to the previous configuration also failed:",
                              *second.lines) from None
        raise CommitError(*failure.lines, "The previous configuration was restored.") from None


def _reversed(change: files.Plan) -> files.Plan:
    """The plan that the restore amounted to (for the second round of reloads)."""
    back = files.Plan(owners=change.owners)
    for rel, previous in change.previous.items():
        if previous is None:
            back.removed.add(rel)
        else:
            back.changed[rel] = previous.data
    return back


def reload_all(target: Target, old: ConfigTree, new: ConfigTree, change: files.Plan, *,
               only: set[str] | None = None, started: Callable[[str], None] | None = None) -> list[str]:
    """Run every backend's reload (or those in ``only``) for ``change``; their notes.
    ``started(name)`` is called before each one."""
    notes: list[str] = []
    for name, module in _backends().items():
        reload = getattr(module, "reload", None)
        if reload is None or name in target.skip_reload or (only is not None and name not in only):
            continue
        if started is not None:
            started(name)
        mine = {rel for rel, owner in change.owners.items() if owner == name}
        ctx = Context(target, old, new, set(change.changed) & mine, change.removed & mine)
        reload(ctx)
        notes.extend(ctx.notes)
    return notes


def _check(target: Target, change: files.Plan) -> None:
    """Run the backends' checks on the changed files, staged outside the live paths."""
    with tempfile.TemporaryDirectory(prefix="nos-check-") as scratch:
        staged: dict[PurePosixPath, Path] = {}
        for rel, data in change.changed.items():
            path = Path(scratch) / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(bytes(data))
            staged[rel] = path
        ctx = Context(target, ConfigTree(), ConfigTree())
        for name, module in _backends().items():
            checks = getattr(module, "checks", None)
            if checks is None:
                continue
            mine = {rel: path for rel, path in staged.items() if change.owners.get(rel) == name}
            for argv in checks(mine) if mine else ():
                ctx.run(*argv)
