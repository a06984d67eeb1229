"""The commit transaction of one root: lock, exclusive check, carry onto a moved running
configuration, verify, arm commit-confirm, apply and archive, confirm.

:class:`Engine` needs no Session: a Session, `nos-shell boot` and the commit-confirm timer
all call it with the store, the target (None: archive only) and the verifiers. The
journaled apply-and-archive step itself is nos_shell/engine/transaction.py.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from ..errors import CommitError, NosError

if TYPE_CHECKING:
    from ..apply.target import Target
    from ..config.tree import ConfigTree
    from ..problems import Problem
    from ..store import Revision, Store

Verifier = Callable[["ConfigTree"], "list[Problem]"]


def _shared_models(keep: bool = False, resume: bool = False):
    """The block within which verify and the drivers share one model per tree (``keep`` /
    ``resume``: carry them to a later block, models.shared.sharing)."""
    from ..models.shared import sharing

    return sharing(keep=keep, resume=resume)


def verify_backends(tree: ConfigTree, since: ConfigTree | None = None) -> list[Problem]:
    """Cross-node rules of every backend (imported only when something is committed);
    ``since``: a tree that passed them, from which ``tree`` was changed (the same answer,
    for the cost of the change)."""
    from ..backends.registry import verify_all

    return verify_all(tree, since=since)


class Change(NamedTuple):
    """What one session asks to commit."""

    candidate: ConfigTree
    base: ConfigTree | None     # the running configuration the candidate started from
    base_serial: int            # and its archive serial
    user: str
    via: str
    exclusive: bool = False     # the session holds `configure exclusive`


class Committed(NamedTuple):
    """A commit done (or nothing to commit): the session's new base and candidate."""

    serial: int
    running: ConfigTree
    candidate: ConfigTree
    output: str


class Engine:
    """Commits on ``store``'s root, applied on ``target`` (None: only archived). ``target``
    may be a function giving it: then it is asked only when something is applied."""

    def __init__(self, store: Store, target: Target | None | Callable[[], Target | None],
                 verifiers: list[Verifier] | None = None):
        self.store = store
        self._target = target
        self.verifiers = [verify_backends] if verifiers is None else verifiers

    @property
    def target(self) -> Target | None:
        """Where commits take effect (None: they are only archived)."""
        if callable(self._target):
            self._target = self._target()
        return self._target

    def verify(self, tree: ConfigTree, since: ConfigTree | None = None) -> list[Problem]:
        """Every problem the verifiers find, sorted. ``since``: a tree that passed them, from
        which ``tree`` was changed (the backends then verify only what the change reaches).
        Host facts (the live target's link names, read only if a rule asks) are handed in
        unless the caller gave its own (models/host_facts.py)."""
        from ..models.host_facts import HostFacts, given, is_given

        if not is_given():
            with given(HostFacts(self._link_names)):
                return self.verify(tree, since)
        problems: list[Problem] = []
        for verifier in self.verifiers:
            if since is not None and verifier is verify_backends:
                problems.extend(verify_backends(tree, since))
            else:
                problems.extend(verifier(tree))
        return sorted(problems)

    def _link_names(self) -> frozenset[str]:
        from ..host.link_names import link_names

        return link_names(self.target)

    def _vouched(self, serial: int, running: ConfigTree) -> ConfigTree | None:
        """``running`` when it (archive ``serial``) passed the backends' verify by this version
        (this engine verified it, or the record on disk says so); else None."""
        if verify_backends not in self.verifiers:
            return None
        from . import verified

        if verified.remembered(self.store, running) == serial or verified.vouched(self.store, serial):
            return running
        return None

    def _vouch(self, serial: int, tree: ConfigTree) -> None:
        """Note that ``tree``, archived as ``serial``, passed the backends' verify (on disk too
        once the archive file is written; a command file's is written at its end)."""
        if verify_backends not in self.verifiers:
            return
        from . import verified

        verified.remember(self.store, serial, tree)
        if not self.store.deferring:
            verified.record(self.store, serial)

    def check_exclusive(self, exclusive: bool) -> None:
        """Refuse to commit while another session is in `configure exclusive`."""
        if exclusive:
            return
        from ..editors import lock_holder

        holder = lock_holder(self.store.root)
        if holder is not None:
            raise CommitError(f"Configuration database locked by: {holder.describe()}, exclusive",
                              "Commit failed")

    # -- one commit ------------------------------------------------------------------------
    def commit(self, change: Change, comment: str = "", *, confirms: bool = False,
               confirm_minutes: int | None = None) -> Committed:
        """Commit ``change`` under the commit lock. ``confirms``: also confirm a pending
        commit-confirm, so its timer cannot revert this commit along with it.
        ``confirm_minutes``: arm commit-confirm for this commit (the revision to go back to
        is the one this commit replaced, whoever else commits; with one already pending,
        the one from before that, as JunOS does)."""
        from .moved import carry, conflict_error

        with self.store.locked():
            self.check_exclusive(change.exclusive)
            carried = carry(self.store, change.base, change.base_serial, change.candidate)
            if carried.conflicts:
                raise conflict_error(self.store, change.base_serial, carried.conflicts)
            serial, running, candidate = carried.serial, carried.running, carried.tree
            if candidate == running:
                return Committed(serial, running, candidate,
                                 "No configuration changes to commit\n" + self._confirm_pending(confirms)
                                 + (self._extend(confirm_minutes) if confirm_minutes is not None else ""))
            snapshot = candidate.copy()
            # one model per tree for verify and every driver's compile; a command file keeps it
            # for the apply at its end (keep_script)
            with _shared_models(keep=self.store.deferring):
                from .lockout import problems as lockout

                self.refuse_problems(snapshot, self._vouched(serial, running),
                                     lockout(running, snapshot, change.user, change.via))
                # commit-confirm: the revert is on disk before anything is applied (a crash from
                # here on still reverts); put back as it was if the commit fails
                arming = None
                if confirm_minutes is not None:
                    from . import confirm

                    arming = confirm.begin(self.store, confirm_minutes, change.user, snapshot)
                try:
                    if self.store.deferring:      # a command file: applied once, at its end
                        notes: list[str] = []
                        revision = self.store.commit(snapshot, user=change.user, via=change.via, comment=comment)
                    else:
                        revision, notes = self.transact(running, snapshot, change.user, change.via, comment)
                except BaseException:
                    if arming is not None:
                        arming.cancel()
                    raise
                from ..models.dhcp_hops import notes as dhcp_hop_notes

                notes = dhcp_hop_notes(running, snapshot) + notes
            self._vouch(revision.serial, snapshot)
            confirmed = self._confirm_pending(confirms)
            if arming is not None:
                confirmed += arming.finish(revision.serial)
        return Committed(revision.serial, snapshot, candidate, "".join(n + "\n" for n in notes) + confirmed)

    def refuse_problems(self, tree: ConfigTree, since: ConfigTree | None = None,
                        more: list[Problem] | None = None) -> None:
        """CommitError listing every problem the verifiers find in ``tree`` (``since``: as
        for :meth:`verify`), and ``more`` found by the caller."""
        problems = sorted(self.verify(tree, since) + (more or []))
        if problems:
            lines: list[str] = []
            for problem in problems:
                lines += [f"[ {' '.join(problem.path)} ]", problem.message, ""]
            raise CommitError(*lines[:-1], "Commit failed")

    def _confirm_pending(self, confirms: bool) -> str:
        from . import confirm

        if confirms and not self.store.deferring and confirm.disarm(self.store.root):
            return "Reload timer stopped: the pending commit-confirm is confirmed by this commit\n"
        return ""

    def _extend(self, minutes: int) -> str:
        """`commit-confirm` with nothing to commit: move a pending deadline."""
        from . import confirm

        return confirm.extend(self.store, minutes)

    # -- the transaction steps, for callers holding the lock ---------------------------------
    def transact(self, old: ConfigTree, new: ConfigTree, user: str, via: str,
                 comment: str = "") -> tuple[Revision, list[str]]:
        """Apply and archive ``new`` in one journaled transaction; (revision, notes). The
        caller holds the commit lock."""
        from .transaction import commit, commit_failed

        try:
            return commit(self.store, self.target, old, new, user, via, comment)
        except CommitError as exc:
            raise commit_failed(exc) from None

    def apply(self, old: ConfigTree, new: ConfigTree) -> list[str]:
        """Apply ``new`` over ``old`` (no verify, no archive) as a journaled transaction whose
        archive step is empty: a crash in it is rolled back to the archived running
        configuration. The caller holds the commit lock."""
        from .transaction import commit_failed, run

        try:
            return run(self.store, self.target, old, new, lambda: None)[1]
        except CommitError as exc:
            raise commit_failed(exc) from None

    # -- `confirm` and the end of a command file ---------------------------------------------
    def confirm(self) -> str:
        """`confirm`: stop a pending commit-confirm's revert; the message."""
        from . import confirm

        # under the commit lock: a revert the timer has begun finishes first, and then
        # there is nothing left to confirm (never "stopped" with the revert still coming)
        with self.store.locked():
            stopped = confirm.disarm(self.store.root)
        if stopped:
            return "Reload timer stopped\n"
        newest = self.store.revisions()[0]
        if newest.via == "commit-confirm":
            return f"No confirm pending: the commit was reverted at {newest.time}\n"
        return "No confirm pending\n"

    def keep_script(self, base: ConfigTree, final: ConfigTree, head: str | None,
                    keep: Callable[[], None], *, exclusive: bool) -> list[str]:
        """The end of a command file run in ``store.deferred()``: under the commit lock,
        apply ``final`` over ``base`` and write the held revisions (``keep``). ``head`` is
        the newest archive file when the script started: its revisions were numbered after
        it, so a commit by another session meanwhile fails the script (NosError)."""
        from .transaction import run

        with self.store.locked():
            if self.store.commits_pending() and self.store.newest_on_disk() != head:
                raise NosError("another session committed while the script ran; nothing was kept")
            if self.store.commits_pending():
                self.check_exclusive(exclusive)
            if final == base:
                keep()
                return []
            with _shared_models(resume=True):    # the model the file's last commit verified
                notes = run(self.store, self.target, base, final, keep)[1]
            from . import verified

            serial = verified.remembered(self.store, final)
            if serial is not None:
                verified.record(self.store, serial)
            return notes
