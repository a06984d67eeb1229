"""The backends' last check on values: every word they copy into a file is a plain word.

The schema's types already admit nothing else, so in practice this finds nothing; it is
here so that a value which got past them (a bug, a hand-edited archive) is refused by
verify with its configuration path, instead of raising while a file is being written.

A plain word is printable ASCII without blanks, quotes, braces, ``#``, ``;``, ``%``,
``\\`` or ``$``: every address, prefix, name, number, MAC address, base64 key and enum
word of the schema. Free text (:class:`~nos_shell.schema.types.Text` leaves:
descriptions, passwords) is not checked here; each backend writes it its own way
(comment lines, quoted strings) and verifies it there.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from nos_shell.config.tree import ConfigTree, Node
from nos_shell.models import shared
from nos_shell.problems import Problem
from nos_shell.schema import Kind, SchemaNode
from nos_shell.schema.types import Text, shown

PLAIN = re.compile(r"[A-Za-z0-9_.:/@+,!=\-]+", re.ASCII)
_NOT_PLAIN = re.compile(r"[^A-Za-z0-9_.:/@+,!=\- ]")


def all_plain(words: list[str]) -> bool:
    """Whether every word is plain (PLAIN.fullmatch), in one search over the words joined by
    spaces: no word is empty, no word holds a space (the join would have more spaces than
    the words' gaps) and nothing else in the text is outside the plain characters."""
    if not words:
        return True
    joined = " ".join(words)
    return all(words) and joined.count(" ") == len(words) - 1 and not _NOT_PLAIN.search(joined)


def _words(name: str, node: Node, spec: SchemaNode, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    """(path, word) for every tag key and non-free-text value of child ``name`` and below."""
    here = path + (name,)
    if spec.kind is Kind.TAG:
        for key, entry in node.children.items():
            yield here + (key,), key
            for sub, child in entry.children.items():
                if sub in spec.children:
                    yield from _words(sub, child, spec.children[sub], here + (key,))
    elif spec.kind is Kind.CONTAINER:
        for sub, child in node.children.items():
            if sub in spec.children:
                yield from _words(sub, child, spec.children[sub], here)
    elif spec.takes_value and not isinstance(spec.type, Text):
        yield from ((here, value) for value in node.values or ())


def unsafe_words(tree: ConfigTree, *areas: tuple[str, ...]) -> list[Problem]:
    """A problem for each word at or below ``areas`` (schema names, no tag keys) that is
    not plain. A backend's verify returns these alone when there are any, so none of its
    other rules ever reads such a value. Each area is walked once per shared model
    (several drivers write the interfaces' values)."""
    model = shared.of(tree)
    problems = []
    for area in areas:
        problems += model.derived("safety.unsafe " + " ".join(area), lambda m: _unsafe_in_area(m.tree, area))
    return problems


def _unsafe_in_area(tree: ConfigTree, area: tuple[str, ...]) -> list[Problem]:
    node, spec = tree.node(*area), tree.schema
    for name in area:
        spec = spec.children[name]
    if node is None:
        return []
    words: list[str] = []
    _collect(node, spec, words)
    if all_plain(words):
        return []
    return [_unsafe(path, word) for path, word in _words(area[-1], node, spec, area[:-1])
            if not PLAIN.fullmatch(word)]


def _collect(node: Node, spec: SchemaNode, into: list[str]) -> None:
    """The words :func:`_words` yields, without their paths (to check them all at once)."""
    kind, children = spec.kind, spec.children
    if kind is Kind.TAG:
        into += node.children
        for entry in node.children.values():
            for sub, child in entry.children.items():
                inner = children.get(sub)
                if inner is not None:
                    _collect(child, inner, into)
    elif kind is Kind.CONTAINER:
        for sub, child in node.children.items():
            inner = children.get(sub)
            if inner is not None:
                _collect(child, inner, into)
    elif spec.takes_value and not isinstance(spec.type, Text) and node.values:
        into += node.values


def _unsafe(path: tuple[str, ...], word: str) -> Problem:
    return Problem(path, f"Value {shown(word)!r} cannot be written safely to a generated file")


def unsafe_words_in(tree: ConfigTree, changed: list[tuple[str, ...]], *areas: tuple[str, ...]) -> list[Problem]:
    """:func:`unsafe_words` of ``tree`` limited to the subtrees at the ``changed`` paths: the
    same problems when every word outside them was plain (the tree they changed passed)."""
    whole = [area for area in areas if any(path[:len(area)] == area[:len(path)] and len(path) <= len(area)
                                           for path in changed)]
    problems = unsafe_words(tree, *whole)
    for path in changed:
        area = next((a for a in areas if len(path) > len(a) and path[:len(a)] == a), None)
        if area is None or area in whole:
            continue
        for where, word in _words_at(tree, path):
            if not PLAIN.fullmatch(word):
                problems.append(_unsafe(where, word))
    return problems


def _words_at(tree: ConfigTree, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    """What :func:`_words` yields for the node at ``path`` and below (nothing when the node is
    gone, or when the schema does not lead to it, since then no walk from above reaches it)."""
    node = tree.node(*path)
    if node is None:
        return
    spec, entry = tree.schema, False        # entry: at a tag entry (a key), not a named child
    for depth, word in enumerate(path):
        if spec.kind is Kind.TAG and not entry:
            entry = True
            if depth == len(path) - 1:      # the entry itself: its key and all below
                yield path, word
                for sub, child in node.children.items():
                    if sub in spec.children:
                        yield from _words(sub, child, spec.children[sub], path)
                return
            continue
        if word not in spec.children:
            return
        spec, entry = spec.children[word], False
    yield from _words(path[-1], node, spec, path[:-1])
