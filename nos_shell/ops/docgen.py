"""The operational commands section of docs/command-reference.md, from the grammar.

Each ``op_command`` alternative of grammar/commands.lark becomes one line: keywords as
typed, ``[...]`` around what may be left out, ``a|b`` for a choice of keywords, ``<word>``
or ``<N>`` for a value, ``[OPTION ...]`` for repeated options. The help is the one the
command's area registers (nos_shell/ops/registry.py).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

PLACEHOLDERS = {"WORD": "<word>", "DQ": "<word>", "SQ": "<word>", "INT": "<N>", "word": "<word>"}


def keywords() -> dict[str, str]:
    """Terminal name -> literal, for every keyword of the command grammar."""
    from lark.lexer import PatternStr

    from ..commands import parser

    return {t.name: t.pattern.value for t in parser().terminals if isinstance(t.pattern, PatternStr)}


def _rules() -> dict[str, list[Any]]:
    from ..commands import parser

    by_origin: dict[str, list[Any]] = defaultdict(list)
    for rule in parser().rules:
        by_origin[rule.origin.name].append(rule)
    return by_origin


def _symbol(name: str, rules: dict[str, list[Any]], literals: dict[str, str]) -> str:
    if name in literals:
        return literals[name]
    if name in PLACEHOLDERS:
        return PLACEHOLDERS[name]
    alternatives = rules.get(name, [])
    if name.startswith("__") and alternatives:          # a repeated item (`option*`)
        inner = [s.name for s in alternatives[0].expansion if not s.name.startswith("__")]
        return "[" + " ".join(_symbol(n, rules, literals) for n in inner) + " ...]"
    if alternatives and all(len(r.expansion) == 1 and r.expansion[0].name in literals for r in alternatives):
        return "|".join(literals[r.expansion[0].name] for r in alternatives)
    if alternatives:
        return " | ".join(_expansion(r, alternatives, rules, literals)
                          for r in alternatives if not r.options.empty_indices)
    return f"<{name}>"


def _expansion(rule: Any, alternatives: list[Any], rules: dict[str, list[Any]], literals: dict[str, str]) -> str:
    """One alternative, the parts its shorter forms leave out in brackets."""
    optional = _optional_positions(rule, alternatives)
    parts = [_symbol(s.name, rules, literals) for s in rule.expansion]
    return " ".join(f"[{text}]" if i in optional else text for i, text in enumerate(parts))


def command_lines() -> list[tuple[str, str]]:
    """(syntax, help) for every operational command, in grammar order."""
    from .registry import table

    registered = table()
    literals = keywords()
    rules = _rules()
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for rule in rules["op_command"]:
        names = [s.name for s in rule.expansion]
        if rule.options.empty_indices or any(
                r.alias == rule.alias and [s.name for s in r.expansion][:-1] == names
                and r.expansion[-1].name.startswith("__") for r in rules["op_command"]):
            continue                                     # a shortened form of a full one
        line = _expansion(rule, rules["op_command"], rules, literals)
        if line in seen:
            continue
        seen.add(line)
        out.append((line, registered[rule.alias].help))
    return out


def _optional_positions(full: Any, alternatives: list[Any]) -> set[int]:
    """Positions of ``full`` that a shorter form of the same command leaves out."""
    optional: set[int] = set()
    for rule in alternatives:
        flags = rule.options.empty_indices
        if rule.alias != full.alias or not flags:
            continue
        present = iter(rule.expansion)
        kept = [next(present).name if not empty else None for empty in flags]
        if len(kept) == len(full.expansion) and all(k is None or k == s.name
                                                     for k, s in zip(kept, full.expansion)):
            optional |= {i for i, empty in enumerate(flags) if empty}
    return optional


def section() -> list[str]:
    """Markdown lines of the operational commands section."""
    out = ["## operational commands", "",
           "Typed at the `vyos@vyos:~$` prompt, or after `run` in configuration mode (generated from",
           "grammar/commands.lark; the user guide says what each shows).", "",
           "| Command | Help |", "| --- | --- |"]
    out += [f"| `{syntax.replace('|', chr(92) + '|')}` | {help_text} |" for syntax, help_text in command_lines()]
    out.append("")
    return out
