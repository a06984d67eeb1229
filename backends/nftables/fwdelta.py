"""A group edit as an update of its sets only (pure).

When the ruleset file of the new configuration differs from the old one in nothing but the
``elements`` lines of the filter table's sets (a group's members changed, nothing else),
:func:`set_updates` returns the nft script that replaces those sets' elements and touches
nothing more: ``flush set`` and ``add element`` for each changed set, loaded by control.py
as one nft transaction. Rules keep their handles and counters. Anything else (a rule, a
chain, NAT, a new or removed group) returns None: the whole file is loaded as before.
"""
from __future__ import annotations

import re

from .filter import TABLE

_SET = re.compile(r"\tset (\S+) \{$")
_ELEMENTS = re.compile(r"\t\telements = \{ (.*) \}$")


def _split(text: str) -> tuple[list[str], dict[str, str]]:
    """The file's lines without the filter table's element lines, and set name -> elements."""
    lines, elements = [], {}
    in_filter, current = False, None
    for line in text.splitlines():
        if line == f"table {TABLE} {{":
            in_filter = True
        elif in_filter and line == "}":
            in_filter = False
        if in_filter:
            opened = _SET.match(line)
            if opened:
                current = opened.group(1)
                elements[current] = ""
            elif current is not None and line == "\t}":
                current = None
            elif current is not None and (found := _ELEMENTS.match(line)):
                elements[current] = found.group(1)
                continue
        lines.append(line)
    return lines, elements


def set_updates(old: str, new: str) -> str | None:
    """The nft script taking the loaded ``old`` file to ``new`` by set elements alone, or
    None when anything else differs (or nothing does)."""
    old_lines, old_sets = _split(old)
    new_lines, new_sets = _split(new)
    if old_lines != new_lines or old_sets.keys() != new_sets.keys():
        return None
    script = []
    for name, members in new_sets.items():
        if members == old_sets[name]:
            continue
        script.append(f"flush set {TABLE} {name}")
        if members:
            script.append(f"add element {TABLE} {name} {{ {members} }}")
    return "".join(line + "\n" for line in script) or None
