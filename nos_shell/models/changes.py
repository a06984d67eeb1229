"""Which configuration paths differ between two trees: what an incremental compile starts from.

One walk over both trees at once: a path is reported where a node exists on one side only,
or where its values or its comment differ; below a node on one side only nothing more is
reported. Pure.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import shared

if TYPE_CHECKING:
    from nos_shell.config.tree import ConfigTree, Node

Path = tuple[str, ...]
DEFINING = frozenset({"vif", "vif-s", "vif-c"})
"""Children of an interface that define other interfaces (not settings of its own)."""


def changed_paths(old: ConfigTree, new: ConfigTree, limit: int | None = None) -> list[Path] | None:
    """Every path at which ``old`` and ``new`` differ, in walk order; None when there are more
    than ``limit`` (callers then treat everything as changed)."""
    out: list[Path] = []
    stack: list[tuple[Node, Node, Path]] = [(old.root, new.root, ())]
    while stack:
        a, b, path = stack.pop()
        if a.values != b.values or a.comment != b.comment:
            out.append(path)
        for name, child in a.children.items():
            other = b.children.get(name)
            if other is None:
                out.append(path + (name,))
            elif child is not other:
                stack.append((child, other, path + (name,)))
        for name in b.children.keys() - a.children.keys():
            out.append(path + (name,))
        if limit is not None and len(out) > limit:
            return None
    return out


def touches(changes: list[Path], areas: tuple[Path, ...]) -> bool:
    """Whether any changed path is at, below or above one of ``areas``."""
    for path in changes:
        for area in areas:
            n = min(len(path), len(area))
            if path[:n] == area[:n]:
                return True
    return False


def interface_settings(old: ConfigTree, new: ConfigTree, changes: list[Path] | None,
                       areas: tuple[Path, ...] = (("interfaces",),)) -> dict[str, set[str]] | None:
    """For changes (among those reaching ``areas``) made only of settings inside interfaces
    that exist in both trees: interface name -> the names of its settings that changed
    (`mtu`, `address`, ...). None when some change is anything else (an interface added or
    removed, a comment on one, a change outside the interfaces) or the changes are unknown."""
    if changes is None:
        return None
    model = shared.of(new)
    if len(model.interfaces) != len(model.by_name):     # a name defined twice: say nothing
        return None
    by_path = {iface.path: iface for iface in model.interfaces}
    depths = sorted({len(path) for path in by_path}, reverse=True)
    out: dict[str, set[str]] = {}
    for path in changes:
        if not touches([path], areas):
            continue
        if path[:1] != ("interfaces",):
            return None
        iface = next((by_path[path[:d]] for d in depths if d < len(path) and path[:d] in by_path), None)
        if iface is None or old.node(*iface.path) is None or path[len(iface.path)] in DEFINING:
            return None
        out.setdefault(iface.name, set()).add(path[len(iface.path)])
    return out
