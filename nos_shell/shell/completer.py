"""Tab completion: small completers, one per source, merged (ptpython style).

- :class:`KeywordCompleter`: command words the grammar accepts (``next_keywords``);
- :class:`PathCompleter`: names below the current configuration node, with their help;
- :class:`ValueCompleter`: tag keys already in the tree and the words a value type lists;
- :class:`InterfaceCompleter`: kernel interface names (pyroute2, cached) and configured ones
  for interface-typed keys and values;
- :class:`RevisionCompleter`: revision numbers for `rollback` / `compare` / `show system commit`;
- :class:`NeighborCompleter`: configured BGP neighbors for `show bgp neighbors`;
- :class:`FileCompleter`: configuration files for `load`, `save` and `merge` (names in the
  saved-configuration folder, or absolute paths).

All of them read :meth:`ShellState.analyze` (cached per line), so together they walk the
line once. :func:`build_completer` merges them; :func:`threaded_completer` wraps the
result in a ``ThreadedCompleter`` for completion while typing.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from prompt_toolkit.completion import (CompleteEvent, Completer, Completion, ThreadedCompleter,
                                       merge_completers)
from prompt_toolkit.document import Document

from ..schema.types import InterfaceName, Union, ValueType
from .context import Analysis, Slot, unquote
from .state import ShellState
from .words import keyword_help


_NEEDS_QUOTES = re.compile(r"[\s\"'|\\]")


def quote(word: str) -> str:
    """A word as it must be typed: single-quoted when it holds blanks, quotes or `|`."""
    if word and not _NEEDS_QUOTES.search(word):
        return word
    return "'" + word.replace("\\", "\\\\").replace("'", "\\'") + "'"


def interface_type(vtype: ValueType | None) -> InterfaceName | None:
    """The interface-name part of a value type, if it has one."""
    if isinstance(vtype, InterfaceName):
        return vtype
    if isinstance(vtype, Union):
        for member in vtype.members:
            found = interface_type(member)
            if found is not None:
                return found
    return None


class ShellCompleter(Completer):
    """Base: runs :meth:`complete` on the analysis of the text before the cursor."""

    def __init__(self, state: ShellState):
        self.state = state

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        analysis = self.state.analyze(document.text_before_cursor)
        if analysis.slot is None:
            return
        prefix = unquote(analysis.partial) if analysis.partial else ""
        start = -len(analysis.partial)
        for word, meta in self.complete(analysis, analysis.slot, prefix):
            text = quote(word)
            yield Completion(text, start, display=word if text != word else None, display_meta=meta)

    def complete(self, analysis: Analysis, slot: Slot, prefix: str) -> Iterator[tuple[str, str]]:
        raise NotImplementedError


class KeywordCompleter(ShellCompleter):
    def complete(self, analysis, slot, prefix):
        for word in slot.keywords:
            if word != "|" and word.startswith(prefix):
                yield word, keyword_help(word, slot.mode, slot.previous)


def _path_command(slot: Slot) -> str:
    return slot.command[0] if slot.command else ""


class PathCompleter(ShellCompleter):
    def complete(self, analysis, slot, prefix):
        state = slot.path
        if slot.free != "path" or state is None or state.expect != "child":
            return
        editing = _path_command(slot) == "edit"
        for name in sorted(state.node.children):
            child = state.node.children[name]
            if name.startswith(prefix) and not (editing and child.is_leaf):
                yield name, child.help


class ValueCompleter(ShellCompleter):
    """Tag keys in the tree, the literal words of a value type, and current values."""

    def complete(self, analysis, slot, prefix):
        state = slot.path
        if slot.free != "path" or state is None or state.expect not in ("key", "value"):
            return
        seen: set[str] = set()
        vtype = state.node.type
        helps = dict(vtype.describe()) if vtype is not None else {}
        for word in vtype.choices() if vtype is not None else ():
            if word.startswith(prefix) and word not in seen:
                seen.add(word)
                yield word, helps.get(word, "")
        if state.expect == "key":
            existing = self.state.tree_keys(state.tree_path)
            what = f"existing {state.node.name}"
        elif _path_command(slot) != "set":
            existing = self.state.leaf_values(state.tree_path)
            what = "current value"
        else:
            return
        for word in existing:
            if word.startswith(prefix) and word not in seen:
                seen.add(word)
                yield word, what


class InterfaceCompleter(ShellCompleter):
    """Interface names for interface-typed keys and values (only while setting)."""

    def complete(self, analysis, slot, prefix):
        state = slot.path
        if slot.free != "path" or state is None or state.expect not in ("key", "value") \
                or _path_command(slot) != "set":
            return
        itype = interface_type(state.node.type)
        if itype is None:
            return
        from .interfaces import kernel_interfaces

        skip = set(self.state.tree_keys(state.tree_path)) if state.expect == "key" else set()
        skip.update(state.node.type.choices())  # type: ignore[union-attr]
        sources = [(kernel_interfaces(target=_router(self.state.session)), "kernel interface")]
        if state.expect == "value":
            sources.append((tuple(self.state.configured_interfaces()), "configured interface"))
        for names, what in sources:
            for name in names:
                if name.startswith(prefix) and name not in skip and _fits(itype, name):
                    skip.add(name)
                    yield name, what


def _router(session):
    """The session's target (whose namespace has the kernel interfaces), None if unreadable."""
    from ..errors import NosError

    try:
        return session.target
    except NosError:
        return None


def _fits(itype: InterfaceName, name: str) -> bool:
    try:
        itype.check(name)
        return True
    except ValueError:
        return False


class RevisionCompleter(ShellCompleter):
    def complete(self, analysis, slot, prefix):
        if slot.free != "revision":
            return
        first = 1 if _path_command(slot) == "rollback" else 0
        for number, rev in enumerate(self.state.revisions()):
            word = str(number)
            if number >= first and word.startswith(prefix):
                meta = f"{rev.time} by {rev.user} via {rev.via}"
                yield word, meta + (f": {rev.comment}" if rev.comment else "")


class NeighborCompleter(ShellCompleter):
    def complete(self, analysis, slot, prefix):
        if slot.free != "neighbor":
            return
        for address in self.state.session.running.keys("protocols", "bgp", "neighbor"):
            if address.startswith(prefix):
                yield address, "BGP neighbor"


class OpInterfaceCompleter(ShellCompleter):
    """Configured interface names after `show|clear interfaces TYPE` (of that type) and
    `monitor traffic interface` (any)."""

    def complete(self, analysis, slot, prefix):
        if slot.free != "interface":
            return
        from ..ops.counters import configured_types

        kind = slot.previous if slot.previous != "interface" else None
        for name, found in sorted(configured_types(self.state.session.running).items()):
            if name.startswith(prefix) and kind in (None, found):
                yield name, f"{found} interface"


class FileCompleter(ShellCompleter):
    def complete(self, analysis, slot, prefix):
        if slot.free != "file":
            return
        if prefix.startswith("/"):
            if self.state.session.confine_files:      # SSH: the configuration folder only
                return
            folder, _, start = prefix.rpartition("/")
            base, shown = Path(folder or "/"), folder + "/"
        else:
            base, shown, start = self.state.session.store.resolve_file("."), "", prefix
        try:
            entries = sorted(os.scandir(base), key=lambda e: e.name)
        except OSError:
            return
        confined = self.state.session.confine_files
        for entry in entries:
            if confined and not (_confined_choice(entry.name) and entry.is_file()):
                continue
            if entry.name.startswith(start) and not entry.name.startswith("."):
                is_dir = entry.is_dir()
                yield shown + entry.name + ("/" if is_dir else ""), "directory" if is_dir else "file"


def _confined_choice(name: str) -> bool:
    from ..confine import allowed_name

    return allowed_name(name)


COMPLETERS = (KeywordCompleter, PathCompleter, ValueCompleter, InterfaceCompleter,
              RevisionCompleter, NeighborCompleter, OpInterfaceCompleter, FileCompleter)


def build_completer(state: ShellState) -> Completer:
    """All completers merged (synchronous: for Tab and `?`). Their answers do not overlap
    (each skips what another one offers), so no deduplicating pass is needed."""
    return merge_completers([cls(state) for cls in COMPLETERS])


def threaded_completer(state: ShellState) -> Completer:
    """The merged completer run in a thread, so typing never waits for it."""
    return ThreadedCompleter(build_completer(state))


def completions(completer: Completer, text: str) -> list[Completion]:
    """The completions for the end of ``text`` (tests, `?` and Tab)."""
    return list(completer.get_completions(Document(text), CompleteEvent(completion_requested=True)))
