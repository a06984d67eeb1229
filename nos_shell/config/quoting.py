"""Quoting of values, shared by config.boot files, `set` lines and typed commands.

Escapes understood inside quotes: ``\\"`` ``\\'`` ``\\\\`` ``\\n`` ``\\t``; any other
backslash is kept as written, so `'a\\d'` means the three characters a, backslash, d.
"""
from __future__ import annotations

import re

_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "t": "\t"}
_ESCAPE = re.compile(r"\\(.)", re.S)


def unquote(text: str) -> str:
    """The value of a bare word or of a "double" or 'single' quoted string."""
    if len(text) < 2 or text[0] not in "\"'" or text[-1] != text[0]:
        return str(text)
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def _escape(value: str, quote: str) -> str:
    return (value.replace("\\", "\\\\").replace(quote, "\\" + quote)
            .replace("\n", "\\n").replace("\t", "\\t"))


def quote_double(value: str) -> str:
    """A value as config.boot writes it."""
    return f'"{_escape(value, chr(34))}"'


def quote_single(value: str) -> str:
    """A value as `show configuration commands` writes it."""
    return f"'{_escape(value, chr(39))}'"
