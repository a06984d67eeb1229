"""The networkd driver's incremental compile: render only the units a change reaches.

Two ways, both giving exactly what comparing two full compiles would (tests/test_incremental.py):

- a change made only of settings an interface's own units read (MTU, MAC, description,
  disable, netdev settings: :data:`OWN`) inside interfaces that exist in both trees: the
  units of just those interfaces are built twice, once with their old settings (``units``
  with ``only`` and ``own``), and every other unit is known to be unchanged, since nothing
  else reads those settings. The shared model of the new tree (built for verify anyway) is
  all it needs; the old tree is not modelled at all;
- anything else (addresses, which move routes and DHCP servers; interfaces added or
  removed; members, parents; routes, NAT, BGP; unknown changes): the inputs of every unit
  of both trees are built and compared, and only the units whose inputs differ are rendered.

Of the units rendered, only those whose bytes (or mode) differ are in the delta.
"""
from __future__ import annotations

from pathlib import PurePosixPath

from nos_shell.config.tree import ConfigTree
from nos_shell.models.changes import interface_settings

from ..contract import Changes, Delta, file_mode
from .compiler import Spec, units

OWN = frozenset({"description", "mtu", "mac", "disable", "hw-id", "dhcp-options", "stp", "priority",
                 "aging", "mode", "hash-policy", "vni", "remote", "group", "port", "source-address",
                 "private-key", "fwmark", "peer"})
"""Settings of an interface that only its own .network and .netdev read (compiler.py
``_interface``, netdev.py); `address`, `member`, `source-interface`, `protocol` and the VLAN
sub-nodes are read by other units too."""


def compile_delta(old: ConfigTree, new: ConfigTree, changes: Changes) -> Delta:
    """What compile(new) changes against compile(old) (the module docstring)."""
    names = _own_changes(old, new, changes)
    if names is not None:
        before = units(new, only=names, own=old)
        after = units(new, only=names)
    else:
        before, after = units(old), units(new)
    changed: dict[PurePosixPath, bytes] = {}
    for path, spec in after.items():
        was = before.get(path)
        if spec is not None and was != spec:
            data = spec.render()
            previous = _render(was)
            if previous is None or previous != data or file_mode(previous) != file_mode(data):
                changed[path] = data
    return Delta(changed, frozenset(before), frozenset(after))


def _render(spec: Spec | None) -> bytes | None:
    return None if spec is None else spec.render()


def _own_changes(old: ConfigTree, new: ConfigTree, changes: Changes) -> set[str] | None:
    """The interfaces whose own settings are all that changed; None when anything else did."""
    settings = interface_settings(old, new, changes, areas=((),))
    if settings is None or any(names - OWN for names in settings.values()):
        return None
    return set(settings)
