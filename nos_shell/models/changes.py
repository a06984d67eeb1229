"""Which configuration paths differ between two trees: what an incremental compile and an
incremental verify start from.

One walk over both trees at once: a path is reported where a node exists on one side only,
or where its values or its comment differ; below a node on one side only nothing more is
reported. Pure.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from . import shared

if TYPE_CHECKING:
    from nos_shell.config.tree import ConfigTree, Node

Path = tuple[str, ...]
DEFINING = frozenset({"vif", "vif-s", "vif-c"})
"""Children of an interface that define other interfaces (not settings of its own)."""


def changed_paths(old: ConfigTree, new: ConfigTree, limit: int | None = None) -> list[Path] | None:
    """Every path at which ``old`` and ``new`` differ, in walk order; None when there are more
    than ``limit`` (callers then treat everything as changed). Inside a sharing block
    (models/shared.py) the walk is done once per pair of trees, for verify and apply."""
    known = shared.of(new).derived("changes.walks", _no_walks)
    hit = known.get(id(old))
    if hit is not None and hit[0] is old:
        found, upto = hit[1], hit[2]
        if found is not None and (limit is None or len(found) <= limit):
            return list(found)
        if found is None and limit is not None and upto is not None and limit <= upto:
            return None
    found = _walk(old, new, limit)
    known[id(old)] = (old, found, limit)
    return None if found is None else list(found)


def _no_walks(model: shared.Model) -> dict[int, tuple[ConfigTree, list[Path] | None, int | None]]:
    return {}


def _walk(old: ConfigTree, new: ConfigTree, limit: int | None) -> list[Path] | None:
    out: list[Path] = []
    stack: list[tuple[Node, Node, Path]] = [(old.root, new.root, ())]
    while stack:
        a, b, path = stack.pop()
        if a.values != b.values or a.comment != b.comment:
            out.append(path)
        theirs, found = b.children, 0
        for name, child in a.children.items():
            other = theirs.get(name)
            if other is None:
                out.append(path + (name,))
                continue
            found += 1
            if child is other:
                continue
            if child.children or other.children:
                stack.append((child, other, path + (name,)))
            elif child.values != other.values or child.comment != other.comment:
                out.append(path + (name,))      # a leaf (or an empty node): no need to stack it
        if found != len(theirs):
            out.extend(path + (name,) for name in theirs.keys() - a.children.keys())
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


# -- what a verify check reads, and whether a change reaches it ------------------------------
class Reads(NamedTuple):
    """The inputs of one verify check: configuration ``areas`` outside `interfaces` (a change
    at, below or above one reaches it) and, when the check reads interfaces at all, the
    interface ``settings`` it reads (`address`, `disable`, ...). Reading interfaces always
    includes which interfaces exist, with their names, kinds, parents and VLAN ids."""

    areas: tuple[Path, ...] = ()
    settings: frozenset[str] | None = None       # None: reads no interface


class Scope(NamedTuple):
    """A change between two trees as verify sees it: the changed ``paths``, whether an
    interface was defined, removed or renamed (``defines``, also set for anything not
    understood), and the names of the interface settings changed."""

    paths: list[Path]
    defines: bool
    settings: frozenset[str]

    def reaches(self, reads: Reads) -> bool:
        """Whether the change may alter what a check with inputs ``reads`` says."""
        if reads.settings is not None and (self.defines or not self.settings.isdisjoint(reads.settings)):
            return True
        return touches([p for p in self.paths if p[:1] != ("interfaces",)], reads.areas)


VERIFY_LIMIT = 4096
"""More changed paths than this: verify everything (an incremental run would cost as much)."""


def scope(old: ConfigTree, new: ConfigTree) -> Scope | None:
    """The :class:`Scope` of the change from ``old`` to ``new``; None when it is too big to
    be worth following (callers then verify everything)."""
    paths = changed_paths(old, new, VERIFY_LIMIT)
    if paths is None:
        return None
    defines, settings = False, set()
    for path in paths:
        if path[:1] != ("interfaces",):
            continue
        setting = interface_setting(path)
        if setting is None:
            defines = True
        else:
            settings.add(setting)
    return Scope(paths, defines, frozenset(settings))


def interface_setting(path: Path) -> str | None:
    """The interface setting a changed path below `interfaces` is in (`address` for
    `interfaces ethernet eth0 vif 5 address ...`); None when the path defines, removes or
    renames an interface (its node, a `vif`, `vif-s` or `vif-c` node, the `source-interface`
    that names an `interfaces vlan`, or anything above)."""
    at = setting_at(path)
    return None if at is None else path[at]


def setting_at(path: Path) -> int | None:
    """Where in ``path`` the name of the interface setting is (so ``path[:at]`` is the
    interface's own path); None where :func:`interface_setting` finds none."""
    if len(path) <= 3:
        return None
    at = 3
    while path[at] in DEFINING:
        if len(path) <= at + 2:
            return None
        at += 2
    if path[1] == "vlan" and path[at] == "source-interface":
        return None
    return at
