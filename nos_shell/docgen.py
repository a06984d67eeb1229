"""Generate docs/command-reference.md from the schema (configuration paths) and the grammar
(operational commands, nos_shell/ops/docgen.py).

    python3 -m nos_shell.docgen            # print the reference
    python3 -m nos_shell.docgen --write    # rewrite docs/command-reference.md

A test regenerates it and fails when the committed file differs.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from .schema import SCHEMA, Kind, SchemaNode

KIND_TEXT = {
    Kind.CONTAINER: "node",
    Kind.TAG: "tag node",
    Kind.LEAF: "value",
    Kind.MULTI: "values (repeatable)",
    Kind.FLAG: "valueless",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


HASHED = "(stored hashed)"


def help_text(node: SchemaNode) -> str:
    """The help column: the node's help, and once (never twice, when its help already says
    so) the note that a secret leaf is stored as a hash."""
    if node.hash_into and HASHED not in node.help:
        return f"{node.help} {HASHED}"
    return node.help


def _values(node: SchemaNode) -> str:
    if node.type is None:
        return ""
    return "; ".join(f"`{word}` {help}".strip() for word, help in node.type.describe())


def rows(node: SchemaNode, path: str) -> Iterator[tuple[str, str, str, str, str]]:
    """(path, kind, accepted values, default, help) for every node below ``node``."""
    for name in sorted(node.children):
        child = node.children[name]
        here = f"{path} {name}".strip()
        if child.kind is Kind.TAG:
            key = child.type.placeholder if child.type else "<key>"
            yield here + f" {key}", KIND_TEXT[child.kind], _values(child), "", child.help
            yield from rows(child, f"{here} {key}")
            continue
        shown = here + (f" {child.type.placeholder}" if child.takes_value and child.type else "")
        yield shown, KIND_TEXT[child.kind], _values(child), child.default or "", help_text(child)
        if child.kind is Kind.CONTAINER:
            yield from rows(child, here)


def reference() -> str:
    out = [
        "# Command reference",
        "",
        "Generated from the schema by `python3 -m nos_shell.docgen --write`; do not edit by hand.",
        "Every path below is used with `set`, `delete`, `show`, `edit` (containers and tag values)",
        "and appears in `show configuration commands` output in this form.",
        "",
    ]
    for name in sorted(SCHEMA.children):
        area = SCHEMA.children[name]
        out += [f"## {name}", "", area.help + ".", "",
                "| Path | Kind | Accepts | Default | Help |", "| --- | --- | --- | --- | --- |"]
        out += [f"| `{_cell(p)}` | {k} | {_cell(v)} | {d} | {_cell(h)} |" for p, k, v, d, h in rows(area, name)]
        out.append("")
    from .ops.docgen import section

    out += section()
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = reference()
    if "--write" in argv:
        target = Path(__file__).resolve().parent.parent / "docs" / "command-reference.md"
        target.write_text(text)
        print(f"wrote {target}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
