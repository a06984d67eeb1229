"""The daemon-independent BGP model: one reading of `protocols bgp` for every BGP driver.

Both backends compile from :func:`view`, a resolved, daemon-neutral picture of the tree:

- peer groups are flattened here (a neighbor's own value wins over its group's), so
  neither daemon's own inheritance rules matter (GoBGP's peer groups, for instance,
  force the group's peer-as onto every member);
- timers always carry explicit values (hold time 180, keepalive a third of the hold
  time, as in VyOS), because BIRD (240) and GoBGP (90) default differently;
- an update-source interface is resolved to that interface's first address of the
  neighbor's family in the tree (neither daemon binds a BGP session to a device);
- the router id is the configured one, else derived from the tree as FRR (VyOS) derives
  it: the highest IPv4 address on a loopback interface (127.0.0.0/8 excluded), else the
  highest IPv4 address on any other enabled interface;
- a neighbor's address families are its own `address-family` nodes, else its peer
  group's, else the family of its address.

:func:`nos_shell.models.bgp_verify.verify` holds every cross-node BGP rule; the driver
whose daemon is selected (`protocols bgp backend`, default bird) reports them.
Pure: no I/O, no global state.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from nos_shell.config.tree import ConfigTree, Node

from . import interfaces as ifmodel
from . import shared
from .bgp_options import NONE, FamilyOptions, LocalAs, Parameters, family_options, local_as, parameters

BGP = ("protocols", "bgp")
READS = (BGP, ("protocols", "static"), ("interfaces",))
"""The areas :func:`view` reads: a change elsewhere leaves every BGP daemon's file alone."""
FAMILIES = ("ipv4-unicast", "ipv6-unicast")
FAMILY_VERSION = {"ipv4-unicast": 4, "ipv6-unicast": 6}
DEFAULT_HOLDTIME = 180
DEFAULT_BACKEND = "bird"

# Characters that cannot appear inside a quoted string of a daemon's configuration.
# BIRD strings end at the next `"` and know no escapes (conf/cf-lex.l), so a `"` would let
# the value break out of its field. Braces, `;`, `#`, `'` and `\\` are plain characters
# inside a BIRD string; control characters are refused by the schema's value types.
UNSAFE_IN_STRING = '"'
TCP_MD5_MAX_KEY = 80        # bytes (Linux TCP_MD5SIG_MAXKEYLEN)


# -- the resolved view ------------------------------------------------------------------
@dataclass(frozen=True)
class Neighbor:
    """A neighbor with its peer group's values folded in."""

    key: str                          # the tag key as spelled in the tree
    address: str                      # normalised (lower case, compressed)
    version: int                      # 4 or 6
    remote_as: str | None             # digits, "external" or "internal" (None: missing)
    peer_group: str | None = None
    description: str | None = None
    update_source: str | None = None  # as configured: an address or an interface name
    source_address: str | None = None  # the address update-source resolves to
    ebgp_multihop: int | None = None
    password: str | None = None
    shutdown: bool = False
    port: int | None = None
    holdtime: int = DEFAULT_HOLDTIME
    keepalive: int = DEFAULT_HOLDTIME // 3
    connect: int | None = None
    families: tuple[str, ...] = ()
    keepalive_set: bool = False       # keepalive configured (not derived from the hold time)
    local_as: LocalAs | None = None
    options: tuple[tuple[str, FamilyOptions], ...] = ()   # (family, its options), for each family

    def family(self, name: str) -> FamilyOptions:
        """The options under `address-family NAME` (none set: all off)."""
        return dict(self.options).get(name, NONE)

    @property
    def path(self) -> tuple[str, ...]:
        return BGP + ("neighbor", self.key)

    def peer_as(self, system_as: int | None) -> int | None:
        """The remote AS number; None for `external` (any AS but ours)."""
        if self.remote_as == "internal":
            return system_as
        if self.remote_as and self.remote_as.isdigit():
            return int(self.remote_as)
        return None

    def is_internal(self, system_as: int | None) -> bool:
        if self.remote_as == "internal":
            return True
        return self.remote_as is not None and self.remote_as.isdigit() \
            and system_as is not None and int(self.remote_as) == system_as


@dataclass(frozen=True)
class StaticRoute:
    """A `protocols static route|route6` entry, for `redistribute static`."""

    prefix: str
    gateways: tuple[tuple[str, str | None], ...] = ()   # (address, interface or None)
    interfaces: tuple[str, ...] = ()
    blackhole: bool = False


@dataclass(frozen=True)
class Bgp:
    """Everything the BGP backends compile from."""

    backend: str
    system_as: int | None
    router_id: str | None
    neighbors: tuple[Neighbor, ...]
    networks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    redistribute: dict[str, frozenset[str]] = field(default_factory=dict)
    connected: dict[str, tuple[str, ...]] = field(default_factory=dict)
    static: dict[str, tuple[StaticRoute, ...]] = field(default_factory=dict)
    params: Parameters = Parameters()


def configured(tree: ConfigTree) -> bool:
    """True when the tree holds BGP configuration (the backend choice alone is none)."""
    node = tree.node(*BGP)
    return node is not None and any(name != "backend" for name in node.children)


def backend(tree: ConfigTree) -> str:
    return tree.value(*BGP, "backend") or DEFAULT_BACKEND


def active(tree: ConfigTree, name: str) -> bool:
    """Whether backend ``name`` ("bird" or "gobgp") is the one that runs this tree's BGP."""
    return configured(tree) and backend(tree) == name


# -- small helpers ------------------------------------------------------------------------
def normalise(address: str) -> str:
    """The canonical text of an address (``2001:DB8::1`` -> ``2001:db8::1``)."""
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and ip.ipv4_mapped is not None:      # same text on every Python version
        return f"::ffff:{int(ip.ipv4_mapped) >> 16:x}:{int(ip.ipv4_mapped) & 0xffff:x}"
    return ip.compressed


def normalise_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """:func:`normalise` of an address already parsed."""
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return normalise(str(ip))
    return ip.compressed


def normalise_prefix(prefix: str) -> str:
    """The canonical text of a prefix (``2001:DB8::/32`` -> ``2001:db8::/32``)."""
    return ipaddress.ip_network(prefix, strict=False).compressed


def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ifmodel.parse_address(text)
    except ValueError:
        return None


def prefix_sort_key(prefix: str) -> tuple[int, int, int]:
    net = ipaddress.ip_network(prefix, strict=False)
    return (net.version, int(net.network_address), net.prefixlen)


def sort_prefixes(prefixes: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(prefixes), key=prefix_sort_key))


def to_int(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() else None


# -- interfaces in the tree ------------------------------------------------------------
class InterfaceAddress(NamedTuple):
    """One static address of an interface, and whether the interface is enabled."""

    interface: str
    kind: str
    address: ipaddress.IPv4Interface | ipaddress.IPv6Interface
    enabled: bool


def interface_addresses(tree: ConfigTree) -> list[InterfaceAddress]:
    """Static addresses of every interface in the tree (DHCP ones are unknown here), in
    :mod:`ifmodel` order, each interface's addresses in the order they were set. An
    interface is enabled unless it, or the parent of a VLAN, has `disable`. Built once
    per shared model (nos_shell/models/shared.py)."""
    return shared.of(tree).derived("bgp.interface_addresses", _interface_addresses)


def _interface_addresses(model: shared.Model) -> list[InterfaceAddress]:
    by_name = model.by_name
    memo: dict[str, bool] = {}       # name -> whether its first definition is enabled

    def enabled(iface: ifmodel.Interface, node: Node) -> bool:
        parent = by_name.get(iface.parent) if iface.parent else None
        return "disable" not in node.children and (
            parent is None or parent is iface or first_enabled(parent.name))

    def first_enabled(name: str) -> bool:
        found = memo.get(name)
        if found is None:
            first = by_name[name]
            found = memo[name] = enabled(first, model.node_of(first) or Node())
        return found

    out = []
    for iface, node in model.defined:
        addresses = model.addresses(iface)
        if addresses:
            on = first_enabled(iface.name) if by_name[iface.name] is iface else enabled(iface, node)
            out += [InterfaceAddress(iface.name, iface.kind, address, on) for address in addresses]
    return out


def _addresses_by_interface(model: shared.Model) -> dict[str, list[InterfaceAddress]]:
    out: dict[str, list[InterfaceAddress]] = {}
    for a in interface_addresses(model.tree):
        out.setdefault(a.interface, []).append(a)
    return out


def interface_names(tree: ConfigTree) -> set[str]:
    return set(shared.of(tree).by_name)


def usable(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast)


def derived_router_id(tree: ConfigTree) -> str | None:
    """FRR's rule (VyOS): the highest IPv4 loopback address, else the highest IPv4 address of
    an enabled interface."""
    v4 = [a for a in interface_addresses(tree)
          if a.address.version == 4 and a.enabled and usable(a.address.ip)]
    for group in ([a for a in v4 if a.kind == "loopback"], v4):
        if group:
            return str(max(a.address.ip for a in group))
    return None


def connected_prefixes(tree: ConfigTree) -> dict[str, tuple[str, ...]]:
    """Prefixes of the enabled interfaces' addresses, per family (loopback and link-local
    ranges left out): what `redistribute connected` announces."""
    out: dict[str, list[str]] = {f: [] for f in FAMILIES}
    for a in interface_addresses(tree):
        if a.enabled and usable(a.address.ip):
            out[f"ipv{a.address.version}-unicast"].append(str(a.address.network))
    return {f: sort_prefixes(p) for f, p in out.items()}


def static_routes(tree: ConfigTree) -> dict[str, tuple[StaticRoute, ...]]:
    """`protocols static` routes per family; disabled next hops left out, and routes
    left with nothing to forward to dropped."""
    out: dict[str, tuple[StaticRoute, ...]] = {}
    for family, tag in (("ipv4-unicast", "route"), ("ipv6-unicast", "route6")):
        routes = []
        for prefix in tree.keys("protocols", "static", tag):
            path = ("protocols", "static", tag, prefix)
            gateways = tuple(
                (normalise(gw), tree.value(*path, "next-hop", gw, "interface", default=False))
                for gw in sorted(tree.keys(*path, "next-hop"), key=lambda a: int(ipaddress.ip_address(a)))
                if not tree.exists(*path, "next-hop", gw, "disable"))
            interfaces = tuple(i for i in tree.keys(*path, "interface")
                               if not tree.exists(*path, "interface", i, "disable"))
            blackhole = tree.exists(*path, "blackhole")
            if gateways or interfaces or blackhole:
                routes.append(StaticRoute(prefix, gateways, interfaces, blackhole))
        out[family] = tuple(sorted(routes, key=lambda r: prefix_sort_key(r.prefix)))
    return out


# -- neighbors ---------------------------------------------------------------------------


def _resolve_source(tree: ConfigTree, value: str | None, version: int) -> str | None:
    if value is None:
        return None
    ip = parse_ip(value)
    if ip is not None:
        return normalise(value)
    by_interface = shared.of(tree).derived("bgp.addresses_by_interface", _addresses_by_interface)
    for a in by_interface.get(value, ()):
        if a.address.version == version and usable(a.address.ip):
            return str(a.address.ip)
    return None


def neighbor(tree: ConfigTree, key: str) -> Neighbor:
    """One neighbor with its peer group folded in (tolerant of unverified trees); resolved
    once per shared model, for verify and the compilers."""
    resolved: dict[str, Neighbor] = shared.of(tree).derived("bgp.neighbors", _no_neighbors)
    found = resolved.get(key)
    if found is None:
        found = resolved[key] = _neighbor(tree, key)
    return found


def _no_neighbors(model: shared.Model) -> dict[str, Neighbor]:
    return {}


def _neighbor(tree: ConfigTree, key: str) -> Neighbor:
    own_node = tree.node(*BGP, "neighbor", key)
    group = _below(own_node, "peer-group")
    group_node = tree.node(*BGP, "peer-group", group) if group else None

    def get(*leaf: str) -> str | None:
        value = _below(own_node, *leaf)
        if value is None and group_node is not None:
            value = _below(group_node, *leaf)
        return value

    def node(*path: str) -> Node | None:
        return _node_below(own_node, *path) or _node_below(group_node, *path)

    def flag(*leaf: str) -> bool:
        return node(*leaf) is not None

    def keys(*path: str) -> list[str]:
        found = node(*path)
        return list(found.children) if found is not None else []

    ip = ifmodel.parse_address(key)
    families = tuple(f for f in FAMILIES if _node_below(own_node, "address-family", f) is not None)
    if not families and group_node is not None:
        families = tuple(f for f in FAMILIES if _node_below(group_node, "address-family", f) is not None)
    if not families:
        families = (f"ipv{ip.version}-unicast",)
    holdtime = to_int(get("timers", "holdtime"))
    holdtime = DEFAULT_HOLDTIME if holdtime is None else holdtime
    keepalive = to_int(get("timers", "keepalive"))
    update_source = get("update-source")
    return Neighbor(
        key=key, address=normalise_ip(ip), version=ip.version,
        remote_as=get("remote-as"), peer_group=group,
        description=get("description"),
        update_source=update_source,
        source_address=_resolve_source(tree, update_source, ip.version),
        ebgp_multihop=to_int(get("ebgp-multihop")),
        password=get("password"),
        shutdown=flag("shutdown"),
        port=to_int(get("port")),
        holdtime=holdtime,
        keepalive=keepalive if keepalive is not None else holdtime // 3,
        connect=to_int(get("timers", "connect")),
        families=families,
        keepalive_set=keepalive is not None,
        local_as=local_as(keys, flag),
        options=tuple((f, family_options(get, flag, f)) for f in families),
    )


def _node_below(node: Node | None, *path: str) -> Node | None:
    for word in path:
        if node is None:
            return None
        node = node.children.get(word)
    return node


def _below(node: Node | None, *leaf: str) -> str | None:
    """The value of the leaf at ``leaf`` below ``node`` (None when unset; no default)."""
    found = _node_below(node, *leaf)
    return found.values[0] if found is not None and found.values else None


def view(tree: ConfigTree) -> Bgp:
    """The resolved BGP configuration (meaningful once :func:`verify` found no problem),
    built once per shared model."""
    return shared.of(tree).derived("bgp.view", lambda model: _view(model.tree))


def _view(tree: ConfigTree) -> Bgp:
    redistribute: dict[str, frozenset[str]] = {}
    networks: dict[str, tuple[str, ...]] = {}
    for family in FAMILIES:
        af = BGP + ("address-family", family)
        networks[family] = sort_prefixes(tree.keys(*af, "network"))
        redistribute[family] = frozenset(s for s in ("connected", "static")
                                         if tree.exists(*af, "redistribute", s))
    needs_connected = any("connected" in r for r in redistribute.values())
    needs_static = any("static" in r for r in redistribute.values())
    neighbors = tuple(sorted((neighbor(tree, k) for k in tree.keys(*BGP, "neighbor")),
                             key=lambda n: (n.version, int(ifmodel.parse_address(n.address)), n.key)))
    return Bgp(
        backend=backend(tree),
        system_as=to_int(tree.value(*BGP, "system-as", default=False)),
        router_id=tree.value(*BGP, "parameters", "router-id", default=False) or derived_router_id(tree),
        neighbors=neighbors,
        networks=networks,
        redistribute=redistribute,
        connected=connected_prefixes(tree) if needs_connected else {f: () for f in FAMILIES},
        static=static_routes(tree) if needs_static else {f: () for f in FAMILIES},
        params=parameters(tree, BGP, FAMILIES),
    )


def announcements(bgp: Bgp) -> dict[str, tuple[str, ...]]:
    """Every prefix the configuration says to announce, per family, sorted and unique:
    networks, plus the tree's connected prefixes and static routes where redistributed."""
    out: dict[str, tuple[str, ...]] = {}
    for family in FAMILIES:
        prefixes = list(bgp.networks.get(family, ()))
        if "connected" in bgp.redistribute.get(family, ()):
            prefixes += bgp.connected.get(family, ())
        if "static" in bgp.redistribute.get(family, ()):
            prefixes += [r.prefix for r in bgp.static.get(family, ())]
        out[family] = sort_prefixes(prefixes)
    return out
