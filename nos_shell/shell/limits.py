"""The limits one client can push the shell to (docs/guarantees.md, "The SSH server's limits").

- :data:`MAX_LINE`: characters in one typed line. Past it the line is dropped as it comes
  (nothing more is kept or echoed) and, at its end, answered with :data:`LINE_TOO_LONG`.
- :data:`MAX_OUTPUT`: bytes of output one command may send; the rest is replaced by
  :func:`output_cut`'s note.
"""
from __future__ import annotations

MAX_LINE = 64 * 1024
MAX_OUTPUT = 32 * 1024 * 1024

LINE_TOO_LONG = (f"\n  Line too long: more than {MAX_LINE} characters; it was discarded, "
                 "nothing was run\n\n")


def output_cut(text: str, limit: int = MAX_OUTPUT) -> str:
    """``text`` if it fits in ``limit`` characters, else its first lines and a note."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = head.rfind("\n") + 1 or limit
    return head[:cut] + truncated_note(limit)


def truncated_note(limit: int = MAX_OUTPUT) -> str:
    """What replaces output past ``limit`` characters."""
    return f"\n  Output truncated: more than {limit} characters; narrow it with '| match PATTERN'\n\n"
