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


def check_value(key: str, value: str) -> str:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", key):
        raise ValueError(f"invalid unit key {key!r}")
    if _CONTROL.search(value) or value != value.strip() or value.endswith("\\"):
        raise ValueError(f"value {value!r} for {key}= cannot be written safely to a unit file")
    return value


def comment(text: str) -> str:
    """A comment line; control characters (impossible after the schema) become spaces."""
    return "# " + _CONTROL.sub(" ", text).rstrip()


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
        out = [comment(HEADER)] + [comment(c) for c in self.comments]
        for name, lines in self.sections:
            out.append("")
            out.append(f"[{name}]")
            out.extend(lines)
        return ("\n".join(out) + "\n").encode()

