"""The networkd driver's incremental compile: render only the units a change reaches.

Four ways, all giving exactly what comparing two full compiles would (tests/test_incremental.py):

- a change made only of settings an interface's own units read (MTU, MAC, description,
  disable, netdev settings: :data:`OWN`) inside interfaces that exist in both trees: the
  units of just those interfaces are built twice, once with their old settings (``units``
  with ``only`` and ``own``), and every other unit is known to be unchanged, since nothing
  else reads those settings. The shared model of the new tree (built for verify anyway) is
  all it needs; the old tree is not modelled at all. First of all, when those interfaces'
  own parts are equal in both trees (a description is never written), nothing else is
  built: no file changes, and the paths come from the names alone (own.py);
- a change of those settings and addresses, inside interfaces that exist in both trees:
  an address moves static routes and DHCP servers (routed.py) from one interface's unit to
  another's, so what routes and DHCP servers add is built for both trees and compared, and
  the units of the changed interfaces and of those whose added sections differ are built
  for both trees (every other unit reads nothing that changed);
- anything else (interfaces added or removed; members, parents; routes, NAT, BGP; unknown
  changes): the inputs of every unit of both trees are built and compared, and only the
  units whose inputs differ are rendered.

Of the units rendered, only those whose bytes (or mode) differ are in the delta.
"""
from __future__ import annotations

from functools import partial
from pathlib import PurePosixPath

from nos_shell.config.tree import ConfigTree
from nos_shell.models import shared
from nos_shell.models.changes import interface_settings

from ..contract import AsBefore, Changes, Delta, Unchanged, file_mode
from .compiler import Spec, units
from .own import unchanged, unit_names
from .routed import routed

OWN = frozenset({"description", "mtu", "mac", "disable", "hw-id", "dhcp-options", "stp", "priority",
                 "aging", "mode", "hash-policy", "vni", "remote", "group", "port", "source-address",
                 "private-key", "fwmark", "peer"})
"""Settings of an interface that only its own .network and .netdev read (compiler.py
``_interface``, netdev.py); `address`, `member`, `source-interface`, `protocol` and the VLAN
sub-nodes are read by other units too."""

ADDRESSED = OWN | {"address"}
"""Settings whose change reaches the interface's own units and, through the connected
prefixes, the units that static routes and DHCP servers go into (routed.py): nothing else."""


def compile_delta(old: ConfigTree, new: ConfigTree, changes: Changes) -> Delta | Unchanged:
    """What compile(new) changes against compile(old) (the module docstring)."""
    settings = interface_settings(old, new, changes, areas=((),))
    if settings is not None and not any(names - OWN for names in settings.values()):
        # the same units in both trees (the interfaces and their names are the same): their
        # paths are listed (from the names) only when the manifest cannot say them
        paths = partial(unit_names, new)
        if unchanged(old, new, set(settings)):      # no unit's bytes show the change (own.py)
            return AsBefore(paths)
        # only the units of the changed interfaces are built
        before = units(new, only=set(settings), own=old, alone=True)
        after = units(new, only=set(settings), alone=True)
        return AsBefore(paths, _changed(before, after))
    elif settings is not None and not any(names - ADDRESSED for names in settings.values()):
        reached = set(settings) | _moved(old, new)
        before, after = units(old, only=reached), units(new, only=reached)
        if any(after[path] is None for path in after.keys() - before.keys()):
            before, after = units(old), units(new)      # a new unit nobody named: compare all
    else:
        before, after = units(old), units(new)
    return Delta(_changed(before, after), frozenset(before), frozenset(after))


def _changed(before: dict[PurePosixPath, Spec | None], after: dict[PurePosixPath, Spec | None]
             ) -> dict[PurePosixPath, bytes]:
    """The rendered units of ``after`` whose bytes or mode differ from ``before``'s."""
    changed: dict[PurePosixPath, bytes] = {}
    for path, spec in after.items():
        was = before.get(path)
        if spec is not None and was != spec:
            data = spec.render()
            previous = _render(was)
            if previous is None or previous != data or file_mode(previous) != file_mode(data):
                changed[path] = data
    return changed


def _render(spec: Spec | None) -> bytes | None:
    return None if spec is None else spec.render()


def _moved(old: ConfigTree, new: ConfigTree) -> set[str]:
    """The interfaces whose routes or DHCP server settings differ between the trees (what
    an address change moves)."""
    was = shared.of(old).derived("networkd.routed", routed)
    now = shared.of(new).derived("networkd.routed", routed)
    return {name for name in was.keys() | now.keys()
            if (was[name].spec() if name in was else None) != (now[name].spec() if name in now else None)}
