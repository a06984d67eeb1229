"""Render a tree as config.boot (curly braces), as `set` commands, or as JSON."""
from __future__ import annotations

import json
from collections.abc import Iterator

from ..schema import Kind, SchemaNode
from .quoting import key_boot, key_command, quote_double, quote_single
from .tree import ConfigTree, Node, natural_sorted, sorted_children

INDENT = "    "


def entries(node: Node, schema: SchemaNode) -> Iterator[tuple[str, SchemaNode, Node]]:
    """Children of a container or tag entry with their schema nodes, in output order."""
    for name, child in sorted_children(node, schema, False):
        spec = schema.children.get(name)
        if spec is not None:
            yield name, spec, child


# -- config.boot ------------------------------------------------------------------
def curly_lines(node: Node, schema: SchemaNode, depth: int = 0) -> Iterator[str]:
    """config.boot lines for the children of ``node`` (no newlines), ``depth`` levels in."""
    return iter(curly_body(node, schema, INDENT * depth).split("\n")[:-1])


def to_curly(tree: ConfigTree) -> str:
    """The whole tree as config.boot text, built in one pass."""
    out: list[str] = []
    _curly_into(out, tree.root, tree.schema, "")
    return "".join(out)


def curly_body(node: Node, schema: SchemaNode, pad: str) -> str:
    """config.boot lines of ``node``'s children at indent ``pad`` (a block's inside)."""
    out: list[str] = []
    _curly_into(out, node, schema, pad)
    return "".join(out)


def _curly_into(out: list[str], node: Node, schema: SchemaNode, pad: str) -> None:
    """config.boot lines of ``node``'s children, each ending in a newline, appended to ``out``."""
    known, children = schema.children, node.children
    for name in sorted(children):
        spec = known.get(name)
        if spec is None:
            continue
        child, kind = children[name], spec.kind
        if kind is Kind.TAG:
            inner, entries_ = pad + INDENT, child.children
            for key in natural_sorted(entries_):
                entry = entries_[key].ready()
                if entry.comment:
                    out.append(f"{pad}/* {entry.comment} */\n")
                out.append(f"{pad}{name} {key_boot(key)} {{\n")
                _curly_into(out, entry, spec, inner)
                out.append(pad + "}\n")
            continue
        if child.comment:
            out.append(f"{pad}/* {child.comment} */\n")
        if kind is Kind.CONTAINER:
            out.append(f"{pad}{name} {{\n")
            _curly_into(out, child, spec, pad + INDENT)
            out.append(pad + "}\n")
        elif kind is Kind.FLAG:
            out.append(f"{pad}{name}\n")
        else:
            for value in child.values or ():
                out.append(f"{pad}{name} {quote_double(value)}\n")


# -- set commands ------------------------------------------------------------------
def set_lines(node: Node, schema: SchemaNode, prefix: str = "set") -> Iterator[str]:
    """One `set` line per leaf value; empty containers and entries as bare paths."""
    out: list[str] = []
    _commands_into(out, node, schema, prefix)
    return iter("".join(out).split("\n")[:-1])


def to_commands(tree: ConfigTree) -> str:
    """The whole tree as `set` lines, built in one pass."""
    out: list[str] = []
    _commands_into(out, tree.root, tree.schema, "set")
    return "".join(out)


def _commands_into(out: list[str], node: Node, schema: SchemaNode, prefix: str) -> None:
    """`set` lines below ``prefix`` for ``node``'s children, each ending in a newline,
    appended to ``out``."""
    known, children = schema.children, node.children
    for name in sorted(children):
        spec = known.get(name)
        if spec is None:
            continue
        child, kind, here = children[name], spec.kind, f"{prefix} {name}"
        if kind is Kind.TAG:
            entries_ = child.children
            for key in natural_sorted(entries_):
                entry = entries_[key].ready()
                if entry.children:
                    _commands_into(out, entry, spec, f"{here} {key_command(key)}")
                else:
                    out.append(f"{here} {key_command(key)}\n")
        elif kind is Kind.CONTAINER:
            if child.children:
                _commands_into(out, child, spec, here)
            else:
                out.append(here + "\n")
        elif kind is Kind.FLAG:
            out.append(here + "\n")
        else:
            for value in child.values or ():
                out.append(f"{here} {quote_single(value)}\n")


# -- JSON ----------------------------------------------------------------------------
def to_data(node: Node, schema: SchemaNode) -> dict:
    out: dict = {}
    for name, spec, child in entries(node, schema):
        if spec.kind is Kind.TAG:
            out[name] = {key: to_data(entry, spec) for key, entry in sorted_children(child, spec, True)}
        elif spec.kind is Kind.CONTAINER:
            out[name] = to_data(child, spec)
        elif spec.kind is Kind.FLAG:
            out[name] = {}
        elif spec.kind is Kind.MULTI:
            out[name] = list(child.values or ())
        else:
            out[name] = (child.values or [""])[0]
    return out


def to_json(tree: ConfigTree) -> str:
    return json.dumps(to_data(tree.root, tree.schema), indent=4) + "\n"
