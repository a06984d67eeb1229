"""What the networkd compiler and its verify share: connected prefixes, next hops, members.

Pure functions of the tree (through the interfaces model); nothing here writes a unit.
"""
from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterator

from nos_shell.config.tree import ConfigTree
from nos_shell.models import shared
from nos_shell.models.dhcp_hops import dhcp_exit
from nos_shell.models.interfaces import Interface, parse_address

IPAddr = ipaddress.IPv4Address | ipaddress.IPv6Address


IPNet = ipaddress.IPv4Network | ipaddress.IPv6Network



class Connected:
    """Connected prefixes with their interfaces, indexed for longest-prefix lookups.

    Iterating gives (prefix, interface) in interface order; :meth:`holders` answers which
    prefixes hold an address in time proportional to the number of distinct prefix
    lengths, not the number of addresses (a router with thousands of VLANs and routes)."""

    def __init__(self, pairs: list[tuple[IPNet, str]]):
        self.pairs = pairs
        self._index: dict[tuple[int, int], dict[int, list[tuple[IPNet, str]]]] = defaultdict(dict)
        for net, name in pairs:
            bucket = self._index[(net.version, net.prefixlen)]
            bucket.setdefault(int(net.network_address), []).append((net, name))
        self._lengths = sorted(self._index, key=lambda vl: -vl[1])

    def __iter__(self):
        return iter(self.pairs)

    def exact(self, prefix: IPNet) -> str | None:
        """The first interface (in interface order) with an address in exactly ``prefix``."""
        found = self._index.get((prefix.version, prefix.prefixlen), {}).get(int(prefix.network_address))
        return next((name for net, name in found or () if net == prefix), None)

    def holders(self, address: IPAddr) -> list[tuple[IPNet, str]]:
        """Prefixes holding ``address``, longest first (interface order among equals)."""
        out: list[tuple[IPNet, str]] = []
        for key, masked in prefix_keys(self._lengths, address):
            out.extend(self._index[key].get(masked, ()))
        return out


def prefix_keys(lengths: list[tuple[int, int]], address: IPAddr) -> Iterator[tuple[tuple[int, int], int]]:
    """For each (version, length) of ``lengths`` (longest first) that fits ``address``:
    that key and ``address``'s network number at that length; the lookups of a prefix
    index keyed that way (:class:`Connected`, quickconn.QuickConnected)."""
    value, bits = int(address), address.max_prefixlen
    for version, length in lengths:
        if version == address.version:
            yield (version, length), (value & ~((1 << (bits - length)) - 1) if length < bits else value)



def connected(tree: ConfigTree) -> Connected:
    """(prefix, interface) for every static address, in interface order; built once per
    shared model (nos_shell/models/shared.py)."""
    return shared.of(tree).derived("networkd.connected", _connected)


def _connected(model: shared.Model) -> Connected:
    return Connected([(addr.network, iface.name) for iface in model.unique for addr in model.addresses(iface)])



def route_exit(tree: ConfigTree, gateway: IPAddr, explicit: str | None,
               conn: Connected | None = None) -> tuple[str | None, bool]:
    """(interface, on-link) for a next hop: the named interface, or the one whose connected
    prefix holds the gateway (longest prefix first), else the one DHCP interface of its IP
    version (models/dhcp_hops.py). On-link is needed when the named
    interface has no prefix holding the gateway (and it is not IPv6 link-local)."""
    conn = connected(tree) if conn is None else conn
    holders = conn.holders(gateway)
    if explicit:
        onlink = not gateway.is_link_local and not any(name == explicit for _, name in holders)
        return explicit, onlink
    if holders:
        return holders[0][1], False
    return dhcp_exit(tree, gateway), False      # reached once DHCP gives an address



def dhcp_server_interface(tree: ConfigTree, subnet: ipaddress.IPv4Network,
                          conn: Connected | None = None) -> str | None:
    """The interface with an address in exactly this subnet (its DHCP server serves it)."""
    conn = connected(tree) if conn is None else conn
    return conn.exact(subnet)



def unique(ifaces: list[Interface]) -> list[Interface]:
    seen: set[str] = set()
    out = []
    for iface in ifaces:
        if iface.name not in seen:
            seen.add(iface.name)
            out.append(iface)
    return out



def members(tree: ConfigTree) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(member, master, master kind, config path) for bridge and bond members."""
    out: list[tuple[str, str, str, tuple[str, ...]]] = []
    for kind in ("bridge", "bonding"):
        for master in tree.keys("interfaces", kind):
            base = ("interfaces", kind, master, "member", "interface")
            names = tree.keys(*base) if kind == "bridge" else tree.values(*base)
            for member in names:
                out.append((member, master, kind, base + (member,)))
    return out



def next_hop_groups(tree: ConfigTree, at: tuple[str, ...], conn) -> list[list[tuple[IPAddr, str, bool, str | None]]]:
    """A static route's usable next hops as (gateway, interface, on-link, distance), grouped
    by distance in configuration order: a group of several is an equal-cost multipath route.

    Kept on the shared model (verify and compile both ask, for every route): the lists are
    shared, so callers must not change them."""
    known = shared.of(tree).derived("networkd.next_hop_groups", lambda model: {})
    key = (at, id(conn))
    found = known.get(key)
    if found is None or found[0] is not conn:
        found = known[key] = (conn, _next_hop_groups(tree, at, conn))
    return found[1]


def _next_hop_groups(tree: ConfigTree, at: tuple[str, ...], conn) -> list[list[tuple[IPAddr, str, bool, str | None]]]:
    groups: dict[str | None, list] = {}
    for hop in tree.keys(*at, "next-hop"):
        h = at + ("next-hop", hop)
        if tree.exists(*h, "disable"):
            continue
        gateway = parse_address(hop)
        name, onlink = route_exit(tree, gateway, tree.value(*h, "interface"), conn)
        if name is None:
            continue   # verify refuses it
        distance = tree.value(*h, "distance")
        groups.setdefault(distance, []).append((gateway, name, onlink, distance))
    return list(groups.values())



def dhcp_subnets(tree: ConfigTree):
    """(shared-network name, config path, subnet) of every subnet of an enabled shared network."""
    base = ("service", "dhcp-server", "shared-network-name")
    for shared in tree.keys(*base):
        if tree.exists(*base, shared, "disable"):
            continue
        for prefix in tree.keys(*base, shared, "subnet"):
            yield shared, base + (shared, "subnet", prefix), ipaddress.IPv4Network(prefix)

