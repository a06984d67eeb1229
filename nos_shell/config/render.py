"""Render a tree as config.boot (curly braces), as `set` commands, or as JSON."""
from __future__ import annotations

import json
from collections.abc import Iterator

from ..schema import Kind, SchemaNode
from .quoting import key_boot, key_command, quote_double, quote_single
from .tree import ConfigTree, Node, sorted_children

INDENT = "    "


def entries(node: Node, schema: SchemaNode) -> Iterator[tuple[str, SchemaNode, Node]]:
    """Children of a container or tag entry with their schema nodes, in output order."""
    for name, child in sorted_children(node, schema, False):
        spec = schema.children.get(name)
        if spec is not None:
            yield name, spec, child


# -- config.boot ------------------------------------------------------------------
def curly_lines(node: Node, schema: SchemaNode, depth: int = 0) -> Iterator[str]:
    """config.boot lines for the children of ``node``."""
    pad = INDENT * depth
    for name, spec, child in entries(node, schema):
        if spec.kind is Kind.TAG:
            for key, entry in sorted_children(child, spec, True):
                if entry.comment:
                    yield f"{pad}/* {entry.comment} */"
                yield f"{pad}{name} {key_boot(key)} {{"
                yield from curly_lines(entry, spec, depth + 1)
                yield f"{pad}}}"
            continue
        if child.comment:
            yield f"{pad}/* {child.comment} */"
        if spec.kind is Kind.CONTAINER:
            yield f"{pad}{name} {{"
            yield from curly_lines(child, spec, depth + 1)
            yield f"{pad}}}"
        elif spec.kind is Kind.FLAG:
            yield f"{pad}{name}"
        else:
            for value in child.values or ():
                yield f"{pad}{name} {quote_double(value)}"


def to_curly(tree: ConfigTree) -> str:
    return "".join(line + "\n" for line in curly_lines(tree.root, tree.schema))


# -- set commands ------------------------------------------------------------------
def set_lines(node: Node, schema: SchemaNode, prefix: str = "set") -> Iterator[str]:
    """One `set` line per leaf value; empty containers and entries as bare paths."""
    for name, spec, child in entries(node, schema):
        here = f"{prefix} {name}"
        if spec.kind is Kind.TAG:
            for key, entry in sorted_children(child, spec, True):
                if entry.children:
                    yield from set_lines(entry, spec, f"{here} {key_command(key)}")
                else:
                    yield f"{here} {key_command(key)}"
        elif spec.kind is Kind.CONTAINER:
            if child.children:
                yield from set_lines(child, spec, here)
            else:
                yield here
        elif spec.kind is Kind.FLAG:
            yield here
        else:
            for value in child.values or ():
                yield f"{here} {quote_single(value)}"


def to_commands(tree: ConfigTree) -> str:
    return "".join(line + "\n" for line in set_lines(tree.root, tree.schema))


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
