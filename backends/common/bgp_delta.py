"""The incremental compile every BGP driver shares: no compile when the BGP view cannot change.

The BGP model (nos_shell/models/bgp.py) reads `protocols bgp`, `protocols static` and, of
the interfaces, only which exist, their addresses and `disable` (router id, connected
prefixes, update-source). A change that reaches those areas only through other settings of
existing interfaces (an MTU, a description) leaves the daemon's one file as it was;
anything else compiles both trees and compares (contract.full_delta).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

from nos_shell.config.tree import ConfigTree
from nos_shell.models.bgp import READS
from nos_shell.models.changes import interface_settings

from ..contract import Changes, Delta, Files, full_delta

VIEWED = frozenset({"address", "disable"})
"""The settings of an interface the BGP model reads."""


def delta_of(compile: Callable[[ConfigTree], Files], path: PurePosixPath
             ) -> Callable[[ConfigTree, ConfigTree, Changes], Delta]:
    """A ``compile_delta`` for a driver whose one file is ``path`` (called while the driver
    is active for both trees)."""
    def compile_delta(old: ConfigTree, new: ConfigTree, changes: Changes) -> Delta:
        settings = interface_settings(old, new, changes, areas=READS)
        if settings is not None and not any(names & VIEWED for names in settings.values()):
            return Delta({}, frozenset({path}), frozenset({path}))
        return full_delta(compile, old, new)

    return compile_delta
