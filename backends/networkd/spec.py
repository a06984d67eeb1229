"""The inputs of networkd's unit files ("specs") and how each renders: equal specs, equal bytes.

:class:`Net` collects one .network's sections while the compiler builds it; its
:meth:`Net.spec` is the comparable value (:class:`NetworkSpec`) that the incremental compile
(delta.py) compares before rendering anything.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from nos_shell.config.tree import ConfigTree, Node
from nos_shell.models.interfaces import Interface

from ..common.unitfile import render
from .netdev import netdev

# Order of sections in a .network, and of keys in its [Network] section.
SECTIONS = ("Match", "Link", "Network", "DHCPv4", "DHCPv6", "Bridge", "DHCPServer",
            "DHCPServerStaticLease", "Route")
REPEATED = ("Route", "DHCPServerStaticLease")
_SECTION_RANK = {name: rank for rank, name in enumerate(SECTIONS)}
NETWORK_KEYS = ("DHCP", "Address", "ConfigureWithoutCarrier", "LinkLocalAddressing", "IPForward",
                "DHCPServer", "Bridge", "Bond", "VLAN", "MACVLAN", "VXLAN")


class Net:
    """One .network being built; sections hold (key, value) pairs, repeatable ones per instance."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.comments: list[str] = []
        self.sections: dict[str, list[list[tuple[str, str]]]] = defaultdict(list)

    def __repr__(self) -> str:
        return f"Net({self.name!r}, {self.comments!r}, {dict(self.sections)!r})"

    def add(self, section: str, key: str, value) -> None:
        instances = self.sections[section]
        if not instances:
            instances.append([])
        instances[0].append((key, str(value)))

    def new(self, section: str) -> list[tuple[str, str]]:
        self.sections[section].append([])
        return self.sections[section][-1]

    def spec(self) -> NetworkSpec:
        """Everything the file's bytes depend on, as a comparable value."""
        sections = self.sections
        names = [name for name in sections if name in _SECTION_RANK and sections[name]]
        if len(names) > 1:
            names.sort(key=_SECTION_RANK.__getitem__)
        return NetworkSpec(tuple(self.comments),
                           tuple([(name, tuple(map(tuple, sections[name]))) for name in names]))


class Skipped(Net):
    """A unit nobody asked for: what is added to it is dropped (networkd/delta.py builds
    only the units of the interfaces a change reaches)."""

    def add(self, section: str, key: str, value) -> None:
        return None

    def new(self, section: str) -> list[tuple[str, str]]:
        return []


class NetworkSpec(NamedTuple):
    """The inputs of one .network: equal specs render equal bytes."""

    comments: tuple[str, ...]
    sections: tuple[tuple[str, tuple[tuple[tuple[str, str], ...], ...]], ...]

    def render(self) -> bytes:
        return render(self.comments, self._ordered())

    def _ordered(self):
        """(section name, pairs) in file order; [Network]'s keys in :data:`NETWORK_KEYS` order."""
        for name, instances in self.sections:
            for pairs in instances:
                if name == "Network":
                    pairs = sorted(pairs, key=_network_rank)
                yield name, pairs


_RANK = {key: rank for rank, key in enumerate(NETWORK_KEYS)}


def _network_rank(pair: tuple[str, str]) -> int:
    return _RANK[pair[0]]


@dataclass(frozen=True)
class NetdevSpec:
    """The inputs of one .netdev: the interface and its configuration subtree (netdev.py
    reads nothing else)."""

    iface: Interface
    node: Node | None
    tree: ConfigTree = field(compare=False)

    def render(self) -> bytes:
        return netdev(self.tree, self.iface, self.node)


class FixedSpec(NamedTuple):
    data: bytes

    def render(self) -> bytes:
        return self.data


Spec = NetworkSpec | NetdevSpec | FixedSpec


