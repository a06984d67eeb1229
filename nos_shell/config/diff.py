"""Differences between two trees, in the three forms VyOS prints them.

- :func:`compare`: `[path]` headers with config.boot lines prefixed `+ ` / `- `;
- :func:`compare_commands`: `delete ...` lines, then `set ...` lines;
- :func:`show_marked`: the new tree in config.boot form with `+`, `-`, `>` in column 0.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..schema import Kind, SchemaNode
from .quoting import key_boot, key_command
from .render import INDENT, curly_lines, quote_double, quote_single, set_lines
from .tree import ConfigTree, Node, natural_key

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
    names = set(old.children) | set(new.children)
    return sorted(names, key=natural_key) if is_tag else sorted(names)


def _leaf_changes(name: str, spec: SchemaNode, old: Node, new: Node) -> Iterator[tuple[str, str]]:
    """(mark, value) pairs for a leaf present in both trees."""
    before, after = old.values or [], new.values or []
    if spec.kind is Kind.MULTI:
        if _reordered(before, after):     # the order counts (name servers): all of it changed
            yield from [("-", value) for value in before] + [("+", value) for value in after]
            return
        for value in before:
            if value not in after:
                yield "-", value
        for value in after:
            if value not in before:
                yield "+", value
    elif before != after:
        if before:
            yield "-", before[0]
        yield "+", after[0]


def _reordered(before: list[str], after: list[str]) -> bool:
    """True when ``after`` is not ``before`` with values removed and others appended (what
    `set` and `delete` make): its order is a change of its own."""
    return after != [v for v in before if v in after] + [v for v in after if v not in before]


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
def _deletes(old: Node, new: Node, schema: SchemaNode, prefix: str, is_tag: bool) -> Iterator[str]:
    for name in _names(old, new, is_tag):
        a, b = old.children.get(name), new.children.get(name)
        if a is None:
            continue
        spec = schema if is_tag else schema.children.get(name)
        if spec is None:
            continue
        here = f"{prefix} {key_command(name) if is_tag else name}"
        if b is None and spec.kind is Kind.TAG and not is_tag:
            yield from (f"{here} {key_command(key)}" for key in sorted(a.children, key=natural_key))
        elif b is None:
            yield here
        elif spec.kind is Kind.MULTI and not is_tag:
            yield from (f"{here} {quote_single(v)}" for m, v in _leaf_changes(name, spec, a, b) if m == "-")
        elif not spec.is_leaf or is_tag:
            yield from _deletes(a, b, spec, here, not is_tag and spec.kind is Kind.TAG)


def compare_commands(old: ConfigTree, new: ConfigTree) -> str:
    """`delete` lines for what went away, then `set` lines for what is new or changed."""
    deletes = list(_deletes(old.root, new.root, new.schema, "delete", False))
    # a value deleted to be set again (a reordered multi-value leaf) is set again
    before = set(set_lines(old.root, old.schema)) - {"set" + line[len("delete"):] for line in deletes}
    sets = [line for line in set_lines(new.root, new.schema) if line not in before]
    return "".join(line + "\n" for line in deletes + sets)


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
    for value in after:
        yield f"{' ' if value in before and not moved else '+'}{pad}{name} {quote_double(value)}"
    for value in before:
        if value not in after or moved:
            yield f"-{pad}{name} {quote_double(value)}"


def show_marked(old: Node | None, new: Node | None, schema: SchemaNode) -> str:
    """config.boot text of ``new`` with column-0 marks against ``old`` (nodes at one path)."""
    return "".join(line + "\n" for line in _marked(old or EMPTY, new or EMPTY, schema, 0))
