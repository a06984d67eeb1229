"""Conversions of older VyOS config.boot syntax, applied to raw nodes before the schema walk.

Each migration is a small function over the raw tree, listed in :data:`MIGRATIONS` and
run in order. Most recognise old syntax by its shape (`protocols bgp 65001 { ... }`)
and do nothing to current files. The few that cannot be told by shape alone (numbering
DHCP subnets, defaults that changed) run only when the file's version footer
(`// vyos-config-version: "dhcp-server@5:..."`) says it predates the change, as
VyOS's own migration scripts do. Files without a footer (written by nos-shell) are
taken as current.

Nodes moved to paths outside our schema (`qos`, `system ip protocol`, `protocols rip`)
are still moved, so the loader reports them under the path VyOS would use and the
nodes they leave empty stay, as they do in VyOS.
"""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .migrate_dns import dns_domain_servers
from .migrate_firewall import firewall_bindings, firewall_names, firewall_options, zone_policy
from .migrate_legacy import dhcp_legacy, dhcp_shared_options, dropped_nodes, gateway_address
from .migrate_system import ntp_allow_client, syslog_facilities, sysctl_parameters, system_options
from .raw import RawNode, drop_if_empty, ensure, get, interface_blocks, put, remove, select, top_block, value

# `// vyos-config-version: "a@1:b@2"` or `/* === vyatta-config-version: "a@1" === */`
_FOOTER = re.compile(r"^[ \t]*(?://|/\*)[ \t]*(?:===[ \t]*)?(?:vyos|vyatta)-config-version:[ \t]*\"([^\"]*)\"",
                     re.MULTILINE)


@dataclass
class Versions:
    """Component versions from a file's footer; ``known`` is False when it has none."""

    known: bool = False
    of: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)   # nodes a migration dropped

    def before(self, component: str, version: int) -> bool:
        """True when the file declares ``component`` older than ``version``."""
        return self.known and self.of.get(component, 0) < version


def footer_versions(text: str) -> Versions:
    """Read `component@N` pairs from the last vyos/vyatta-config-version footer."""
    if "-config-version:" not in text:      # (what every footer holds: no pattern scan)
        return Versions()
    matches = _FOOTER.findall(text)
    if not matches:
        return Versions()
    found: dict[str, int] = {}
    for item in matches[-1].split(":"):
        name, _, num = item.partition("@")
        if name and num.isdigit():
            found[name] = max(found.get(name, 0), int(num))
    return Versions(True, found)


# -- protocols ---------------------------------------------------------------------------------
def bgp_afi_peer_group(nodes: list[RawNode], versions: Versions) -> None:
    """Before quagga@7, a neighbor's peer-group sat in its address family (VyOS T3037)."""
    if not versions.before("quagga", 7):
        return
    for bgp in select(nodes, "protocols bgp*"):
        for peer in [*select(bgp.children, "neighbor*"), *select(bgp.children, "peer-group*")]:
            family = get(peer, "address-family")
            group = None
            for afi in ("ipv4-unicast", "ipv6-unicast"):
                block = get(family, afi) if family else None
                leaf = get(block, "peer-group") if block else None
                if block is None or leaf is None:
                    continue
                if _ip_version(peer.value) == (4 if afi == "ipv4-unicast" else 6):
                    group = leaf.value
                remove(block, leaf)
                drop_if_empty(family, block)  # type: ignore[arg-type]
            if family is not None:
                drop_if_empty(peer, family)
            if group is not None:
                put(peer, "peer-group", group)


def _ip_version(text: str | None) -> int:
    try:
        return ipaddress.ip_address(text or "").version
    except ValueError:
        return 0


def bgp_system_as(nodes: list[RawNode], versions: Versions) -> None:
    """`protocols bgp 65001 { ... }` -> `protocols bgp { system-as 65001 ... }` (also local-as)."""
    for protocols in select(nodes, "protocols"):
        for bgp in protocols.children or ():
            if bgp.name == "bgp" and bgp.value is not None and bgp.children is not None:
                asn, bgp.value = bgp.value, None
                bgp.children = [RawNode("system-as", asn, None, None, bgp.line), *bgp.children]
                versions.of.setdefault("bgp", 0)
        for bgp in select(protocols.children, "bgp"):
            local = get(bgp, "local-as")
            if local is not None and local.children is None and get(bgp, "system-as") is None:
                local.name = "system-as"


def bgp_neighbor_families(nodes: list[RawNode], versions: Versions) -> None:
    """Before bgp@2 IPv4 unicast was on for every neighbor: keep it on explicitly
    (VyOS T3741); an IPv6 address family's peer-group moves to the neighbor (T5937)."""
    old = versions.before("bgp", 2) or versions.of.get("bgp") == 0
    for bgp in select(nodes, "protocols bgp"):
        default = next(select(bgp.children, "parameters default"), None)
        explicit = default is not None and get(default, "no-ipv4-unicast") is not None
        if old and explicit:
            remove(default, get(default, "no-ipv4-unicast"))  # type: ignore[arg-type]
            parameters = next(select(bgp.children, "parameters"))
            drop_if_empty(parameters, default)
            drop_if_empty(bgp, parameters)
        groups_v4 = {g.value for g in select(bgp.children, "peer-group*")
                     if any(select(g.children, "address-family ipv4-unicast"))}
        for neighbor in select(bgp.children, "neighbor*"):
            if old and not explicit and value(neighbor, "peer-group") not in groups_v4:
                ensure(ensure(neighbor, "address-family"), "ipv4-unicast")
            for v6 in select(neighbor.children, "address-family ipv6-unicast"):
                leaf = get(v6, "peer-group")
                if leaf is not None and leaf.children is None:
                    remove(v6, leaf)
                    put(neighbor, "peer-group", leaf.value)


def static_interface_routes(nodes: list[RawNode], versions: Versions) -> None:
    """`interface-route P { next-hop-interface IF }` -> `route P { interface IF }`;
    `next-hop-interface`/`next-hop-vrf` under a next hop become `interface`/`vrf` (T2450)."""
    for static in select(nodes, "protocols static"):
        for old, new in (("interface-route", "route"), ("interface-route6", "route6")):
            for route in list(select(static.children, f"{old}*")):
                target = ensure(static, new, route.value)
                for hop in select(route.children, "next-hop-interface*"):
                    kind = "next-hop" if _ip_version(hop.value) else "interface"
                    entry = ensure(target, kind, hop.value)
                    entry.children = (entry.children or []) + list(hop.children or ())
                remove(static, route)
        for route in [*select(static.children, "route*"), *select(static.children, "route6*")]:
            for hop in [*select(route.children, "next-hop*"), *select(route.children, "interface*")]:
                for child in hop.children or ():
                    child.name = {"next-hop-interface": "interface",
                                  "next-hop-vrf": "vrf"}.get(child.name, child.name)


_ZEBRA = {"bgp": "ip", "isis": "ip", "ospf": "ip", "rip": "ip", "static": "ip",
          "ospfv3": "ipv6", "ripng": "ipv6"}


def protocol_route_maps(nodes: list[RawNode], versions: Versions) -> None:
    """`protocols static route-map M` -> `system ip protocol static route-map M` (T5150)."""
    for protocols in select(nodes, "protocols"):
        for proto in protocols.children or ():
            leaf = get(proto, "route-map") if proto.children is not None else None
            family = _ZEBRA.get(proto.name)
            if leaf is None or family is None or leaf.children is not None:
                continue
            remove(proto, leaf)
            system = top_block(nodes, "system")
            put(ensure(ensure(system, family), "protocol", proto.name), "route-map", leaf.value)


# -- interfaces --------------------------------------------------------------------------------
def interface_routing(nodes: list[RawNode], versions: Versions) -> None:
    """`interfaces ... ip rip|ospf`, `ipv6 ripng|ospfv3` -> `protocols PROTO interface IF`."""
    for ifname, block in list(interface_blocks(nodes)):
        for family, protos in (("ip", ("rip", "ospf")), ("ipv6", ("ripng", "ospfv3"))):
            holder = get(block, family)
            if holder is None or holder.children is None:
                continue
            for proto in protos:
                settings = get(holder, proto)
                if settings is None or settings.children is None:
                    continue
                remove(holder, settings)
                target = ensure(ensure(top_block(nodes, "protocols"), proto), "interface", ifname)
                target.children = (target.children or []) + settings.children
            drop_if_empty(block, holder)


def interface_traffic_policy(nodes: list[RawNode], versions: Versions) -> None:
    """`interfaces ... traffic-policy { out P }` -> `qos interface IF egress P`."""
    for ifname, block in list(interface_blocks(nodes)):
        policy = get(block, "traffic-policy")
        if policy is None or policy.children is None:
            continue
        remove(block, policy)
        for leaf in policy.children:
            direction = {"out": "egress", "in": "ingress"}.get(leaf.name)
            if direction and leaf.value is not None:
                put(ensure(top_block(nodes, "qos"), "interface", ifname), direction, leaf.value)


def wireguard_keys(nodes: list[RawNode], versions: Versions) -> None:
    """Peer `pubkey` -> `public-key`; `endpoint A:P` -> `address A` + `port P`."""
    for peer in select(nodes, "interfaces wireguard* peer*"):
        for child in list(peer.children or ()):
            if child.name == "pubkey" and child.children is None:
                child.name = "public-key"
            elif child.name == "endpoint" and child.value and child.children is None:
                host, _, port = child.value.rpartition(":")
                if host and port.isdigit():
                    remove(peer, child)
                    put(peer, "address", host.strip("[]"))
                    put(peer, "port", port)


def vxlan_defaults(nodes: list[RawNode], versions: Versions) -> None:
    """Before interfaces@32 VXLAN defaulted to port 8472 and MTU 1450: keep them (T5671)."""
    if not versions.before("interfaces", 32):
        return
    for vxlan in select(nodes, "interfaces vxlan*"):
        external = get(vxlan, "external")
        if external is not None and external.children is None and external.value is None:
            remove(vxlan, external)
            put(ensure(vxlan, "parameters"), "external", None)
        if get(vxlan, "port") is None:
            put(vxlan, "port", "8472")
        if get(vxlan, "mtu") is None:
            put(vxlan, "mtu", "1450")


# -- nat ---------------------------------------------------------------------------------------
def nat_interfaces(nodes: list[RawNode], versions: Versions) -> None:
    """`outbound-interface eth0` / `{ interface-name eth0 }` -> `{ name eth0 }`; `any` goes."""
    for direction in ("source", "destination"):
        for rule in select(nodes, f"nat {direction} rule*"):
            for side in ("inbound-interface", "outbound-interface"):
                node = get(rule, side)
                if node is None:
                    continue
                name = node.value if node.children is None else value(node, "interface-name")
                if name is None:
                    continue
                if name == "any":
                    remove(rule, node)
                    continue
                kept = [c for c in node.children or () if c.name != "interface-name"]
                node.value, node.children = None, kept
                put(node, "name", name.replace("+", "*"))


# -- firewall --------------------------------------------------------------------------------
def firewall_group_descriptions(nodes: list[RawNode], versions: Versions) -> None:
    """Group descriptions cut to 255 characters, as VyOS's firewall 6-to-7 migration does."""
    groups = (g for block in select(nodes, "firewall group") for g in block.children or ()
              if g.value is not None)
    for group in groups:
        description = get(group, "description")
        if description is not None and description.value is not None and len(description.value) > 255:
            description.value = description.value[:255]


# -- service -----------------------------------------------------------------------------------
_DHCP_OPTIONS = ("bootfile-name", "bootfile-server", "bootfile-size", "captive-portal",
                 "client-prefix-length", "default-router", "domain-name", "domain-search",
                 "name-server", "ip-forwarding", "ipv6-only-preferred", "ntp-server",
                 "pop-server", "server-identifier", "smtp-server", "static-route",
                 "tftp-server-name", "time-offset", "time-server", "time-zone",
                 "vendor-option", "wins-server", "wpad-url")
_DHCP_GONE = ("host-decl-name", "global-parameters", "ping-check", "shared-network-parameters",
              "subnet-parameters", "enable-failover", "static-mapping-parameters")
_NETWORKS = "service dhcp-server shared-network-name*"


def dhcp_duplicate_mappings(nodes: list[RawNode], versions: Versions) -> None:
    """Before dhcp-server@7, a static mapping repeating a MAC or address is disabled (T6079)."""
    if not versions.before("dhcp-server", 7):
        return
    for subnet in select(nodes, _NETWORKS + " subnet*"):
        seen: set[tuple[str, str]] = set()
        for mapping in select(subnet.children, "static-mapping*"):
            keys = [(name, value(mapping, name) or "") for name in ("mac-address", "ip-address")
                    if get(mapping, name) is not None]
            if any(key in seen for key in keys) and get(mapping, "disable") is None:
                put(mapping, "disable", None)
            seen.update(keys)


def dhcp_options(nodes: list[RawNode], versions: Versions) -> None:
    """Old DHCP server syntax: `dns-server` -> `name-server`, options under `option`,
    `mac-address` -> `mac`, settings Kea dropped removed; before dhcp-server@9 mapping
    names become valid host names (`_` -> `-`)."""
    for dhcp in select(nodes, "service dhcp-server"):
        dhcp.children = [c for c in dhcp.children or () if c.name not in _DHCP_GONE]
    for network in select(nodes, _NETWORKS):
        blocks = [network, *select(network.children, "subnet*")]
        for block in blocks:
            block.children = [c for c in block.children or () if c.name not in _DHCP_GONE]
            for child in block.children:
                if child.name == "dns-server":
                    child.name = "name-server"
            moving = [c for c in block.children if c.name in _DHCP_OPTIONS]
            if moving:
                block.children = [c for c in block.children if c.name not in _DHCP_OPTIONS]
                option = ensure(block, "option")
                option.children = (option.children or []) + moving
        for mapping in select(network.children, "subnet* static-mapping*"):
            mapping.children = [c for c in mapping.children or () if c.name not in _DHCP_GONE]
            for child in mapping.children:
                if child.name == "mac-address" and get(mapping, "mac") is None:
                    child.name = "mac"
            if versions.before("dhcp-server", 9):
                mapping.value = re.sub(r"[^a-zA-Z0-9.-]", "-", mapping.value or "")


def dhcp_subnet_ids(nodes: list[RawNode], versions: Versions) -> None:
    """Before dhcp-server@10, number every subnet in file order (Kea needs an id)."""
    if not versions.before("dhcp-server", 10):
        return
    for number, subnet in enumerate(select(nodes, _NETWORKS + " subnet*"), start=1):
        put(subnet, "subnet-id", str(number))


# -- system ------------------------------------------------------------------------------------
def login_level(nodes: list[RawNode], versions: Versions) -> None:
    """VyOS dropped `system login user U level`; in a VyOS file `level admin` (our default)
    goes with it. `level operator` stays: it still means something here."""
    if not versions.known:
        return
    for user in select(nodes, "system login user*"):
        level = get(user, "level")
        if level is not None and level.value == "admin" and level.children is None:
            remove(user, level)


def system_ntp(nodes: list[RawNode], versions: Versions) -> None:
    """`system ntp { ... }` -> `service ntp { ... }` (VyOS 1.4, ntp@2)."""
    for system in select(nodes, "system"):
        ntp = get(system, "ntp")
        if ntp is None or ntp.children is None:
            continue
        remove(system, ntp)
        service = top_block(nodes, "service")
        if get(service, "ntp") is None:
            service.children.append(ntp)  # type: ignore[union-attr]


MIGRATIONS: list[Callable[[list[RawNode], Versions], None]] = [
    dropped_nodes,
    gateway_address,
    bgp_afi_peer_group,
    static_interface_routes,
    protocol_route_maps,
    bgp_system_as,
    bgp_neighbor_families,
    interface_routing,
    interface_traffic_policy,
    wireguard_keys,
    vxlan_defaults,
    nat_interfaces,
    firewall_options,
    firewall_bindings,
    firewall_names,
    zone_policy,
    firewall_group_descriptions,
    dhcp_legacy,
    dhcp_duplicate_mappings,
    dhcp_options,
    dhcp_shared_options,
    dhcp_subnet_ids,
    login_level,
    system_ntp,
    ntp_allow_client,
    system_options,
    sysctl_parameters,
    syslog_facilities,
    dns_domain_servers,
]


def migrate(nodes: list[RawNode], versions: Versions | None = None) -> list[RawNode]:
    """Apply every migration in order (in place) and return ``nodes``."""
    versions = versions if versions is not None else Versions()
    for step in MIGRATIONS:
        step(nodes, versions)
    return nodes
