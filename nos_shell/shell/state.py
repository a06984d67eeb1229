"""A session as the interactive shell sees it: the session plus caches between commands.

Every line the shell runs goes through :meth:`ShellState.run`, which bumps
``generation``. The completers, the toolbar and the lexer key their caches on it, so
a keystroke never walks or sorts a large tree twice: the 4094 keys of a big `vif`
list are sorted once per command, not once per key press.
"""
from __future__ import annotations

import gc
import threading
import time
from typing import TYPE_CHECKING

from ..config.tree import natural_sorted
from .context import Analysis, analyze

if TYPE_CHECKING:
    from ..session import Result, Session
    from ..store import Revision

REVISIONS_TTL = 5.0   # another session may commit meanwhile


def settle_garbage() -> None:
    """Collect garbage once, between commands, and freeze what survives.

    A large configuration is a few hundred thousand objects; a full collection that walks
    them costs 30-50 ms and otherwise happens at a random key press (the allocations of a
    4094-entry completion list trigger one). Frozen objects are left alone by the collector;
    trees hold no reference cycles, so nothing frozen leaks when a tree is dropped.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class ShellState:
    def __init__(self, session: "Session"):
        self.session = session
        self.generation = 0
        self._lock = threading.Lock()
        self._keys: dict[tuple[str, ...], list[str]] = {}
        self._keys_generation = -1
        self._revisions: tuple[int, float, list["Revision"]] | None = None

    # -- running lines -------------------------------------------------------------------
    def run(self, line: str, *, stream: bool = False) -> "Result":
        try:
            return self.session.run(line, stream=stream)
        finally:
            self.changed()

    def changed(self) -> None:
        """Something outside the shell changed the session: drop the caches."""
        self.generation += 1

    # -- cached views --------------------------------------------------------------------
    def analyze(self, text: str) -> Analysis:
        return analyze(text, self.session.mode, tuple(self.session.edit_path))

    def tree_keys(self, path: tuple[str, ...]) -> list[str]:
        """Names or tag keys under ``path`` in the working tree, in output order."""
        with self._lock:
            if self._keys_generation != self.generation:
                self._keys.clear()
                self._keys_generation = self.generation
            keys = self._keys.get(path)
            if keys is None:
                node = self.session.working.node(*path)
                keys = natural_sorted(node.children) if node is not None else []
                self._keys[path] = keys
            return keys

    def leaf_values(self, path: tuple[str, ...]) -> list[str]:
        node = self.session.working.node(*path)
        return list(node.values) if node is not None and node.values else []

    def configured_interfaces(self) -> list[str]:
        """Link names of the interfaces in the working tree, as the backends name them
        (nos_shell/models/interfaces.py: `eth0`, `eth0.100` for a vif, `eth1.200` for `interfaces vlan`)."""
        from ..models import interfaces as ifmodel

        with self._lock:
            tree = self.session.working
        return list(dict.fromkeys(iface.name for iface in ifmodel.interfaces(tree)))

    def revisions(self) -> list["Revision"]:
        """The commit log, newest first (cached per command and for a few seconds)."""
        now = time.monotonic()
        cached = self._revisions
        if cached is not None and cached[0] == self.generation and now - cached[1] < REVISIONS_TTL:
            return cached[2]
        revisions = self.session.store.revisions()
        self._revisions = (self.generation, now, revisions)
        return revisions
