"""Crash recovery: an unfinished commit journal resolved before anything else runs.

A journal (nos_shell/engine/journal.py) found by a new process means the previous one died
in the middle of a transaction. :func:`recover` resolves it under the commit lock with one
rule: **the archive decides**. Files and daemons are brought to the newest archived
revision:

- *rolled forward* when that revision is the one the journal was applying (the archive was
  written: the user may have seen success), rewriting whatever file is still missing;
- *rolled back* otherwise (the user never saw success): the previous files come back,
  compiled again from the running revision, and every backend whose reload had started (or
  whose files had to be restored) is reloaded with them.

Then nos-shell's temporary files left by the crash are removed and the journal is deleted.
:func:`at_start` is what every process start runs first (a Session, `nos-shell`, the SSH
server); only the standard library is imported until a journal is actually found.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..fsutil import CHECK_NAME, remove_temp_files
from .journal import JOURNAL, STATE_DIRS, clear, exists, read, state_entries, sweep_state

if TYPE_CHECKING:
    from ..apply.target import Target
    from ..store import Store


def at_start(root: Path | str) -> list[str]:
    """Resolve an interrupted commit of ``root`` (one directory read when there is none);
    the messages also go to stderr, since no command output exists yet. Raises NosError
    for a damaged journal."""
    entries = state_entries(Path(root))
    messages = recover(root) if exists(Path(root), entries) else _checks_left(Path(root), entries)
    for message in messages:
        print(message, file=sys.stderr)
    return messages


def recover(root: Path | str) -> list[str]:
    """Resolve an unfinished journal of ``root`` (taking the commit lock unless this thread
    holds it); the messages saying what was done, [] when there was nothing to do."""
    from ..store import Store

    root = Path(root)
    if not exists(root):
        return []
    store = Store(root)
    if store.holds_lock:
        return resolve(store) if (root / JOURNAL).exists() else _swept(root)
    with store.locked():
        return resolve(store) if (root / JOURNAL).exists() else _swept(root)


def _checks_left(root: Path, entries: list[str]) -> list[str]:
    """No journal: remove what a commit killed during its checks left (it died before
    writing anything; ``entries``: the state folder's names), unless a commit is running
    now, whose own scratch directory it may be (the next transaction removes them then)."""
    if not any(CHECK_NAME.fullmatch(name) for name in entries):
        return []
    from ..store import Store

    with Store(root).try_locked() as locked:
        return _swept(root) if locked else []


def _swept(root: Path) -> list[str]:
    """No journal, only temporary files (a crash while the journal itself was written)."""
    count = sweep_state(root)
    return [f"Recovery: removed {count} temporary file(s) left by an interrupted commit"] if count else []


def resolve(store: Store, target: Target | None = None) -> list[str]:
    """Roll an unfinished transaction forward or back (the module docstring) on ``target``
    (None: the root's own, loaded here); the caller holds the commit lock."""
    from ..apply import compile_by_backend, files, reload_all
    from ..apply.target import load_target
    from ..config.bootfile import load_boot
    from ..errors import CommitError
    from ..store import Store

    entry = read(store.root)
    if entry is None:
        return []
    root = store.root
    if target is None:
        target = load_target(root)
    store = Store(root)         # what is on disk, not a command file's deferred writes
    running, serial = store.running(), store.revisions()[0].serial
    applying, _ = load_boot(entry.new, str(root / JOURNAL), ignore_unknown=True)
    complete = store.newest_on_disk() != entry.running      # the archive moved: reloads all ran
    forward = running == applying
    journaled = {PurePosixPath(p): b for p, b in {**entry.changed, **entry.removed}.items()}
    owned_before = files.owned(root)
    wanted = compile_by_backend(running)
    change = files.plan(root, wanted)
    if change or owned_before != {rel: b for b, fs in wanted.items() for rel in fs}:
        files.write(root, wanted, change)     # (nothing to write on a full disk: no write)
    swept = _sweep(root, [*owned_before, *journaled, *(p for f in wanted.values() for p in f)])

    if forward:
        lines = [f"Recovery: an interrupted commit was rolled forward: revision {serial} "
                 "(archived before the interruption) is running"]
    else:
        lines = [f"Recovery: an interrupted commit was rolled back: it was never archived; "
                 f"revision {serial} is running"]
    if change:
        lines.append(f"Recovery: {'wrote' if forward else 'restored'} {len(change.touched)} generated file(s)")
    if target.live:
        paths = set(change.touched) | (set() if complete else set(journaled))
        owners = {**journaled, **change.owners}
        if complete:
            only: set[str] | None = {owners[p] for p in change.touched}
        elif entry.everything:
            only = None
        else:
            only = set(entry.reloading) | {owners[p] for p in change.touched}
        if only is None or only:
            redo = files.Plan(owners=owners)
            now = {rel: data for backend in wanted.values() for rel, data in backend.items()}
            for rel in paths:
                if rel in now:
                    redo.changed[rel] = now[rel]
                else:
                    redo.removed.add(rel)
            try:
                lines += reload_all(target, applying, running, redo, only=only)
                lines.append("Recovery: reloaded " + (", ".join(sorted(only)) if only is not None
                                                      else "every backend"))
            except CommitError as exc:
                lines += ["Recovery: reloading failed; the files are right, commit again or run "
                          "`nos-shell boot` to retry:", *exc.lines]
    if swept:
        lines.append(f"Recovery: removed {swept} temporary file(s) left by the interruption")
    clear(root)
    return lines


def _sweep(root: Path, generated: Iterable[PurePosixPath]) -> int:
    """Remove nos-shell's temporary files: any in its state folders; in the folders of
    generated files, only those of a file nos-shell generates there."""
    names: dict[Path, set[str]] = {}
    for rel in generated:
        names.setdefault(root / rel.parent, set()).add(rel.name)
    removed = sweep_state(root)
    for directory, mine in names.items():
        if directory not in {root / d for d in STATE_DIRS}:
            removed += remove_temp_files(directory, mine)
    return removed


__all__ = ["at_start", "recover", "resolve"]
