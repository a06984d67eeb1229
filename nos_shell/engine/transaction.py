"""The one way a tree is applied and archived: a journaled transaction.

Every path that makes a configuration take effect goes through :func:`run` (``commit``,
a command file's final apply, the commit-confirm revert, `nos-shell boot`). The caller holds
the commit lock (``Store.locked``) and has verified the tree. The steps, in order:

1. resolve the journal of a transaction an earlier process did not finish (recovery.py),
   and remove temporary files a crash left in the state folders (archive, saved configuration);
2. compile, plan and check (nothing written yet; a failed check ends the commit here);
3. record the intent in the journal;
4. write the changed files atomically (and the manifest);
5. reload the backends, each recorded in the journal before it starts;
6. archive the revision (the moment the commit happened);
7. delete the journal.

A failure in 4-5 restores the previous files and reloads them (nos_shell/apply); a failure
in 6 rolls back through the journal (journal.py). A crash anywhere leaves the journal for the next
process, which rolls back (not archived) or forward (archived).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from ..errors import CommitError

if TYPE_CHECKING:
    from ..apply.target import Target
    from ..config.tree import ConfigTree
    from ..store import Revision, Store

T = TypeVar("T")


def commit(store: Store, target: Target | None, old: ConfigTree, new: ConfigTree,
           user: str, via: str, comment: str = "") -> tuple[Revision, list[str]]:
    """Apply ``new`` over ``old`` on ``target`` (None: archive only) and archive it as a
    revision; (the revision, notes for the commit output). Lock held by the caller.

    The archive text is proven to read back (store.archive_text) before anything is
    applied, so a tree that cannot be archived changes nothing."""
    text = store.proven_text(new)      # (only what differs from the proven running tree)
    return run(store, target, old, new,
               lambda: store.commit(new, user=user, via=via, comment=comment, text=text), text=text)


def run(store: Store, target: Target | None, old: ConfigTree, new: ConfigTree,
        archive: Callable[[], T], *, everything: bool = False, text: str | None = None) -> tuple[T, list[str]]:
    """The transaction with any archive step (a command file flushes its deferred
    revisions); ``everything`` reloads every backend (boot); ``text``: ``dump_boot(new)``
    when the caller has it (the journal records it)."""
    from ..apply import apply
    from . import journal
    from .recovery import resolve

    notes = resolve(store, target)
    journal.sweep_state(store.root)
    if target is None:
        return archive(), notes
    writer = journal.Writer(store, new, live=target.live, everything=everything, text=text)
    try:
        notes += apply(target, old, new, everything=everything, journal=writer)
    except CommitError:
        writer.clear()              # apply restored the previous files and reloaded them
        raise
    except OSError as exc:          # e.g. a full disk while writing: undo through the journal
        raise CommitError(f"Cannot write the generated files: {exc}", *_undo(store, target)) from None
    except (KeyboardInterrupt, Exception):
        resolve(store, target)      # Ctrl-C (or a bug): undo now rather than at the next start
        raise
    try:
        result = archive()
    except OSError as exc:
        raise CommitError(f"Cannot archive the revision: {exc}", *_undo(store, target)) from None
    except CommitError as exc:      # e.g. a script's revision that would not read back
        undo = _undo(store, target)
        raise CommitError(*exc.lines[:-1], *undo, exc.lines[-1]) from None
    except KeyboardInterrupt:
        resolve(store, target)
        raise
    writer.clear()
    return result, notes


def commit_failed(exc: CommitError) -> CommitError:
    """``exc`` ending with one `Commit failed` line (some errors carry it already)."""
    lines = list(exc.lines)
    return CommitError(*lines, *([] if lines and lines[-1] == "Commit failed" else ["Commit failed"]))


def _undo(store: Store, target: Target) -> list[str]:
    """Roll a failed transaction back through its journal now; when that fails too (a disk
    still full), the journal stays for the next start of nos-shell, and the lines say so."""
    from .recovery import resolve

    try:
        return resolve(store, target)
    except OSError as exc:
        return [f"Rolling back failed as well ({exc.strerror or exc}); the journal is kept and the "
                "next start of nos-shell rolls back (free some space first)"]
