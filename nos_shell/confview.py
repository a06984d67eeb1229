"""What configuration mode shows of the candidate: `show`, `compare`, and the View a
commit would make now (the candidate carried onto a running configuration that moved,
nos_shell/engine/moved.py). Mixed into :class:`nos_shell.session.Session`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .commands import Command
from .config import diff, render
from .config.path import resolve
from .config.tree import ConfigTree
from .errors import NosError

if TYPE_CHECKING:
    from .store import Store


@dataclass
class View:
    """What configuration-mode views diff: ``old`` (the running configuration the commit
    would replace) against ``new`` (what it would commit), and a warning to print first."""

    old: ConfigTree
    new: ConfigTree
    warning: str = ""
    conflicts: tuple[tuple[str, ...], ...] = ()


class ShowVerbs:
    """`show` and `compare` in configuration mode, and :meth:`view`."""

    store: Store
    base: ConfigTree | None
    base_serial: int
    _running: ConfigTree | None

    if TYPE_CHECKING:       # provided by Session and EditVerbs
        modified: bool

        def _cand(self) -> ConfigTree: ...
        def _full(self, words: list[str]) -> list[str]: ...
        def _follow_running(self) -> None: ...

    def view(self) -> View:
        """What a commit would do now: the candidate against the current running
        configuration. When other sessions committed since the candidate's base, this
        session's own changes are carried onto the new running configuration; an
        unchanged candidate simply follows it."""
        from .engine.moved import carry, moved_warning

        candidate = self._cand()
        carried = carry(self.store, self.base, self.base_serial, candidate)
        self._running = carried.running
        if not carried.moved:
            return View(self.base or carried.running, candidate)
        if not self.modified:
            self._follow_running()
            return View(self.base or carried.running, self._cand())
        warning = moved_warning(self.store, self.base_serial)
        if carried.conflicts:
            return View(self.base or carried.running, candidate, warning + _conflict_text(carried.conflicts),
                        carried.conflicts)
        return View(carried.running, carried.tree,
                    warning + "Showing what 'commit' would change in the running configuration now.\n")

    def _do_show(self, command: Command) -> str:
        words = self._full(command.words)
        if any(name == "as_commands" for name, _ in command.pipes):
            return self._show_commands(words)
        if any(name == "as_compare" for name, _ in command.pipes):     # `show | compare`
            return self._do_compare(Command("compare"))
        view = self.view()
        return view.warning + _show_marked(words, view)

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
            text = differences(self._revision(revisions[0]), self._revision(revisions[1]), command)
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
        text = differences(old, new, command)
        # VyOS ends "No changes" with a blank line and vyos_config looks for it at the start
        return view.warning + text if text else empty + view.warning

    def _revision(self, number: int) -> ConfigTree:
        count = len(self.store.revisions())
        try:
            return self.store.revision(number)
        except IndexError:
            raise NosError(f"Invalid revision number {number}: must be 0 <= rev < {count}") from None


def _show_marked(words: list[str], view: View) -> str:
    """`show [PATH]`: the new tree with the lines a commit would add or remove marked."""
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


def differences(old: ConfigTree, new: ConfigTree, command: Command) -> str:
    """What `compare` prints: curly-brace blocks, or `compare commands` lines."""
    if command.opts.get("format") == "commands":
        return diff.compare_commands(old, new)
    return diff.compare(old, new)


def _conflict_text(paths: tuple[tuple[str, ...], ...]) -> str:
    return ("Your changes conflict with it at these paths ('commit' would be refused):\n"
            + "".join(f"  [ {' '.join(p)} ]\n" for p in paths)
            + "Use 'update' to keep the running configuration there, or 'discard'.\n")


def _only(node, name: str):
    """A copy of ``node`` keeping only child ``name`` (for showing one leaf)."""
    from .config.tree import Node

    holder = Node()
    if node is not None and name in node.children:
        holder.children[name] = node.children[name]
    return holder
