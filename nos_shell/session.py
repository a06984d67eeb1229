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

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .commands import CONF, OP, Command, is_blank, parse
from .config.tree import ConfigTree
from .confview import ShowVerbs, View
from .edits import EditVerbs
from .engine.commit import Engine, Verifier, verify_backends
from .errors import NosError, located
from .pipes import apply_pipes
from .store import Store

if TYPE_CHECKING:
    from .apply.target import Target
    from .editors import Presence
    from .store import Revision
    from .streams import Stream

#: commands that change the candidate (a `set` that prints "already exists" changes nothing)
_EDITS = frozenset(("set", "delete", "comment", "copy", "rename", "load", "merge", "rollback"))


@dataclass
class Result:
    """What a line printed (``output``), whether it succeeded, its error. With
    ``run(line, stream=True)`` a streaming command's output is in ``stream`` (to write
    after ``output``), and ``output`` is empty."""

    output: str = ""
    ok: bool = True
    error: NosError | None = None
    stream: "Stream | None" = None


class Session(EditVerbs, ShowVerbs):
    """One user's view: the running configuration, a private candidate, the edit level.
    Commits go through the engine (nos_shell/engine/commit.py)."""

    def __init__(self, root: Path | str | None = None, *, user: str = "vyos", via: str = "cli",
                 store: Store | None = None, level: str = "admin", apply: bool = True,
                 confine_files: bool | None = None):
        if store is None:
            if root is None:
                raise ValueError("Session needs a root directory (or a Store)")
            store = Store(root)
        self.store = store
        # a commit interrupted by a crash is resolved before anything else
        from .engine.recovery import at_start

        self.recovered = at_start(store.root)
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
        self.verifiers: list[Verifier] = [verify_backends]
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
    def engine(self) -> Engine:
        """The commit engine of this session's root: its target (none when the session
        only archives, ``apply=False``; read when something is applied) and its verifiers."""
        return Engine(self.store, (lambda: self.target) if self.apply_changes else None, self.verifiers)

    @property
    def _exclusive(self) -> bool:
        """True while this session holds `configure exclusive`."""
        return self._presence is not None and self._presence.exclusive

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
        from .gcpause import paused

        with paused():      # (thousands of lines build objects the collector cannot free)
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
                if is_blank(line):
                    continue
                result = self.run(line)
                if not result.ok:
                    self.refresh()
                    error = located(f"{name}:{number}", result.error)  # type: ignore[arg-type]
                    return Result("".join(output), False, error)
                output.append(result.output)
                if self.finished:
                    break
            self.refresh()
            try:        # the engine writes what the script held back, or nothing
                notes = self.engine.keep_script(base, self.running, head, keep, exclusive=self._exclusive)
            except NosError as exc:
                self.refresh()
                return Result("".join(output), False, NosError(f"{name}: {exc.summary}"))
        return Result("".join(output) + "".join(note + "\n" for note in notes))

    def execute(self, line: str, *, stream: bool = False) -> "str | Stream":
        """Run one typed line and return its output; raises NosError. ``stream``: return a
        streaming command's output as the Stream (else it is collected into a str)."""
        if is_blank(line):          # nothing, or only a `# comment`
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


    # -- committing: the engine (nos_shell/engine/) does the work ---------------------------
    def _do_commit(self, command: Command) -> str:
        return self.commit(command.opts.get("comment", ""), confirms=True)

    def _do_commit_confirm(self, command: Command) -> str:
        if self.store.deferring:
            raise NosError("commit-confirm cannot be used in a command file (nothing there is "
                           "kept before the last line succeeds)")
        minutes = int(command.words[0]) if command.words else 10
        if not 1 <= minutes <= 1440:
            raise NosError("commit-confirm needs 1 to 1440 minutes")
        return self.commit(command.opts.get("comment", ""), confirm_minutes=minutes)

    def _do_confirm(self, command: Command) -> str:
        return self.engine.confirm()

    def commit(self, comment: str = "", *, confirms: bool = False, confirm_minutes: int | None = None) -> str:
        """Commit the candidate (:meth:`nos_shell.engine.commit.Engine.commit`).
        ``confirms``: also confirm a pending commit-confirm, under the same lock, so its
        timer cannot revert this commit along with it. ``confirm_minutes``: arm
        commit-confirm for this commit."""
        from .engine.commit import Change

        change = Change(self._cand(), self.base, self.base_serial, self.user, self.via, self._exclusive)
        self.refresh()
        done = self.engine.commit(change, comment, confirms=confirms, confirm_minutes=confirm_minutes)
        self._running = done.running
        self.base_serial, self.base = done.serial, done.running
        self.candidate = done.candidate
        if self._presence is not None:
            self._presence.update(False)
        return done.output

    def _revert_unconfirmed(self) -> str:
        """Carry out a commit-confirm revert that fell due (e.g. while nothing was running);
        a notice for the user when something happened (a revert, a damaged record)."""
        from .engine import confirm

        if self.store.deferring or not (self.store.root / confirm.PENDING).exists():
            return ""
        try:
            notes = confirm.revert_if_due(self.store.root, lambda: self.target)
        except NosError as exc:
            notes = ["Warning: reverting the unconfirmed commit failed (use 'confirm' to keep it):", *exc.lines]
        if notes:
            stale = self.candidate is not None and not self.modified
            self.refresh()
            if stale:
                self._follow_running()
        return "".join(note + "\n" for note in notes)

    def verify(self, tree: ConfigTree) -> list:
        """Every problem the registered verifiers find (each returns Problems)."""
        return self.engine.verify(tree)

    def transact(self, old: ConfigTree, new: ConfigTree, comment: str, *,
                 via: str | None = None) -> tuple[Revision, list[str]]:
        """Apply and archive ``new`` in one journaled transaction (nos_shell/engine/transaction.py);
        (revision, notes). The caller holds the commit lock."""
        return self.engine.transact(old, new, self.user, via or self.via, comment)

    def apply_tree(self, old: ConfigTree, new: ConfigTree) -> list[str]:
        """Apply ``new`` over ``old`` on this session's target (no verify, no archive); a
        crash in it is rolled back to the archived running configuration. To apply *and*
        archive, use :meth:`transact`. The caller holds the commit lock."""
        return self.engine.apply(old, new)

    def _do_save(self, command: Command) -> str:
        from .engine.sources import config_file, save

        path = config_file(self.store, command.words[0], confine=self.confine_files) if command.words else None
        out = "Warning: you have uncommitted changes that will not be saved.\n" if self.modified else ""
        path = save(self.store, self.running, path)
        return out + f"Saving configuration to '{path}'...\nDone\n"


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


__all__ = ["Result", "Session", "View"]
