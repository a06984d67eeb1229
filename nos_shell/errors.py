"""Errors as values: each carries the VyOS-style lines the shell prints.

Every error is bounded, whatever it quotes: a word (a value, a path, a file line) longer
than :data:`MAX_WORD` characters is shown as its first :data:`SHOWN` characters and
``... (N characters)`` (as schema/types.py ``shown`` shows a refused value; brackets and
quotes around it are kept), a line is cut to :data:`MAX_LINE`, and an error of more than :data:`MAX_LINES` lines keeps its first and
last lines with ``... (N more lines)`` between them (docs/guarantees.md, "Errors").
"""
from __future__ import annotations

import re

MAX_WORD = 200
SHOWN = 64
MAX_LINE = 1000
MAX_LINES = 40
_KEEP_LAST = 5
MAX_SUMMARY_PARTS = 10
_LONG_WORD = re.compile(r"[^\s\[\]'\"]{%d,}" % (MAX_WORD + 1))


def clip(text: str, limit: int = MAX_WORD) -> str:
    """``text`` when short, else its first ``limit`` characters and ``...``."""
    return text if len(text) <= limit else text[:limit] + "..."


def elide(word: str) -> str:
    """An over-long word as its head and its length: ``xxxx... (2000 characters)``."""
    return word if len(word) <= MAX_WORD else word[:SHOWN] + f"... ({len(word)} characters)"


def bound_line(line: str) -> str:
    """One error line with every over-long word elided, then the line itself clipped."""
    if len(line) > MAX_WORD:
        line = _LONG_WORD.sub(lambda m: elide(m.group()), line)
    return clip(line, MAX_LINE)


def bound_lines(lines: list[str]) -> list[str]:
    """At most :data:`MAX_LINES` bounded lines: the first ones, a count, the last ones."""
    if len(lines) > MAX_LINES:
        head = MAX_LINES - _KEEP_LAST - 1
        hidden = len(lines) - head - _KEEP_LAST
        lines = [*lines[:head], f"... ({hidden} more lines)", *lines[-_KEEP_LAST:]]
    return [bound_line(line) for line in lines]


class NosError(Exception):
    """An error to show the user. ``lines`` are printed indented; ``str()`` is one line."""

    def __init__(self, *lines: str):
        self.lines = bound_lines([line for line in lines if line])
        super().__init__(self.summary)

    @property
    def summary(self) -> str:
        """One line for logs and ``FILE:LINE: message`` output (without trailer lines)."""
        body = [line for line in self.lines if line not in _TRAILERS]
        return ": ".join(body or self.lines)

    def render(self) -> str:
        """The indented block VyOS prints, with a blank line before and after."""
        return "\n" + "".join(f"  {line}\n" for line in self.lines) + "\n"


_TRAILERS = {"Set failed", "Delete failed", "Value validation failed", "Commit failed"}


class ParseError(NosError):
    """A line that does not parse as a command."""


class PathError(NosError):
    """A configuration path that the schema refuses."""


class ProblemList(PathError):
    """A file `load` or `merge` refuses: one problem a line (``FILE:LINE: message``)."""


def located(where: str, error: NosError) -> NosError:
    """``error`` as a command file reports it, after ``WHERE`` (``NAME:LINE``): its one-line
    summary, or for a :class:`ProblemList` the first problem with each other one kept on its
    own line (the shell's layout), so :func:`report` prints one a line."""
    if isinstance(error, ProblemList):
        return ProblemList(f"{where}: {error.lines[0]}", *error.lines[1:])
    return NosError(f"{where}: {error.summary}")


def report(error: NosError) -> str:
    """What a command file run (`-f`) prints for ``error``: its summary, or a
    :class:`ProblemList` one problem a line, the later ones indented as in the shell."""
    if isinstance(error, ProblemList):
        return error.lines[0] + "".join(f"\n  {line}" for line in error.lines[1:])
    return error.summary


class CommitError(NosError):
    """verify() or a later commit stage refused the candidate.

    Its lines come in groups: a ``[ path ]`` header, then the reasons for that path."""

    def __init__(self, *lines: str):
        self.problems = sum(1 for line in lines if line.startswith("[ "))
        super().__init__(*lines)

    @property
    def summary(self) -> str:
        parts: list[str] = []
        for line in self.lines:
            if not line or line in _TRAILERS:
                continue
            if line.startswith("[ ") or not parts:
                parts.append(line)
            else:
                parts[-1] += " " + line
        if len(parts) > MAX_SUMMARY_PARTS:
            total = f"{self.problems} problems" if self.problems else f"{len(parts)} parts"
            parts = [*parts[:MAX_SUMMARY_PARTS - 1], f"... ({total} in all)", parts[-1]]
        return "Commit failed: " + "; ".join(parts)
