"""nos_shell/nix/schema.nix: the shape of the configuration tree for the Nix generators.

The generators parse `set` lines (the options' own and ``nix-nos.extraCommands``) and
write config.boot text; for both they need to know, at each path, which words are
containers, tag nodes (a name then a key), leaves, multi-value leaves or flags. That is
generated from the one schema (``python3 -m nos_shell.nix.schemagen``) and a test keeps
it current. Encoding: a container is ``{ c = { CHILD = ...; }; }``, a tag node
``{ t = { CHILD = ...; }; }`` (the children of each entry), a leaf ``"l"``, a multi-value
leaf ``"m"``, a flag ``"f"``.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..schema import SCHEMA, Kind, SchemaNode
from .nixlit import nix_string

PATH = Path(__file__).with_name("schema.nix")
HEADER = "# Generated from nos-shell's schema by `python3 -m nos_shell.nix.schemagen`: do not edit.\n"
_LEAVES = {Kind.LEAF: '"l"', Kind.MULTI: '"m"', Kind.FLAG: '"f"'}


def _node(spec: SchemaNode, pad: str) -> str:
    if spec.kind in _LEAVES:
        return _LEAVES[spec.kind]
    inner = pad + "  "
    body = "".join(f"{inner}{nix_string(name)} = {_node(child, inner)};\n"
                   for name, child in sorted(spec.children.items()))
    letter = "t" if spec.kind is Kind.TAG else "c"
    return f"{{ {letter} = {{\n{body}{pad}}}; }}"


def schema_nix() -> str:
    """The text of schema.nix for the current schema."""
    return HEADER + _node(SCHEMA, "") + "\n"


def main() -> int:
    """Write schema.nix (``--check``: only say whether it is current)."""
    text = schema_nix()
    if "--check" in sys.argv[1:]:
        current = PATH.read_text(encoding="utf-8") == text
        print(f"{PATH}: {'current' if current else 'out of date'}")
        return 0 if current else 1
    PATH.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
