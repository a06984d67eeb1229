"""Quoting of values, shared by config.boot files, `set` lines and typed commands.

Escapes understood inside quotes: ``\\"`` ``\\'`` ``\\\\`` ``\\n`` ``\\t``; any other
backslash is kept as written, so `'a\\d'` means the three characters a, backslash, d.

Leaf values are always quoted. Tag keys are written bare, as VyOS does, when they are
plain ASCII words (``eth0``, ``192.0.2.0/24``, ``LAN-1``) and quoted otherwise, so any
key the tree holds parses back as the same key.
"""
from __future__ import annotations

import re

_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "t": "\t"}
_ESCAPE = re.compile(r"\\(.)", re.S)
# A word both the config.boot and the command grammar read bare as one word, and that
# cannot open a // or /* comment.
_BARE = re.compile(r"[A-Za-z0-9_.:@+\-][A-Za-z0-9_.:/@+,!\-]*", re.ASCII)


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


def key_boot(key: str) -> str:
    """A tag key as config.boot writes it: bare when that is safe, else double-quoted."""
    return key if _BARE.fullmatch(key) else quote_double(key)


def key_command(key: str) -> str:
    """A tag key as a `set` line writes it: bare when that is safe, else single-quoted."""
    return key if _BARE.fullmatch(key) else quote_single(key)
