"""Nix literals: strings escaped so that no value can end the string or interpolate."""
from __future__ import annotations

import re

_SPECIAL = re.compile(r'["\\\n\r\t]|\$\{')
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "${": "\\${"}


def nix_string(text: str) -> str:
    """``text`` as a double-quoted Nix string (``"``, ``\\``, ``${`` and control
    characters escaped)."""
    return '"' + _SPECIAL.sub(lambda m: _ESCAPES[m.group(0)], text) + '"'


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_'-]*")
_KEYWORDS = frozenset(("assert", "else", "if", "in", "inherit", "let", "or", "rec", "then", "with"))


def nix_name(text: str) -> str:
    """``text`` as an attribute name: bare when Nix reads it so, else a quoted string."""
    return text if _NAME.fullmatch(text) and text not in _KEYWORDS else nix_string(text)
