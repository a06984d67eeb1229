"""A configuration session: operational and configuration mode with VyOS semantics.

>>> s = Session(root="/tmp/nos-sandbox")
>>> s.run("configure").ok
True
>>> s.run("set system host-name r1").ok
True

:meth:`Session.run` takes one typed line and returns a :class:`Result` (the text to print and
whether it succeeded); it never raises for bad input. :meth:`Session.execute` does the same
but raises :class:`~nos_shell.errors.NosError`.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .commands import CONF, OP, Command, parse
from .config import diff, render
from .config.path import resolve
from .config.tree import ConfigTree
from .errors import CommitError, NosError, PathError
from .schema import Kind
from .store import Store


@dataclass
class Result:
    output: str = ""
    ok: bool = True
    error: NosError | None = None


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
        self.user = user
        self.via = via
        self.level = level
        self.mode = OP
        self.edit_path: list[str] = []
        self.candidate: ConfigTree | None = None
        self.finished = False
        self.terminal: dict[str, int] = {}
        self._running: ConfigTree | None = None
        self.verifiers: list[Callable[[ConfigTree], list]] = [_verify_backends]
        self.apply_changes = apply
        # save/load/merge only inside the saved-configuration folder: on for SSH sessions,
        # whose server runs as root while its users have no system account (docs/ssh.md)
        self.confine_files = via == "ssh" if confine_files is None else confine_files

    # -- state ---------------------------------------------------------------------------
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
    def modified(self) -> bool:
        return self.candidate is not None and self.candidate != self.running

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
    def run(self, line: str) -> Result:
        """Run one typed line; errors come back in the result, rendered VyOS-style."""
        try:
            return Result(self.execute(line))
        except NosError as exc:
            return Result(exc.render(), False, exc)
        except Exception as exc:  # noqa: BLE001 - a bug must not end the user's shell
            error = NosError(f"Internal error: {type(exc).__name__}: {exc}",
                             "The command was not completed; please report this.")
            return Result(error.render(), False, error)

    def run_script(self, lines: Iterable[str], name: str = "<script>") -> Result:
        """Run lines as if typed (blank and `#` lines skipped). The first failure stops the
        script, and then nothing it committed or saved is kept; its error summary reads
        ``NAME:LINE: message``."""
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
                if final != base:
                    try:
                        output.extend(note + "\n" for note in self._apply(base, final))
                    except NosError as exc:
                        self.refresh()
                        return Result("".join(output), False, NosError(f"{name}: {exc.summary}"))
                keep()
        return Result("".join(output))

    def execute(self, line: str) -> str:
        """Run one typed line and return its output; raises NosError."""
        if not line.strip():
            return ""
        command = parse(line, self.mode)
        if command.name not in ("set", "delete"):    # keep long command files cheap
            self._revert_unconfirmed()
        output = self.dispatch(command, self.mode)
        return _apply_pipes(output, command.pipes)

    def dispatch(self, command: Command, mode: str) -> str:
        if mode == OP or command.name == "run":
            from . import ops

            if command.name == "run":
                return ops.run(self, command.opts["command"])
            return ops.run(self, command)
        handler = getattr(self, f"_do_{command.name}", None)
        if handler is None:
            raise NosError(f"Invalid command: [{command.name}]")
        return handler(command)

    # -- entering and leaving configuration mode ---------------------------------------------
    def configure(self) -> str:
        if self.level != "admin":
            raise NosError("Permission denied: operator-level users cannot enter configuration mode")
        self.refresh()
        self.mode = CONF
        self.candidate = self.running.copy()
        self.edit_path = []
        return ""

    def _do_exit(self, command: Command) -> str:
        if self.edit_path:
            self.edit_path = []
            return ""
        if self.modified and not command.opts.get("discard"):
            raise NosError("Cannot exit: configuration modified.",
                           "Use 'exit discard' to discard the changes and exit.")
        self.mode, self.candidate = OP, None
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
        if not self.modified:
            return "No changes have been discarded\n"
        self.candidate = self.running.copy()
        return "Changes have been discarded\n"

    # -- showing ------------------------------------------------------------------------------
    def _do_show(self, command: Command) -> str:
        words = self._full(command.words)
        as_commands = any(name == "as_commands" for name, _ in command.pipes)
        if as_commands:
            return self._show_commands(words)
        if any(name == "as_compare" for name, _ in command.pipes):     # `show | compare`
            return self._do_compare(Command("compare"))
        tree, schema = self._cand(), self._cand().schema
        path: tuple[str, ...] = ()
        spec = schema
        if words:
            res = resolve(words, trailer="Show failed")
            path, spec = res.path, res.node
            if res.node.is_leaf or res.open_tag:
                parent = path[:-1]
                parent_spec = resolve(list(parent)).node if parent else schema
                return diff.show_marked(_only(self.running.node(*parent), path[-1]),
                                        _only(tree.node(*parent), path[-1]), parent_spec) \
                    or "Configuration under specified path is empty\n"
        new, old = tree.node(*path), self.running.node(*path)
        if new is None and old is None:
            return "Configuration under specified path is empty\n"
        return diff.show_marked(old, new, spec)

    def _show_commands(self, words: list[str]) -> str:
        tree = self._cand()
        if not words:
            return render.to_commands(tree)
        res = resolve(words, trailer="Show failed")
        prefix = "set " + " ".join(res.path)
        return "".join(line + "\n" for line in render.set_lines(tree.root, tree.schema)
                       if line == prefix or line.startswith(prefix + " "))

    def _do_compare(self, command: Command) -> str:
        revisions = command.opts.get("revisions")
        if command.opts.get("saved"):
            old, new = self.store.saved() or ConfigTree(), self._cand()
            empty = "No changes between working and saved configurations.\n\n"
        elif revisions:
            old = self._revision(revisions[0])
            new = self._revision(revisions[1]) if len(revisions) > 1 else self._cand()
            empty = "No changes between revisions.\n\n" if len(revisions) > 1 else \
                f"No changes between working and revision {revisions[0]} configurations.\n\n"
        else:
            old, new = self.running, self._cand()
            empty = "No changes between working and active configurations.\n\n"
        text = (diff.compare_commands(old, new) if command.opts.get("format") == "commands"
                else diff.compare(old, new))
        return text or empty  # VyOS ends this message with a blank line; vyos_config relies on it

    def _revision(self, number: int) -> ConfigTree:
        count = len(self.store.revisions())
        try:
            return self.store.revision(number)
        except IndexError:
            raise NosError(f"Invalid revision number {number}: must be 0 <= rev < {count}") from None

    # -- committing -------------------------------------------------------------------------
    def _do_commit(self, command: Command) -> str:
        return self.commit(command.opts.get("comment", ""), confirms=True)

    def _revert_unconfirmed(self) -> None:
        """Carry out a commit-confirm revert that fell due (e.g. while nothing was running)."""
        from . import confirm

        if not self.store.deferring and (self.store.root / confirm.PENDING).exists():
            if confirm.revert_if_due(self.store.root):
                self.refresh()
                if self.candidate is not None and not self.modified:
                    self.candidate = self.running.copy()

    def commit(self, comment: str = "", *, confirms: bool = False, confirm_minutes: int | None = None) -> str:
        """Commit the candidate. ``confirms``: also confirm a pending commit-confirm, under
        the same lock, so its timer cannot revert this commit along with it.
        ``confirm_minutes``: arm commit-confirm for this commit (also under the lock, so the
        revision to go back to is the one this commit replaced, whoever else commits)."""
        candidate = self._cand()
        with self.store.locked():
            self.refresh()
            if candidate == self.running:
                return "No configuration changes to commit\n" + self._confirm_pending(confirms)
            problems = self.verify(candidate)
            if problems:
                lines: list[str] = []
                for problem in problems:
                    lines += [f"[ {' '.join(problem.path)} ]", problem.message, ""]
                raise CommitError(*lines[:-1], "Commit failed")
            snapshot = candidate.copy()
            before = self.store.revisions()[0].serial
            notes = [] if self.store.deferring else self._apply(self.running, snapshot)
            try:
                revision = self.store.commit(snapshot, user=self.user, via=self.via, comment=comment)
            except OSError as exc:
                self._apply(snapshot, self.running)
                raise CommitError(f"Cannot archive the revision: {exc}", "Commit failed") from None
            except CommitError:     # the archive text would not read back (store.archive_text)
                self._apply(snapshot, self.running)
                raise
            self._running = snapshot
            confirmed = self._confirm_pending(confirms)
            if confirm_minutes is not None:
                from . import confirm

                confirm.arm(self.store.root, confirm_minutes, before, revision.serial, self.user)
                confirmed += (f"Initialized commit-confirm; {confirm_minutes} minutes to confirm before reload\n"
                              "(without 'confirm', nos-shell re-applies the previous revision)\n")
        return "".join(note + "\n" for note in notes) + confirmed

    def _confirm_pending(self, confirms: bool) -> str:
        from . import confirm

        if confirms and not self.store.deferring and confirm.disarm(self.store.root):
            return "Reload timer stopped: the pending commit-confirm is confirmed by this commit\n"
        return ""

    def _apply(self, old: ConfigTree, new: ConfigTree) -> list[str]:
        """Generated files and live reloads for ``new`` (see nos_shell/apply)."""
        if not self.apply_changes:
            return []
        from .apply import apply, load_target

        try:
            return apply(load_target(self.store.root), old, new)
        except CommitError as exc:
            raise CommitError(*exc.lines, "Commit failed") from None

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

        return "Reload timer stopped\n" if confirm.disarm(self.store.root) else "No confirm pending\n"

    def apply_tree(self, old: ConfigTree, new: ConfigTree) -> list[str]:
        """Apply ``new`` over ``old`` on this session's target (no verify, no archive)."""
        return self._apply(old, new)

    def _do_rollback(self, command: Command) -> str:
        if not command.words:
            raise NosError("Error: must include a revision # to rollback to")
        number, count = int(command.words[0]), len(self.store.revisions())
        if not 0 < number < count:
            raise NosError(f"Invalid revision number {number}: must be 0 < rev < {count}")
        self.candidate = self.store.revision(number)
        return (f"Revision {number} loaded into the candidate configuration.\n"
                "Use 'compare' to review and 'commit' to make it effective.\n")

    # -- files ------------------------------------------------------------------------------
    def config_file(self, name: str) -> Path:
        """The path of a file named in save/load/merge; confined sessions (SSH) may only
        name files inside the saved-configuration folder (symbolic links followed)."""
        path = self.store.resolve_file(name)
        if self.confine_files:
            folder = self.store.saved_path.parent.resolve()
            real = path.resolve()
            if real == folder or not real.is_relative_to(folder):
                raise NosError(f"Permission denied: {name}: over SSH, configuration files must be "
                               f"in {self.store.saved_path.parent}")
        return path

    def _do_save(self, command: Command) -> str:
        target = self.config_file(command.words[0]) if command.words else None
        out = ""
        if self.modified:
            out += "Warning: you have uncommitted changes that will not be saved.\n"
        path = self.store.save(self.running, target)
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


def _verify_backends(tree: ConfigTree) -> list:
    """Cross-node rules of every backend (imported only when something is committed)."""
    from .backends import verify_all

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


def _apply_pipes(output: str, pipes: list[tuple[str, str | None]]) -> str:
    """`| match`, `| except`, `| count`; `| no-more`, `| more` and `| commands` pass through."""
    for name, arg in pipes:
        lines = output.splitlines()
        if name in ("match", "except"):
            try:
                pattern = re.compile(arg or "")
            except re.error as exc:
                raise NosError(f"Invalid regular expression '{arg}': {exc}") from None
            keep = name == "match"
            output = "".join(line + "\n" for line in lines if bool(pattern.search(line)) == keep)
        elif name == "count_lines":
            output = f"Count: {len(lines)} lines\n"
    return output
