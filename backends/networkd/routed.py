"""What static routes and DHCP servers add to the interfaces' .network units.

Built once per model (:func:`routed`, kept on the shared model) and merged into the units
by the compiler (:func:`merge`), so an incremental compile that builds a few units twice
resolves every route's next hop once.
"""
from __future__ import annotations

import ipaddress

from nos_shell.config.tree import ConfigTree, Node, natural_sorted
from nos_shell.models import shared
from nos_shell.models.dhcp_hops import takes_dhcp
from nos_shell.models.interfaces import Interface

from .links import connected as connected_prefixes
from .links import dhcp_server_interface, dhcp_subnets, next_hop_groups
from .quickconn import is_plain_v4, leading_text, plain_v4, quick_connected
from .spec import REPEATED, Net


def routed(model: shared.Model) -> dict[str, Net]:
    """What static routes and DHCP servers add to each interface's .network (without its
    [Match]); built once per model, merged into the units by :func:`_merge`."""
    return _routed(model, connected_prefixes(model.tree))


def routed_for(model: shared.Model, names: frozenset[str]) -> dict[str, Net]:
    """What :func:`routed` gives for the interfaces ``names``, and the names of every other
    interface it gives anything to (with sections that may be incomplete: the units of
    ``names`` are the only ones built from it). Only the routes that may leave through
    ``names`` are resolved, and their next hops are looked up in a
    :class:`quickconn.QuickConnected` (the same answers, without parsing every address):
    an incremental compile that builds a few units (tests/test_networkd_alone.py)."""
    tree, conn = model.tree, _OnDemand(model)
    extra: dict[str, Net] = {}

    def net(name: str) -> Net:
        if name not in extra:
            extra[name] = Net(name)
        return extra[name]

    reach = _Reach(model, names)
    for family in ("route", "route6"):
        base = ("protocols", "static", family)
        routes = tree.node(*base)
        wanted = []
        for prefix, route in routes.children.items() if routes is not None else ():
            if reach.may_leave(route):
                wanted.append(prefix)
            else:
                reach.register(route, net)
        for prefix in natural_sorted(wanted):      # the order tree.keys gives
            _static_route(tree, base, prefix, net, conn)
    _dhcp_servers(tree, net, model.by_name, conn)
    return extra


class _OnDemand:
    """The model's :class:`quickconn.QuickConnected`, built at the first question: a unit
    that no route may leave by and no DHCP server serves (an MTU change) needs none."""

    def __init__(self, model: shared.Model):
        self.model = model

    def holders(self, address):
        return quick_connected(self.model).holders(address)

    def exact(self, prefix):
        return quick_connected(self.model).exact(prefix)


class _Reach:
    """Whether a static route may add anything to the units of some interfaces: a next hop
    or an `interface` route naming one of them (or an interface with no definition, whose
    unit the route alone makes), a gateway inside one of their connected prefixes (the
    longest prefix holding it may still be another's: resolved exactly afterwards), a
    blackhole when `lo` is one of them."""

    def __init__(self, model: shared.Model, names: frozenset[str]):
        self.names, self.defined = names, model.by_name
        self.prefixes = [addr.network for name in names if name in model.by_name
                         for addr in model.addresses(model.by_name[name])]
        # IPv4 prefixes as (network number, mask, the leading octets every address in it
        # starts with as text), for gateways written as plain IPv4
        self.v4 = [(int(p.network_address), int(p.netmask), leading_text(str(p.network_address), p.prefixlen))
                   for p in self.prefixes if p.version == 4]
        # a wanted interface taking DHCP may get any next hop no prefix holds (links.route_exit)
        self.dhcp = any(takes_dhcp(model.tree, model.by_name[name]) for name in names if name in model.by_name)

    def may_leave(self, route: Node) -> bool:
        children = route.children
        hops = children.get("next-hop")
        for hop, node in hops.children.items() if hops is not None else ():
            if "disable" in node.children:
                continue
            explicit = node.children.get("interface")
            if explicit is not None:
                name = explicit.values[0] if explicit.values else None
                if name in self.names or name not in self.defined:
                    return True
            elif self.dhcp or (self.prefixes and self._held(hop)):
                return True
        exits = children.get("interface")
        for name, node in exits.children.items() if exits is not None else ():
            if name in self.names and "disable" not in node.children:
                return True
        return "blackhole" in children and "lo" in self.names

    def _held(self, hop: str) -> bool:
        if not any(hop.startswith(head) for _, _, head in self.v4) and is_plain_v4(hop):
            return False        # (a plain IPv4 address starting like none of the prefixes)
        number = plain_v4(hop)
        if number is not None:
            return any(number & mask == network for network, mask, _ in self.v4)
        try:
            gateway = ipaddress.ip_address(hop)
        except ValueError:
            return True                 # resolved (and refused) the usual way
        return any(gateway in prefix for prefix in self.prefixes)

    @staticmethod
    def register(route: Node, net) -> None:
        """Name the interfaces a route that adds nothing to the wanted units still gives a
        unit to: its `interface` routes' and, for a blackhole, `lo` (its next hops leave
        through interfaces that are defined, or it may leave through the wanted ones)."""
        exits = route.children.get("interface")
        for name, node in exits.children.items() if exits is not None else ():
            if "disable" not in node.children:
                net(name)
        if "blackhole" in route.children:
            net("lo")


def _routed(model: shared.Model, conn) -> dict[str, Net]:
    tree = model.tree
    extra: dict[str, Net] = {}

    def net(name: str) -> Net:
        if name not in extra:
            extra[name] = Net(name)
        return extra[name]

    _static_routes(tree, net, conn)
    _dhcp_servers(tree, net, model.by_name, conn)
    return extra


def merge(n: Net, extra: Net) -> None:
    """Add ``extra``'s sections to ``n``: single sections pair by pair, repeated ones
    ([Route], static leases) as new instances."""
    n.comments.extend(extra.comments)
    for section, instances in extra.sections.items():
        if section in REPEATED:
            for pairs in instances:
                n.new(section).extend(pairs)
        else:
            for pairs in instances:
                for key, value in pairs:
                    n.add(section, key, value)


def _static_routes(tree: ConfigTree, net, conn) -> None:
    for family in ("route", "route6"):
        base = ("protocols", "static", family)
        for prefix in tree.keys(*base):
            _static_route(tree, base, prefix, net, conn)


def _static_route(tree: ConfigTree, base: tuple[str, ...], prefix: str, net, conn) -> None:
    dest = ipaddress.ip_network(prefix)
    at = base + (prefix,)
    for hops in next_hop_groups(tree, at, conn):
        gateway, name, onlink, distance = hops[0]
        route = net(name).new("Route")
        route.append(("Destination", str(dest)))
        if len(hops) == 1:
            route.append(("Gateway", str(gateway)))
            if onlink:
                route.append(("GatewayOnLink", "yes"))
        else:   # equal-cost multipath: one route, one MultiPathRoute= per next hop
            route += [("MultiPathRoute", f"{gw}@{dev}") for gw, dev, _, _ in hops]
        _metric(route, distance)
    for name in tree.keys(*at, "interface"):
        if tree.exists(*at, "interface", name, "disable"):
            continue
        route = net(name).new("Route")
        route.append(("Destination", str(dest)))
        _metric(route, tree.value(*at, "interface", name, "distance"))
    if tree.exists(*at, "blackhole"):
        route = net("lo").new("Route")
        route += [("Type", "blackhole"), ("Destination", str(dest))]
        _metric(route, tree.value(*at, "blackhole", "distance"))


def _metric(route: list[tuple[str, str]], distance: str | None) -> None:
    if distance:
        route.append(("Metric", distance))


def _dhcp_servers(tree: ConfigTree, net, known: dict[str, Interface], conn) -> None:
    addresses = shared.of(tree).addresses
    for network_name, at, subnet in dhcp_subnets(tree):
        prefix = at[-1]
        name = dhcp_server_interface(tree, subnet, conn)
        if name is None:
            continue   # verify refuses it
        n = net(name)
        n.add("Network", "DHCPServer", "yes")
        n.comments.append(f"DHCP server: shared-network-name {network_name} subnet {prefix}")
        iface = known[name]
        v4 = [a for a in addresses(iface) if a.version == 4]
        if len(v4) > 1:
            n.add("DHCPServer", "ServerAddress", next(a for a in v4 if a.network == subnet))
        ranges = tree.keys(*at, "range")
        if ranges:
            start = ipaddress.IPv4Address(tree.value(*at, "range", ranges[0], "start"))
            stop = ipaddress.IPv4Address(tree.value(*at, "range", ranges[0], "stop"))
            n.add("DHCPServer", "PoolOffset", int(start) - int(subnet.network_address))
            n.add("DHCPServer", "PoolSize", int(stop) - int(start) + 1)
        router = tree.value(*at, "option", "default-router")
        n.add("DHCPServer", "EmitRouter", "yes" if router else "no")
        if router:
            n.add("DHCPServer", "Router", ipaddress.IPv4Address(router))
        dns = tree.values(*at, "option", "name-server")
        n.add("DHCPServer", "EmitDNS", "yes" if dns else "no")
        if dns:
            n.add("DHCPServer", "DNS", " ".join(str(ipaddress.IPv4Address(d)) for d in dns))
        lease = tree.value(*at, "lease")
        n.add("DHCPServer", "DefaultLeaseTimeSec", lease)
        n.add("DHCPServer", "MaxLeaseTimeSec", lease)
        domain = tree.value(*at, "option", "domain-name")
        if domain:
            n.add("DHCPServer", "SendOption", f"15:string:{domain}")
        for host in tree.keys(*at, "static-mapping"):
            m = at + ("static-mapping", host)
            mac, ip = tree.value(*m, "mac"), tree.value(*m, "ip-address")
            if tree.exists(*m, "disable") or not mac or not ip:
                continue
            lease_pairs = n.new("DHCPServerStaticLease")
            lease_pairs += [("MACAddress", mac.lower()), ("Address", str(ipaddress.IPv4Address(ip)))]


