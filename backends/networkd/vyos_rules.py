"""Rules of the networkd driver that VyOS enforces with its own words (interfaces, DHCP
server): each message is the one a VyOS user already knows.

- a VLAN interface's MTU may not exceed its parent's (VyOS's ``verify_mtu_parent``; a
  parent without `mtu` has VyOS's default, 1500);
- a DHCP subnet hands out addresses only from a `range` or to a `static-mapping`: without
  either, networkd would lease the whole subnet, addresses already in use included.
"""
from __future__ import annotations

from collections.abc import Callable

from nos_shell.models import shared
from nos_shell.models.changes import Reads, Scope, setting_at
from nos_shell.problems import Problem

from .links import dhcp_subnets

DEFAULT_MTU = 1500
"""VyOS's MTU of an interface whose `mtu` is not set."""


def verify_vif_mtu(model: shared.Model) -> list[Problem]:
    """Every VLAN interface with an `mtu` above its parent's (set or default)."""
    return _vif_mtu(model, model.interfaces)


def vif_mtu_since(model: shared.Model, scope: Scope) -> list[Problem] | None:
    """:func:`verify_vif_mtu` after a change ``scope`` to a tree that passed it: only the
    VLANs whose own `mtu` changed or whose parent's did can be wrong now. None when the
    change defines or removes interfaces (then every VLAN is checked)."""
    if scope.defines:
        return None
    at = {path[:place] for path in scope.paths
          if path[:1] == ("interfaces",) and (place := setting_at(path)) is not None and path[place] == "mtu"}
    if not at:
        return []
    named = {iface.name for iface in model.interfaces if iface.path in at}
    return _vif_mtu(model, [iface for iface in model.interfaces
                            if iface.path in at or iface.parent in named])


def _vif_mtu(model: shared.Model, ifaces: list) -> list[Problem]:
    tree, known = model.tree, model.by_name
    problems: list[Problem] = []
    for iface in ifaces:
        if iface.kind != "vlan" or iface.parent is None:
            continue
        own = tree.value(*iface.at("mtu"), default=False)      # no schema look-up per VLAN
        parent = known.get(iface.parent)
        if own is None or parent is None or parent.kind in ("loopback", "dummy", "wireguard"):
            continue          # no MTU of its own, or a parent the other rules refuse
        ceiling = int(tree.value(*parent.at("mtu"), default=False) or DEFAULT_MTU)
        if int(own) > ceiling:
            problems.append(Problem(iface.at("mtu"), f'Interface MTU "{int(own)}" too high, '
                                                     f'parent interface MTU is "{ceiling}"!'))
    return problems


def verify_dhcp_pools(model: shared.Model) -> list[Problem]:
    """Every served subnet with neither a `range` nor an enabled `static-mapping`."""
    tree = model.tree
    problems: list[Problem] = []
    for network, at, _ in dhcp_subnets(tree):
        if tree.keys(*at, "range"):
            continue
        if any(not tree.exists(*at, "static-mapping", host, "disable")
               for host in tree.keys(*at, "static-mapping")):
            continue
        problems.append(Problem(at, "No DHCP address range or active static-mapping configured "
                                    f'within shared-network "{network}, {at[-1]}"!'))
    return problems


RULES: tuple[tuple[Callable[[shared.Model], list[Problem]], Reads], ...] = (
    (verify_vif_mtu, Reads(settings=frozenset({"mtu"}))),
    (verify_dhcp_pools, Reads((("service", "dhcp-server"),))),
)
"""Each rule with what it reads, as in verify.py's RULES (which includes these)."""
