"""Which configuration paths differ between two trees: what an incremental compile starts from.

One walk over both trees at once: a path is reported where a node exists on one side only,
or where its values or its comment differ; below a node on one side only nothing more is
reported. Pure.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nos_shell.config.tree import ConfigTree, Node

Path = tuple[str, ...]


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
