"""The cross-node BGP rules, on the daemon-independent model (pure).

Every problem names the configuration path it is about. The drivers add their own
daemon's limits (GoBGP: no hold time 0) and the check that values are safe to write.
"""
from __future__ import annotations

import ipaddress
from nos_shell.config.tree import ConfigTree
from nos_shell.problems import Problem

from .bgp import (BGP, FAMILIES, FAMILY_VERSION, TCP_MD5_MAX_KEY, UNSAFE_IN_STRING, configured,
                  derived_router_id, interface_addresses, interface_names, neighbor, parse_ip, to_int)
from .interfaces import parse_address

_BROADCAST = ipaddress.IPv4Address("255.255.255.255")


def verify(tree: ConfigTree) -> list[Problem]:
    """Every cross-node BGP problem, each with the configuration path it is about."""
    if not configured(tree):
        return []
    problems: list[Problem] = []

    def problem(path: tuple[str, ...], message: str) -> None:
        problems.append(Problem(path, message))

    system_as = tree.value(*BGP, "system-as", default=False)
    if system_as is None:
        problem(BGP, "BGP needs the AS number of this router: set protocols bgp system-as")

    router_id = tree.value(*BGP, "parameters", "router-id", default=False)
    if router_id is not None:
        if ipaddress.IPv4Address(router_id) == ipaddress.IPv4Address(0):
            problem(BGP + ("parameters", "router-id"), "Router id 0.0.0.0 is not valid")
    elif derived_router_id(tree) is None:
        problem(BGP, "BGP needs a router id: set protocols bgp parameters router-id, "
                     "or give an interface (preferably a loopback) an IPv4 address")

    # addresses compared by IP version and integer value: the same as comparing normalised texts
    local = {(a.address.version, int(a.address)) for a in interface_addresses(tree)}
    interfaces = interface_names(tree)
    neighbors = tree.keys(*BGP, "neighbor")

    # Values set on neighbors and peer groups, checked where they are written.
    nodes: list[tuple[str, ...]] = [BGP + ("neighbor", k) for k in neighbors] + \
            [BGP + ("peer-group", k) for k in tree.keys(*BGP, "peer-group")]
    for path in nodes:
        own = _leaves(tree, path)
        for leaf in ("description", "password"):
            value = own(leaf)
            if value is not None and any(c in value for c in UNSAFE_IN_STRING):
                problem(path + (leaf,), f"The {leaf} must not contain a double quote (\")")
        password = own("password")
        if password is not None and len(password.encode()) > TCP_MD5_MAX_KEY:
            problem(path + ("password",),
                    f"The password is longer than the {TCP_MD5_MAX_KEY} bytes TCP MD5 allows (UTF-8)")
        local_as = own.keys("local-as")
        if len(local_as) > 1:
            problem(path + ("local-as",), f'Only one local-as number can be specified for peer "{path[-1]}"!')
        elif local_as and local_as[0] == system_as:
            problem(path + ("local-as",), "Cannot have local-as same as system-as number")
        source = own("update-source")
        if source is not None:
            ip = parse_ip(source)
            if ip is not None and (ip.version, int(ip)) not in local:
                problem(path + ("update-source",),
                        f"update-source {source} is not an address of any interface in the configuration")
            elif ip is None and source not in interfaces:
                problem(path + ("update-source",),
                        f"update-source {source} is not an interface in the configuration")

    # Peer groups.
    for key in neighbors:
        group = tree.value(*BGP, "neighbor", key, "peer-group", default=False)
        if group is not None and not tree.exists(*BGP, "peer-group", group):
            problem(BGP + ("neighbor", key, "peer-group"),
                    f"Peer group {group} does not exist: set protocols bgp peer-group {group}")

    # Resolved neighbors.
    seen: dict[str, str] = {}
    asn = to_int(system_as)
    for key in neighbors:
        n = neighbor(tree, key)
        path = n.path
        ip = parse_address(key)
        if n.address in seen:
            problem(path, f"Neighbor {key} is the same address as neighbor {seen[n.address]}")
        else:
            seen[n.address] = key
        if ip.is_unspecified or ip.is_multicast or (ip.version == 4 and ip == _BROADCAST):
            problem(path, f"{key} cannot be a BGP neighbor address")
        elif ip.version == 6 and ip.is_link_local:
            problem(path, f"Link-local neighbor {key} is not supported: use a global address")
        if (ip.version, int(ip)) in local:
            problem(path, f"Neighbor {key} is an address of this router")
        if n.remote_as is None:
            where = f" or on its peer group {n.peer_group}" if n.peer_group else ""
            problem(path, f"Neighbor {key} has no remote-as: set it on the neighbor{where}")
        if n.ebgp_multihop is not None and n.is_internal(asn):
            problem(path + ("ebgp-multihop",) if tree.exists(*path, "ebgp-multihop") else path,
                    f"ebgp-multihop applies to external neighbors only; {key} is internal")
        source_ip = parse_ip(n.update_source) if n.update_source is not None else None
        if source_ip is not None and source_ip.version != n.version:
            problem(path, f"update-source {n.update_source} is not an IPv{n.version} address "
                          f"like the neighbor {key}")
        elif n.update_source is not None and n.update_source in interfaces and n.source_address is None:
            problem(path, f"update-source interface {n.update_source} has no IPv{n.version} address "
                          f"in the configuration to reach neighbor {key} from")
        if n.local_as is not None:
            at = path + ("local-as",) if tree.exists(*path, "local-as") else path
            if n.is_internal(asn):
                problem(at, f'local-as configured for "{key}", allowed only for eBGP peers!')
            elif n.remote_as == str(n.local_as.asn):
                problem(at, f'Neighbor "{key}" has local-as specified which is '
                            "the same as remote-as, this is not allowed!")
        if n.holdtime == 0 and n.keepalive_set:
            problem(path + ("timers",), "A keepalive interval needs a hold time other than 0")
        elif n.holdtime and n.keepalive > n.holdtime:
            problem(path + ("timers",),
                    f"Keepalive interval {n.keepalive} is longer than the hold time {n.holdtime}")

    # VyOS: the global distances go together.
    distance = BGP + ("parameters", "distance", "global")
    if tree.exists(*distance):
        for leaf in ("external", "internal", "local"):
            if not tree.exists(*distance, leaf):
                problem(distance, "Missing mandatory configuration option for "
                                  f"global administrative distance {leaf}!")

    # Networks to announce.
    for family in FAMILIES:
        for prefix in tree.keys(*BGP, "address-family", family, "network"):
            try:
                net = ipaddress.ip_network(prefix, strict=True)
                ok = "/" in prefix and net.version == FAMILY_VERSION[family]
            except ValueError:
                ok = False
            if not ok:
                problem(BGP + ("address-family", family, "network", prefix),
                        f"{prefix} is not an IPv{FAMILY_VERSION[family]} prefix")
    return list(dict.fromkeys(problems))    # each once, in the order found (linear)


class _Leaves:
    """The values of the leaves right below a node (None when unset; no defaults), and the
    tag keys below it, the node found once."""

    def __init__(self, tree: ConfigTree, path: tuple[str, ...]) -> None:
        node = tree.node(*path)
        self.children = node.children if node is not None else {}

    def __call__(self, name: str) -> str | None:
        child = self.children.get(name)
        return child.values[0] if child is not None and child.values else None

    def keys(self, name: str) -> list[str]:
        child = self.children.get(name)
        return list(child.children) if child is not None else []


def _leaves(tree: ConfigTree, path: tuple[str, ...]) -> _Leaves:
    return _Leaves(tree, path)
