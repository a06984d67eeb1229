"""A machine snapshot of a tree: loads without the config.boot grammar, checked before use.

The snapshot is a cache of a configuration file (an archived revision), never a source of
truth. Its bytes are one JSON header line, then the tree as compact JSON:

    {"format": 2, "version": "0.1.0", "serial": 7, "source": SHA256, "tree": SHA256,
     "proven": true}\\n
    {"interfaces": {"ethernet": {"eth0": {"address": "192.0.2.1/24"}}}}

A node with children only (a container, a tag node, most entries) is the object of its
children; a leaf with one value is that text, one with several the list of them; any
other node (one with a comment) is ``[children, values, comment]``, told from a list of
values by its first item, an object. So most nodes of a large configuration cost JSON one object or one list, not a
list, an object and two nulls each. ``source`` is the digest of the file the
snapshot mirrors and ``tree`` the digest of the JSON after the header, so a snapshot of
another file, a torn or edited one, or one written by another version of nos-shell is
refused (:class:`Stale`) and the caller parses the text instead. ``proven`` says the
tree's own config.boot text was proven to read back as the tree when it was archived
(nos_shell/config/readback.py), so the next commit need only read back what it changes.
Decoding checks the structure against the schema (every name known, values only on
leaves, text only) but does not validate values again: they were validated when the
revision was committed, and the digests tie them to that revision. Pure: no I/O.

The entries of a large tag node (thousands of VLANs, routes or neighbors) are decoded when
first read (:class:`_Entry`): a commit that changes one VLAN builds and checks the nodes
of that VLAN, not of all of them, and an entry never read is written into the next
snapshot as the JSON it was read from. A damaged entry found that late is refused with
:class:`Damaged` (a NosError naming the entry), never taken for a valid one.

JSON rather than marshal or pickle: on 4094 VLANs ``json.loads`` takes 2.5-4.5 ms against
3 ms for ``marshal.loads`` of the same lists (building the nodes, 7 ms, costs the same
either way), and unlike those it is safe on bytes someone else may have written.
"""
from __future__ import annotations

import hashlib
import json
import threading
from typing import NamedTuple

from ..errors import NosError
from ..schema import SCHEMA, Kind, SchemaNode
from ..version import __version__
from .tree import ConfigTree, Node

FORMAT = 3


class Stale(ValueError):
    """The snapshot cannot stand for the file: damaged, edited, or of another file or version."""


class Header(NamedTuple):
    serial: int | None      # the archive serial it mirrors (None for a file outside the archive)
    source: str             # sha256 of that file's bytes
    proven: bool = False    # the tree's config.boot text was proven to read back as the tree


def digest(data: bytes) -> str:
    """The digest a snapshot records of its source file."""
    return hashlib.sha256(data).hexdigest()


def encode(tree: ConfigTree, source: bytes, serial: int | None = None, *,
           proven: bool = False) -> bytes:
    """The snapshot of ``tree``, read from (or written as) the file bytes ``source``;
    ``proven``: the caller proved that ``tree``'s config.boot text reads back as it."""
    body = _ENCODER.encode(tree.root).encode()
    header = {"format": FORMAT, "version": __version__, "serial": serial,
              "source": digest(source), "tree": digest(body), "proven": proven}
    return json.dumps(header).encode() + b"\n" + body


def _plain(node: Node) -> dict | list:
    """One node as JSON sees it (the module docstring); json's C encoder walks the tree and
    asks for each node (an entry never read gives back the JSON it was decoded from,
    unread)."""
    if type(node) is _Entry and node._plain is not None:
        return node._plain
    values, comment = node.values, node.comment
    if comment is None:
        if values is None:
            return node.children
        if not node.children:
            return values[0] if len(values) == 1 else values
    return [node.children, values, comment]


_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False, default=_plain)


def header(data: bytes) -> Header:
    """The header of snapshot bytes; :class:`Stale` when it is not one this version wrote."""
    line = data.split(b"\n", 1)[0]
    try:
        info = json.loads(line)
    except ValueError:
        raise Stale("the header is not JSON") from None
    if not isinstance(info, dict) or info.get("format") != FORMAT or info.get("version") != __version__:
        raise Stale("written by another format or version")
    serial, source = info.get("serial"), info.get("source")
    if not (serial is None or type(serial) is int) or not isinstance(source, str):
        raise Stale("the header is damaged")
    return Header(serial, source, info.get("proven") is True)


def decode(data: bytes, source: bytes, schema: SchemaNode = SCHEMA) -> ConfigTree:
    """The tree in snapshot ``data`` when it mirrors the file bytes ``source``; else
    :class:`Stale` (the caller then parses ``source`` as config.boot text)."""
    if header(data).source != digest(source):
        raise Stale("it mirrors another file")
    line, _, body = data.partition(b"\n")
    if json.loads(line).get("tree") != digest(body):
        raise Stale("the tree does not match its digest")
    try:
        plain = json.loads(body)
    except (ValueError, RecursionError):
        raise Stale("the tree is not JSON") from None
    try:
        return ConfigTree(_node(plain, schema, False), schema)
    except RecursionError:
        raise Stale("the tree is nested too deep") from None


_VALUED = (Kind.LEAF, Kind.MULTI)

LAZY_ENTRIES = 64
"""A tag node with at least this many entries has them decoded when first read."""


class Damaged(NosError):
    """An entry of a snapshot, decoded when first read, is not a valid node (the snapshot was
    written by hand: nos-shell writes only valid ones, under a digest)."""


def _node(plain: object, schema: SchemaNode, holder: bool) -> Node:
    """The node for ``plain`` at ``schema``; ``holder``: a tag node keyed by tag values.
    The decoded children object becomes the node's children (each value replaced)."""
    node = _new(Node)
    _fill(node, plain, schema, holder)
    return node


def _fill(node: Node, plain: object, schema: SchemaNode, holder: bool) -> None:
    """Set ``node``'s fields from ``plain`` (checked against ``schema``); :class:`Stale` when
    it is not a node there."""
    kind = type(plain)
    if kind is dict:
        children, values, comment = plain, None, None
    elif kind is str:
        children, values, comment = {}, [plain], None
    elif kind is list and plain and type(plain[0]) is str:
        children, values, comment = {}, plain, None
    elif kind is list and len(plain) == 3 and type(plain[0]) is dict:
        children, values, comment = plain
        if values is not None and type(values) is not list or not (comment is None or type(comment) is str):
            raise Stale("a node's values or comment are not a list of text and a text")
    else:
        raise Stale("a node is neither an object of children, a value, a list of values nor "
                    "[children, values, comment]")
    if values is not None:
        if (holder or schema.kind not in _VALUED or not values
                or (schema.kind is Kind.LEAF and len(values) != 1)
                or any(type(v) is not str for v in values)):
            raise Stale("values where the schema has none, or not text")
    if children:
        if holder:
            if len(children) >= LAZY_ENTRIES:
                for key, child in children.items():
                    lazy = _new(_Entry)
                    lazy._plain, lazy._schema = child, schema
                    children[key] = lazy
            else:
                for key, child in children.items():
                    children[key] = _node(child, schema, False)
        else:
            known, tag = schema.children, Kind.TAG
            for name, child in children.items():
                spec = known.get(name)
                if spec is None:
                    raise Stale(f"unknown name {name!r}")
                children[name] = _node(child, spec, spec.kind is tag)
    node.values, node.comment, node.children = values, comment, children


_FIELDS = frozenset({"children", "values", "comment"})
_FILLING = threading.RLock()


class _Entry(Node):
    """A tag entry whose fields are decoded (and checked) when one is first read: until then
    its slots are empty and ``_plain`` holds its JSON."""

    __slots__ = ("_plain", "_schema")

    def __getattr__(self, name: str):       # (only for a slot not set yet)
        if name not in _FIELDS:
            raise AttributeError(name)
        self.ready()
        return Node.__getattribute__(self, name)

    def ready(self) -> Node:
        """Decode and check the entry now, if it is not yet (:meth:`Node.ready`)."""
        if self._plain is None:
            return self
        with _FILLING:              # (two threads reading one shared tree fill it once)
            plain = self._plain
            if plain is not None:
                try:
                    _fill(self, plain, self._schema, False)
                except (Stale, RecursionError) as exc:
                    raise Damaged(f"running configuration snapshot: an entry of {self._schema.name!r} "
                                  f"is damaged ({exc}); remove var/lib/nos-shell/running.snapshot "
                                  "to read config.boot instead") from None
                self._plain = None
        return self

    def leaf(self, name: str) -> list[str] | None:
        """:meth:`Node.leaf`, read from the JSON when the entry is not decoded yet and holds
        its children only (the common form: only that child is looked at, and taken when it
        is a known leaf's one text value); anything else decodes and checks the whole entry
        (a damaged one is refused)."""
        plain = self._plain
        if type(plain) is dict:
            child = plain.get(name)
            if child is None:
                if name in self._schema.children:
                    return None
            elif type(child) is str and name in _valued(self._schema):
                return [child]
        return Node.leaf(self, name)


_VALUED_NAMES: dict[int, tuple[SchemaNode, frozenset[str]]] = {}


def _valued(schema: SchemaNode) -> frozenset[str]:
    """The names of ``schema``'s children that hold values (leaves), once per schema node."""
    found = _VALUED_NAMES.get(id(schema))
    if found is None or found[0] is not schema:
        found = _VALUED_NAMES[id(schema)] = (schema, frozenset(
            name for name, child in schema.children.items() if child.kind in _VALUED))
    return found[1]



_new = Node.__new__


__all__ = ["FORMAT", "Damaged", "Header", "Stale", "decode", "digest", "encode", "header"]
