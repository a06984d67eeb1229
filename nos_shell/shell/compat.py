"""What automation clients send besides commands, and the plain text they must get back.

Terminal settings (``set terminal length 0``, ``stty cols 200``) are accepted and ignored;
the shell commands some clients send (``cat /proc/uptime``) are answered here, never by a
system shell; :func:`clean` removes escape sequences from output (docs/ssh.md).
"""
from __future__ import annotations

import re

_TERMINAL = re.compile(r"\s*(?:set\s+terminal\s+(?:length|width|rows|columns)|terminal\s+(?:length|width)"
                       r"|stty\s+(?:cols|columns|rows))\s+\d+\s*")
_UPTIME = re.compile(r"\s*cat\s+/proc/uptime\s*(?:\|\s*awk\s+(?:'\{\s*print\s+\$(\d+)\s*\}'"
                     r"|\"\{\s*print\s+\$(\d+)\s*\}\")\s*)?")
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])|[\x00-\x08\x0b-\x1f\x7f]")


def is_terminal_setting(line: str) -> bool:
    """`set terminal length 0` and friends: accepted and ignored (there is no pager)."""
    return _TERMINAL.fullmatch(line) is not None


def shell_compat(line: str) -> str | None:
    """The answer to a shell command clients send (napalm-vyos: ``cat /proc/uptime | awk
    '{print $1}'``), or None. Computed here: nothing ever reaches a system shell."""
    m = _UPTIME.fullmatch(line)
    if m is None:
        return None
    try:
        with open("/proc/uptime") as handle:
            fields = handle.read().split()
    except OSError:
        fields = ["0.00", "0.00"]
    column = m.group(1) or m.group(2)
    if column is None:
        return " ".join(fields) + "\n"
    index = int(column)
    if index == 0:
        return " ".join(fields) + "\n"
    return (fields[index - 1] if index <= len(fields) else "") + "\n"


def clean(text: str) -> str:
    """Remove escape sequences and control characters (tab and newline stay)."""
    return _ESCAPES.sub("", text)
