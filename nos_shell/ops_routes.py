"""`show ip route` / `show ipv6 route`: the kernel's main table in FRR's layout.

    Codes: K - kernel, C - connected, S - static, B - BGP, D - DHCP
    S>* 0.0.0.0/0 [1/0] via 192.0.2.1, eth0
    C>* 192.0.2.0/24 is directly connected, eth0

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

from .errors import NosError

if TYPE_CHECKING:
    from .commands import Command
    from .session import Session

PROTOCOL_CODES = {2: "C", 3: "K", 4: "S", 16: "D", 12: "B", 186: "B"}  # kernel, boot, static, dhcp, bird, bgp
FILTERS = {"connected": "C", "static": "S", "kernel": "K", "dhcp": "D"}
CODES = "Codes: K - kernel, C - connected, S - static, B - BGP, D - DHCP\n\n"
MAIN_TABLE = 254


@dataclass(frozen=True)
class KernelRoute:
    prefix: str
    code: str
    metric: int
    gateways: tuple[tuple[str | None, str], ...]   # (next hop or None, interface)
    kind: str = "unicast"


def read_routes(target, version: int) -> list[KernelRoute]:
    from .live.netlink import read

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


def render(routes: list[KernelRoute], version: int) -> str:
    def key(route: KernelRoute):
        net = ipaddress.ip_network(route.prefix)
        return int(net.network_address), net.prefixlen, route.metric

    lines = []
    best: set[str] = set()
    for route in sorted(routes, key=key):
        selected = route.prefix not in best
        best.add(route.prefix)
        mark = ">*" if selected else "  "
        head = f"{route.code}{mark} {route.prefix}"
        if route.kind != "unicast":
            lines.append(f"{head} [{_distance(route)}/{route.metric}] {route.kind}")
            continue
        for number, (gateway, interface) in enumerate(route.gateways):
            lead = head if number == 0 else " " * len(head)
            if gateway is None:
                lines.append(f"{lead} is directly connected, {interface}")
            else:
                lines.append(f"{lead} [{_distance(route)}/{route.metric}] via {gateway}, {interface}")
    return CODES + "".join(line + "\n" for line in lines)


def _distance(route: KernelRoute) -> int:
    return {"C": 0, "S": 1, "B": 20, "D": 210, "K": 0}.get(route.code, 0)


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


def show_routes(session: "Session", command: "Command", version: int) -> str:
    from .apply import load_target
    from .ops_sandbox import configured_routes, sandboxed, with_note

    word = command.words[0] if command.words else None
    target = load_target(session.store.root)
    if sandboxed(target):     # a sandbox: the configured routes (nos_shell/ops_sandbox.py)
        routes = configured_routes(session.running, version)
        return with_note(target.root, render(_filter(routes, word, version), version))
    try:
        routes = read_routes(target, version)
    except OSError as exc:
        raise NosError(f"Cannot read the routing table: {exc.strerror or exc}") from None
    return render(_filter(routes, word, version), version)
