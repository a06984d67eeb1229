"""Output pipes: `| match`, `| except`, `| count`, `| strip-private` (nos_shell/strip_private.py)
(`| no-more`, `| more`, `| commands` pass).

Patterns run on RE2 (google-re2), whose matching time is linear in the text: no pattern a
user types can hold a worker (or the SSH server) for longer than one pass over the output.
RE2 has no backreferences or lookaround; such a pattern is refused with RE2's reason.
re2 is imported on first use only (not on the `nos-shell -c` start-up path).

On a streaming output (nos_shell/streams.py) the pipes work line by line as the lines
come: `match`/`except` pass each line on at once, `count` prints its total at the end
(also after Ctrl-C).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .errors import NosError

if TYPE_CHECKING:
    from .streams import Stream

#: the longest pattern accepted, and the memory RE2 may use to compile one
MAX_PATTERN = 1024
MAX_PROGRAM_BYTES = 8 << 20


def compile_pattern(text: str):
    """An RE2 pattern for `match`/`except`; raises NosError naming what is wrong."""
    import re2

    if len(text) > MAX_PATTERN:
        raise NosError(f"Invalid regular expression: longer than {MAX_PATTERN} characters")
    options = re2.Options()
    options.log_errors = False
    options.max_mem = MAX_PROGRAM_BYTES
    options.never_capture = True
    try:
        return re2.compile(text, options=options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else "invalid"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise NosError(f"Invalid regular expression '{text}': {reason}") from None


def apply_pipes(output: "str | Stream", pipes: list[tuple[str, str | None]]) -> "str | Stream":
    """Filter ``output`` through the pipes of a command, left to right (a stream stays a
    stream, filtered as it is read)."""
    if not isinstance(output, str):
        return _stream_pipes(output, pipes)
    for name, arg in pipes:
        if name in ("match", "except"):
            pattern = compile_pattern(arg or "")
            keep = name == "match"
            output = "".join(line + "\n" for line in output.split("\n")[:_lines(output)]
                             if (pattern.search(line) is not None) == keep)
        elif name == "count_lines":
            output = f"Count: {_lines(output)} lines\n"
        elif name == "strip_private":
            from .strip_private import strip_private

            output = strip_private(output)
    return output


def _lines(text: str) -> int:
    """How many lines ``text`` has (a last line without its newline counts)."""
    if not text:
        return 0
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def _stream_pipes(stream: "Stream", pipes: list[tuple[str, str | None]]) -> "Stream":
    """The pipes over a stream. Patterns are compiled first: a bad one stops the program
    before any output."""
    try:
        steps = [(name, compile_pattern(arg or "") if name in ("match", "except") else None)
                 for name, arg in pipes]
    except NosError:
        stream.close()
        raise
    for name, pattern in steps:
        if pattern is not None:
            stream = stream.derive(_filtered(stream, pattern, name == "match"))
        elif name == "count_lines":
            stream = stream.derive(_counted(stream))
    return stream


def _filtered(stream: "Stream", pattern, keep: bool) -> Iterator[str]:
    for line in stream.lines():
        if (pattern.search(line) is not None) == keep:
            yield line + "\n"


def _counted(stream: "Stream") -> Iterator[str]:
    yield f"Count: {sum(1 for _ in stream.lines())} lines\n"
