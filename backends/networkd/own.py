"""networkd's quickest delta: a change of interfaces' own settings that no unit's bytes show.

A change made only of :data:`delta.OWN` settings (description, MTU, ...) of interfaces that
exist in both trees reaches nothing but those interfaces' own part of their units: what
``compiler._interface`` adds to the .network from the interface's node, and the .netdev
(netdev.py reads only the interface's node). Everything else a unit holds (links to parents
and members, routes, DHCP servers, IP forwarding) is read from the rest of the tree, which
did not change. So when each named interface's own part is equal in both trees (a
description is never written), no file changes, and the generated paths are those of both
trees: :func:`unchanged` finds this in time proportional to the interfaces named, plus one
walk of the names that get a unit (:func:`unit_names`), without parsing an address.
"""
from __future__ import annotations

from nos_shell.config.tree import ConfigTree, Node
from nos_shell.models import shared

from ..contract import file_mode
from .compiler import CONF_DROPIN, PREFIX, UNIT_DIR, interface_part
from .links import members as member_links
from .netdev import NETDEV_KINDS, netdev

_DIR = f"{UNIT_DIR}/{PREFIX}"


def unchanged(old: ConfigTree, new: ConfigTree, names: set[str]) -> bool:
    """Whether no unit of the interfaces ``names`` differs between the trees, given that only
    their own settings changed (False: some may; the caller compares their units). The
    paths are then those of both trees (:func:`unit_names`)."""
    was, now = shared.of(old), shared.of(new)
    members = {member for member, _, _, _ in member_links(new)}
    for name in names:
        # Only settings of interfaces defined in both trees changed (the caller's
        # interface_settings): the same nodes define the same interfaces in both, so the
        # old tree's interface list is not built (the node is looked up all the same).
        iface = now.by_name.get(name)
        if iface is None or old.node(*iface.path) is None:
            return False
        is_member = name in members
        if interface_part(was, iface, is_member) != interface_part(now, iface, is_member):
            return False
        if iface.kind in NETDEV_KINDS:
            a, b = netdev(old, iface), netdev(new, iface)
            if a != b or file_mode(a) != file_mode(b):
                return False
    return True


def unit_names(tree: ConfigTree) -> frozenset[str]:
    """Every path :func:`compiler.units` gives for ``tree``, as text, from the names alone: a
    .network for each interface, parent, macvlan/vxlan source, member, and interface a
    static route leaves through; a .netdev for each virtual interface; the drop-in.
    (Next hops without an interface leave through an addressed interface: one of these.)"""
    model = shared.of(tree)
    networks = set(model.by_name)
    paths = [f"{_DIR}{i.name}.netdev" for i in model.unique if i.kind in NETDEV_KINDS]
    for iface in model.unique:
        if iface.kind == "vlan" and iface.parent:
            networks.add(iface.parent)
        elif iface.kind in ("pseudo-ethernet", "vxlan"):
            source = tree.value(*iface.at("source-interface"))
            if source:
                networks.add(source)
    networks.update(member for member, _, _, _ in member_links(tree))
    networks.update(_route_exits(tree))
    paths += [f"{_DIR}{name}.network" for name in networks]
    paths.append(str(CONF_DROPIN))
    return frozenset(paths)


def _route_exits(tree: ConfigTree) -> set[str]:
    """The interfaces static routes name (routed.py puts a [Route] into their .network):
    enabled next hops' `interface`, enabled `interface` routes, lo for blackholes."""
    out: set[str] = set()
    for family in ("route", "route6"):
        routes = tree.node("protocols", "static", family)
        for route in routes.children.values() if routes is not None else ():
            children = route.children
            for hop in _children(children.get("next-hop")):
                if "disable" not in hop.children:
                    name = _leaf(hop, "interface")
                    if name:
                        out.add(name)
            exits = children.get("interface")
            if exits is not None:
                out.update(name for name, node in exits.children.items() if "disable" not in node.children)
            if "blackhole" in children:
                out.add("lo")
    return out


def _children(node: Node | None):
    return node.children.values() if node is not None else ()


def _leaf(node: Node, name: str) -> str | None:
    child = node.children.get(name)
    return child.values[0] if child is not None and child.values else None
