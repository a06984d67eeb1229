"""Resolve the words of a configuration path against the schema.

`set interfaces ethernet eth0 address 192.0.2.1/24` becomes the tree path
``("interfaces", "ethernet", "eth0", "address")`` with value ``"192.0.2.1/24"``.
Schema words may be abbreviated to any unique prefix; tag keys and values may not.
"""
from __future__ import annotations

from typing import NamedTuple

from ..errors import PathError
from ..schema import SCHEMA, Kind, SchemaNode
from ..schema.types import shown
from .checked import check


class Resolved(NamedTuple):
    """Where the words of a configuration path lead."""

    path: tuple[str, ...]       # tree path: schema names and tag keys
    node: SchemaNode            # schema node the path ends on
    value: str | None = None    # the value word of a leaf or multi-value leaf
    open_tag: bool = False      # the path names a tag node but no key (`interfaces ethernet`)

    @property
    def text(self) -> str:
        words = list(self.path) + ([self.value] if self.value is not None else [])
        return " ".join(words)


def invalid(words: list[str] | tuple[str, ...], *more: str) -> PathError:
    return PathError(f"Configuration path: [{' '.join(words)}] is not valid", *more)


def _child(node: SchemaNode, word: str, seen: list[str], trailer: str) -> SchemaNode:
    child = node.children.get(word)
    if child is not None:
        return child
    names = node.complete_child(word) if word else []
    if len(names) == 1:
        return node.children[names[0]]
    if len(names) > 1:
        raise PathError(f"Ambiguous command: [{' '.join(seen + [word])}]",
                        f"Possible completions: {', '.join(sorted(names))}", trailer)
    raise invalid(seen + [word], trailer)


def resolve(words: list[str] | tuple[str, ...], schema: SchemaNode = SCHEMA,
            trailer: str = "Set failed") -> Resolved:
    """Walk ``words`` down the schema, checking tag keys and values by their types."""
    node = schema
    path: list[str] = []
    i, n = 0, len(words)
    while i < n:
        if node.is_leaf:
            raise invalid(path + list(words[i:i + 1]), trailer)
        node = _child(node, words[i], path, trailer)
        path.append(node.name)
        i += 1
        if node.kind is Kind.TAG:
            if i == n:
                return Resolved(tuple(path), node, open_tag=True)
            key = words[i]
            _check(node, key, path, trailer)
            path.append(key)
            i += 1
        elif node.takes_value:
            if i == n:
                return Resolved(tuple(path), node)
            value = words[i]
            if i + 1 < n:
                raise invalid(path + list(words[i:]), trailer)
            _check(node, value, path, trailer)
            return Resolved(tuple(path), node, value)
    return Resolved(tuple(path), node)


def _check(node: SchemaNode, value: str, path: list[str], trailer: str) -> None:
    # a type may be stricter with a value typed now than with one loaded from a file
    # (check_set: types.CryptHash), so that files written before a rule tightened load
    try:
        check(node.type, value, on_set=True)  # type: ignore[arg-type]
    except ValueError as exc:
        raise PathError(f"Configuration path: [{' '.join(path + [shown(value)])}] is not valid",
                        str(exc), "Value validation failed", trailer) from None


def locate(path: tuple[str, ...] | list[str], schema: SchemaNode = SCHEMA) -> tuple[SchemaNode | None, str]:
    """Where a full tree path (names and keys) ends: its schema node and what its last word
    is: ``"tag"`` (a tag node's name, `interfaces ethernet`), ``"key"`` (a tag value,
    `interfaces ethernet eth0`), ``"name"`` (any other node) or ``""`` (the root).
    Unknown names give ``(None, "")``."""
    node, last = schema, ""
    for word in path:
        if last == "tag":
            last = "key"
            continue
        child = node.children.get(word)
        if child is None:
            return None, ""
        node = child
        last = "tag" if node.kind is Kind.TAG else "name"
    return node, last


def schema_at(path: tuple[str, ...] | list[str], schema: SchemaNode = SCHEMA) -> SchemaNode | None:
    """The schema node for a full tree path (names and keys), or None."""
    return locate(path, schema)[0]
