"""The running configuration moved under a candidate: the one place that carries a
session's changes onto it (nos_shell/config/rebase.py) and names the commits in between.

`commit`, the configuration-mode views (`show`, `compare`, `exit`) and `update` all ask
:func:`carry`; they differ only in what they do with conflicts (refuse, show, drop).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..config.tree import ConfigTree
    from ..errors import CommitError
    from ..store import Store


class Carried(NamedTuple):
    """A candidate against the running configuration as it is now."""

    serial: int                 # archive serial of the running configuration now
    running: ConfigTree         # the running configuration now (shared: do not change it)
    tree: ConfigTree            # what a commit would commit: the candidate, or its changes carried over
    moved: bool = False         # other sessions committed since the candidate's base
    conflicts: tuple[tuple[str, ...], ...] = ()


def carry(store: Store, base: ConfigTree | None, base_serial: int, candidate: ConfigTree) -> Carried:
    """``candidate`` (started from ``base``, archive serial ``base_serial``) as a commit
    would take it now: unchanged while the running configuration has not moved, else the
    changes base -> candidate carried onto it, with the paths where they conflict."""
    serial, running = store.head()
    if serial == base_serial or base is None:
        return Carried(serial, running, candidate)
    from ..config.rebase import rebase

    result = rebase(base, candidate, running)
    return Carried(serial, running, result.tree, True, tuple(result.conflicts))


def moved_since(store: Store, base_serial: int) -> str:
    """A sentence naming the commits made after archive serial ``base_serial`` ("" if none)."""
    newer = [(n, r) for n, r in enumerate(store.revisions()) if r.serial > base_serial]
    if not newer:
        return ""
    number, last = newer[0]
    count = f"{len(newer)} commit{'s' if len(newer) > 1 else ''}"
    return (f"the running configuration changed after your candidate was started: "
            f"{count}, the last (revision {number}) by {last.user} via {last.via} at {last.time}.")


def moved_warning(store: Store, base_serial: int) -> str:
    """:func:`moved_since` as a warning line ("" if nothing moved)."""
    moved = moved_since(store, base_serial)
    return f"Warning: {moved}\n" if moved else ""


def conflict_error(store: Store, base_serial: int, conflicts: tuple[tuple[str, ...], ...]) -> CommitError:
    """Why a commit of a candidate whose changes conflict with newer commits is refused."""
    from ..errors import CommitError

    moved = moved_since(store, base_serial)
    return CommitError(moved[:1].upper() + moved[1:],
                       "Your changes conflict with it at these paths:",
                       *(f"[ {' '.join(p)} ]" for p in conflicts),
                       "Use 'compare' to review, 'update' to keep the running configuration "
                       "there, or 'discard'.", "Commit failed")
