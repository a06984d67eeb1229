"""Differences between two trees, in the three forms VyOS prints them.

- :func:`compare`: `[path]` headers with config.boot lines prefixed `+ ` / `- `;
- :func:`compare_commands`: `delete ...` lines, then `set ...` lines;
- :func:`show_marked`: the new tree in config.boot form with `+`, `-`, `>` in column 0.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..schema import Kind, SchemaNode
from .quoting import key_boot, key_command
from .render import INDENT, curly_lines, entries, quote_double, quote_single, set_lines
from .tree import ConfigTree, Node, natural_sorted, sorted_children

EMPTY = Node()


def _single(name: str, child: Node, key: str | None = None) -> Node:
    """A parent holding one child (or one tag entry), for rendering a subtree alone."""
    holder = Node()
    if key is None:
        holder.children[name] = child
    else:
        tag = Node()
        tag.children[key] = child
        holder.children[name] = tag
    return holder


def _names(old: Node, new: Node, is_tag: bool) -> list[str]:
    """Child names of either node in output order. Tag keys that sort alike (`bond0`,
    `bond00`) keep the order the renderer gives them: the new tree's, then the old one's."""
    names = list(new.children) + [name for name in old.children if name not in new.children]
    return natural_sorted(names) if is_tag else sorted(names)


def _leaf_changes(name: str, spec: SchemaNode, old: Node, new: Node) -> Iterator[tuple[str, str]]:
    """(mark, value) pairs for a leaf present in both trees."""
    before, after = old.values or [], new.values or []
    if spec.kind is Kind.MULTI:
        if _reordered(before, after):     # the order counts (name servers): all of it changed
            yield from [("-", value) for value in before] + [("+", value) for value in after]
            return
        had, has = set(before), set(after)
        yield from (("-", value) for value in before if value not in has)
        yield from (("+", value) for value in after if value not in had)
    elif before != after:
        if before:
            yield "-", before[0]
        yield "+", after[0]


def _reordered(before: list[str], after: list[str]) -> bool:
    """True when ``after`` is not ``before`` with values removed and others appended (what
    `set` and `delete` make): its order is a change of its own."""
    had, has = set(before), set(after)
    return after != [v for v in before if v in has] + [v for v in after if v not in had]


def _pairs(old: Node, new: Node, schema: SchemaNode) -> Iterator[tuple[str, str | None, SchemaNode, Node | None, Node | None]]:
    """Children of either node in output order as (name, tag key or None, schema, old, new);
    a tag node yields one pair per entry."""
    for name in _names(old, new, False):
        spec = schema.children.get(name)
        if spec is None:
            continue
        a, b = old.children.get(name), new.children.get(name)
        if spec.kind is Kind.TAG:
            for key in _names(a or EMPTY, b or EMPTY, True):
                yield name, key, spec, (a.children.get(key) if a else None), (b.children.get(key) if b else None)
        else:
            yield name, None, spec, a, b


# -- compare -------------------------------------------------------------------------
def _compare(old: Node, new: Node, schema: SchemaNode, path: tuple[str, ...],
             out: list[tuple[tuple[str, ...], list[str]]]) -> None:
    own: list[str] = []
    nested: list[tuple[tuple[str, ...], list[str]]] = []
    for name, key, spec, a, b in _pairs(old, new, schema):
        if a is None or b is None:
            mark, node = ("+ ", b) if a is None else ("- ", a)
            own.extend(mark + line for line in curly_lines(_single(name, node, key), schema))  # type: ignore[arg-type]
        elif key is not None:
            own.extend(_comment_change(f"{name} {key_boot(key)}", a, b))
            _compare(a, b, spec, path + (name, key), nested)
        elif spec.kind is Kind.CONTAINER:
            own.extend(_comment_change(name, a, b))
            _compare(a, b, spec, path + (name,), nested)
        else:
            own.extend(_comment_change(name, a, b))
            if spec.kind is not Kind.FLAG:
                own.extend(f"{mark} {name} {quote_double(value)}" for mark, value in _leaf_changes(name, spec, a, b))
    if own:
        out.append((path, own))
    out.extend(nested)


def _comment_change(label: str, a: Node, b: Node) -> list[str]:
    if a.comment == b.comment:
        return []
    return ([f"- /* {a.comment} */ {label}"] if a.comment else []) + \
        ([f"+ /* {b.comment} */ {label}"] if b.comment else [])


def compare(old: ConfigTree, new: ConfigTree) -> str:
    """VyOS `compare` output; empty when the trees are equal."""
    sections: list[tuple[tuple[str, ...], list[str]]] = []
    _compare(old.root, new.root, new.schema, (), sections)
    return "\n".join((f"[{' '.join(path)}]\n" if path else "") + "".join(line + "\n" for line in lines)
                     for path, lines in sections)


# -- compare commands ---------------------------------------------------------------
# Replayed on the old tree in order (deletes, sets, comments), the lines give exactly the
# new tree: values in order, empty entries, tag keys, comments.
def _deletes(old: Node, new: Node, schema: SchemaNode, words: tuple[str, ...], text: str,
             is_tag: bool) -> Iterator[tuple[tuple[str, ...], str]]:
    """(words, line) of the `delete` commands: nodes and values gone, and every
    multi-value leaf whose order changed (deleted whole, to be set again in order)."""
    for name, a in sorted_children(old, schema, is_tag):
        spec = schema if is_tag else schema.children.get(name)
        if spec is None:
            continue
        b = new.children.get(name)
        if b is not None and (a is b or a == b):
            continue
        here, line = words + (name,), f"{text} {key_command(name) if is_tag else name}"
        if b is None and spec.kind is Kind.TAG and not is_tag:
            for key in natural_sorted(a.children):
                yield here + (key,), f"{line} {key_command(key)}"
        elif b is None:
            yield here, line
        elif spec.kind is Kind.MULTI and not is_tag:
            before, after = a.values or [], b.values or []
            if _reordered(before, after):
                yield here, line
            else:
                kept = set(after)
                yield from ((here + (v,), f"{line} {quote_single(v)}") for v in before if v not in kept)
        elif not spec.is_leaf or is_tag:
            yield from _deletes(a, b, spec, here, line, not is_tag and spec.kind is Kind.TAG)


def _sets(old: Node, new: Node, schema: SchemaNode, prefix: str) -> Iterator[str]:
    """`set` lines (in `show configuration commands` order) for what ``new`` holds and
    ``old``, once the deletes ran, does not."""
    for name, spec, child in entries(new, schema):
        was = old.children.get(name)
        if was is None:
            yield from set_lines(_single(name, child), schema, prefix)
        elif was is child or was == child:
            continue
        elif spec.kind is Kind.TAG:
            for key, entry in sorted_children(child, spec, True):
                before = was.children.get(key)
                if before is None:
                    yield from set_lines(_single(name, entry, key), schema, prefix)
                else:
                    yield from _inner_sets(before, entry, spec, f"{prefix} {name} {key_command(key)}")
        elif spec.kind is Kind.CONTAINER:
            yield from _inner_sets(was, child, spec, f"{prefix} {name}")
        elif spec.kind is not Kind.FLAG:
            before, after = was.values or [], child.values or []
            kept = set() if spec.kind is Kind.MULTI and _reordered(before, after) else set(before)
            yield from (f"{prefix} {name} {quote_single(v)}" for v in after if v not in kept)


def _inner_sets(old: Node, new: Node, schema: SchemaNode, here: str) -> Iterator[str]:
    """A container or tag entry present on both sides: an empty one is set bare (the
    deletes may have pruned it), else its children are compared."""
    if new.children:
        yield from _sets(old, new, schema, here)
    elif old.children:
        yield here


def _comments(now: Node | None, new: Node, schema: SchemaNode, text: str, is_tag: bool) -> Iterator[str]:
    """`comment` lines that give every node below ``new`` its comment, ``now`` being the
    same place in the old tree after the deletes (None: created by the sets, no comment)."""
    for name, child in sorted_children(new, schema, is_tag):
        spec = schema if is_tag else schema.children.get(name)
        if spec is None:
            continue
        was = now.children.get(name) if now is not None else None
        if was is child:
            continue
        here = f"{text} {key_command(name) if is_tag else name}"
        had = was.comment if was is not None else None
        if child.comment != had and not (not is_tag and spec.kind is Kind.TAG):
            yield f"{here} {quote_single(child.comment or '')}"
        if child.children and (was is None or was != child):
            yield from _comments(was, child, spec, here, not is_tag and spec.kind is Kind.TAG)


def compare_commands(old: ConfigTree, new: ConfigTree) -> str:
    """`delete` lines for what went away, `set` lines for what is new or changed, then
    `comment` lines for comments that changed (or that a delete took with its node)."""
    deletes = list(_deletes(old.root, new.root, new.schema, (), "delete", False))
    sets = list(_sets(old.root, new.root, new.schema, "set"))
    after = old
    if deletes:                       # what the deletes leave of the old tree, comments and all
        after = old.copy()
        for words, _ in deletes:
            after.delete(words)
    comments = list(_comments(after.root, new.root, new.schema, "comment", False))
    return "".join(line + "\n" for line in [text for _, text in deletes] + sets + comments)


# -- show with change marks ---------------------------------------------------------
def _marked(old: Node, new: Node, schema: SchemaNode, depth: int) -> Iterator[str]:
    pad = INDENT * depth
    for name, key, spec, a, b in _pairs(old, new, schema):
        if a is None or b is None:
            mark, node = ("+", b) if a is None else ("-", a)
            for line in curly_lines(_single(name, node, key), schema, depth):  # type: ignore[arg-type]
                yield mark + line
            continue
        yield from _comment_marks(a, b, pad)
        if key is not None or spec.kind is Kind.CONTAINER:
            yield f" {pad}{name}{' ' + key_boot(key) if key is not None else ''} {{"
            yield from _marked(a, b, spec, depth + 1)
            yield f" {pad}}}"
        elif spec.kind is Kind.FLAG:
            yield f" {pad}{name}"
        else:
            yield from _marked_leaf(name, spec, a, b, pad)


def _comment_marks(a: Node, b: Node, pad: str) -> Iterator[str]:
    """The `/* comment */` line of a node present in both trees, marked if it changed."""
    if a.comment == b.comment:
        if b.comment:
            yield f" {pad}/* {b.comment} */"
        return
    if a.comment:
        yield f"-{pad}/* {a.comment} */"
    if b.comment:
        yield f"+{pad}/* {b.comment} */"


def _marked_leaf(name: str, spec: SchemaNode, a: Node, b: Node, pad: str) -> Iterator[str]:
    before, after = a.values or [], b.values or []
    if spec.kind is Kind.LEAF:
        mark = " " if before == after else ">"
        yield f"{mark}{pad}{name} {quote_double(after[0])}"
        return
    moved = _reordered(before, after)
    had, has = set(before), set(after)
    for value in after:
        yield f"{' ' if value in had and not moved else '+'}{pad}{name} {quote_double(value)}"
    for value in before:
        if value not in has or moved:
            yield f"-{pad}{name} {quote_double(value)}"


def show_marked(old: Node | None, new: Node | None, schema: SchemaNode) -> str:
    """config.boot text of ``new`` with column-0 marks against ``old`` (nodes at one path)."""
    return "".join(line + "\n" for line in _marked(old or EMPTY, new or EMPTY, schema, 0))
