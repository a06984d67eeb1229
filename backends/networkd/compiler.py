"""systemd-networkd compiler: interfaces, static routes and the DHCP server -> etc/systemd/network/.

Target: systemd 252 (Debian 12). docs/backends-networkd.md maps every configuration path to
its networkd key and lists what changed in later systemd releases.

Files (in etc/systemd/network/, all named ``10-nos-IFNAME.SUFFIX`` so nos-shell's files
sort together and before distribution defaults such as 99-default.link):

- ``10-nos-IF.netdev`` for each virtual interface (vlan, bridge, bond, dummy, macvlan,
  vxlan, wireguard). A WireGuard netdev holds key material and is written 0640
  root:systemd-network (a :class:`GeneratedFile`); networkd refuses a world-readable one.
- ``10-nos-IF.network`` for each interface the configuration names, including bridge and
  bond members and VLAN/macvlan/vxlan parents (they carry ``Bridge=``, ``Bond=``, ``VLAN=``,
  ``MACVLAN=``, ``VXLAN=``), and for ``lo`` when there are loopback addresses or blackhole
  routes.
- ``etc/systemd/networkd.conf.d/10-nos-shell.conf``, always: ``ManageForeignRoutes=no`` and
  ``ManageForeignRoutingPolicyRules=no``, so networkd leaves BIRD's kernel routes alone
  (networkd reads it only when it starts).

Static routes go into the .network of the interface they leave through: the one named
by `interface`, or the one whose connected prefix holds the next hop (verify refuses a
next hop that is neither). Blackhole routes go into lo's .network. IP forwarding is
``IPForward=`` in every .network when the configuration routes (static routes, BGP) or
NATs: in v252 that key turns the global sysctl on (IPv4) and the per-link one (IPv6).

The live half (``reload``: networkctl reload, deleting links whose .netdev went away,
restarting networkd when it must) is in control.py; this module is pure. The .netdev units
are built in netdev.py, the lookups shared with verify.py are in links.py.

Free text (descriptions) is not written at all (a changed description must not reconfigure
a link); comment lines hold only names the schema restricts. Every ``Key=Value`` value comes
from a strict schema type and passes :func:`unitfile.check_value` (see backends/common/unitfile.py).
"""
from __future__ import annotations

from pathlib import PurePosixPath

from nos_shell.config.tree import ConfigTree, Node
from nos_shell.models import shared
from nos_shell.models.interfaces import Interface

from ..common.unitfile import Unit
from ..contract import generated_path
from .links import members as member_links
from .netdev import NETDEV_KINDS
from .quickconn import plain_v4
from .routed import merge, routed, routed_for
from .spec import FixedSpec, Net, NetdevSpec, NetworkSpec, Skipped, Spec

UNIT_DIR = PurePosixPath("etc/systemd/network")
PREFIX = "10-nos-"
CONF_DROPIN = PurePosixPath("etc/systemd/networkd.conf.d/10-nos-shell.conf")


_UNIT_DIR = f"{UNIT_DIR}/"


def unit_path(name: str, suffix: str) -> PurePosixPath:
    """The path of an interface's unit (one object per path: building paths is a large part
    of a compile)."""
    return generated_path(f"{_UNIT_DIR}{PREFIX}{name}.{suffix}")


def forwarding(tree: ConfigTree) -> str | None:
    """``IPForward=`` value: IPv4 when routing or NATing IPv4, IPv6 when routing IPv6.
    (Only whether something exists counts: children are looked at in any order, unsorted,
    and a neighbor written as plain IPv4 is not parsed again.)"""
    v4 = bool(_children(tree, "protocols", "static", "route"))
    v6 = bool(_children(tree, "protocols", "static", "route6"))
    for side in ("source", "destination"):
        v4 |= any("disable" not in rule.children for rule in _children(tree, "nat", side, "rule").values())
    if tree.exists("protocols", "bgp"):
        for addr in _children(tree, "protocols", "bgp", "neighbor"):
            if v4 and v6:
                break
            if ":" in addr:     # (neighbors are IP addresses, by the schema: a colon is IPv6)
                v6 = True
            else:
                v4 = True
        v4 |= tree.exists("protocols", "bgp", "address-family", "ipv4-unicast")
        v6 |= tree.exists("protocols", "bgp", "address-family", "ipv6-unicast")
    return "yes" if v4 and v6 else "ipv4" if v4 else "ipv6" if v6 else None


# -- compile -------------------------------------------------------------------------------

def compile(tree: ConfigTree) -> dict[PurePosixPath, bytes]:
    """Every unit file of the tree."""
    return {path: spec.render() for path, spec in units(tree).items() if spec is not None}


def units(tree: ConfigTree, only: set[str] | None = None,
          own: ConfigTree | None = None, alone: bool = False) -> dict[PurePosixPath, Spec | None]:
    """The inputs of every unit file, by path, in path order (nothing rendered yet).

    With ``only``, the units of other interfaces are listed with None instead of their
    inputs (what is built for them is what other units need: the cheap part), and ``own``,
    a tree defining the same interfaces, supplies the named interfaces' own settings (their
    node: addresses, MTU, netdev settings), while everything else comes from ``tree``.

    With ``alone`` (and ``only``), just the units of the interfaces named are listed.

    Without ``only`` the result is built once per shared model (a commit's incremental
    compile and its full compile share it): callers must not change it."""
    if only is None and own is None:
        return shared.of(tree).derived("networkd.units", lambda model: _units(tree, None, None))
    return _units(tree, only, own, alone)


def _units(tree: ConfigTree, only: set[str] | None, own: ConfigTree | None,
           alone: bool = False) -> dict[PurePosixPath, Spec | None]:
    model = shared.of(tree)
    own_model = shared.of(own) if own is not None else model

    def wanted(name: str) -> bool:
        return only is None or name in only

    ifaces = model.unique
    forward = model.derived("networkd.forwarding", lambda m: forwarding(m.tree))
    nets: dict[str, Net] = {}
    devs: dict[str, Spec | None] = {}

    skipped = Skipped("")      # what the units of interfaces not in ``only`` are built into

    def net(name: str) -> Net:
        if name not in nets:
            nets[name] = Net(name) if wanted(name) else skipped
            nets[name].add("Match", "Name", name)
        return nets[name]

    members = {m: (master, kind, path) for m, master, kind, path in reversed(member_links(tree))}

    alone = alone and only is not None
    # alone: only the named interfaces' units are returned, so only what reaches them is built
    for iface in ifaces if not alone else [i for i in ifaces if i.name in only]:   # type: ignore[operator]
        nets[iface.name] = n = Net(iface.name) if wanted(iface.name) else skipped
        if wanted(iface.name):
            _interface(own_model, iface, n, iface.name in members)
        if iface.kind in NETDEV_KINDS:
            devs[iface.name] = NetdevSpec(iface, own_model.node_of(iface), own_model.tree) \
                if wanted(iface.name) else None

    # Links to parents and masters. VLANs by id, so both spellings give the same units.
    linked = ifaces if not alone else [i for i in ifaces if (i.kind == "vlan" and i.parent in only)    # type: ignore[operator]
                                       or i.kind in ("pseudo-ethernet", "vxlan")]
    for iface in sorted(linked, key=lambda i: (i.kind == "vlan", i.vlan_id or 0)):
        if iface.kind == "vlan" and iface.parent:
            net(iface.parent).add("Network", "VLAN", iface.name)
        elif iface.kind == "pseudo-ethernet":
            source = tree.value(*iface.at("source-interface"))
            if source:
                net(source).add("Network", "MACVLAN", iface.name)
        elif iface.kind == "vxlan":
            source = tree.value(*iface.at("source-interface"))
            if source:
                net(source).add("Network", "VXLAN", iface.name)
    for member, (master, kind, path) in members.items():
        n = net(member)
        n.add("Network", "Bridge" if kind == "bridge" else "Bond", master)
        n.add("Network", "LinkLocalAddressing", "no")
        if kind == "bridge" and wanted(member):
            for key, opt in (("Cost", "cost"), ("Priority", "priority")):
                value = tree.value(*path, opt, default=False)
                if value is not None:
                    n.add("Bridge", key, value)

    if only is None:
        extras = model.derived("networkd.routed", routed)
    else:       # a few units: only the routes that may reach them are resolved
        known, key = model.derived("networkd.routed.for", _no_extras), frozenset(only)
        if key not in known:
            known[key] = routed_for(model, key)
        extras = known[key]
    for name, extra in extras.items():
        target = net(name)
        if wanted(name):
            merge(target, extra)

    for name, n in nets.items():
        if forward and wanted(name) and name not in members:
            n.add("Network", "IPForward", forward)

    if alone:
        mine = {unit_path(name, "netdev"): spec for name, spec in devs.items() if name in only}
        mine.update((unit_path(name, "network"), n.spec()) for name, n in nets.items() if name in only)
        return mine
    # In path order: every unit is in UNIT_DIR, whose parts sort before CONF_DROPIN's, so
    # sorting the file names is enough.
    files: list[tuple[str, str, Spec | None]] = [(f"{PREFIX}{name}.netdev", name, spec) for name, spec in devs.items()]
    files += [(f"{PREFIX}{name}.network", name, n.spec() if wanted(name) else None) for name, n in nets.items()]
    files.sort(key=lambda item: item[0])
    out: dict[PurePosixPath, Spec | None] = {generated_path(_UNIT_DIR + file): spec for file, _, spec in files}
    out[CONF_DROPIN] = FixedSpec(_global_settings())
    return out


def _children(tree: ConfigTree, *path: str) -> dict[str, Node]:
    node = tree.node(*path)
    return node.children if node is not None else {}


def _no_extras(model: shared.Model) -> dict[frozenset[str], dict[str, Net]]:
    return {}


def _global_settings() -> bytes:
    """networkd.conf drop-in (read when networkd starts). By default networkd deletes routes
    and rules it did not configure itself, which includes the routes BIRD exports to the
    kernel; on a router those belong to the routing daemons."""
    unit = Unit()
    unit.comments.append("Routes and rules networkd did not configure belong to routing daemons (BIRD) or the kernel.")
    unit.add("Network", "ManageForeignRoutingPolicyRules", "no")
    unit.add("Network", "ManageForeignRoutes", "no")
    return unit.render()


def interface_part(model: shared.Model, iface: Interface, is_member: bool) -> NetworkSpec:
    """What an interface's .network holds from its own node in ``model``'s tree (the part
    the unit's own settings reach; networkd/own.py compares it)."""
    n = Net(iface.name)
    _interface(model, iface, n, is_member)
    return n.spec()


def _leaf(node: Node, name: str) -> str | None:
    """A leaf's value under ``node`` (no schema default)."""
    child = node.children.get(name)
    return child.values[0] if child is not None and child.values else None


def _interface(model: shared.Model, iface: Interface, n: Net, is_member: bool) -> None:
    tree = model.tree
    node = model.node_of(iface) or Node()
    # Descriptions stay out of unit files: networkd 252 reconfigures a link (dropping its
    # addresses and the routes through it for a moment) whenever its .network changes, and
    # restarts are needed for a changed .netdev; a new description must not cause either.
    # hw-id, mac, mtu and address have no schema default: read from the node directly.
    hw_id = _leaf(node, "hw-id") if iface.kind == "ethernet" else None
    if hw_id:
        n.add("Match", "PermanentMACAddress", hw_id.lower())
    else:
        n.add("Match", "Name", iface.name)
    mac = _leaf(node, "mac")
    if mac and iface.kind == "ethernet":
        n.add("Link", "MACAddress", mac.lower())
    mtu = _leaf(node, "mtu")
    if mtu:
        n.add("Link", "MTUBytes", mtu)
    if "disable" in node.children:
        n.add("Link", "ActivationPolicy", "down")

    child = node.children.get("address")
    words = child.values or [] if child is not None else []
    dhcp4, dhcp6 = "dhcp" in words, "dhcpv6" in words
    if dhcp4 or dhcp6:
        n.add("Network", "DHCP", "yes" if dhcp4 and dhcp6 else "ipv4" if dhcp4 else "ipv6")
    for addr in model.addresses(iface):
        n.add("Network", "Address", str(addr))
    if not (dhcp4 or dhcp6 or is_member or iface.kind == "loopback"):
        # A router's static addresses and routes stay configured without a carrier
        # (bridges without ports, unplugged ports), as on VyOS.
        n.add("Network", "ConfigureWithoutCarrier", "yes")
    if dhcp4:
        opts = iface.at("dhcp-options")
        if tree.exists(*opts, "no-default-route"):
            n.add("DHCPv4", "UseGateway", "no")
        distance = tree.value(*opts, "default-route-distance")
        if distance:
            n.add("DHCPv4", "RouteMetric", distance)
        host = tree.value(*opts, "host-name")
        if host:
            n.add("DHCPv4", "Hostname", host)
    if dhcp6:
        # VyOS solicits DHCPv6 at once instead of waiting for a router advertisement.
        n.add("DHCPv6", "WithoutRA", "solicit")


