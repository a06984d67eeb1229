"""The configuration-mode verbs that change the candidate or the edit level: set, delete,
edit, up, top, comment, copy, rename, discard, update, rollback, load, merge. Mixed into
:class:`nos_shell.session.Session`; each verb returns the text to print."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .commands import Command
from .config.path import resolve
from .config.tree import ConfigTree
from .errors import NosError, PathError
from .schema import Kind

if TYPE_CHECKING:
    from .editors import Presence
    from .store import Store


class EditVerbs:
    """Edits of the candidate and the edit level."""

    store: Store
    edit_path: list[str]
    candidate: ConfigTree | None
    base: ConfigTree | None
    base_serial: int
    confine_files: bool
    _presence: Presence | None
    _running: ConfigTree | None

    if TYPE_CHECKING:       # provided by Session
        modified: bool

        def _follow_running(self) -> None: ...

    def _full(self, words: list[str]) -> list[str]:
        return self.edit_path + words

    def _cand(self) -> ConfigTree:
        assert self.candidate is not None
        return self.candidate

    # -- paths and the edit level --------------------------------------------------------
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

    # -- the candidate as a whole ----------------------------------------------------------
    def _do_discard(self, command: Command) -> str:
        from .engine.moved import moved_warning

        modified = self.modified
        moved = moved_warning(self.store, self.base_serial) if modified else ""
        self._follow_running()
        if not modified:
            return "No changes have been discarded\n"
        return "Changes have been discarded\n" + moved

    def _do_update(self, command: Command) -> str:
        """JunOS `update`: carry this session's changes onto the running configuration as
        it is now; changes that conflict with other sessions' commits are dropped."""
        from .engine.moved import carry, moved_warning

        carried = carry(self.store, self.base, self.base_serial, self._cand())
        if not carried.moved:
            return "The candidate is up to date with the running configuration\n"
        warning = moved_warning(self.store, self.base_serial)
        self.base_serial, self.base, self._running = carried.serial, carried.running, carried.running
        self.candidate = carried.tree
        out = warning.splitlines()[0] + "\nThe candidate now holds the running configuration with your changes.\n"
        if carried.conflicts:
            out += ("Your changes at these paths were dropped (another session changed them):\n"
                    + "".join(f"  [ {' '.join(p)} ]\n" for p in carried.conflicts))
        if self._presence is not None:
            self._presence.update(self.modified)
        return out

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

    # -- configuration files -----------------------------------------------------------------
    def _read_file(self, name: str, command: Command) -> tuple[ConfigTree, list[str]]:
        from .engine.sources import config_file, read_config

        path = config_file(self.store, name, confine=self.confine_files)
        return read_config(path, ignore_unknown=bool(command.opts.get("ignore_unknown")))

    def _do_load(self, command: Command) -> str:
        if self.modified:
            raise NosError("Cannot load: configuration modified.",
                           "Use 'commit' or 'discard' first.")
        name = command.words[0]
        tree, warnings = self._read_file(name, command)
        self._follow_running()      # a replacement: of the running configuration as it is now
        self.candidate = tree
        return self._loaded(name, warnings, "Load")

    def _do_merge(self, command: Command) -> str:
        name = command.words[0]
        tree, warnings = self._read_file(name, command)
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
        from .engine.sources import config_file

        return (f"Loading configuration from '{config_file(self.store, name, confine=self.confine_files)}'...\n"
                + "".join(f"Warning: {w} (skipped)\n" for w in warnings)
                + f"{verb} complete. Use 'commit' to make changes effective.\n")
