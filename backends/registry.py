"""The one list of backend drivers, in reload order, and the questions asked of it.

Each entry maps a driver's name to its folder under ``backends/`` (imported lazily; the
folder's ``__init__`` exports ``DRIVER``). Adding a backend is one line here. Tests may add
a throwaway driver for a while, or run with only throwaway drivers, with :func:`registered`.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from .contract import Driver, Files

if TYPE_CHECKING:
    from nos_shell.config.tree import ConfigTree
    from nos_shell.models.changes import Scope
    from nos_shell.problems import Problem

DRIVERS: dict[str, str] = {
    "networkd": "networkd",
    "nftables": "nftables",
    "system": "system",
    "timesync": "timesyncd",
    "sysctl": "sysctl",
    "syslog": "rsyslog",
    "pdns-recursor": "pdns_recursor",
    "bird": "bird",
    "gobgp": "gobgp",
}
"""Driver name -> folder under nos_shell.backends, in the order drivers are reloaded."""

_BGP_WAKES = (("protocols", "bgp"), ("protocols", "static"))
WAKES: dict[str, tuple[tuple[tuple[str, ...], ...], frozenset[str] | None] | None] = {
    "networkd": None,
    "nftables": ((("nat",), ("firewall",)), frozenset()),
    "system": ((("system",),), None),
    "timesync": ((("service", "ntp"),), None),
    "sysctl": ((("system", "sysctl"), ("system", "option"), ("firewall", "global-options")), None),
    "syslog": ((("system", "syslog"),), None),
    "pdns-recursor": ((("service", "dns"), ("system", "name-server")), None),
    "bird": (_BGP_WAKES, frozenset({"address", "disable"})),
    "gobgp": (_BGP_WAKES, frozenset({"address", "disable"})),
}
"""Everything a built-in driver reads, to verify, compile, choose itself or call itself
stale, as (areas, interface settings) in the form of models.changes.Reads (None: it may
read anything). A change that reaches none of it leaves the driver as it was: it is not
even imported (:func:`asleep`). Unsafe words in interface values are reported by networkd
(never asleep) with the same problems as the BGP drivers'. tests/test_driver_wakes.py
holds each entry to the driver's own declarations."""

_extra: dict[str, Driver] = {}      # registered for a while (tests), after the built-in ones
_alone: list[bool] = [False]        # True: only the drivers in _extra are registered


def names() -> list[str]:
    """Every registered driver's name, in order."""
    if _alone[0]:
        return list(_extra)
    return [*DRIVERS, *(name for name in _extra if name not in DRIVERS)]


def driver(name: str) -> Driver:
    """The driver registered under ``name`` (KeyError when there is none)."""
    if name in _extra:
        return _extra[name]
    found = importlib.import_module(f"{__package__}.{DRIVERS[name]}").DRIVER
    if not isinstance(found, Driver):
        raise TypeError(f"backends/{DRIVERS[name]}: DRIVER does not satisfy the driver contract")
    return found


def drivers() -> list[Driver]:
    """Every registered driver, in order."""
    return [driver(name) for name in names()]


def asleep(old: ConfigTree, new: ConfigTree) -> frozenset[str]:
    """The built-in drivers the change from ``old`` to ``new`` cannot concern (:data:`WAKES`):
    each was active for both or neither, would verify nothing new, compile the same files and
    has nothing to reload. Empty when the change is too big to follow."""
    from nos_shell.models.changes import scope

    return sleeping(scope(old, new))


def sleeping(change: Scope | None) -> frozenset[str]:
    """:func:`asleep` for a change already in hand as a :class:`Scope` (None: too big)."""
    from nos_shell.models.changes import Reads

    if _alone[0] or change is None:
        return frozenset()
    return frozenset(name for name, wakes in WAKES.items()
                     if wakes is not None and name not in _extra and not change.reaches(Reads(*wakes)))


def awake(old: ConfigTree, new: ConfigTree, woken: frozenset[str] = frozenset()) -> list[Driver]:
    """The registered drivers, in order, less those :func:`asleep` for this change (but
    never those named in ``woken``: a driver with files to follow is awake whatever the
    trees say, as in a boot that reloads everything for an unchanged tree)."""
    sleeping = asleep(old, new) - woken
    return [driver(name) for name in names() if name not in sleeping]


def in_area(area: str) -> list[Driver]:
    """The drivers that can serve ``area``, in order."""
    return [d for d in drivers() if d.area == area]


def active(area: str, tree: ConfigTree) -> Driver | None:
    """The driver serving ``area`` for ``tree``, or None when the area is not configured."""
    return next((d for d in in_area(area) if d.active(tree)), None)


@contextmanager
def registered(*added: Driver, alone: bool = False) -> Iterator[None]:
    """Register ``added`` drivers (after the built-in ones, or in place of one of the same
    name) until the block ends; with ``alone``, they are the only drivers meanwhile."""
    before, was_alone = dict(_extra), _alone[0]
    _extra.update({d.name: d for d in added})
    _alone[0] = alone or was_alone
    try:
        yield
    finally:
        _extra.clear()
        _extra.update(before)
        _alone[0] = was_alone


def settings() -> dict[str, object]:
    """Every apply.toml key a registered driver reads, with its default."""
    found: dict[str, object] = {}
    for each in drivers():
        found.update(each.settings)
    return found


def clash(by_driver: Mapping[str, Files]) -> tuple[PurePosixPath, str, str] | None:
    """The first path two drivers both generate, with both names; None when each path has
    one owner."""
    owner: dict[PurePosixPath, str] = {}
    for name, files in by_driver.items():
        for path in files:
            if path in owner:
                return path, owner[path], name
            owner[path] = name
    return None


def compile_each(tree: ConfigTree, only: list[str] | None = None) -> dict[str, Files]:
    """Each driver's files (none for a driver its area did not choose)."""
    chosen = [driver(n) for n in only] if only is not None else drivers()
    return {d.name: d.compile(tree) if d.active(tree) else {} for d in chosen}


def compile_all(tree: ConfigTree, only: list[str] | None = None) -> Files:
    """Every driver's files merged; ValueError when two drivers claim one path."""
    by_driver = compile_each(tree, only)
    found = clash(by_driver)
    if found is not None:
        path, first, second = found
        raise ValueError(f"backends {first} and {second} both generate {path}")
    return {path: data for files in by_driver.values() for path, data in files.items()}


def verify_all(tree: ConfigTree, only: list[str] | None = None, *,
               since: ConfigTree | None = None) -> list[Problem]:
    """Every active driver's problems, sorted by path, each once. ``since``: a tree that
    passed this verify (by this version of nos-shell), from which ``tree`` was changed;
    drivers active for both then verify only what the change reaches (the same answer)."""
    from nos_shell.models.changes import scope

    change = scope(since, tree) if since is not None else None
    if only is not None:
        chosen = [driver(n) for n in only]
    else:
        quiet = sleeping(change)
        chosen = [driver(n) for n in names() if n not in quiet]
    found: set[Problem] = set()
    for each in chosen:
        if not each.active(tree):
            continue
        incremental = getattr(each, "verify_since", None)
        if change is None or incremental is None or not each.active(since):
            found.update(each.verify(tree))
        else:
            found.update(incremental(since, tree, change))
    return sorted(found)
