"""A configuration session: operational and configuration mode with VyOS semantics.

>>> s = Session(root="/tmp/nos-sandbox")
>>> s.run("configure").ok
True
>>> s.run("set system host-name r1").ok
True

:meth:`Session.run` takes one typed line and returns a :class:`Result` (the text to print and
whether it succeeded); it never raises for bad input. :meth:`Session.execute` does the same
but raises :class:`~nos_shell.errors.NosError`. Commands that run a program (``ping``)
produce their output over time: with ``stream=True`` both hand back that output as a
:class:`~nos_shell.streams.Stream` to write as it comes (what the shells do); without it
they collect it first.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .commands import CONF, OP, Command, parse
from .config import diff, render
from .config.path import resolve
from .config.tree import ConfigTree
from .errors import CommitError, NosError, PathError
from .pipes import apply_pipes
from .schema import Kind
from .store import Store

if TYPE_CHECKING:
    from .apply.target import Target
    from .confirm import Arming
    from .editors import Presence
    from .streams import Stream

#: commands that change the candidate (a `set` that prints "already exists" changes nothing)
_EDITS = frozenset(("set", "delete", "comment", "copy", "rename", "load", "merge", "rollback"))


@dataclass
class View:
    """What configuration-mode views diff: ``old`` (the running configuration the commit
    would replace) against ``new`` (what it would commit), and a warning to print first."""

    old: ConfigTree
    new: ConfigTree
    warning: str = ""
    conflicts: tuple[tuple[str, ...], ...] = ()


@dataclass
class Result:
    """What a line printed (``output``), whether it succeeded, its error. With
    ``run(line, stream=True)`` a streaming command's output is in ``stream`` (to write
    after ``output``), and ``output`` is empty."""

    output: str = ""
    ok: bool = True
    error: NosError | None = None
    stream: "Stream | None" = None


class Session:
    """One user's view: the running configuration, a private candidate, the edit level."""

    def __init__(self, root: Path | str | None = None, *, user: str = "vyos", via: str = "cli",
                 store: Store | None = None, level: str = "admin", apply: bool = True,
                 confine_files: bool | None = None):
        if store is None:
            if root is None:
                raise ValueError("Session needs a root directory (or a Store)")
            store = Store(root)
        self.store = store
        # a commit interrupted by a crash is resolved before anything else (nos_shell/journal.py)
        self.recovered = _recover(store.root)
        self.user = user
        self.via = via
        self.level = level
        self.mode = OP
        self.edit_path: list[str] = []
        self.candidate: ConfigTree | None = None
        # the running configuration the candidate started from and its archive serial
        # (optimistic concurrency: nos_shell/config/rebase.py, docs/guarantees.md)
        self.base: ConfigTree | None = None
        self.base_serial = 0
        self._presence: Presence | None = None   # in `show configuration sessions` (nos_shell/editors.py)
        self.finished = False
        self.terminal: dict[str, int] = {}
        self._running: ConfigTree | None = None
        self._target_loaded: "Target | None" = None
        self._target_stamp: tuple | None = None
        self.verifiers: list[Callable[[ConfigTree], list]] = [_verify_backends]
        self.apply_changes = apply
        # save/load/merge only inside the saved-configuration folder: on for SSH sessions,
        # whose server runs as root while its users have no system account (docs/ssh.md)
        self.confine_files = via == "ssh" if confine_files is None else confine_files

    # -- state ---------------------------------------------------------------------------
    @property
    def target(self) -> "Target":
        """Where this root is applied and read (ROOT/etc/nos-shell/apply.toml), loaded once
        per session and again only when that file changes: commits and every operational
        view use the same one."""
        from .apply.target import SETTINGS, load_target

        try:
            info = (self.store.root / SETTINGS).stat()
            stamp: tuple | None = (info.st_ino, info.st_mtime_ns, info.st_size)
        except OSError:
            stamp = None
        if self._target_loaded is None or stamp != self._target_stamp:
            self._target_loaded, self._target_stamp = load_target(self.store.root), stamp
        return self._target_loaded

    @property
    def running(self) -> ConfigTree:
        """The running configuration (read-only: copy it before changing anything)."""
        if self._running is None:
            self._running = self.store.running()
        return self._running

    def refresh(self) -> None:
        """Forget the cached running configuration (another session may have committed)."""
        self._running = None

    @property
    def working(self) -> ConfigTree:
        """The candidate in configuration mode, else the running configuration."""
        return self.candidate if self.candidate is not None else self.running

    @property
    def editor_ident(self) -> str | None:
        """This session's entry in `show configuration sessions` while in configuration mode."""
        presence = self._presence
        return presence.entry.ident if presence is not None and presence.active else None

    @property
    def modified(self) -> bool:
        """True when the candidate holds changes of this session (against its base)."""
        return self.candidate is not None and self.candidate != self.base

    @property
    def hostname(self) -> str:
        return self.running.value("system", "host-name") or "vyos"

    @property
    def prompt(self) -> str:
        sign = "#" if self.mode == CONF else ":~$"
        return f"{self.user}@{self.hostname}{sign} "

    @property
    def edit_line(self) -> str:
        return f"[edit{''.join(' ' + w for w in self.edit_path)}]"

    # -- running lines -----------------------------------------------------------------------
    def run(self, line: str, *, stream: bool = False) -> Result:
        """Run one typed line; errors come back in the result, rendered VyOS-style.
        ``stream``: a streaming command's output comes back in ``Result.stream``."""
        try:
            output = self.execute(line, stream=stream)
            if isinstance(output, str):
                return Result(output)
            return Result("", stream=output)
        except NosError as exc:
            return Result(exc.render(), False, exc)
        except Exception as exc:  # noqa: BLE001 - a bug must not end the user's shell
            from .crashlog import command_words, internal_error

            # keywords only: a line may carry a secret (plaintext-password), at any word
            error = internal_error(exc, self.store.root, f"{self.user} via {self.via}: {command_words(line)}")
            return Result(error.render(), False, error)

    def run_script(self, lines: Iterable[str], name: str = "<script>") -> Result:
        """Run lines as if typed (blank and `#` lines skipped). The first failure stops the
        script, and then nothing it committed or saved is kept; its error summary reads
        ``NAME:LINE: message``."""
        result = self._script(lines, name)
        if not result.ok or self.mode != CONF:
            self.close()        # a failed script also leaves `show configuration sessions`
        return result

    def _script(self, lines: Iterable[str], name: str) -> Result:
        output: list[str] = []
        base = self.running
        head = self.store.newest_on_disk()
        with self.store.deferred() as keep:
            for number, line in enumerate(lines, 1):
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                result = self.run(line)
                if not result.ok:
                    self.refresh()
                    error = NosError(f"{name}:{number}: {result.error.summary}")  # type: ignore[union-attr]
                    return Result("".join(output), False, error)
                output.append(result.output)
                if self.finished:
                    break
            self.refresh()
            final = self.running
            # the script's revisions were numbered after the newest one when it started:
            # under the commit lock, make sure no other session committed meanwhile
            with self.store.locked():
                if self.store.commits_pending() and self.store.newest_on_disk() != head:
                    self.refresh()
                    return Result("".join(output), False, NosError(
                        f"{name}: another session committed while the script ran; nothing was kept"))
                if self.store.commits_pending():
                    try:
                        self._check_exclusive()
                    except NosError as exc:
                        self.refresh()
                        return Result("".join(output), False, NosError(f"{name}: {exc.summary}"))
                if final != base:
                    from . import transaction

                    try:
                        _, notes = transaction.run(self.store, self._target(), base, final, keep)
                    except NosError as exc:
                        self.refresh()
                        return Result("".join(output), False, NosError(f"{name}: {exc.summary}"))
                    output.extend(note + "\n" for note in notes)
                else:
                    keep()
        return Result("".join(output))

    def execute(self, line: str, *, stream: bool = False) -> "str | Stream":
        """Run one typed line and return its output; raises NosError. ``stream``: return a
        streaming command's output as the Stream (else it is collected into a str)."""
        if not line.strip():
            return ""
        command = parse(line, self.mode)
        notice = ""
        if command.name not in ("set", "delete"):    # keep long command files cheap
            notice = self._revert_unconfirmed()
        output = apply_pipes(self.dispatch(command, self.mode), command.pipes)
        if not isinstance(output, str):
            output = output.prefixed(notice)
            return output if stream else output.collect()
        return notice + output if notice else output    # keeps a TableText a TableText

    def dispatch(self, command: Command, mode: str) -> "str | Stream":
        if mode == OP or command.name == "run":
            from . import ops

            if command.name == "run":
                return ops.run(self, command.opts["command"])
            return ops.run(self, command)
        handler = getattr(self, f"_do_{command.name}", None)
        if handler is None:
            raise NosError(f"Invalid command: [{command.name}]")
        output = handler(command)
        if command.name in _EDITS and not (command.name == "set" and output):
            self._edited()
        return output

    # -- entering and leaving configuration mode ---------------------------------------------
    def configure(self, exclusive: bool = False) -> str:
        """Enter configuration mode with a private candidate; ``exclusive``: also lock out
        other sessions' commits until this session leaves (refused while another session
        holds the lock or has uncommitted changes). Returns a warning naming the other
        sessions in configuration mode, if any."""
        from . import editors

        if self.level != "admin":
            raise NosError("Permission denied: operator-level users cannot enter configuration mode")
        presence = self._presence or editors.Presence(self.store.root, self.user, self.via)
        others = [e for e in editors.editors(self.store.root) if e.ident != presence.entry.ident]
        if exclusive:
            with self.store.locked():       # no commit of another session is half-way through
                presence.enter(exclusive=True)
        else:
            presence.enter()
        self._presence = presence
        self.mode = CONF
        self._follow_running()
        self.edit_path = []
        return _others_warning(others)

    def _follow_running(self) -> None:
        """Base and candidate become the running configuration as it is now."""
        self.refresh()
        self.base_serial, self.base = self.store.head()
        self._running = self.base
        self.candidate = self.base.copy()
        if self._presence is not None:
            self._presence.update(False)

    def _edited(self) -> None:
        """The candidate changed: tell the registry once (other sessions see it)."""
        if self._presence is not None and not self._presence.changes:
            self._presence.update(True)

    def close(self) -> None:
        """The session ends (e.g. its SSH connection closed): leave the registry and
        release the exclusive lock. Also done by the kernel when the process dies."""
        if self._presence is not None:
            self._presence.leave()

    def _do_exit(self, command: Command) -> str:
        if self.edit_path:
            self.edit_path = []
            return ""
        if not command.opts.get("discard") and self.modified:
            view = self.view()
            if view.new != view.old:
                raise NosError(*view.warning.splitlines()[:1], "Cannot exit: configuration modified.",
                               "Use 'exit discard' to discard the changes and exit.")
        self.mode, self.candidate, self.base = OP, None, None
        if self._presence is not None:
            self._presence.leave()
        self.refresh()
        saved = self.store.saved()
        if saved is not None and saved != self.running or saved is None and not self._is_initial():
            return "Warning: configuration changes have not been saved.\n"
        return ""

    def _is_initial(self) -> bool:
        return len(self.store.revisions()) == 1

    # -- editing -------------------------------------------------------------------------------
    def _full(self, words: list[str]) -> list[str]:
        return self.edit_path + words

    def _cand(self) -> ConfigTree:
        assert self.candidate is not None
        return self.candidate

    def _do_set(self, command: Command) -> str:
        warnings = self._cand().set(self._full(command.words))
        return "".join(f"\n  {w}\n\n" for w in warnings)

    def _do_delete(self, command: Command) -> str:
        self._cand().delete(self._full(command.words))
        return ""

    def _do_edit(self, command: Command) -> str:
        res = resolve(self._full(command.words), trailer="Edit failed")
        if res.node.is_leaf or res.open_tag:
            raise PathError(f"Configuration path: [{res.text}] is not a container or tag value",
                            "Edit failed")
        self.edit_path = list(res.path)
        return ""

    def _do_up(self, command: Command) -> str:
        if not self.edit_path:
            return "Already at the top level\n"
        res = resolve(self.edit_path)
        # drop the last level: a tag entry goes up past its key and tag name
        on_key = res.node.kind is Kind.TAG
        self.edit_path = self.edit_path[:-2] if on_key else self.edit_path[:-1]
        return ""

    def _do_top(self, command: Command) -> str:
        if not self.edit_path:
            return "Already at the top level\n"
        self.edit_path = []
        return ""

    def _do_comment(self, command: Command) -> str:
        *path, text = command.words
        if not path:
            raise NosError("Incomplete command: comment PATH \"TEXT\"")
        self._cand().comment(self._full(path), text)
        return ""

    def _do_copy(self, command: Command, move: bool = False) -> str:
        self._cand().copy_tag(self._full(command.opts["path"]), command.words, move)
        return ""

    def _do_rename(self, command: Command) -> str:
        return self._do_copy(command, move=True)

    def _do_discard(self, command: Command) -> str:
        modified = self.modified
        moved = self._moved_warning() if modified else ""
        self._follow_running()
        if not modified:
            return "No changes have been discarded\n"
        return "Changes have been discarded\n" + moved

    def _do_update(self, command: Command) -> str:
        """JunOS `update`: carry this session's changes onto the running configuration as
        it is now; changes that conflict with other sessions' commits are dropped."""
        from .config.rebase import rebase

        serial, running = self.store.head()
        if serial == self.base_serial:
            return "The candidate is up to date with the running configuration\n"
        warning = self._moved_warning()
        result = rebase(self.base, self._cand(), running)  # type: ignore[arg-type]
        self.base_serial, self.base, self._running = serial, running, running
        self.candidate = result.tree
        out = warning.splitlines()[0] + "\nThe candidate now holds the running configuration with your changes.\n"
        if result.conflicts:
            out += ("Your changes at these paths were dropped (another session changed them):\n"
                    + "".join(f"  [ {' '.join(p)} ]\n" for p in result.conflicts))
        if self._presence is not None:
            self._presence.update(self.modified)
        return out

    # -- the running configuration moved under the candidate ----------------------------------
    def view(self) -> View:
        """What a commit would do now: the candidate against the current running
        configuration. When other sessions committed since the candidate's base, this
        session's own changes are carried onto the new running configuration
        (nos_shell/config/rebase.py); an unchanged candidate simply follows it."""
        from .config.rebase import rebase

        candidate = self._cand()
        serial, running = self.store.head()
        self._running = running
        if serial == self.base_serial or self.base is None:
            return View(self.base or running, candidate)
        if not self.modified:
            self._follow_running()
            return View(self.base, self._cand())  # type: ignore[arg-type]
        result = rebase(self.base, candidate, running)
        warning = self._moved_warning()
        if result.conflicts:
            return View(self.base, candidate, warning + _conflict_text(result.conflicts),
                        tuple(result.conflicts))
        return View(running, result.tree,
                    warning + "Showing what 'commit' would change in the running configuration now.\n")

    def _moved(self) -> str:
        """A sentence naming the commits made since the candidate's base ("" if none)."""
        newer = [(n, r) for n, r in enumerate(self.store.revisions()) if r.serial > self.base_serial]
        if not newer:
            return ""
        number, last = newer[0]
        count = f"{len(newer)} commit{'s' if len(newer) > 1 else ''}"
        return (f"the running configuration changed after your candidate was started: "
                f"{count}, the last (revision {number}) by {last.user} via {last.via} at {last.time}.")

    def _moved_warning(self) -> str:
        moved = self._moved()
        return f"Warning: {moved}\n" if moved else ""

    # -- showing ------------------------------------------------------------------------------
    def _do_show(self, command: Command) -> str:
        words = self._full(command.words)
        as_commands = any(name == "as_commands" for name, _ in command.pipes)
        if as_commands:
            return self._show_commands(words)
        if any(name == "as_compare" for name, _ in command.pipes):     # `show | compare`
            return self._do_compare(Command("compare"))
        view = self.view()
        return view.warning + self._show_marked(words, view)

    def _show_marked(self, words: list[str], view: View) -> str:
        tree, running, schema = view.new, view.old, view.new.schema
        path: tuple[str, ...] = ()
        spec = schema
        if words:
            res = resolve(words, trailer="Show failed")
            path, spec = res.path, res.node
            if res.node.is_leaf or res.open_tag:
                parent = path[:-1]
                parent_spec = resolve(list(parent)).node if parent else schema
                return diff.show_marked(_only(running.node(*parent), path[-1]),
                                        _only(tree.node(*parent), path[-1]), parent_spec) \
                    or "Configuration under specified path is empty\n"
        new, old = tree.node(*path), running.node(*path)
        if new is None and old is None:
            return "Configuration under specified path is empty\n"
        return diff.show_marked(old, new, spec)

    def _show_commands(self, words: list[str]) -> str:
        tree = self.view().new
        if not words:
            return render.to_commands(tree)
        res = resolve(words, trailer="Show failed")
        prefix = "set " + " ".join(res.path)
        return "".join(line + "\n" for line in render.set_lines(tree.root, tree.schema)
                       if line == prefix or line.startswith(prefix + " "))

    def _do_compare(self, command: Command) -> str:
        revisions = command.opts.get("revisions")
        if revisions and len(revisions) > 1:        # two archived revisions: no candidate
            text = _differences(self._revision(revisions[0]), self._revision(revisions[1]), command)
            return text or "No changes between revisions.\n\n"
        view = self.view()          # in a stale session: the candidate carried onto the running
        if view.conflicts:
            return view.warning
        if command.opts.get("saved"):
            old, new = self.store.saved() or ConfigTree(), view.new
            empty = "No changes between working and saved configurations.\n\n"
        elif revisions:
            old, new = self._revision(revisions[0]), view.new
            empty = f"No changes between working and revision {revisions[0]} configurations.\n\n"
        else:
            old, new = view.old, view.new
            empty = "No changes between working and active configurations.\n\n"
        text = _differences(old, new, command)
        # VyOS ends "No changes" with a blank line and vyos_config looks for it at the start
        return view.warning + text if text else empty + view.warning

    def _revision(self, number: int) -> ConfigTree:
        count = len(self.store.revisions())
        try:
            return self.store.revision(number)
        except IndexError:
            raise NosError(f"Invalid revision number {number}: must be 0 <= rev < {count}") from None

    # -- committing -------------------------------------------------------------------------
    def _do_commit(self, command: Command) -> str:
        return self.commit(command.opts.get("comment", ""), confirms=True)

    def _revert_unconfirmed(self) -> str:
        """Carry out a commit-confirm revert that fell due (e.g. while nothing was running);
        a notice for the user when something happened (a revert, a damaged record)."""
        from . import confirm

        if self.store.deferring or not (self.store.root / confirm.PENDING).exists():
            return ""
        try:
            notes = confirm.revert_if_due(self.store.root)
        except NosError as exc:
            notes = ["Warning: reverting the unconfirmed commit failed (use 'confirm' to keep it):", *exc.lines]
        if notes:
            stale = self.candidate is not None and not self.modified
            self.refresh()
            if stale:
                self._follow_running()
        return "".join(note + "\n" for note in notes)

    def commit(self, comment: str = "", *, confirms: bool = False, confirm_minutes: int | None = None) -> str:
        """Commit the candidate. ``confirms``: also confirm a pending commit-confirm, under
        the same lock, so its timer cannot revert this commit along with it.
        ``confirm_minutes``: arm commit-confirm for this commit (also under the lock, so the
        revision to go back to is the one this commit replaced, whoever else commits; with a
        commit-confirm already pending, the one from before that, as JunOS does)."""
        with self.store.locked():
            self._check_exclusive()
            serial, candidate = self._to_commit()
            if candidate == self.running:
                self._committed(serial, self.running, candidate)
                return ("No configuration changes to commit\n" + self._confirm_pending(confirms)
                        + (self._extend_confirm(confirm_minutes) if confirm_minutes is not None else ""))
            problems = self.verify(candidate)
            if problems:
                lines: list[str] = []
                for problem in problems:
                    lines += [f"[ {' '.join(problem.path)} ]", problem.message, ""]
                raise CommitError(*lines[:-1], "Commit failed")
            snapshot = candidate.copy()
            # commit-confirm: the revert is on disk before anything is applied (a crash from
            # here on still reverts); put back as it was if the commit fails
            arming = self._arm_confirm(confirm_minutes, snapshot) if confirm_minutes is not None else None
            try:
                if self.store.deferring:      # a command file: applied once, at its end
                    notes, revision = [], self.store.commit(snapshot, user=self.user, via=self.via,
                                                            comment=comment)
                else:
                    revision, notes = self.transact(self.running, snapshot, comment)
            except BaseException:
                if arming is not None:
                    arming.cancel()
                raise
            self._running = snapshot
            self._committed(revision.serial, snapshot, candidate)
            confirmed = self._confirm_pending(confirms)
            if arming is not None:
                confirmed += arming.finish(revision.serial)
        return "".join(note + "\n" for note in notes) + confirmed

    def _arm_confirm(self, minutes: int, tree: ConfigTree) -> Arming:
        """Record a commit-confirm's revert of committing ``tree`` (under the lock, before
        anything is applied)."""
        from . import confirm

        return confirm.begin(self.store, minutes, self.user, tree)

    def _extend_confirm(self, minutes: int) -> str:
        """`commit-confirm` with nothing to commit: move a pending deadline."""
        from . import confirm

        return confirm.extend(self.store, minutes)

    def _to_commit(self) -> tuple[int, ConfigTree]:
        """The tree to verify and commit (under the commit lock): the candidate, or, when
        other sessions committed since its base, this session's changes carried onto the
        running configuration; CommitError naming the paths where they conflict."""
        from .config.rebase import rebase

        self.refresh()
        serial, running = self.store.head()
        self._running = running
        candidate = self._cand()
        if serial == self.base_serial or self.base is None:
            return serial, candidate
        result = rebase(self.base, candidate, running)
        if result.conflicts:
            moved = self._moved()
            raise CommitError(moved[:1].upper() + moved[1:],
                              "Your changes conflict with it at these paths:",
                              *(f"[ {' '.join(p)} ]" for p in result.conflicts),
                              "Use 'compare' to review, 'update' to keep the running configuration "
                              "there, or 'discard'.", "Commit failed")
        return serial, result.tree

    def _committed(self, serial: int, running: ConfigTree, candidate: ConfigTree) -> None:
        """After a commit (or finding nothing to commit): the base is the running
        configuration; the candidate is what was committed."""
        self.base_serial, self.base = serial, running
        if candidate is not self.candidate:
            self.candidate = candidate
        if self._presence is not None:
            self._presence.update(False)

    def _check_exclusive(self) -> None:
        """Refuse to commit while another session is in `configure exclusive`."""
        from . import editors

        if self._presence is not None and self._presence.exclusive:
            return
        holder = editors.lock_holder(self.store.root)
        if holder is not None:
            raise CommitError(f"Configuration database locked by: {holder.describe()}, exclusive",
                              "Commit failed")

    def _confirm_pending(self, confirms: bool) -> str:
        from . import confirm

        if confirms and not self.store.deferring and confirm.disarm(self.store.root):
            return "Reload timer stopped: the pending commit-confirm is confirmed by this commit\n"
        return ""

    def _target(self):
        """Where commits take effect (None: this session only archives)."""
        return self.target if self.apply_changes else None

    def transact(self, old: ConfigTree, new: ConfigTree, comment: str, *, via: str | None = None):
        """Apply and archive ``new`` in one journaled transaction (nos_shell/transaction.py);
        (revision, notes). The caller holds the commit lock."""
        from . import transaction

        try:
            return transaction.commit(self.store, self._target(), old, new, self.user, via or self.via, comment)
        except CommitError as exc:
            raise _failed(exc) from None

    def verify(self, tree: ConfigTree) -> list:
        """Every problem the registered verifiers find (each returns Problems)."""
        problems = []
        for verifier in self.verifiers:
            problems.extend(verifier(tree))
        return sorted(problems)

    def _do_commit_confirm(self, command: Command) -> str:
        if self.store.deferring:
            raise NosError("commit-confirm cannot be used in a command file (nothing there is "
                           "kept before the last line succeeds)")
        minutes = int(command.words[0]) if command.words else 10
        if not 1 <= minutes <= 1440:
            raise NosError("commit-confirm needs 1 to 1440 minutes")
        return self.commit(command.opts.get("comment", ""), confirm_minutes=minutes)

    def _do_confirm(self, command: Command) -> str:
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

    def apply_tree(self, old: ConfigTree, new: ConfigTree) -> list[str]:
        """Apply ``new`` over ``old`` on this session's target (no verify, no archive), as a
        journaled transaction whose archive step is empty: a crash in it is rolled back to
        the archived running configuration. To apply *and* archive, use :meth:`transact`.
        The caller holds the commit lock."""
        from . import transaction

        try:
            return transaction.run(self.store, self._target(), old, new, lambda: None)[1]
        except CommitError as exc:
            raise _failed(exc) from None

    def _do_rollback(self, command: Command) -> str:
        if not command.words:
            raise NosError("Error: must include a revision # to rollback to")
        number, count = int(command.words[0]), len(self.store.revisions())
        if not 0 < number < count:
            raise NosError(f"Invalid revision number {number}: must be 0 < rev < {count}")
        # the whole candidate is replaced: its base is the running configuration as it is
        # now, so the commit makes revision N effective even after other sessions committed
        self._follow_running()
        self.candidate = self.store.revision(number)
        return (f"Revision {number} loaded into the candidate configuration.\n"
                "Use 'compare' to review and 'commit' to make it effective.\n")

    # -- files ------------------------------------------------------------------------------
    def config_file(self, name: str) -> Path:
        """The path of a file named in save/load/merge; confined sessions (SSH) may only
        name configuration files of the saved-configuration folder (nos_shell/confine.py)."""
        if "\0" in name or any("\ud800" <= ch <= "\udfff" for ch in name):
            from .schema.types import shown

            raise NosError(f"Invalid file name: {shown(name)}")
        if self.confine_files:
            from .confine import confined_file

            return confined_file(self.store.saved_path.parent, name)
        return self.store.resolve_file(name)

    def _do_save(self, command: Command) -> str:
        target = self.config_file(command.words[0]) if command.words else None
        out = ""
        if self.modified:
            out += "Warning: you have uncommitted changes that will not be saved.\n"
        path = target or self.store.saved_path
        # a save replaces the file by renaming a new one over it: never over a device,
        # folder or socket (`save /dev/null` as root replaced the device with a file)
        try:
            if not path.is_file() and (path.exists() or path.is_symlink()):
                raise NosError(f"Cannot save to {path}: not a regular file", "Save failed")
            self.store.save(self.running, target)
        except OSError as exc:          # a name too long, a folder that cannot hold files
            raise NosError(f"Cannot save to {path}: {exc.strerror or exc}", "Save failed") from None
        return out + f"Saving configuration to '{path}'...\nDone\n"

    def _read_config_file(self, name: str, ignore_unknown: bool) -> tuple[ConfigTree, list[str]]:
        path = self.config_file(name)
        try:
            text = path.read_bytes().decode()     # no newline translation: "\n" ends a line
        except OSError as exc:
            raise NosError(f"Cannot read {path}: {exc.strerror}") from None
        except UnicodeDecodeError as exc:
            line = text_line(exc.object, exc.start)
            raise NosError(f"{path}:{line}: not a configuration file (invalid UTF-8)",
                           "Load failed: nothing was loaded") from None
        if _looks_like_commands(text):
            return self._tree_from_command_file(text, str(path), ignore_unknown)
        from .config.bootfile import load_boot

        return load_boot(text, str(path), ignore_unknown=ignore_unknown)

    def _tree_from_command_file(self, text: str, name: str, ignore_unknown: bool) -> tuple[ConfigTree, list[str]]:
        tree, problems = ConfigTree(), []
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                command = parse(line, CONF)
                if command.name != "set":
                    raise NosError(f"only set lines may appear in a configuration file: {line.strip()}")
                tree.set(command.words)
            except NosError as exc:
                problems.append(f"{name}:{number}: {exc.summary}")
        if problems and not ignore_unknown:
            raise NosError(*problems, "Load failed: nothing was loaded")
        return tree, problems

    def _do_load(self, command: Command) -> str:
        if self.modified:
            raise NosError("Cannot load: configuration modified.",
                           "Use 'commit' or 'discard' first.")
        name = command.words[0]
        tree, warnings = self._read_config_file(name, bool(command.opts.get("ignore_unknown")))
        self._follow_running()      # a replacement: of the running configuration as it is now
        self.candidate = tree
        return self._loaded(name, warnings, "Load")

    def _do_merge(self, command: Command) -> str:
        name = command.words[0]
        tree, warnings = self._read_config_file(name, bool(command.opts.get("ignore_unknown")))
        scope = command.opts.get("path")
        if scope:
            res = resolve(scope, trailer="Merge failed")
            sub = tree.node(*res.path)
            limited = ConfigTree()
            if sub is not None:
                node = limited.root
                for word in res.path:
                    node = node.children.setdefault(word, type(node)())
                node.children = sub.copy().children
                node.values = None if sub.values is None else list(sub.values)
            tree = limited
        self._cand().merge(tree)
        return self._loaded(name, warnings, "Merge")

    def _loaded(self, name: str, warnings: list[str], verb: str) -> str:
        """What `load` and `merge` print: the file, a warning per skipped path, the end."""
        return (f"Loading configuration from '{self.config_file(name)}'...\n"
                + "".join(f"Warning: {w} (skipped)\n" for w in warnings)
                + f"{verb} complete. Use 'commit' to make changes effective.\n")


def _differences(old: ConfigTree, new: ConfigTree, command: Command) -> str:
    """What `compare` prints: curly-brace blocks, or `compare commands` lines."""
    if command.opts.get("format") == "commands":
        return diff.compare_commands(old, new)
    return diff.compare(old, new)


def _failed(exc: CommitError) -> CommitError:
    """``exc`` ending with one `Commit failed` line (some errors carry it already)."""
    lines = list(exc.lines)
    return CommitError(*lines, *([] if lines and lines[-1] == "Commit failed" else ["Commit failed"]))


def _others_warning(others: list) -> str:
    """What `configure` prints when other sessions are in configuration mode."""
    if not others:
        return ""
    lines = ["Warning: other users are editing the configuration:"]
    for editor in others:
        notes = (["exclusive: your commits are refused until it exits"] if editor.exclusive else []) \
            + (["uncommitted changes"] if editor.changes else [])
        lines.append(f"  {editor.describe()}" + (f" ({', '.join(notes)})" if notes else ""))
    return "".join(line + "\n" for line in lines)


def _conflict_text(paths: list[tuple[str, ...]]) -> str:
    return ("Your changes conflict with it at these paths ('commit' would be refused):\n"
            + "".join(f"  [ {' '.join(p)} ]\n" for p in paths)
            + "Use 'update' to keep the running configuration there, or 'discard'.\n")


def _verify_backends(tree: ConfigTree) -> list:
    """Cross-node rules of every backend (imported only when something is committed)."""
    from .backends.registry import verify_all

    return verify_all(tree)


def _only(node, name: str):
    """A copy of ``node`` keeping only child ``name`` (for showing one leaf)."""
    from .config.tree import Node

    holder = Node()
    if node is not None and name in node.children:
        holder.children[name] = node.children[name]
    return holder


def text_line(data: bytes, offset: int) -> int:
    """The 1-based line number of byte ``offset`` in ``data``."""
    return data.count(b"\n", 0, offset) + 1


def _looks_like_commands(text: str) -> bool:
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "//")):
            return stripped.startswith("set ")
    return False


def _recover(root: Path) -> list[str]:
    """Resolve an interrupted commit's journal (one stat when there is none); the messages
    go to stderr as well, since no command output exists yet."""
    from . import journal

    if not journal.exists(root):
        return []
    import sys

    messages = journal.recover(root)
    for message in messages:
        print(message, file=sys.stderr)
    return messages
