"""Firewall groups -> named nftables sets (pure).

Each group is one set, its members (and those of the groups it includes) its elements,
so a group edit changes only that set's ``elements`` line. Every element is re-parsed and
written in canonical form (ipaddress, integers, the interface-name pattern).
"""
from __future__ import annotations

import ipaddress
import re

from nos_shell.config.tree import ConfigTree
from nos_shell.schema.fwtypes import port_items

from .fwtree import MEMBER, group_names
from .fwverify import included_closure

PREFIX = {"address-group": "A", "ipv6-address-group": "A6", "network-group": "N",
          "ipv6-network-group": "N6", "port-group": "P", "interface-group": "I"}
_TYPES = {"address-group": "ipv4_addr", "ipv6-address-group": "ipv6_addr", "network-group": "ipv4_addr",
          "ipv6-network-group": "ipv6_addr", "port-group": "inet_service", "interface-group": "ifname"}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,62}", re.ASCII)
_IFNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-@]{0,14}", re.ASCII)


def set_name(node: str, name: str) -> str:
    """The set of group ``name`` of kind ``node`` (``address-group`` ...): ``A_name``."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"invalid group name {name!r}")
    return f"{PREFIX[node]}_{name}"


def _address(value: str, version: int) -> tuple[int, str]:
    make = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
    if "-" in value:
        first, last = (make(v) for v in value.split("-", 1))
        return int(first), f"{first}-{last}" if first != last else str(first)
    address = make(value)
    return int(address), str(address)


def _network(value: str, version: int) -> tuple[int, str]:
    net = (ipaddress.IPv4Network if version == 4 else ipaddress.IPv6Network)(value)
    return int(net.network_address), str(net)


def elements(node: str, members: list[str]) -> list[str]:
    """The canonical, sorted, de-duplicated elements of a set of kind ``node``."""
    keyed: dict[str, tuple] = {}
    for member in members:
        if node in ("address-group", "ipv6-address-group"):
            key, text = _address(member, 4 if node == "address-group" else 6)
        elif node in ("network-group", "ipv6-network-group"):
            key, text = _network(member, 4 if node == "network-group" else 6)
        elif node == "port-group":
            for low, high in port_items(member):
                text = f"{low}-{high}" if high != low else str(low)
                keyed[text] = (low, high)
            continue
        else:
            if not _IFNAME.fullmatch(member):
                raise ValueError(f"invalid interface name {member!r}")
            key, text = 0, f'"{member}"'
        keyed[text] = (key, text)
    return sorted(keyed, key=lambda text: keyed[text])


def compile_sets(tree: ConfigTree) -> list[str]:
    """Set definitions of every group, one tab deep, by kind then name."""
    lines: list[str] = []
    for node in MEMBER:
        for name in group_names(tree, node):
            members = [m for g in sorted(included_closure(tree, node, name))
                       for m in tree.values("firewall", "group", node, g, MEMBER[node])]
            lines.append(f"\tset {set_name(node, name)} {{")
            lines.append(f"\t\ttype {_TYPES[node]}")
            if node != "interface-group":
                lines += ["\t\tflags interval", "\t\tauto-merge"]
            found = elements(node, members)
            if found:
                lines.append(f"\t\telements = {{ {', '.join(found)} }}")
            lines.append("\t}")
    return lines
