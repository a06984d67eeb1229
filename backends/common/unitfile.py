"""Writing systemd-style INI files (.network, .netdev) that no value can break out of.

systemd's parser (v252) reads ``Key=Value`` lines; a line starting with ``#`` or ``;`` is a
comment and is never continued; a line *ending* in a backslash is joined with the next
line; leading and trailing white space of a value is dropped; there is no quoting.
So a value is safe exactly when it has no control character (newline), no leading or
trailing white space and no trailing backslash. Values compiled from the schema's strict
types (addresses, names, numbers) always are; :func:`check_value` refuses anything else
so a bug cannot emit a broken unit. Free text (descriptions) only ever goes into comment
lines, where every printable character is harmless.
"""
from __future__ import annotations

import re

from ..contract import HEADER

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]|\A\s|\s\Z|\\\Z")
"""Anything that could end a value's line early or change what systemd reads: a control
character, leading or trailing white space (``\\s`` is exactly what ``str.strip`` drops)
or a trailing backslash. One search per value."""
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_keys_seen: set[str] = set()
"""Keys already checked (they come from the compilers' code: a few dozen names)."""


def check_value(key: str, value: str) -> str:
    """``value``, when ``Key=Value`` is one line systemd reads back exactly; else ValueError."""
    if key not in _keys_seen:
        if not _KEY.fullmatch(key):
            raise ValueError(f"invalid unit key {key!r}")
        _keys_seen.add(key)
    if _UNSAFE.search(value):
        raise ValueError(f"value {value!r} for {key}= cannot be written safely to a unit file")
    return value


def comment(text: str) -> str:
    """A comment line; control characters (impossible after the schema) become spaces."""
    return "# " + _CONTROL.sub(" ", text).rstrip()


_HEAD = comment(HEADER)


def render(comments: list[str] | tuple[str, ...], sections) -> bytes:
    """The bytes of a unit: the header and ``comments`` as comment lines, then each
    ``(name, pairs)`` of ``sections`` as ``[name]`` and its ``Key=Value`` lines (each
    checked by :func:`check_value`) in order."""
    out = [_HEAD]
    if comments:
        out.extend(comment(c) for c in comments)
    unsafe, seen = _UNSAFE.search, _keys_seen
    for name, pairs in sections:
        out.append("")
        out.append(f"[{name}]")
        for key, value in pairs:
            if key not in seen or unsafe(value):      # (check_value's checks, inline)
                check_value(key, value)
            out.append(f"{key}={value}")
    out.append("")
    return "\n".join(out).encode()


class Unit:
    """An ordered INI file: sections in the order first used, keys in the order added.

    A section name may repeat (``[Route]``): :meth:`new` starts another one.
    """

    def __init__(self) -> None:
        self.comments: list[str] = []
        self.sections: list[tuple[str, list[str]]] = []

    def section(self, name: str) -> list[str]:
        """The last section called ``name``, created if missing."""
        for sec, lines in reversed(self.sections):
            if sec == name:
                return lines
        return self.new(name)

    def new(self, name: str) -> list[str]:
        lines: list[str] = []
        self.sections.append((name, lines))
        return lines

    def add(self, section: str, key: str, value: object) -> None:
        self.add_line(self.section(section), key, value)

    @staticmethod
    def add_line(lines: list[str], key: str, value: object) -> None:
        """Append ``Key=Value`` to a section's lines (e.g. one of several [Route] sections)."""
        lines.append(f"{key}={check_value(key, str(value))}")

    def render(self) -> bytes:
        out = [_HEAD] + [comment(c) for c in self.comments]
        for name, lines in self.sections:
            out.append("")
            out.append(f"[{name}]")
            out.extend(lines)
        out.append("")
        return "\n".join(out).encode()

