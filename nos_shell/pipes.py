"""Output pipes: `| match`, `| except`, `| count`, `| strip-private` (nos_shell/strip_private.py)
(`| no-more`, `| more`, `| commands` pass).

Patterns run on RE2 (google-re2), whose matching time is linear in the text: no pattern a
user types can hold a worker (or the SSH server) for longer than one pass over the output.
RE2 has no backreferences or lookaround; such a pattern is refused with RE2's reason.
re2 is imported on first use only (not on the `nos-shell -c` start-up path).
"""
from __future__ import annotations

from .errors import NosError

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


def apply_pipes(output: str, pipes: list[tuple[str, str | None]]) -> str:
    """Filter ``output`` through the pipes of a command, left to right."""
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
