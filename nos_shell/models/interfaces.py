"""The interfaces a configuration defines, as one flat list (shared by drivers, the BGP model and views).

`interfaces ethernet eth0 vif 100` and `interfaces vlan 100 source-interface eth0` both
define the VLAN interface ``eth0.100``; both appear here with kind ``vlan``, their parent
and id, and the configuration path that defined them.
"""
from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import NamedTuple

from nos_shell.config.tree import ConfigTree, Node, natural_sorted

# Kinds in schema order; the ones that can carry `vif` children.
KINDS = ("ethernet", "bridge", "bonding", "dummy", "loopback", "pseudo-ethernet", "vxlan", "wireguard")
WITH_VIF = ("ethernet", "bridge", "bonding", "pseudo-ethernet")
IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface


class Interface(NamedTuple):
    """One interface definition. A named tuple rather than a frozen dataclass: a model of
    thousands of VLANs makes one per VLAN at every commit, and a tuple is made in a fifth
    of the time."""

    name: str
    kind: str                       # a KINDS entry, or "vlan" for vif and `interfaces vlan`
    path: tuple[str, ...]           # configuration path of the node that defines it
    parent: str | None = None       # vlan: the parent interface
    vlan_id: int | None = None
    protocol: str | None = None     # vlan: "802.1ad" or "802.1q" for a QinQ outer tag (vif-s)

    def at(self, *more: str) -> tuple[str, ...]:
        return self.path + more


_make = tuple.__new__
"""Makes an :class:`Interface` from all six fields at once (no keyword handling)."""


def interfaces(tree: ConfigTree) -> list[Interface]:
    """Every interface the configuration defines, in a stable order (may contain duplicates
    of a name when the configuration is wrong; verify reports those)."""
    return [iface for iface, _ in defined(tree)]


def defined(tree: ConfigTree) -> list[tuple[Interface, Node]]:
    """:func:`interfaces`, each with the node that defines it (walked once, from the
    `interfaces` node down: no path is looked up from the root again)."""
    out: list[tuple[Interface, Node]] = []
    top = tree.root.children.get("interfaces")
    if top is None:
        return out
    add = out.append
    for kind in KINDS:
        holder = top.children.get(kind)
        if holder is None:
            continue
        named = holder.children
        for name in natural_sorted(named):
            node, at = named[name], ("interfaces", kind, name)
            add((_make(Interface, (name, kind, at, None, None, None)), node))
            if kind not in WITH_VIF:
                continue
            vif = node.children.get("vif")
            if vif is not None:
                head, base, tagged = f"{name}.", at + ("vif",), vif.children
                for vid in natural_sorted(tagged):
                    add((_make(Interface, (head + vid, "vlan", base + (vid,), name, int(vid), None)), tagged[vid]))
            if "vif-s" in node.children:
                out.extend(_qinq(tree, kind, name))
    vlans = top.children.get("vlan")
    for vid in natural_sorted(vlans.children) if vlans is not None else ():
        node = vlans.children[vid]
        parent = tree.value("interfaces", "vlan", vid, "source-interface")
        name = f"{parent}.{vid}" if parent else f"vlan{vid}"
        add((Interface(name, "vlan", ("interfaces", "vlan", vid), parent=parent, vlan_id=int(vid)), node))
    return out


def _qinq(tree: ConfigTree, kind: str, name: str) -> list[tuple[Interface, Node]]:
    """`vif-s S` (outer tag, name.S) and its `vif-c C` (inner tag, name.S.C)."""
    out = []
    for outer in tree.keys("interfaces", kind, name, "vif-s"):
        path = ("interfaces", kind, name, "vif-s", outer)
        out.append((Interface(f"{name}.{outer}", "vlan", path, parent=name, vlan_id=int(outer),
                              protocol=tree.value(*path, "protocol")), tree.node(*path)))
        for inner in tree.keys(*path, "vif-c"):
            out.append((Interface(f"{name}.{outer}.{inner}", "vlan", path + ("vif-c", inner),
                                  parent=f"{name}.{outer}", vlan_id=int(inner)), tree.node(*path, "vif-c", inner)))
    return out


def by_name(tree: ConfigTree) -> dict[str, Interface]:
    """Name -> interface (the first definition of a name wins)."""
    out: dict[str, Interface] = {}
    for iface in interfaces(tree):
        out.setdefault(iface.name, iface)
    return out


# Parsed once per distinct text: verify and compile of every backend ask for the same
# addresses many times, and ipaddress objects are immutable, so sharing them is safe.
parse_address = lru_cache(maxsize=1 << 16)(ipaddress.ip_address)
"""``ipaddress.ip_address``, once per distinct text (next hops, BGP neighbors)."""


@lru_cache(maxsize=1 << 16)
def parse_interface(text: str) -> IPInterface:
    """``ipaddress.ip_interface(text)``, with the address text read once (ip_interface reads
    it twice: for the address and again for its network); ValueError as it raises."""
    address, slash, length = text.partition("/")
    if slash and "%" not in address and length.isdigit() and length.isascii():
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return ipaddress.ip_interface(text)     # (raises with its own message)
        if int(length) <= ip.max_prefixlen:
            kind = ipaddress.IPv4Interface if ip.version == 4 else ipaddress.IPv6Interface
            return kind((int(ip), int(length)))
    return ipaddress.ip_interface(text)


def static_addresses(tree: ConfigTree, iface: Interface) -> list[IPInterface]:
    """The interface's configured addresses (not `dhcp`/`dhcpv6`), in configuration order."""
    return [parse_interface(a) for a in tree.values(*iface.at("address")) if a not in ("dhcp", "dhcpv6")]
