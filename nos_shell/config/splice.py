"""config.boot text of a changed tree from the text of the tree it was copied from.

A commit changes a few nodes of a large tree; the rest of the new tree shares its nodes
with the running one (copy-on-write, config/tree.py). :func:`spliced` finds the deepest
block (a container or tag entry) that holds every difference, renders only its inside,
and puts it in place of the old inside in the old text.

Why the splice is exact: config.boot text is one line per item (values and keys have
their newlines escaped, config/quoting.py), lines at depth d start with exactly d indents,
a block's header line is unique among its siblings (names and tag keys are unique; leaf
lines end with a quote, headers with a brace), and its closing line is the first line
after it that is exactly the indent and a brace. Only a comment can span lines, and a text
whose comment might (a ``/*`` with no ``*/`` before the end of its line) is not spliced.
The old inside is compared with its own rendering before it is replaced.
"""
from __future__ import annotations

import re

from ..schema import Kind, SchemaNode
from .quoting import key_boot
from .render import INDENT, curly_body
from .tree import ConfigTree, Node

_OPEN_COMMENT = re.compile(r"/\*(?:[^*\n]|\*(?!/))*(?:\n|\Z)")


def _one_difference(a: Node, b: Node) -> str | None:
    """The one child key under which ``a`` and ``b`` hold different objects, when their
    keys are the same and exactly one differs; else None."""
    if a.children.keys() != b.children.keys():
        return None
    found = None
    for key, child in b.children.items():
        if a.children[key] is not child:
            if found is not None:
                return None
            found = key
    return found


def _block(old: ConfigTree, new: ConfigTree) -> tuple[list[str], Node, Node, SchemaNode] | None:
    """(header lines from the top down, the old and new block, its schema) of the deepest
    block holding every difference; None when that is the whole tree."""
    a, b, schema, headers, pad = old.root, new.root, new.schema, [], ""
    while True:
        name = _one_difference(a, b)
        spec = None if name is None else schema.children.get(name)
        if name is None or spec is None or spec.kind not in (Kind.CONTAINER, Kind.TAG):
            break
        ca, cb = a.children[name], b.children[name]
        if spec.kind is Kind.TAG:
            key = _one_difference(ca, cb)
            if key is None:
                break
            ca, cb, header = ca.children[key], cb.children[key], f"{pad}{name} {key_boot(key)} {{\n"
        else:
            header = f"{pad}{name} {{\n"
        if ca.comment != cb.comment:
            break
        a, b, schema, pad = ca, cb, spec, pad + INDENT
        headers.append(header)
    return (headers, a, b, schema) if headers else None


def spliced(old_text: str, old: ConfigTree, new: ConfigTree) -> str | None:
    """``dump_boot(new)`` made from ``old_text`` (which must be ``dump_boot(old)``), or None
    when the splice does not apply (then render the whole tree)."""
    if old.schema is not new.schema or ("/*" in old_text and _OPEN_COMMENT.search(old_text)):
        return None
    found = _block(old, new)
    if found is None:
        return None
    headers, before, after, schema = found
    start, end = 0, len(old_text)
    for header in headers:
        at = old_text.find(header, start, end)
        while at > 0 and old_text[at - 1] != "\n":
            at = old_text.find(header, at + 1, end)
        if at < 0:
            return None
        start = at + len(header)
        pad = header[:len(header) - len(header.lstrip(" "))]
        close = old_text.find(f"\n{pad}}}\n", start - 1, end)
        if close < 0:
            return None
        end = close + 1
    pad = INDENT * len(headers)
    if old_text[start:end] != curly_body(before, schema, pad):
        return None
    return old_text[:start] + curly_body(after, schema, pad) + old_text[end:]


__all__ = ["spliced"]
