"""Errors as values: each carries the VyOS-style lines the shell prints."""
from __future__ import annotations


class NosError(Exception):
    """An error to show the user. ``lines`` are printed indented; ``str()`` is one line."""

    def __init__(self, *lines: str):
        self.lines = [line for line in lines if line]
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


class CommitError(NosError):
    """verify() or a later commit stage refused the candidate.

    Its lines come in groups: a ``[ path ]`` header, then the reasons for that path."""

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
        return "Commit failed: " + "; ".join(parts)
