"""Cross-node rules of the networkd driver (interfaces, routes, DHCP server).

Every problem names its configuration path. The helpers that compile and verify share
(connected prefixes, next-hop resolution, the DHCP subnets) live in links.py.

Each rule declares what it reads (:data:`RULES`), so :func:`verify_delta` runs, after a
change to a tree that passed, only the rules the change reaches, and checks the values
for safety only where they changed: the same problems as :func:`verify`.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Callable

from nos_shell.config.tree import ConfigTree, Node
from nos_shell.problems import Problem

from nos_shell.models import host_facts, shared
from nos_shell.models.ifnames import define_hint
from nos_shell.models.changes import Reads, Scope
from nos_shell.models.interfaces import Interface, parse_address

from ..common.safety import unsafe_words, unsafe_words_in
from .links import Connected, connected, dhcp_server_interface, dhcp_subnets, members, route_exit
from .vyos_rules import RULES as VYOS_RULES, verify_vif_mtu, vif_mtu_since

WRITTEN = (("interfaces",), ("protocols", "static"), ("service", "dhcp-server"))
"""The areas whose values networkd's files hold (checked for safety)."""


def verify(tree: ConfigTree) -> list[Problem]:
    """Every problem, once every value is safe to write into a unit file."""
    return unsafe_words(tree, *WRITTEN) or _rules(tree, None)


def verify_delta(old: ConfigTree, new: ConfigTree, scope: Scope) -> list[Problem]:
    """:func:`verify` of ``new`` when ``old`` passed it and ``scope`` is the change."""
    return unsafe_words_in(new, scope.paths, *WRITTEN) or _rules(new, scope)


def _rules(tree: ConfigTree, scope: Scope | None) -> list[Problem]:
    """The problems of every rule (of those ``scope`` reaches), sorted."""
    model = shared.of(tree)
    problems: list[Problem] = []
    for rule, reads in RULES:
        if scope is None:
            problems += rule(model)
        elif scope.reaches(reads):
            scoped = _SCOPED.get(rule)
            some = scoped(model, scope) if scoped is not None else None
            problems += rule(model) if some is None else some
    return sorted(problems)


STATIC = ("protocols", "static")
_CONNECTED = Reads(settings=frozenset({"address"}))
"""What the routes rule reads of the interfaces (definitions and addresses)."""


def _changed_routes(model: shared.Model, scope: Scope) -> list[Problem] | None:
    """The routes rule for the routes the change touches, when it touches nothing else the
    rule reads (each route is checked on its own against the interfaces); else None."""
    if scope.reaches(_CONNECTED):
        return None
    conn = connected(model.tree)
    problems: list[Problem] = []
    done: set[tuple[str, ...]] = set()
    for path in scope.paths:
        n = min(len(path), len(STATIC))
        if path[:n] != STATIC[:n]:
            continue
        if len(path) < 4 or path[2] not in ("route", "route6"):
            return None
        at = path[:4]
        route = model.tree.node(*at) if at not in done else None
        done.add(at)
        if route is not None:
            problems += _route(model, at, route, conn)
    return problems


def _where(path: tuple[str, ...]) -> str:
    return f"[{' '.join(path)}]"


def _verify_names(model: shared.Model) -> list[Problem]:
    ifaces = model.interfaces
    problems = []
    first: dict[str, Interface] = {}
    for iface in ifaces:
        if len(iface.name) > 15 and iface.kind == "vlan":
            problems.append(Problem(iface.path, f"VLAN interface name {iface.name} is longer than 15 characters"))
        if iface.name not in first:
            first[iface.name] = iface
            continue
        other = first[iface.name]
        if iface.kind == "vlan" and other.kind == "vlan":
            problems.append(Problem(iface.path, f"VLAN {iface.vlan_id} on {iface.parent} is already defined by "
                                                f"{_where(other.path)}; a VLAN id must be unique per parent"))
        else:
            problems.append(Problem(iface.path, f"interface {iface.name} is already defined by {_where(other.path)}"))
    return problems


def _not_configured(name: str) -> str:
    return f"interface {name} is not configured ({define_hint(name)})"


def _verify_kinds(model: shared.Model) -> list[Problem]:
    tree, ifaces, known = model.tree, model.interfaces, model.by_name
    problems = []
    hw_ids: dict[str, tuple[str, ...]] = {}
    for iface in ifaces:
        at = iface.at
        if iface.kind == "vlan" and iface.path[1] == "vlan":
            if not iface.parent:
                problems.append(Problem(iface.path, f"VLAN {iface.vlan_id} needs source-interface: "
                                                    "the parent interface that carries it"))
            elif iface.parent not in known:
                problems.append(Problem(at("source-interface"), f"parent of VLAN {iface.vlan_id}: "
                                                                  + _not_configured(iface.parent)))
        if iface.kind == "vlan" and iface.parent in known and known[iface.parent].kind in ("loopback", "wireguard"):
            problems.append(Problem(iface.path, f"VLAN {iface.vlan_id} cannot sit on {iface.parent}: "
                                                f"a {known[iface.parent].kind} interface carries no Ethernet frames"))
        if iface.kind == "ethernet":
            hw_id = tree.value(*at("hw-id"))
            if hw_id:
                key = hw_id.lower()
                if key in hw_ids:
                    problems.append(Problem(at("hw-id"), f"hw-id {hw_id} is already used by {_where(hw_ids[key])}"))
                hw_ids.setdefault(key, at("hw-id"))
        elif iface.kind == "loopback" and iface.name != "lo":
            problems.append(Problem(iface.path, "the loopback interface is called lo"))
        elif iface.kind == "pseudo-ethernet":
            source = tree.value(*at("source-interface"))
            if not source:
                problems.append(Problem(iface.path, "source-interface is required: the interface the "
                                                    "pseudo-ethernet (macvlan) sits on"))
            elif source not in known:
                problems.append(Problem(at("source-interface"), _not_configured(source)))
            elif known[source].kind in ("loopback", "wireguard", "pseudo-ethernet"):
                problems.append(Problem(at("source-interface"), f"a pseudo-ethernet cannot sit on {source} "
                                                                f"({known[source].kind})"))
        elif iface.kind == "vxlan":
            if not tree.value(*at("vni")):
                problems.append(Problem(iface.path, "vni is required"))
            remote, group = tree.value(*at("remote")), tree.value(*at("group"))
            source, local = tree.value(*at("source-interface")), tree.value(*at("source-address"))
            if remote and group:
                problems.append(Problem(at("group"), "remote and group exclude each other"))
            if not (remote or group or source or local):     # VyOS's rule and message
                problems.append(Problem(iface.path, "Group, remote, source-address or source-interface "
                                                    "must be configured"))
            if group and not ipaddress.ip_address(group).is_multicast:
                problems.append(Problem(at("group"), f"group {group} is not a multicast address"))
            if group and not source:
                problems.append(Problem(at("group"), "a multicast group needs source-interface"))
            if source and source not in known:
                problems.append(Problem(at("source-interface"), _not_configured(source)))
            peer = remote or group
            if local and peer and ipaddress.ip_address(local).version != ipaddress.ip_address(peer).version:
                problems.append(Problem(at("source-address"), "source-address and remote/group must be "
                                                              "of the same IP version"))
        elif iface.kind == "wireguard":
            if not tree.value(*at("private-key")):
                problems.append(Problem(iface.path, "private-key is required"))
            for peer in tree.keys(*at("peer")):
                p = at("peer", peer)
                if tree.exists(*p, "disable"):
                    continue
                if not tree.value(*p, "public-key"):
                    problems.append(Problem(p, "public-key is required"))
                if not tree.values(*p, "allowed-ips"):
                    problems.append(Problem(p, "allowed-ips is required"))
                if tree.value(*p, "address") and not tree.value(*p, "port"):
                    problems.append(Problem(p, "port is required with address (the peer's endpoint)"))
                if tree.value(*p, "port") and not tree.value(*p, "address"):
                    problems.append(Problem(p, "address is required with port (the peer's endpoint)"))
    return problems


def _verify_members(model: shared.Model) -> list[Problem]:
    tree, known = model.tree, model.by_name
    problems = []
    masters: dict[str, tuple[str, tuple[str, ...]]] = {}
    for member, master, kind, path in members(tree):
        if member == master:
            problems.append(Problem(path, f"{master} cannot be a member of itself"))
            continue
        if member in masters:
            other, other_path = masters[member]
            problems.append(Problem(path, f"{member} is already a member of {other} ({_where(other_path)}); "
                                          "an interface can have one master only"))
            continue
        masters[member] = (master, path)
        iface = known.get(member)
        if iface is None:
            if not host_facts.current().has_link(member):    # VyOS: the kernel's links may join
                problems.append(Problem(path, f"member of {master}: " + _not_configured(member)))
            continue
        if kind == "bonding" and iface.kind != "ethernet":
            problems.append(Problem(path, f"bond members must be ethernet interfaces; {member} is {iface.kind}"))
        if kind == "bridge" and iface.kind in ("loopback", "bridge"):
            problems.append(Problem(path, f"{member} ({iface.kind}) cannot be a bridge member"))
        if iface.kind != "loopback" and tree.values(*iface.at("address")):
            problems.append(Problem(iface.at("address"), f"{member} is a member of {master} and cannot have "
                                                         "an address of its own (configure it on the "
                                                         f"{'bridge' if kind == 'bridge' else 'bond'})"))
    return problems


def _verify_addresses(model: shared.Model) -> list[Problem]:
    """Each address on one interface only: one dict of the addresses seen (by IP version and
    value, the parsed address's integer), linear."""
    problems = []
    seen: dict[tuple[int, int], tuple[str, tuple[str, ...]]] = {}
    for iface in model.unique:
        for word, parsed in zip(model.address_words(iface), model.addresses(iface)):
            key = (parsed.version, int(parsed))         # an interface is its address's int
            path = iface.at("address", word)
            if key in seen:
                other, other_path = seen[key]
                where = "this interface" if other == iface.name else other
                problems.append(Problem(path, f"address {parsed.ip} is already configured on {where} "
                                              f"({_where(other_path)})"))
                continue
            seen[key] = (iface.name, path)
    return problems


def _verify_routes(model: shared.Model) -> list[Problem]:
    """Each static route on its own (no order matters), each next hop resolved once."""
    problems: list[Problem] = []
    conn = connected(model.tree)
    for family in ("route", "route6"):
        base = ("protocols", "static", family)
        routes = model.tree.node(*base)
        for prefix, route in (routes.children.items() if routes is not None else ()):
            problems += _route(model, base + (prefix,), route, conn)
    return problems


def _route(model: shared.Model, at: tuple[str, ...], route: Node, conn: Connected) -> list[Problem]:
    tree, known = model.tree, model.by_name
    problems = []
    hops, ifs = route.children.get("next-hop"), route.children.get("interface")
    if not (hops and hops.children) and not (ifs and ifs.children) and "blackhole" not in route.children:
        problems.append(Problem(at, "a static route needs next-hop, interface or blackhole"))
    groups: dict[str | None, list[bool]] = {}     # distance -> on-link of each usable next hop
    for hop, node in (hops.children.items() if hops is not None else ()):
        h = at + ("next-hop", hop)
        explicit = tree.value(*h, "interface")
        gateway = parse_address(hop)
        name, onlink = route_exit(tree, gateway, explicit, conn)
        if name is not None and "disable" not in node.children:
            groups.setdefault(tree.value(*h, "distance"), []).append(onlink)
        if explicit and explicit not in known:
            problems.append(Problem(h + ("interface",), _not_configured(explicit)))
        elif gateway.is_link_local and not explicit:
            problems.append(Problem(h, f"link-local next hop {hop} needs 'interface IF'"))
        elif name is None:
            problems.append(Problem(h, f"next hop {hop} is not in a connected prefix of any interface; "
                                       "add an address in its subnet, or 'interface IF' to name the "
                                       "interface it is reached through"))
    if any(len(group) > 1 and any(group) for group in groups.values()):
        problems.append(Problem(at, "equal-cost next hops (same distance) must each lie in a "
                                    "connected prefix of their interface: networkd has no on-link "
                                    "flag per multipath next hop"))
    for name in (ifs.children if ifs is not None else ()):
        if name not in known:
            problems.append(Problem(at + ("interface", name), _not_configured(name)))
    return problems


def _verify_dhcp_server(model: shared.Model) -> list[Problem]:
    tree = model.tree
    problems = []
    conn = connected(tree)
    served: dict[str, tuple[str, ...]] = {}
    subnets: dict[str, tuple[str, ...]] = {}
    for _, at, subnet in dhcp_subnets(tree):
        prefix = at[-1]
        if prefix in subnets:
            problems.append(Problem(at, f"subnet {prefix} is already served by {_where(subnets[prefix])}"))
            continue
        subnets[prefix] = at
        name = dhcp_server_interface(tree, subnet, conn)
        if name is None:
            example = next(iter(subnet.hosts()), subnet.network_address)   # a list for /31, /32
            problems.append(Problem(at, f"subnet {prefix} is not on any interface: configure an address in it "
                                        f"(e.g. {example}/{subnet.prefixlen}) on the interface that serves it"))
        elif name in served:
            problems.append(Problem(at, f"interface {name} already runs a DHCP server for "
                                        f"{_where(served[name])}; networkd serves one subnet per interface"))
        else:
            served[name] = at
        ranges = tree.keys(*at, "range")
        pool = None
        if len(ranges) > 1:
            problems.append(Problem(at + ("range",), "networkd's DHCP server hands out one contiguous pool: "
                                                     "define a single range"))
        for r in ranges[:1]:
            start, stop = tree.value(*at, "range", r, "start"), tree.value(*at, "range", r, "stop")
            rp = at + ("range", r)
            if not start or not stop:
                problems.append(Problem(rp, "range needs start and stop"))
                continue
            low, high = ipaddress.IPv4Address(start), ipaddress.IPv4Address(stop)
            usable = subnet.num_addresses <= 2 or (low != subnet.network_address
                                                   and high != subnet.broadcast_address)
            if low not in subnet or high not in subnet or not usable:
                problems.append(Problem(rp, f"range {start}-{stop} must lie inside {prefix} (without its "
                                            "network and broadcast addresses)"))
            elif low > high:
                problems.append(Problem(rp, f"range start {start} is above stop {stop}"))
            else:
                pool = (low, high)
        for ex in tree.values(*at, "exclude"):
            addr = ipaddress.IPv4Address(ex)
            if pool is None or pool[0] <= addr <= pool[1]:
                problems.append(Problem(at + ("exclude",), f"exclude {ex}: networkd's DHCP server cannot "
                                                           "skip addresses inside its pool; shrink the range "
                                                           "instead"))
        if tree.values(*at, "option", "domain-search"):
            problems.append(Problem(at + ("option", "domain-search"),
                                    "domain-search is not supported by networkd's DHCP server"))
        macs: dict[str, str] = {}
        ips: dict[str, str] = {}
        for host in tree.keys(*at, "static-mapping"):
            m = at + ("static-mapping", host)
            mac, ip = tree.value(*m, "mac"), tree.value(*m, "ip-address")
            if not mac or not ip:
                problems.append(Problem(m, "static-mapping needs mac and ip-address"))
                continue
            if ipaddress.IPv4Address(ip) not in subnet:
                problems.append(Problem(m + ("ip-address",), f"{ip} is outside subnet {prefix}"))
            for table, value, what in ((macs, mac.lower(), "MAC address"), (ips, ip, "address")):
                if value in table:
                    problems.append(Problem(m, f"{what} {value} is already mapped by static-mapping "
                                               f"{table[value]}"))
                table.setdefault(value, host)
    return problems


_KINDS = frozenset({"hw-id", "source-interface", "vni", "remote", "group", "source-address", "private-key",
                    "peer"})
RULES: tuple[tuple[Callable[[shared.Model], list[Problem]], Reads], ...] = (
    (_verify_names, Reads(settings=frozenset())),
    (_verify_kinds, Reads(settings=_KINDS)),
    (_verify_members, Reads(settings=frozenset({"member", "address"}))),
    (_verify_addresses, Reads(settings=frozenset({"address"}))),
    (_verify_routes, Reads((("protocols", "static"),), frozenset({"address"}))),
    (_verify_dhcp_server, Reads((("service", "dhcp-server"),), frozenset({"address"}))),
) + VYOS_RULES
"""Each rule with what it reads (interface definitions always: names, kinds, parents)."""

_SCOPED: dict[Callable[[shared.Model], list[Problem]], Callable[[shared.Model, Scope], list[Problem] | None]] = {
    _verify_routes: _changed_routes,
    verify_vif_mtu: vif_mtu_since,
}
"""Rules that can check only what a change touches (None from one: check everything)."""
