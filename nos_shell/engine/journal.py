"""The commit journal: what an apply is about to do, on disk before it does it.

Only the standard library is imported at the top: every process start calls
:func:`exists`, and `nos-shell -c` must stay quick.

``ROOT/var/lib/nos-shell/journal.json`` (written atomically, mode 0600) exists only while a
transaction (nos_shell/transaction.py) is between its first file write and its archive. It
names

- ``running``: the newest archive file when the transaction started (the running revision);
- ``new``: the config.boot text of the tree being applied;
- ``changed`` / ``removed``: the generated files it changes or removes, with their backends;
- ``reloading``: the backends whose reload has started (added before each one starts);
- ``everything``: a `nos-shell boot` apply, which reloads every backend.

A journal found by a new process means the previous one died in the middle. :func:`recover`
resolves it under the commit lock, before anything else, with one rule: **the archive
decides**. Files and daemons are brought to the newest archived revision:

- *rolled forward* when that revision is the one the journal was applying (the archive was
  written: the user may have seen success), rewriting whatever file is still missing;
- *rolled back* otherwise (the user never saw success): the previous files come back,
  compiled again from the running revision, and every backend whose reload had started (or
  whose files had to be restored) is reloaded with them.

Then nos-shell's temporary files left by the crash are removed and the journal is deleted.
"""
from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .fsutil import atomic_write, fsync_dir, remove_temp_files

if TYPE_CHECKING:
    from .apply import files as files_mod
    from .config.tree import ConfigTree
    from .store import Store

JOURNAL = Path("var/lib/nos-shell/journal.json")
STATE_DIRS = (Path("var/lib/nos-shell"), Path("var/lib/nos-shell/archive"), Path("etc/nos-shell"))
"""Folders holding only nos-shell's own state: any of its temporary files there is a leftover."""


@dataclass
class Entry:
    """One unfinished transaction (the journal file's content)."""

    running: str | None
    new: str
    changed: dict[str, str] = field(default_factory=dict)     # relative path -> backend
    removed: dict[str, str] = field(default_factory=dict)
    reloading: list[str] = field(default_factory=list)
    everything: bool = False


def exists(root: Path) -> bool:
    """Whether an unfinished journal is on disk, or the temporary file of one that a crash
    cut short (one directory read of the small state folder)."""
    try:
        names = os.listdir(Path(root) / JOURNAL.parent)
    except (FileNotFoundError, NotADirectoryError):
        return False
    return any(name == JOURNAL.name or name.startswith(f".{JOURNAL.name}.") for name in names)


def read(root: Path) -> Entry | None:
    from .errors import NosError

    path = Path(root) / JOURNAL
    try:
        data = json.loads(path.read_text())
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        entry = Entry(**{k: data[k] for k in Entry.__dataclass_fields__ if k in data})
        _check(entry)
        return entry
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as exc:
        raise NosError(f"{path} is damaged ({type(exc).__name__}: {exc}); move it away to continue "
                       "(then commit again to bring the generated files in line)") from None


def _check(entry: Entry) -> None:
    """ValueError unless every field has its type and every file is a plain relative path
    (recovery writes, removes and reloads what the journal names)."""
    if not (entry.running is None or isinstance(entry.running, str)) or not isinstance(entry.new, str):
        raise ValueError("'running' and 'new' must be text")
    for name in ("changed", "removed"):
        files = getattr(entry, name)
        if not isinstance(files, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
            raise ValueError(f"'{name}' must map file names to backends")
        for rel in files:
            parts = PurePosixPath(rel).parts
            if not parts or rel.startswith("/") or ".." in parts:
                raise ValueError(f"'{name}' names a file outside the root: {rel[:100]!r}")
    if not isinstance(entry.reloading, list) or not all(isinstance(b, str) for b in entry.reloading):
        raise ValueError("'reloading' must be a list of backends")
    if not isinstance(entry.everything, bool):
        raise ValueError("'everything' must be true or false")


class Writer:
    """The journal of one transaction; :func:`nos_shell.apply.apply` calls ``begin`` and
    ``reloading`` (the :class:`nos_shell.apply.Journal` protocol)."""

    def __init__(self, store: Store, new: ConfigTree, *, live: bool, everything: bool = False):
        self.root = store.root
        self.live = live
        self.store = store
        self.new = new
        self.entry: Entry | None = None
        self.everything = everything

    def begin(self, change: files_mod.Plan) -> None:
        """Record the intent; nothing to record when nothing is written or reloaded."""
        from .config.bootfile import dump_boot

        if not change and not self.live:
            return
        self.entry = Entry(self.store.newest_on_disk(), dump_boot(self.new),
                           {str(p): change.owners[p] for p in sorted(change.changed)},
                           {str(p): change.owners[p] for p in sorted(change.removed)},
                           everything=self.everything)
        self._write()

    def reloading(self, backend: str) -> None:
        if self.entry is not None:
            self.entry.reloading.append(backend)
            self._write()

    def _write(self) -> None:
        atomic_write(self.root / JOURNAL, json.dumps(asdict(self.entry)).encode(), mode=0o600)

    def clear(self) -> None:
        """The transaction is over (archived, or undone in-process)."""
        if self.entry is not None:
            clear(self.root)
            self.entry = None


def clear(root: Path) -> None:
    path = Path(root) / JOURNAL
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
        fsync_dir(path.parent)


def recover(root: Path | str) -> list[str]:
    """Resolve an unfinished journal of ``root`` (taking the commit lock unless this thread
    holds it); the messages saying what was done, [] when there was nothing to do."""
    from .store import Store

    root = Path(root)
    if not exists(root):
        return []
    store = Store(root)
    if store.holds_lock:
        return resolve(store) if (root / JOURNAL).exists() else _swept(root)
    with store.locked():
        return resolve(store) if (root / JOURNAL).exists() else _swept(root)


def _swept(root: Path) -> list[str]:
    """No journal, only temporary files (a crash while the journal itself was written)."""
    count = sweep_state(root)
    return [f"Recovery: removed {count} temporary file(s) left by an interrupted commit"] if count else []


def resolve(store: Store) -> list[str]:
    """Roll an unfinished transaction forward or back (the module docstring); the caller
    holds the commit lock."""
    from .apply import compile_by_backend, files, reload_all
    from .apply.target import load_target
    from .config.bootfile import load_boot
    from .errors import CommitError
    from .store import Store

    entry = read(store.root)
    if entry is None:
        return []
    root, target = store.root, load_target(store.root)
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


def sweep_state(root: Path) -> int:
    """Remove temporary files left in nos-shell's state folders (a crash while archiving or
    saving); the caller holds the commit lock, under which every such write happens."""
    return sum(remove_temp_files(Path(root) / d) for d in STATE_DIRS)


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


__all__ = ["JOURNAL", "Entry", "Writer", "clear", "exists", "read", "recover", "resolve", "sweep_state"]
