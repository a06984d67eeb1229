"""The configuration tree: nested nodes checked against the schema on every change.

A node holds either children (containers, tag nodes keyed by their tag values, tag
entries) or values (leaves; a multi-value leaf keeps the order values were set in).
A valueless leaf or an empty container is a node with neither. Output order is not
stored: renderers sort children by name and tag keys naturally.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import PathError
from ..schema import SCHEMA, Kind, SchemaNode
from .path import Resolved, invalid, locate, resolve, schema_at

# newline and tab are the only control characters a comment may hold (C1 and the Unicode
# line separators are refused: they would break the line-by-line readers)
_COMMENT_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
COMMENT_MAX = 1024


def check_comment(text: str) -> str:
    """The comment as stored (surrounding blanks dropped, as config.boot reading does);
    ValueError when config.boot could not hold it as written."""
    text = text.strip()
    if "*/" in text or _COMMENT_CONTROL.search(text):
        raise ValueError("a comment must not contain '*/' or control characters")
    if len(text) > COMMENT_MAX:
        raise ValueError(f"a comment must be at most {COMMENT_MAX} characters long")
    return text


class Node:
    __slots__ = ("children", "values", "comment")

    def __init__(self) -> None:
        self.children: dict[str, Node] = {}
        self.values: list[str] | None = None
        self.comment: str | None = None

    def copy(self) -> "Node":
        new = Node.__new__(Node)
        new.values = None if self.values is None else self.values[:]
        new.comment = self.comment
        new.children = {k: v.copy() for k, v in self.children.items()} if self.children else {}
        return new

    def ready(self) -> "Node":
        """This node with its fields set: a node decoded on demand (config/snapshot.py) is
        decoded now. Walks over every entry of a tag node call it, which is cheaper than
        the first read of a field doing it."""
        return self

    def leaf(self, name: str) -> list[str] | None:
        """The values of the child ``name`` (a leaf), or None when it is absent or has none;
        the caller must not change the list. (A node decoded on demand answers this without
        decoding its other children: config/snapshot.py.)"""
        child = self.children.get(name)
        return None if child is None else child.values

    def shallow(self) -> "Node":
        """A new node with this one's fields; the children themselves are shared."""
        new = Node.__new__(Node)
        new.values = None if self.values is None else self.values[:]
        new.comment = self.comment
        new.children = dict(self.children)
        return new

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        return (isinstance(other, Node) and self.values == other.values
                and self.comment == other.comment and self.children == other.children)

    def __repr__(self) -> str:
        if self.values is not None:
            return f"Node({self.values!r})"
        return f"Node({self.children!r})"


_DIGITS = re.compile(r"(\d+)")


_KEYS: dict[str, tuple] = {}
KEYS_KEPT = 1 << 16
"""At most this many keys' sort keys are kept by :func:`natural_key` (then it starts afresh)."""


def natural_key(key: str) -> tuple:
    """Sort key that puts eth2 before eth10 and rule 10 before rule 100; a total order:
    keys whose numbers are equal (eth1, eth01) fall back to the text, so equal trees
    always come out in the same order, whatever order they were built in. Kept per key
    text: a commit sorts the same tag keys in verify, compile and each rendering."""
    found = _KEYS.get(key)
    if found is not None:
        return found
    if key.isdigit() and key.isascii():     # (VLAN ids, rule numbers: the split's result)
        found = ("", int(key), ""), key
    else:
        found = tuple(int(part) if part.isdecimal() else part for part in _DIGITS.split(key)), key
    if len(_KEYS) >= KEYS_KEPT:
        _KEYS.clear()
    _KEYS[key] = found
    return found


def natural_sorted(keys) -> list[str]:
    """``sorted(keys, key=natural_key)``; tag keys that are all plain numbers (VLAN ids, rule
    numbers) are sorted by two C-level sorts instead (by text, then stably by number: the
    same order natural_key gives them) without a sort key made for each."""
    out = sorted(keys)
    if all(key.isdigit() and key.isascii() for key in out):
        out.sort(key=int)
        return out
    out.sort(key=natural_key)
    return out


def sorted_children(node: Node, schema: SchemaNode, is_tag: bool) -> list[tuple[str, Node]]:
    """Children in output order: tag keys naturally, names alphabetically."""
    children = node.children
    if is_tag:
        return [(key, children[key].ready()) for key in natural_sorted(children)]
    return sorted(children.items())


class ConfigTree:
    """A whole configuration. Every change goes through the schema.

    :meth:`copy` is copy-on-write: the copy and the original share their nodes, and a
    change through this API copies the nodes on its path first (``_owned``: the nodes this
    tree made since and may change in place; None: every node is its own). Code that
    changes nodes directly, not through this API, works on a :meth:`deep_copy`."""

    def __init__(self, root: Node | None = None, schema: SchemaNode = SCHEMA):
        self.root = root if root is not None else Node()
        self.schema = schema
        self._owned: dict[int, Node] | None = None

    # -- reading -------------------------------------------------------------
    def copy(self) -> "ConfigTree":
        """An independent tree equal to this one; unchanged subtrees stay shared (a change
        to either tree through this API never shows in the other)."""
        new = ConfigTree(self.root, self.schema)
        new._owned = {}
        self._owned = {}
        return new

    def deep_copy(self) -> "ConfigTree":
        """A copy sharing no node with this tree, for changing nodes directly."""
        return ConfigTree(self.root.copy(), self.schema)

    def writable(self, path: tuple[str, ...], create: bool = False) -> Node | None:
        """The node at ``path`` with every node from the root to it this tree's own
        (shared ones copied first), so it may be changed directly without the schema's
        checks (callers such as the rebase keep the tree valid themselves); None when it
        is missing and not ``create`` (with ``create``, missing nodes are made empty)."""
        owned = self._owned
        if owned is None:
            node = self.root
            for word in path:
                child = node.children.get(word)
                if child is None:
                    if not create:
                        return None
                    child = node.children[word] = Node()
                node = child
            return node
        if create is False and self.node(*path) is None:
            return None
        node = self.root
        if id(node) not in owned:
            node = self.root = node.shallow()
            owned[id(node)] = node
        for word in path:
            child = node.children.get(word)
            if child is None:
                child = node.children[word] = Node()
                owned[id(child)] = child
            elif id(child) not in owned:
                child = node.children[word] = child.shallow()
                owned[id(child)] = child
            node = child
        return node

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ConfigTree) and self.root == other.root

    def is_empty(self) -> bool:
        return not self.root.children

    def node(self, *path: str) -> Node | None:
        """The node at a tree path (names and tag keys), or None."""
        node = self.root
        for word in path:
            node = node.children.get(word)  # type: ignore[assignment]
            if node is None:
                return None
        return node

    def exists(self, *path: str) -> bool:
        return self.node(*path) is not None

    def keys(self, *path: str) -> list[str]:
        """Tag keys (or child names) under a path, in output order."""
        node = self.node(*path)
        return natural_sorted(node.children) if node else []

    def value(self, *path: str, default: bool = True) -> str | None:
        """A leaf's value; the schema default when unset (unless ``default=False``)."""
        node = self.node(*path)
        if node is not None and node.values:
            return node.values[0]
        if default:
            spec = schema_at(path, self.schema)
            return spec.default if spec is not None else None
        return None

    def values(self, *path: str) -> list[str]:
        node = self.node(*path)
        return list(node.values) if node is not None and node.values else []

    # -- changing ------------------------------------------------------------
    def set(self, words: list[str] | tuple[str, ...]) -> list[str]:
        """Apply `set WORDS`. Returns warnings (e.g. the path already exists)."""
        res = resolve(words, self.schema, "Set failed")
        if res.open_tag:
            raise PathError(f"Configuration path: [{res.text}] requires a value", "Set failed")
        if res.node.takes_value and res.value is None:
            raise PathError(f"Configuration path: [{res.text}] requires a value", "Set failed")
        if res.node.hash_into and res.value:
            return self._set_hashed(res)
        return self._store(res)

    def _store(self, res: Resolved) -> list[str]:
        node = self.writable(res.path, create=True)
        assert node is not None
        kind = res.node.kind
        if kind is Kind.LEAF:
            if node.values == [res.value]:
                return [f"Configuration path: [{res.text}] already exists"]
            node.values = [res.value]  # type: ignore[list-item]
            return []
        if kind is Kind.MULTI:
            if node.values is None:
                node.values = []
            if res.value in node.values:
                return [f"Configuration path: [{res.text}] already exists"]
            node.values.append(res.value)  # type: ignore[arg-type]
        return []

    def _set_hashed(self, res: Resolved) -> list[str]:
        from ..secrets import hash_password

        parent = res.path[:-1]
        # the hash first: a password that cannot be hashed changes nothing
        target = resolve(list(parent) + [res.node.hash_into, hash_password(res.value)], self.schema)  # type: ignore[list-item,arg-type]
        self._store(Resolved(res.path, res.node, ""))
        self._store(target)
        return []

    def delete(self, words: list[str] | tuple[str, ...]) -> None:
        """Apply `delete WORDS`: a subtree, a leaf, or one value of a multi-value leaf."""
        res = resolve(words, self.schema, "Delete failed")
        missing = PathError("Nothing to delete (the specified node does not exist)", "Delete failed")
        if self.node(*res.path) is None:
            raise missing
        parent = self.writable(res.path[:-1])
        assert parent is not None
        node = parent.children[res.path[-1]]
        if res.value is not None:
            node = self.writable(res.path)  # type: ignore[assignment]
            if not node.values or res.value not in node.values:
                raise missing
            node.values.remove(res.value)
            if node.values:
                return
        del parent.children[res.path[-1]]
        self._prune_empty(res.path[:-1])

    def _prune_empty(self, path: tuple[str, ...]) -> None:
        """Remove ancestors a delete left empty: tag nodes with no entries and
        containers that mean nothing when empty (tag entries and presence containers stay)."""
        while path:
            node = self.node(*path)
            if node is None or node.children or node.values is not None:
                return
            spec, last = locate(path, self.schema)
            removable = last == "tag" or (last == "name" and spec is not None
                                          and spec.kind is Kind.CONTAINER and not spec.presence)
            if not removable:
                return
            del self.node(*path[:-1]).children[path[-1]]  # type: ignore[union-attr]
            path = path[:-1]

    def is_tag_name(self, path: tuple[str, ...]) -> bool:
        """True when ``path`` ends on a tag node's name (`interfaces ethernet`), not a key."""
        return locate(path, self.schema)[1] == "tag"

    def comment(self, words: list[str] | tuple[str, ...], text: str) -> None:
        res = resolve(words, self.schema, "Comment failed")
        if res.open_tag:
            raise PathError(f"Configuration path: [{res.text}] needs a tag value to attach a comment to",
                            "Comment failed")
        node = self.node(*res.path)
        if node is None:
            raise invalid(list(res.path), "Comment failed")
        node = self.writable(res.path)
        assert node is not None
        # config.boot writes the text as /* TEXT */: it must not end the comment early, and
        # no control character but newline and tab may reach the file
        try:
            text = check_comment(text)
        except ValueError as exc:
            raise PathError(f"Configuration path: [{res.text}]: {exc}", "Comment failed") from None
        node.comment = text or None

    def copy_tag(self, src: list[str], dst: list[str], move: bool) -> None:
        """`copy` / `rename`: duplicate or move a tag entry under a new key of the same tag."""
        verb = "Rename" if move else "Copy"
        res = resolve(src, self.schema, f"{verb} failed")
        if not self._ends_on_key(res.path):
            raise PathError(f"{verb} failed: [{' '.join(src)}] is not a tag node value")
        if len(dst) != 2 or dst[0] != res.path[-2]:
            raise PathError(f"{verb} failed: destination must be '{res.path[-2]} VALUE'")
        target = resolve(list(res.path[:-1]) + [dst[1]], self.schema, f"{verb} failed")
        parent = self.node(*res.path[:-1])
        if parent is None or res.path[-1] not in parent.children:
            raise PathError(f"Configuration path: [{' '.join(res.path)}] does not exist", f"{verb} failed")
        if dst[1] in parent.children:
            raise PathError(f"Configuration path: [{target.text}] already exists", f"{verb} failed")
        parent = self.writable(res.path[:-1])
        assert parent is not None
        node = parent.children[res.path[-1]]
        parent.children[dst[1]] = node if move else node.copy()
        if move:
            del parent.children[res.path[-1]]

    def _ends_on_key(self, path: tuple[str, ...]) -> bool:
        """True when ``path`` ends on a tag value (`interfaces ethernet eth0`)."""
        return locate(path, self.schema)[1] == "key"

    def merge(self, other: "ConfigTree") -> None:
        """Merge another tree into this one (VyOS `merge`: leaves from ``other`` win)."""
        if self._owned is not None:       # (rare: made its own whole first)
            self.root, self._owned = self.root.copy(), None
        _merge(self.root, other.root, self.schema, False)

    # -- walking ---------------------------------------------------------------
    def walk(self) -> Iterator[tuple[tuple[str, ...], SchemaNode, Node]]:
        """Every node in output order with its tree path and schema node."""
        yield from _walk(self.root, self.schema, (), False)


def _merge(into: Node, other: Node, schema: SchemaNode, is_tag: bool) -> None:
    if other.values is not None:
        if schema.kind is Kind.MULTI and into.values is not None:
            into.values.extend(v for v in other.values if v not in into.values)
        else:
            into.values = list(other.values)
    if other.comment:
        into.comment = other.comment
    for key, child in other.children.items():
        child_schema = schema if is_tag else schema.children[key]
        if key in into.children:
            _merge(into.children[key], child, child_schema,
                   not is_tag and child_schema.kind is Kind.TAG)
        else:
            into.children[key] = child.copy()


def _walk(node: Node, schema: SchemaNode, path: tuple[str, ...], is_tag: bool):
    for key, child in sorted_children(node, schema, is_tag):
        child_schema = schema if is_tag else schema.children[key]
        child_path = path + (key,)
        child_is_tag = not is_tag and child_schema.kind is Kind.TAG
        yield child_path, child_schema, child
        yield from _walk(child, child_schema, child_path, child_is_tag)
