"""`monitor traffic interface IF [count N] [filter EXPR]`: tcpdump in the router's context.

Bounded: N packets (default 20, at most 10000) and at most 30 seconds; then tcpdump is
interrupted and prints its packet counts. The packets stream as tcpdump prints them, and
Ctrl-C interrupts it the same way (nos_shell/streams.py). The interface name must be a valid interface name
and the filter is passed after ``--``, so nothing typed becomes an option of tcpdump (its
expression language is all a filter can use). Needs tcpdump installed where the router runs.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import NosError
from .command import KeywordHelp, OpCommand
from .context import bounded, router, run

if TYPE_CHECKING:
    from ..commands import Command
    from ..session import Session
    from ..streams import Stream

DEFAULT_PACKETS, MAX_PACKETS, SECONDS = 20, 10000, 30.0
MAX_FILTER = 1000


def _interface(word: str) -> str:
    from ..schema.types import INTERFACE

    try:
        INTERFACE.check(word)
    except ValueError:
        raise NosError(f"Invalid interface name '{word}'") from None
    if word.startswith("-"):
        raise NosError(f"Invalid interface name '{word}'")
    return word


def argv_for(interface: str, packets: int, expression: str | None) -> list[str]:
    """tcpdump's command line: numeric, line-buffered, bounded, the filter after ``--``."""
    argv = ["tcpdump", "-n", "-l", "-i", interface, "-c", str(packets)]
    if expression:
        if len(expression) > MAX_FILTER or any(ord(c) < 32 for c in expression):
            raise NosError(f"Invalid filter: at most {MAX_FILTER} printable characters")
        argv += ["--", expression]
    return argv


def monitor_traffic(session: "Session", command: "Command") -> "Stream":
    """tcpdump's lines as it prints them; its ``-c`` ends it after N packets, the time
    bound and Ctrl-C interrupt it (its packet counts follow)."""
    from ..streams import program

    interface = _interface(command.words[0])
    packets = bounded(command.opts.get("count"), DEFAULT_PACKETS, MAX_PACKETS, "Count")
    argv = argv_for(interface, packets, command.opts.get("filter"))
    target = router(session, "traffic")
    probe = run(target, ["tcpdump", "--version"], check=False)
    if probe.returncode != 0:
        raise NosError("tcpdump is not installed in the router's context (Debian package tcpdump)")
    return program(session, argv, limit=SECONDS, quiet_limit=True)


COMMANDS = (
    OpCommand("monitor_traffic", ("monitor traffic interface",), monitor_traffic,
              "tcpdump on an interface, bounded by packets and time"),
)

KEYWORDS: KeywordHelp = {
    ("monitor", "traffic"): "Monitor the packets on an interface (tcpdump)",
    ("traffic", "interface"): "Interface to capture on",
    "filter": "Only packets matching a tcpdump filter expression",
}
