"""The interfaces a configuration defines, as one flat list (shared by drivers, the BGP model and views).

`interfaces ethernet eth0 vif 100` and `interfaces vlan 100 source-interface eth0` both
define the VLAN interface ``eth0.100``; both appear here with kind ``vlan``, their parent
and id, and the configuration path that defined them.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from nos_shell.config.tree import ConfigTree

# Kinds in schema order; the ones that can carry `vif` children.
KINDS = ("ethernet", "bridge", "bonding", "dummy", "loopback", "pseudo-ethernet", "vxlan", "wireguard")
WITH_VIF = ("ethernet", "bridge", "bonding", "pseudo-ethernet")
IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface


@dataclass(frozen=True)
class Interface:
    name: str
    kind: str                       # a KINDS entry, or "vlan" for vif and `interfaces vlan`
    path: tuple[str, ...]           # configuration path of the node that defines it
    parent: str | None = None       # vlan: the parent interface
    vlan_id: int | None = None
    protocol: str | None = None     # vlan: "802.1ad" or "802.1q" for a QinQ outer tag (vif-s)

    def at(self, *more: str) -> tuple[str, ...]:
        return self.path + more


def interfaces(tree: ConfigTree) -> list[Interface]:
    """Every interface the configuration defines, in a stable order (may contain duplicates
    of a name when the configuration is wrong; verify reports those)."""
    out: list[Interface] = []
    for kind in KINDS:
        for name in tree.keys("interfaces", kind):
            out.append(Interface(name, kind, ("interfaces", kind, name)))
            if kind in WITH_VIF:
                for vid in tree.keys("interfaces", kind, name, "vif"):
                    out.append(Interface(f"{name}.{vid}", "vlan", ("interfaces", kind, name, "vif", vid),
                                         parent=name, vlan_id=int(vid)))
                out.extend(_qinq(tree, kind, name))
    for vid in tree.keys("interfaces", "vlan"):
        parent = tree.value("interfaces", "vlan", vid, "source-interface")
        name = f"{parent}.{vid}" if parent else f"vlan{vid}"
        out.append(Interface(name, "vlan", ("interfaces", "vlan", vid), parent=parent, vlan_id=int(vid)))
    return out


def _qinq(tree: ConfigTree, kind: str, name: str) -> list[Interface]:
    """`vif-s S` (outer tag, name.S) and its `vif-c C` (inner tag, name.S.C)."""
    out = []
    for outer in tree.keys("interfaces", kind, name, "vif-s"):
        path = ("interfaces", kind, name, "vif-s", outer)
        out.append(Interface(f"{name}.{outer}", "vlan", path, parent=name, vlan_id=int(outer),
                             protocol=tree.value(*path, "protocol")))
        for inner in tree.keys(*path, "vif-c"):
            out.append(Interface(f"{name}.{outer}.{inner}", "vlan", path + ("vif-c", inner),
                                 parent=f"{name}.{outer}", vlan_id=int(inner)))
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
