"""`show ip route` / `show ipv6 route`: the kernel's main table in FRR's layout.

    Codes: K - kernel route, C - connected, S - static, B - BGP, D - DHCP,
           > - selected route, * - FIB route
    S>* 0.0.0.0/0 [1/0] via 192.0.2.1, eth0
    C>* 192.0.2.0/24 is directly connected, eth0
    B>* 203.0.113.0/24 [20/0] via 192.0.2.2, eth0, 00:10:01

Every view (`show ip route`, `... static`, `... bgp`, a prefix) prints the same Codes lines
and the same ``[distance/metric]``: FRR's administrative distance (connected and kernel 0,
static 1, eBGP 20, iBGP 200, DHCP 210) and, for BGP, the route's MED as FRR shows it (0
when the route has none), with its age, both read from the BGP daemon; other routes show
the kernel's metric. `show ip route summary` counts routes per source.

Routes are read with netlink from the router's namespace (the target's ``netns``). The
route protocol tells where a route came from: networkd installs static and DHCP routes as
``static``/``dhcp``, BIRD as ``bird`` and nos-shell's GoBGP route installer as ``bgp``.
An optional word filters: `connected`, `static`, `kernel`, `bgp` or a prefix/address
(the routes that contain it).
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import NosError
from .command import KeywordHelp, OpCommand
from .route_line import CODES, BgpPath, route_line

if TYPE_CHECKING:
    from ..commands import Command
    from ..config.tree import ConfigTree
    from ..session import Session

PROTOCOL_CODES = {2: "C", 3: "K", 4: "S", 16: "D", 12: "B", 186: "B"}  # kernel, boot, static, dhcp, bird, bgp
FILTERS = {"connected": "C", "static": "S", "kernel": "K", "dhcp": "D"}
MAIN_TABLE = 254
DISTANCE = {"C": 0, "K": 0, "S": 1, "B": 20, "D": 210}
SOURCE_NAMES = {"K": "kernel", "C": "connected", "S": "static", "D": "dhcp", "B": "bgp"}


@dataclass(frozen=True)
class KernelRoute:
    prefix: str
    code: str
    metric: int
    gateways: tuple[tuple[str | None, str], ...]   # (next hop or None, interface)
    kind: str = "unicast"


def read_routes(target, version: int) -> list[KernelRoute]:
    from ..host.netlink import read

    return read(target, lambda nl: _routes(nl, version))


def _routes(nl, version: int) -> list[KernelRoute]:
    family = socket.AF_INET if version == 4 else socket.AF_INET6
    names = {link["index"]: link.get_attr("IFLA_IFNAME") for link in nl.get_links()}
    routes = []
    for msg in nl.get_routes(family=family):
        if (msg.get_attr("RTA_TABLE") or msg["table"]) != MAIN_TABLE:
            continue
        dst = msg.get_attr("RTA_DST") or ("0.0.0.0" if version == 4 else "::")
        prefix = str(ipaddress.ip_network(f"{dst}/{msg['dst_len']}", strict=False))
        if version == 6 and ipaddress.ip_network(prefix).is_link_local:
            continue
        hops = [(msg.get_attr("RTA_GATEWAY"), names.get(msg.get_attr("RTA_OIF"), "?"))]
        multipath = msg.get_attr("RTA_MULTIPATH")
        if multipath:
            hops = [(hop.get_attr("RTA_GATEWAY"), names.get(hop["oif"], "?")) for hop in multipath]
        kind = {1: "unicast", 6: "blackhole", 7: "unreachable", 8: "prohibit"}.get(msg["type"], "other")
        routes.append(KernelRoute(prefix, PROTOCOL_CODES.get(msg["proto"], "K"),
                                  msg.get_attr("RTA_PRIORITY") or 0, tuple(hops), kind))
    return routes


def render(routes: list[KernelRoute], version: int, bgp: dict[str, BgpPath] | None = None) -> str:
    """The kernel's routes in FRR's layout; ``bgp`` gives BGP routes their distance, MED and age."""
    bgp = bgp or {}

    def key(route: KernelRoute):
        net = ipaddress.ip_network(route.prefix)
        return int(net.network_address), net.prefixlen, route.metric

    lines = []
    best: set[str] = set()
    for route in sorted(routes, key=key):
        selected = route.prefix not in best
        best.add(route.prefix)
        path = bgp.get(route.prefix) if route.code == "B" and selected else None
        distance = path.distance if path else DISTANCE.get(route.code, 0)
        metric = path.med if path else (0 if route.code == "B" else route.metric)
        age = f", {path.age}" if path else ""
        if route.kind != "unicast":
            lines.append(route_line(route.code, selected, selected, route.prefix, distance, metric, route.kind))
            continue
        for number, (gateway, interface) in enumerate(route.gateways):
            head = f"{route.code}{'>*' if selected else '  '} {route.prefix}"
            if gateway is None:
                line = f"{head} is directly connected, {interface}"
            else:
                line = route_line(route.code, selected, selected, route.prefix, distance, metric,
                                  f"via {gateway}, {interface}", age)
            lines.append(line if number == 0 else " " * len(head) + line[len(head):])
    return CODES + "".join(line + "\n" for line in lines)


def _filter(routes: list[KernelRoute], word: str | None, version: int) -> list[KernelRoute]:
    if word is None:
        return routes
    if word in FILTERS:
        return [r for r in routes if r.code == FILTERS[word]]
    try:
        wanted = ipaddress.ip_network(word, strict=False)
    except ValueError:
        raise NosError(f"Invalid filter '{word}': use connected, static, kernel, dhcp, bgp "
                       "or an address/prefix") from None
    if wanted.version != version:
        raise NosError(f"'{word}' is not an IPv{version} address or prefix")
    return [r for r in routes if wanted.subnet_of(ipaddress.ip_network(r.prefix))]  # type: ignore[arg-type]


def configured_routes(tree: "ConfigTree", version: int) -> "list[KernelRoute]":
    """The routes the configuration would give the kernel's main table (IPv4 or IPv6)."""
    from ..backends.networkd import links as networkd
    from ..models import interfaces as ifmodel

    routes: list[KernelRoute] = []
    seen: set[tuple[str, str]] = set()
    for iface in ifmodel.interfaces(tree):
        if tree.exists(*iface.at("disable")):
            continue
        for address in ifmodel.static_addresses(tree, iface):
            key = (str(address.network), iface.name)
            if address.version == version and key not in seen:
                seen.add(key)
                routes.append(KernelRoute(key[0], "C", 0, ((None, iface.name),)))
    conn = networkd.connected(tree)
    family = "route" if version == 4 else "route6"
    base = ("protocols", "static", family)
    for prefix in tree.keys(*base):
        at = base + (prefix,)
        net = str(ipaddress.ip_network(prefix))
        for hops in networkd.next_hop_groups(tree, at, conn):
            metric = int(hops[0][3] or 0)
            routes.append(KernelRoute(net, "S", metric, tuple((str(gw), name) for gw, name, _, _ in hops)))
        for name in tree.keys(*at, "interface"):
            if not tree.exists(*at, "interface", name, "disable"):
                metric = int(tree.value(*at, "interface", name, "distance") or 0)
                routes.append(KernelRoute(net, "S", metric, ((None, name),)))
        if tree.exists(*at, "blackhole"):
            metric = int(tree.value(*at, "blackhole", "distance") or 0)
            routes.append(KernelRoute(net, "S", metric, ((None, "lo"),), "blackhole"))
    return routes



def show_routes(session: "Session", command: "Command", version: int) -> str:
    from .sandbox import sandboxed, with_note

    word = command.words[0] if command.words else None
    target = session.target
    if sandboxed(target):     # a sandbox: the configured routes (nos_shell/ops/sandbox.py)
        routes = configured_routes(session.running, version)
        return with_note(target.root, render(_filter(routes, word, version), version))
    routes = _filter(_read(session, version), word, version)
    bgp = None
    if any(r.code == "B" for r in routes):
        from .bgp.summary import installed_paths

        bgp = installed_paths(session, version)
    return render(routes, version, bgp)


def _read(session: "Session", version: int) -> list[KernelRoute]:
    try:
        return read_routes(session.target, version)
    except OSError as exc:
        raise NosError(f"Cannot read the routing table: {exc.strerror or exc}") from None


def summary(routes: list[KernelRoute], bgp_rib: int | None) -> str:
    """FRR's ``show ip route summary``: routes per source, and how many are in the FIB (all
    kernel routes are; for BGP, ``bgp_rib`` is the number of prefixes the daemon learned)."""
    counts: dict[str, int] = {}
    for route in routes:
        counts[route.code] = counts.get(route.code, 0) + 1
    rows = []
    for code, name in SOURCE_NAMES.items():
        fib = counts.get(code, 0)
        rib = max(fib, bgp_rib) if code == "B" and bgp_rib is not None else fib
        if rib:
            rows.append((name, rib, fib))
    lines = [f"{'Route Source':<20} {'Routes':<20} FIB  (vrf default)"]
    lines += [f"{name:<20} {rib:<20} {fib}" for name, rib, fib in rows]
    lines += ["------", f"{'Totals':<20} {sum(r[1] for r in rows):<20} {sum(r[2] for r in rows)}"]
    return "".join(line + "\n" for line in lines)


def show_route_summary(session: "Session", command: "Command", version: int) -> str:
    from .sandbox import sandboxed, with_note

    target = session.target
    if sandboxed(target):
        return with_note(target.root, summary(configured_routes(session.running, version), None))
    routes = _read(session, version)
    rib = None
    if any(r.code == "B" for r in routes):
        from .bgp.summary import installed_paths

        paths = installed_paths(session, version, learned=True)
        rib = len(paths) if paths else None
    return summary(routes, rib)


def show_ip_route(session: "Session", command: "Command") -> str:
    if command.words == ["bgp"]:
        from .bgp.summary import show_ip_route_bgp

        return show_ip_route_bgp(session, command)
    return show_routes(session, command, 4)


def show_ipv6_route(session: "Session", command: "Command") -> str:
    return show_routes(session, command, 6)


def show_ip_route_summary(session: "Session", command: "Command") -> str:
    return show_route_summary(session, command, 4)


def show_ipv6_route_summary(session: "Session", command: "Command") -> str:
    return show_route_summary(session, command, 6)


COMMANDS = (
    OpCommand("show_ip_route", ("show ip route",), show_ip_route,
              "The IPv4 routing table (FRR layout), or part of it"),
    OpCommand("show_ipv6_route", ("show ipv6 route",), show_ipv6_route,
              "The IPv6 routing table (FRR layout), or part of it"),
    OpCommand("show_ip_route_summary", ("show ip route summary",), show_ip_route_summary,
              "Show a summary of the routing table"),
    OpCommand("show_ipv6_route_summary", ("show ipv6 route summary",), show_ipv6_route_summary,
              "Show a summary of the routing table"),
)

KEYWORDS: KeywordHelp = {
    ("route", "summary"): "Show a summary of the routing table",
    "ip": "Show IPv4 information",
    "ipv6": "Show IPv6 information",
    "route": "Show the routing table",
}
