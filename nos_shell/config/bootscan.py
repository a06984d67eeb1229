"""A fast reader for config.boot text, tried before the Lark grammar (grammar/config.lark).

It reads the same language with one regular expression for the tokens and a small state
machine for the lines, about ten times faster than the LALR parser on a large file. It
gives up (returns None) at the first thing it does not expect, and the grammar then
parses the text and explains the error: the grammar stays the definition of the format,
and tests/test_bootscan.py checks that both read every text alike.

Text as nos-shell writes it (one item per line, no comments) is read a line at a time
with one match per line (:func:`_scan_lines`); the first line of another shape sends the
whole text to the token reader.
"""
from __future__ import annotations

import re

from .quoting import unquote
from .raw import RawNode

# The grammar's terminals, each told apart by its first character (blanks are skipped).
_TOKEN = re.compile("|".join((
    r"(?P<blank>[ \t\f\r]+)",
    r"(?P<nl>(?:(?://[^\n]*)?\r?\n[ \t\f\r]*)+)",
    r"(?P<comment>/\*(?:[^*]|\*(?!/))*\*/)",
    r"(?P<lbrace>\{)",
    r"(?P<rbrace>\})",
    r"(?P<value>\"(?:[^\"\\\n]|\\[^\n])*\"|'(?:[^'\\\n]|\\[^\n])*')",
    r"(?P<word>(?!//|/\*)[^\s{}\"'\x00-\x1f\x7f]+)",
)))


_BLANK = r"[ \t\f\r]*"
_WORD = r"(?!//|/\*)[^\s{}\"'\x00-\x1f\x7f]++"     # (possessive: the token reader's longest word)
_QUOTED = r"\"(?:[^\"\\\n]|\\[^\n])*\"|'(?:[^'\\\n]|\\[^\n])*'"
# one line of the usual shape: blank, `}`, or `NAME [VALUE] [{]`, with blanks around
_LINE = re.compile(f"{_BLANK}(?:(?P<close>}})|(?P<name>{_WORD}){_BLANK}(?P<value>{_QUOTED}|{_WORD})?"
                   f"{_BLANK}(?P<open>{{)?)?{_BLANK}")


def _scan_lines(text: str) -> list[RawNode] | None:
    """:func:`scan_boot` for a text whose every line has the usual shape; None otherwise
    (then the token reader decides)."""
    top: list[RawNode] = []
    levels: list[list[RawNode]] = [top]
    nodes = top
    match = _LINE.fullmatch
    for number, text_line in enumerate(text.split("\n"), 1):
        found = match(text_line)
        if found is None:
            return None
        name, value, opens, close = found.group("name", "value", "open", "close")
        if name is not None:
            if value is not None and value[0] in "\"'":
                value = unquote(value)
            node = RawNode(name, value, [] if opens else None, None, number)
            nodes.append(node)
            if opens:
                nodes = node.children      # type: ignore[assignment]
                levels.append(nodes)
        elif close is not None:
            if len(levels) == 1:
                return None
            levels.pop()
            nodes = levels[-1]
    return top if len(levels) == 1 else None


def _tokens(text: str):
    """(kind, text, line) for each token but blanks; a token kind of None where nothing matches."""
    pos, line, end = 0, 1, len(text)
    match = _TOKEN.match
    while pos < end:
        found = match(text, pos)
        if found is None:
            yield None, "", line
            return
        kind, word = found.lastgroup, found.group()
        if kind != "blank":
            yield kind, word, line
        if kind == "nl" or kind == "comment":
            line += word.count("\n")
        pos = found.end()
    yield "end", "", line


def scan_boot(text: str) -> list[RawNode] | None:
    """The raw nodes of ``text`` as the grammar reads them, or None when this reader is
    not sure (a syntax error, or anything unusual): then the grammar must parse it."""
    found = _scan_lines(text)
    return found if found is not None else _scan_tokens(text)


def _scan_tokens(text: str) -> list[RawNode] | None:
    """:func:`scan_boot` a token at a time (comments, several items on a line)."""
    top: list[RawNode] = []
    levels: list[tuple[list[RawNode], list[str]]] = [(top, [])]   # (nodes, pending comments)
    node: RawNode | None = None
    state = "start"     # start, item, name, value, open (after '{'), closed (after '}'), comment
    for kind, word, line in _tokens(text + "\n"):
        if state in ("start", "open", "comment"):
            state = "item"
            if kind == "nl":
                continue
        if state == "item":
            nodes, pending = levels[-1]
            if kind == "word":
                node = RawNode(word, None, None, "\n".join(pending) if pending else None, line)
                pending.clear()
                nodes.append(node)
                state = "name"
            elif kind == "comment":
                pending.append(word[2:-2].strip())
                state = "comment"
            elif kind == "rbrace" and len(levels) > 1:
                levels.pop()
                state = "closed"
            elif kind == "end" and len(levels) == 1:
                return top
            else:
                return None
        elif state in ("name", "value"):
            if state == "name" and (kind == "value" or kind == "word"):
                node.value = unquote(word)  # type: ignore[union-attr]
                state = "value"
            elif kind == "nl":
                state = "item"
            elif kind == "lbrace":
                node.children = []  # type: ignore[union-attr]
                levels.append((node.children, []))  # type: ignore[union-attr,arg-type]
                state = "open"
            else:
                return None
        elif state == "closed" and kind == "nl":
            state = "item"
        else:
            return None
    return None
