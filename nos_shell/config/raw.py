"""config.boot as written, before the schema is consulted: :class:`RawNode` and the small
helpers the migrations (migrate.py) use to reshape a list of them in place."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(eq=True, slots=True)
class RawNode:
    """One node as written in the file, before the schema is consulted.

    ``children`` is None for a line without a block (`mtu 1500`, `disable`), a list
    (possibly empty) for `name {` ... `}`; ``value`` is the word after the name.
    """

    name: str
    value: str | None = None
    children: list["RawNode"] | None = None
    comment: str | None = None
    line: int = 0


def select(nodes: list[RawNode] | None, path: str) -> Iterator[RawNode]:
    """Blocks at a space-separated path; `name*` steps into every entry of a tag node."""
    current = list(nodes or ())
    steps = path.split()
    for depth, step in enumerate(steps):
        name, every = step.rstrip("*"), step.endswith("*")
        found = [n for n in current if n.name == name and n.children is not None
                 and (n.value is not None) is every]
        if depth == len(steps) - 1:
            yield from found
            return
        current = [c for n in found for c in n.children or ()]


def get(node: RawNode, name: str) -> RawNode | None:
    """The first child of ``node`` called ``name``."""
    for child in node.children or ():       # (a loop: the migrations ask for every interface)
        if child.name == name:
            return child
    return None


def value(node: RawNode, name: str) -> str | None:
    child = get(node, name)
    return child.value if child is not None else None


def remove(node: RawNode, child: RawNode) -> None:
    node.children = [c for c in node.children or () if c is not child]


def ensure(node: RawNode, name: str, key: str | None = None) -> RawNode:
    """The child block ``name`` (tag entry ``name key``) of ``node``, created when missing."""
    for child in node.children or ():
        if child.name == name and child.value == key and child.children is not None:
            return child
    child = RawNode(name, key, [], None, node.line)
    node.children = (node.children or []) + [child]
    return child


def put(node: RawNode, name: str, val: str | None) -> None:
    """Set leaf ``name`` of ``node`` to ``val`` (replacing any previous value)."""
    for child in node.children or ():
        if child.name == name and child.children is None:
            child.value = val
            return
    node.children = (node.children or []) + [RawNode(name, val, None, None, node.line)]


def drop_if_empty(parent: RawNode, child: RawNode | None) -> None:
    if child is not None and not child.children:
        remove(parent, child)


def top_block(nodes: list[RawNode], name: str) -> RawNode:
    """The top-level block ``name`` (`system`, `qos`), appended when missing."""
    for node in nodes:
        if node.name == name and node.value is None and node.children is not None:
            return node
    node = RawNode(name, None, [], None, 0)
    nodes.append(node)
    return node


def interface_blocks(nodes: list[RawNode], svlan_first: bool = False) -> Iterator[tuple[str, RawNode]]:
    """(Linux name, block) of every interface and VLAN sub-interface under `interfaces`.
    An 802.1ad `vif-s` comes after its `vif-c` blocks, or before them with ``svlan_first``
    (the order of VyOS's firewall migration, which numbers rules by it)."""
    for top in select(nodes, "interfaces"):
        for iface in top.children or ():
            if iface.value is None or iface.children is None:
                continue
            yield iface.value, iface
            for vif in select(iface.children, "vif*"):
                yield f"{iface.value}.{vif.value}", vif
            for svlan in select(iface.children, "vif-s*"):
                if svlan_first:
                    yield f"{iface.value}.{svlan.value}", svlan
                for cvlan in select(svlan.children, "vif-c*"):
                    yield f"{iface.value}.{svlan.value}.{cvlan.value}", cvlan
                if not svlan_first:
                    yield f"{iface.value}.{svlan.value}", svlan
