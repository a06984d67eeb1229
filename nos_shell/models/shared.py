"""One model per tree per commit: the daemon-independent readings verify and every driver share.

:func:`of` gives the :class:`Model` of a tree. Inside a :func:`sharing` block (the commit
engine opens one around verify and apply) the model of a tree object is built once and
handed to every caller, so the interface list is walked once and each address is parsed
once per commit, whatever number of drivers ask. Outside a block every call builds a fresh
model: always correct, just not shared. Trees must not change inside a block.

A driver caches what it derives from the tree (networkd: the connected-prefix index) with
:meth:`Model.derived`, so its verify and compile share it too.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from . import interfaces as ifmodel

if TYPE_CHECKING:
    from nos_shell.config.tree import ConfigTree, Node

T = TypeVar("T")
IPInterface = ifmodel.IPInterface


class Model:
    """What several drivers read from one tree, each part built on first use."""

    def __init__(self, tree: ConfigTree):
        self.tree = tree
        self._derived: dict[str, Any] = {}

    @cached_property
    def defined(self) -> list[tuple[ifmodel.Interface, Node]]:
        """Every interface definition with its node, duplicates included."""
        return ifmodel.defined(self.tree)

    @cached_property
    def interfaces(self) -> list[ifmodel.Interface]:
        """Every interface definition, duplicates included (verify reports them)."""
        return [iface for iface, _ in self.defined]

    @cached_property
    def unique_defined(self) -> list[tuple[ifmodel.Interface, Node]]:
        """:attr:`unique`, each with the node that defines it."""
        first = self.by_name
        if len(first) == len(self.defined):
            return self.defined
        return [(iface, node) for iface, node in self.defined if first[iface.name] is iface]

    @cached_property
    def by_name(self) -> dict[str, ifmodel.Interface]:
        """Name -> the first definition of that name."""
        out: dict[str, ifmodel.Interface] = {}
        for iface in self.interfaces:
            out.setdefault(iface.name, iface)
        return out

    @cached_property
    def unique(self) -> list[ifmodel.Interface]:
        """The first definition of each name, in model order."""
        return list(self.by_name.values())

    def addresses(self, iface: ifmodel.Interface) -> tuple[IPInterface, ...]:
        """The interface's static addresses, parsed once per model."""
        cache = self._derived.setdefault("addresses", {})
        key = iface.path
        if key not in cache:
            cache[key] = tuple(ifmodel.parse_interface(a) for a in self.address_words(iface))
        return cache[key]

    def address_words(self, iface: ifmodel.Interface) -> tuple[str, ...]:
        """The interface's static addresses as configured (not `dhcp`/`dhcpv6`), in order:
        the words :meth:`addresses` parses, one for one."""
        cache = self._derived.setdefault("address_words", {})
        key = iface.path
        found = cache.get(key)
        if found is None:
            own = self.node_of(iface)
            node = own.children.get("address") if own is not None else None
            found = cache[key] = tuple(a for a in node.values or () if a not in ("dhcp", "dhcpv6")) if node else ()
        return found

    @cached_property
    def nodes(self) -> dict[tuple[str, ...], Node]:
        """Each interface definition's node, by its path."""
        return {iface.path: node for iface, node in self.defined}

    def node_of(self, iface: ifmodel.Interface) -> Node | None:
        """The node at the interface's path in this model's tree (None when there is none):
        from :attr:`nodes` once the model has walked its interfaces, else by the path (a
        one-line commit reads a few interfaces and need not walk them all)."""
        if "defined" in self.__dict__:
            found = self.nodes.get(iface.path)
            if found is not None:
                return found
        return self.tree.node(*iface.path)

    def derived(self, key: str, build: Callable[[Model], T]) -> T:
        """``build(self)``, computed once per model under ``key`` (a driver's own readings)."""
        if key not in self._derived:
            self._derived[key] = build(self)
        return self._derived[key]


_local = threading.local()


def _memo() -> Memo | None:
    return getattr(_local, "memo", None)


Memo = dict[int, tuple["ConfigTree", Model]]


@contextmanager
def sharing(keep: bool = False, resume: bool = False) -> Iterator[None]:
    """Share one model per tree object until the block ends (nested blocks join the outer
    one). ``keep``: the models stay for the next block opened with ``resume`` in this thread
    (the commit engine carries the model verify built at a command file's `commit` to the
    apply at the file's end); that block starts from them and drops them when it ends."""
    if _memo() is not None:
        yield
        return
    kept: Memo = getattr(_local, "kept", None) or {}
    _local.kept = None
    _local.memo = kept if resume else {}
    try:
        yield
    finally:
        if keep:
            _local.kept = _local.memo
        _local.memo = None


def of(tree: ConfigTree) -> Model:
    """The model of ``tree``: the shared one inside :func:`sharing`, else a new one."""
    memo = _memo()
    if memo is None:
        return Model(tree)
    hit = memo.get(id(tree))
    if hit is not None and hit[0] is tree:
        return hit[1]
    model = Model(tree)
    memo[id(tree)] = (tree, model)
    return model
