"""Optimistic concurrency: carry one session's changes onto a newer running configuration.

A session edits a private candidate copied from the running configuration (its *base*).
When another session commits first, :func:`rebase` takes this session's own changes (the
difference from base to candidate) and applies them onto the new running configuration
(*theirs*), as JunOS `configure private` does.

Changes are compared as *facts*, one per:

- real node (a leaf, a tag entry such as `interfaces ethernet eth0`, a presence
  container), holding the leaf's value when it is a single-value leaf;
- value of a multi-value leaf (`system name-server 192.0.2.1`);
- comment of any node;
- order of a multi-value leaf's values, when one side's order is not the base's with
  values removed and others appended (both sides reordering differently conflict).

Tag nodes (`interfaces ethernet`) and ordinary containers exist only through what they
hold, so they are no facts of their own: deleting the last server under `service ntp`
does not "delete `service ntp`" and does not clash with another session adding a
setting next to it. An ordinary container left empty on purpose (`set service ntp`
alone, which `show configuration commands` lists) is a fact that is not real: carried
when added, removed only while the other side has put nothing in it, never a conflict.

Two sessions' changes *conflict* when they end a fact differently (`system host-name`
set to two values), or when one removed a real node and the other added or changed
something inside it. Equal changes (both set the same value) do not conflict.
Pure: no I/O.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..schema import Kind, SchemaNode
from .path import locate
from .tree import ConfigTree, Node

NODE, VALUE, COMMENT = "node", "value", "comment"

#: A fact's key: (tree path, what: NODE / VALUE / COMMENT, the value for VALUE else "")
Key = tuple[tuple[str, ...], str, str]
_MISSING = object()


@dataclass(frozen=True)
class Fact:
    data: object                  # the leaf value tuple, the comment text, or None
    real: bool = True             # a NODE fact of a real node (see the module docstring)
    multi: bool = False           # a NODE fact of a multi-value leaf


@dataclass
class Rebased:
    """The outcome: ``tree`` holds every non-conflicting change applied onto theirs;
    ``conflicts`` the paths where the two sides clash (sorted, no duplicates)."""

    tree: ConfigTree
    conflicts: list[tuple[str, ...]] = field(default_factory=list)


def facts(tree: ConfigTree) -> dict[Key, Fact]:
    """Every fact of ``tree`` (see the module docstring)."""
    out: dict[Key, Fact] = {}
    _collect(tree.root, tree.schema, (), False, out)
    return out


def _collect(node: Node, schema: SchemaNode, path: tuple[str, ...], is_tag: bool,
             out: dict[Key, Fact]) -> None:
    for name, child in node.children.items():
        spec = schema if is_tag else schema.children.get(name)
        if spec is not None:
            _own(name, child, spec, path + (name,), is_tag, out)
            _collect(child, spec, path + (name,), not is_tag and spec.kind is Kind.TAG, out)


def _own(name: str, child: Node, spec: SchemaNode, here: tuple[str, ...], is_tag: bool,
         out: dict[Key, Fact]) -> None:
    """The facts of one node itself (not of its children)."""
    real = is_tag or spec.is_leaf or (spec.kind is Kind.CONTAINER and spec.presence)
    if real:
        single = spec.kind is Kind.LEAF and not is_tag
        out[(here, NODE, "")] = Fact(tuple(child.values or ()) if single else None,
                                     multi=spec.kind is Kind.MULTI and not is_tag)
    elif not child.children:            # `set service ntp` alone: an empty container is shown
        out[(here, NODE, "")] = Fact(None, real=False)
    if child.comment is not None:
        out[(here, COMMENT, "")] = Fact(child.comment)
    if spec.kind is Kind.MULTI and not is_tag:
        for value in child.values or ():
            out[(here, VALUE, value)] = Fact(None)


def _collect_apart(a: Node, b: Node, schema: SchemaNode, path: tuple[str, ...], is_tag: bool,
                   out_a: dict[Key, Fact], out_b: dict[Key, Fact]) -> None:
    """The facts of two trees where they differ (equal subtrees are skipped whole)."""
    for name in a.children.keys() | b.children.keys():
        x, y = a.children.get(name), b.children.get(name)
        if x is y or x == y:
            continue
        spec = schema if is_tag else schema.children.get(name)
        if spec is None:
            continue
        here, tag_name = path + (name,), not is_tag and spec.kind is Kind.TAG
        for node, out in ((x, out_a), (y, out_b)):
            if node is not None:
                _own(name, node, spec, here, is_tag, out)
        if x is None or y is None:
            node, out = (y, out_b) if x is None else (x, out_a)
            _collect(node, spec, here, tag_name, out)  # type: ignore[arg-type]
        else:
            _collect_apart(x, y, spec, here, tag_name, out_a, out_b)


def facts_apart(a: ConfigTree, b: ConfigTree) -> tuple[dict[Key, Fact], dict[Key, Fact]]:
    """The facts of ``a`` and of ``b`` inside the subtrees where the two differ: enough
    for :func:`changes`, at the cost of what changed rather than of the whole tree."""
    out_a: dict[Key, Fact] = {}
    out_b: dict[Key, Fact] = {}
    _collect_apart(a.root, b.root, a.schema, (), False, out_a, out_b)
    return out_a, out_b


def changes(before: dict[Key, Fact], after: dict[Key, Fact]) -> dict[Key, tuple[object, object]]:
    """Facts that differ: key -> (fact before or _MISSING, fact after or _MISSING)."""
    out: dict[Key, tuple[object, object]] = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key, _MISSING), after.get(key, _MISSING)
        if old != new:
            out[key] = (old, new)
    return out


def changed_paths(base: ConfigTree, new: ConfigTree) -> list[tuple[str, ...]]:
    """The tree paths whose facts differ between two trees (sorted)."""
    return sorted({key[0] for key in changes(*facts_apart(base, new))})


def _inside(key: Key, node_path: tuple[str, ...]) -> bool:
    """True when ``key`` is a fact of the node at ``node_path`` or below it (not the node itself)."""
    path, what, _ = key
    if path[:len(node_path)] != node_path:
        return False
    return len(path) > len(node_path) or what != NODE


def _removes_node(key: Key, change: tuple[object, object]) -> bool:
    return key[1] == NODE and change[1] is _MISSING and isinstance(change[0], Fact) and change[0].real


def conflicts(mine: dict[Key, tuple[object, object]], theirs: dict[Key, tuple[object, object]]
              ) -> set[Key]:
    """The keys of my changes that clash with theirs."""
    clash: set[Key] = set()
    for key, (_, new) in mine.items():
        other = theirs.get(key)
        if other is not None and other[1] != new:
            clash.add(key)
    for ours, others, mark_other in ((mine, theirs, False), (theirs, mine, True)):
        removed = {key[0] for key, change in ours.items() if _removes_node(key, change)}
        if not removed:
            continue
        for okey, ochange in others.items():
            if ochange[1] is _MISSING:    # a removal inside a removed node agrees with it
                continue
            path, what, _ = okey
            # the removed nodes this change is inside of: anything else there is lost
            for n in range(1, len(path) + (what != NODE)):
                if path[:n] in removed:
                    clash.add(okey if mark_other else (path[:n], NODE, ""))
    return clash


def rebase(base: ConfigTree, mine: ConfigTree, theirs: ConfigTree) -> Rebased:
    """Apply the changes base -> mine onto theirs. Conflicting changes are left out and
    reported; ``base``, ``mine`` and ``theirs`` are not modified."""
    base_part, my_facts = facts_apart(base, mine)     # my_facts: where mine differs only
    my_changes = changes(base_part, my_facts)
    their_base, their_facts = facts_apart(base, theirs)
    their_changes = changes(their_base, their_facts)
    clash = conflicts(my_changes, their_changes)
    # the order of a multi-value leaf's values is a change of its own (name servers are
    # tried in order): one per leaf whose existing values mine put in another order
    reordered = [key[0] for key, fact in my_facts.items()
                 if fact.multi and _reordered(base, mine, key[0])]
    for path in reordered:
        if _reordered(base, theirs, path) and _values(theirs, path) != _values(mine, path):
            clash.add((path, NODE, ""))
    result = theirs.deep_copy()     # (changed node by node below)
    # at a conflicting path theirs stands whole: none of my changes there or below it is
    # carried (a value or comment of mine alone would leave half a node)
    clashing = {key[0] for key in clash}

    def at_clash(path: tuple[str, ...]) -> bool:
        return any(path[:n] in clashing for n in range(1, len(path) + 1))

    keep = {k: v for k, v in my_changes.items() if k not in clash and not at_clash(k[0])}
    # removals first (deepest first), then additions (shallowest first)
    # containers either side holds empty stay, even when my removal (of a comment) leaves
    # them bare here
    empty = frozenset(key[0] for side in (my_facts, their_facts) for key, fact in side.items()
                      if key[1] == NODE and not fact.real)
    for key in sorted((k for k, v in keep.items() if v[1] is _MISSING), key=_depth, reverse=True):
        _remove(result, key, keep[key][0], empty)  # type: ignore[arg-type]
    positions: dict[tuple[str, ...], dict[str, int]] = {}

    def in_order(key: Key) -> tuple:       # new values of a multi-value leaf keep my order
        if key[1] != VALUE:
            return _depth(key) + (0,)
        if key[0] not in positions:
            positions[key[0]] = {v: i for i, v in enumerate(_values(mine, key[0]))}
        return _depth(key) + (positions[key[0]].get(key[2], 0),)

    for key in sorted((k for k, v in keep.items() if v[1] is not _MISSING), key=in_order):
        _add(result, key, keep[key][1])  # type: ignore[arg-type]
    for path in reordered:
        node = result.writable(path)
        if not at_clash(path) and node is not None and node.values:
            order = {v: i for i, v in enumerate(_values(mine, path))}
            node.values.sort(key=lambda v: order.get(v, len(order)))
    return Rebased(result, sorted({key[0] for key in clash}))


def _values(tree: ConfigTree, path: tuple[str, ...]) -> list[str]:
    node = tree.node(*path)
    return list(node.values or ()) if node is not None else []


def _reordered(base: ConfigTree, other: ConfigTree, path: tuple[str, ...]) -> bool:
    """True when the values of ``other`` at ``path`` are not those of ``base`` with some
    removed and others appended (what `set` and `delete` make): another order."""
    before, after = _values(base, path), _values(other, path)
    had, has = set(before), set(after)
    return after != [v for v in before if v in has] + [v for v in after if v not in had]


def _depth(key: Key) -> tuple:
    path, what, value = key
    return (len(path), what != NODE, path, what, "" if what == VALUE else value)


def _remove(tree: ConfigTree, key: Key, fact: Fact, empty: frozenset[tuple[str, ...]]) -> None:
    path, what, value = key
    node = tree.writable(path)
    if node is None or (what == NODE and not fact.real and (node.children or node.comment is not None)):
        return          # an empty container that the other side has filled stays
    if what == COMMENT:
        node.comment = None
        _prune_up(tree, path, empty)
    elif what == VALUE:
        if node.values and value in node.values:
            node.values.remove(value)
        _prune_up(tree, path, empty)
    else:
        parent = tree.writable(path[:-1])
        if parent is not None:
            parent.children.pop(path[-1], None)
        _prune_up(tree, path[:-1], empty)


def _add(tree: ConfigTree, key: Key, fact: Fact) -> None:
    path, what, value = key
    node = tree.writable(path, create=True)
    assert node is not None
    if what == COMMENT:
        node.comment = fact.data  # type: ignore[assignment]
    elif what == VALUE:
        if node.values is None:
            node.values = []
        if value not in node.values:
            node.values.append(value)
    elif isinstance(fact.data, tuple):
        node.values = list(fact.data)
    elif fact.multi and node.values is None:
        node.values = []


def _prune_up(tree: ConfigTree, path: tuple[str, ...], empty: frozenset[tuple[str, ...]]) -> None:
    """After a removal at or below ``path``: remove what it left meaningless, as a delete
    does (a multi-value leaf without values, an empty tag node or ordinary container), up
    to a container in ``empty`` (one that a side holds empty)."""
    while path and path not in empty:
        node = tree.writable(path)
        if node is None:
            path = path[:-1]
            continue
        if node.children or node.values or node.comment is not None:
            return
        spec, last = locate(path, tree.schema)
        if spec is None:
            return
        multi = last == "name" and spec.kind is Kind.MULTI
        removable = multi or last == "tag" or (
            last == "name" and spec.kind is Kind.CONTAINER and not spec.presence)
        if not removable or (not multi and node.values is not None):
            return
        del tree.writable(path[:-1]).children[path[-1]]  # type: ignore[union-attr]
        path = path[:-1]


def describe(paths: list[tuple[str, ...]]) -> Iterator[str]:
    """`[ path ]` headers for conflicting paths, as commit errors show paths."""
    for path in paths:
        yield f"[ {' '.join(path)} ]"
