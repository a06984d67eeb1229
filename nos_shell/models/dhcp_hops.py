"""Static-route next hops reached through an interface that gets its address by DHCP.

VyOS accepts a next hop that no configured prefix holds (FRR resolves it at run time).
nos-shell accepts it when exactly one interface of the next hop's IP version takes its
address from DHCP (`address dhcp`, or `dhcpv6` for IPv6): the route is placed on that
interface and installed once its lease makes the next hop reachable. With several such
interfaces the route must name one (`next-hop G interface IF`). Pure functions of the tree.
"""
from __future__ import annotations

import ipaddress

from ..config.tree import ConfigTree, Node
from . import shared
from .interfaces import Interface

_WORD = {4: "dhcp", 6: "dhcpv6"}


def dhcp_interfaces(tree: ConfigTree, version: int) -> tuple[str, ...]:
    """Interfaces whose address of IP ``version`` comes from DHCP, in model order."""
    found = shared.of(tree).derived("dhcp_hops.interfaces", _interfaces)
    return found[version]


def takes_dhcp(tree: ConfigTree, iface: Interface) -> bool:
    """Whether ``iface`` takes an address (of either IP version) from DHCP."""
    words = tree.values(*iface.at("address"))
    return "dhcp" in words or "dhcpv6" in words


def _interfaces(model: shared.Model) -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = {4: [], 6: []}
    for iface in model.unique:         # disabled ones too: like a static address, `disable`
        words = model.tree.values(*iface.at("address"))    # does not move routes (delta.py OWN)
        for version, word in _WORD.items():
            if word in words:
                out[version].append(iface.name)
    return {version: tuple(names) for version, names in out.items()}


def dhcp_exit(tree: ConfigTree, gateway: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """The one DHCP interface a next hop no configured prefix holds can be reached through
    (None: no such interface, or several to choose from)."""
    if gateway.is_link_local:
        return None
    names = dhcp_interfaces(tree, gateway.version)
    return names[0] if len(names) == 1 else None


def _held(model: shared.Model) -> dict[tuple[int, int], set[int]]:
    """Connected prefixes by (IP version, prefix length) -> network addresses as integers."""
    out: dict[tuple[int, int], set[int]] = {}
    for iface in model.unique:
        for addr in model.addresses(iface):
            out.setdefault((addr.version, addr.network.prefixlen), set()).add(int(addr.network.network_address))
    return out


def _connected(held: dict[tuple[int, int], set[int]], gateway: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    value, bits = int(gateway), gateway.max_prefixlen
    for (version, length), nets in held.items():
        if version == gateway.version and (value >> (bits - length) << (bits - length)) in nets:
            return True
    return False


def waiting_hops(tree: ConfigTree) -> dict[tuple[str, ...], str]:
    """Next hops placed on a DHCP interface (no configured prefix holds them, none named):
    config path of the next hop -> the interface."""
    model = shared.of(tree)
    return model.derived("dhcp_hops.waiting", _waiting)


def _any_dhcp(tree: ConfigTree) -> bool:
    """Whether any interface (or VLAN of one) has `address dhcp` or `dhcpv6`: a walk over
    the interface nodes alone, cheaper than the interface model at thousands of VLANs, that
    reads each VLAN's `address` alone (Node.leaf: a VLAN decoded on demand stays so)."""
    top = tree.node("interfaces")
    for entry in _addressed(top) if top is not None else ():
        words = entry.leaf("address")
        if words and ("dhcp" in words or "dhcpv6" in words):
            return True
    return False


def _addressed(top: Node):
    """Every interface node under `interfaces` (``top``): each interface, its `vif` and
    `vif-s` entries and theirs of `vif-c`; the VLAN entries' own children are not read."""
    for kind in top.children.values():
        for entry in kind.children.values():
            yield entry
            for name in ("vif", "vif-s"):
                holder = entry.children.get(name)
                for tagged in holder.children.values() if holder is not None else ():
                    yield tagged
                    inner = tagged.children.get("vif-c") if name == "vif-s" else None
                    yield from inner.children.values() if inner is not None else ()


def _waiting(model: shared.Model) -> dict[tuple[str, ...], str]:
    tree = model.tree
    if not tree.node("protocols", "static") or not _any_dhcp(tree) \
            or not any(dhcp_interfaces(tree, version) for version in _WORD):
        return {}
    held = _held(model)
    out: dict[tuple[str, ...], str] = {}
    for family in ("route", "route6"):
        base = ("protocols", "static", family)
        for prefix in tree.keys(*base):
            for hop in tree.keys(*base, prefix, "next-hop"):
                at = base + (prefix, "next-hop", hop)
                if tree.exists(*at, "interface") or tree.exists(*at, "disable"):
                    continue
                gateway = ipaddress.ip_address(hop)
                name = None if _connected(held, gateway) else dhcp_exit(tree, gateway)
                if name is not None:
                    out[at] = name
    return out


def notes(old: ConfigTree | None, new: ConfigTree) -> list[str]:
    """What the commit output says of next hops that wait for DHCP: those new in ``new``
    (or placed on another interface than in ``old``)."""
    after = waiting_hops(new)
    before = waiting_hops(old) if old is not None and after else {}
    out = []
    for at, name in sorted(after.items()):
        if before.get(at) != name:
            out.append(f"Note: next hop {at[-1]} of [{' '.join(at[:4])}] is not connected yet: the route "
                       f"is installed through {name} once its DHCP address makes {at[-1]} reachable")
    return out
