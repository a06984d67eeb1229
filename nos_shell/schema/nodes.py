"""Schema node kinds and the small builders the per-area modules use to declare the tree."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .types import ValueType


class Kind(enum.Enum):
    CONTAINER = "container"   # interfaces { ... }
    TAG = "tag"               # ethernet eth0 { ... }: a key word, then children
    LEAF = "leaf"             # mtu 1500
    MULTI = "multi"           # address A; address B
    FLAG = "flag"             # disable (valueless leaf)


@dataclass(eq=False)
class SchemaNode:
    """One node of the declarative schema.

    ``type`` is the value type of a leaf, or the key type of a tag node.
    ``hash_into`` names a sibling leaf that receives the crypt(3) hash of a secret
    value, which itself is then stored empty (plaintext passwords never stay in the tree).
    A ``presence`` container means something even when empty (`service ssh`); other
    containers are removed when a delete leaves them empty.
    """

    name: str
    kind: Kind
    help: str = ""
    type: ValueType | None = None
    children: dict[str, "SchemaNode"] = field(default_factory=dict)
    default: str | None = None
    hash_into: str | None = None
    presence: bool = False

    def __post_init__(self) -> None:
        # plain attributes: these are read for every word of every command
        self.is_leaf = self.kind in (Kind.LEAF, Kind.MULTI, Kind.FLAG)
        self.takes_value = self.kind in (Kind.LEAF, Kind.MULTI)

    def complete_child(self, prefix: str) -> list[str]:
        """Child names a word may stand for: an exact name alone, else every name it begins."""
        if prefix in self.children:
            return [prefix]
        return [n for n in self.children if n.startswith(prefix)]


def _index(children: tuple[SchemaNode, ...]) -> dict[str, SchemaNode]:
    out: dict[str, SchemaNode] = {}
    for child in children:
        if child.name in out:
            raise ValueError(f"duplicate schema node {child.name}")
        out[child.name] = child
    return out


def container(name: str, help: str, *children: SchemaNode, presence: bool = False) -> SchemaNode:
    return SchemaNode(name, Kind.CONTAINER, help, children=_index(children), presence=presence)


def tag(name: str, key: ValueType, help: str, *children: SchemaNode) -> SchemaNode:
    return SchemaNode(name, Kind.TAG, help, type=key, children=_index(children))


def leaf(name: str, type: ValueType, help: str, default: str | None = None,
         hash_into: str | None = None) -> SchemaNode:
    return SchemaNode(name, Kind.LEAF, help, type=type, default=default, hash_into=hash_into)


def multi(name: str, type: ValueType, help: str) -> SchemaNode:
    return SchemaNode(name, Kind.MULTI, help, type=type)


def flag(name: str, help: str) -> SchemaNode:
    return SchemaNode(name, Kind.FLAG, help)
