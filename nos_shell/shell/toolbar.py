"""The bottom toolbar in configuration mode: ``[edit interfaces]  3 uncommitted changes``.

The number of changes is the number of `set`/`delete` commands between the running and
the candidate configuration, counted by walking both trees and skipping equal subtrees
(rendering and diffing them, as `compare commands` does, costs about 80 ms with 4094
VLANs). It is counted at most once per command (cached by ``ShellState.generation``) and
off the event loop: the toolbar shows the previous count until the new one is ready.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from ..config.tree import Node
from .state import ShellState


def count_changes(state: ShellState) -> int:
    """How many `set`/`delete` commands (as `compare commands` lists them) the candidate
    is away from the configuration it started from; a changed comment counts as one."""
    session = state.session
    candidate = session.candidate
    if candidate is None:
        return 0
    # this session's own changes: against the configuration its candidate started from
    base = session.base if session.base is not None else session.running
    return _changes(base.root, candidate.root)


def _set_lines(node: Node) -> int:
    """`set` lines that create ``node`` and everything below it."""
    if node.values is not None:
        return max(len(node.values), 1)
    if not node.children:
        return 1
    return sum(_set_lines(child) for child in node.children.values())


def _changes(old: Node, new: Node) -> int:
    """Differences below two nodes; equal subtrees are skipped with one comparison, so
    the cost is about one walk of the tree instead of rendering and diffing both."""
    if old is new or old == new:
        return 0
    count = int(old.comment != new.comment)
    if old.values is not None or new.values is not None:
        before, after = old.values or [], new.values or []
        if len(before) <= 1 and len(after) <= 1:
            return count + int(before != after)
        return count + sum(v not in after for v in before) + sum(v not in before for v in after)
    for key in old.children.keys() | new.children.keys():
        a, b = old.children.get(key), new.children.get(key)
        if a is None:
            count += _set_lines(b)  # type: ignore[arg-type]
        elif b is None:
            count += 1
        else:
            count += _changes(a, b)
    return count


class ChangeCounter:
    """Uncommitted changes, recounted in a thread when the generation moves on."""

    def __init__(self, state: ShellState, on_update: Callable[[], None] | None = None,
                 background: bool = True):
        self.state = state
        self.on_update = on_update
        self.background = background
        self._value: int | None = None
        self._counted = -1        # generation of _value
        self._started = -1        # generation being counted
        self._lock = threading.Lock()

    def value(self) -> int | None:
        """The count for the current generation, or the last one known (None at first)."""
        generation = self.state.generation
        with self._lock:
            if self._counted == generation or self._started == generation:
                return self._value
            self._started = generation
        if not self.background:
            self._count(generation)
        else:
            threading.Thread(target=self._count, args=(generation,), daemon=True).start()
        return self._value

    def _count(self, generation: int) -> None:
        try:
            value = count_changes(self.state)
        except Exception:  # noqa: BLE001 - a toolbar must never break the prompt
            value = None
        with self._lock:
            if generation >= self._counted:
                self._value, self._counted = value, generation
        if self.on_update is not None and self.background:
            self.on_update()


def toolbar_text(state: ShellState, counter: ChangeCounter) -> str:
    count = counter.value()
    if count is None:
        changes = ""
    elif count == 0:
        changes = "no uncommitted changes"
    else:
        changes = f"{count} uncommitted change{'s' if count != 1 else ''}"
    return f"{state.session.edit_line}  {changes}".rstrip()


def make_toolbar(state: ShellState, counter: ChangeCounter) -> Callable[[], list[tuple[str, str]]]:
    def toolbar() -> list[tuple[str, str]]:
        if state.session.mode != "conf":
            return []
        return [("class:bottom-toolbar.text", " " + toolbar_text(state, counter) + " ")]
    return toolbar
