"""The commit journal: what an apply is about to do, on disk before it does it.

Only the standard library is imported at the top: every process start calls
:func:`exists`, and `nos-shell -c` must stay quick.

``ROOT/var/lib/nos-shell/journal.json`` (written atomically, mode 0600) exists only while a
transaction (nos_shell/engine/transaction.py) is between its first file write and its archive. It
names

- ``running``: the newest archive file when the transaction started (the running revision);
- ``new``: the config.boot text of the tree being applied;
- ``changed`` / ``removed``: the generated files it changes or removes, with their backends;
- ``reloading``: the backends whose reload has started (added before each one starts);
- ``everything``: a `nos-shell boot` apply, which reloads every backend.

A journal found by a new process means the previous one died in the middle;
nos_shell/engine/recovery.py resolves it (rolled forward or back: the archive decides).
"""
from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..fsutil import atomic_write, fsync_dir, remove_temp_files

if TYPE_CHECKING:
    from ..apply import files as files_mod
    from ..config.tree import ConfigTree
    from ..store import Store

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


def _fields(entry: Entry) -> dict[str, object]:
    """``asdict(entry)`` without its deep copy (the fields are JSON values already)."""
    return {name: getattr(entry, name) for name in Entry.__dataclass_fields__}


def state_entries(root: Path) -> list[str]:
    """The names in the state folder that holds the journal (one directory read; [] when
    there is none)."""
    try:
        return os.listdir(Path(root) / JOURNAL.parent)
    except (FileNotFoundError, NotADirectoryError):
        return []


def exists(root: Path, entries: list[str] | None = None) -> bool:
    """Whether an unfinished journal is on disk, or the temporary file of one that a crash
    cut short; ``entries``: :func:`state_entries` when the caller has read them."""
    names = state_entries(root) if entries is None else entries
    return any(name == JOURNAL.name or name.startswith(f".{JOURNAL.name}.") for name in names)


def read(root: Path) -> Entry | None:
    from ..errors import NosError

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

    def __init__(self, store: Store, new: ConfigTree, *, live: bool, everything: bool = False,
                 text: str | None = None):
        self.root = store.root
        self.text = text            # dump_boot(new), when the caller has it
        self.live = live
        self.store = store
        self.new = new
        self.entry: Entry | None = None
        self.everything = everything

    def begin(self, change: files_mod.Plan) -> None:
        """Record the intent; nothing to record when nothing is written or reloaded."""
        from ..config.bootfile import dump_boot

        if not change and not self.live:
            return
        text = self.text if self.text is not None else self.store.text_of(self.new)
        self.entry = Entry(self.store.newest_on_disk(), dump_boot(self.new) if text is None else text,
                           {str(p): change.owners[p] for p in sorted(change.changed)},
                           {str(p): change.owners[p] for p in sorted(change.removed)},
                           everything=self.everything)
        self._write()

    def reloading(self, backend: str) -> None:
        if self.entry is not None:
            self.entry.reloading.append(backend)
            self._write()

    def _write(self) -> None:
        atomic_write(self.root / JOURNAL, json.dumps(_fields(self.entry)).encode(), mode=0o600)

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


def sweep_state(root: Path) -> int:
    """Remove temporary files left in nos-shell's state folders (a crash while archiving,
    saving or checking generated files); the caller holds the commit lock, under which every
    such write happens."""
    from ..apply.checkstage import sweep

    return sum(remove_temp_files(Path(root) / d) for d in STATE_DIRS) + sweep(Path(root))


__all__ = ["JOURNAL", "STATE_DIRS", "Entry", "Writer", "clear", "exists", "read", "state_entries",
           "sweep_state"]
