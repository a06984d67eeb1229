"""`ping` and `traceroute`: bounded runs of the system tools, never through a shell.

The destination must be an IP address or a host name (checked by the schema's types), so
nothing typed can become an option of the tool. The programs run in the router's context
(the target's exec prefix), like every other live command, and their output streams as it
comes (nos_shell/streams.py): Ctrl-C stops them and shows what they print then (ping's
statistics).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from ..errors import NosError
from ..schema.types import HOSTNAME, IP
from .command import KeywordHelp, OpCommand

if TYPE_CHECKING:
    from ..commands import Command
    from ..session import Session
    from ..streams import Stream

DEFAULT_COUNT, MAX_COUNT = 3, 100
MIN_INTERVAL, MAX_INTERVAL = Decimal("0.2"), Decimal(60)
REPLY_WAIT = 2            # seconds ping waits for the last reply (-W)


def _destination(word: str) -> str:
    for kind in (IP, HOSTNAME):
        try:
            kind.check(word)
            return word
        except ValueError:
            continue
    raise NosError(f"Invalid destination '{word}': expected an IP address or a host name")


def _interval(word: str | None) -> Decimal:
    if word is None:
        return Decimal(1)
    try:
        value = Decimal(word)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not MIN_INTERVAL <= value <= MAX_INTERVAL:
        raise NosError(f"Invalid interval '{word}': must be {MIN_INTERVAL} to {MAX_INTERVAL} seconds")
    return value


def ping(session: "Session", command: "Command") -> "Stream":
    from ..streams import program

    target = _destination(command.words[0])
    count = command.opts.get("count", DEFAULT_COUNT)
    if not 1 <= count <= MAX_COUNT:
        raise NosError(f"Count must be between 1 and {MAX_COUNT}")
    interval = _interval(command.opts.get("interval"))
    argv = ["ping", "-n", "-c", str(count), "-i", format(interval, "f"), "-W", str(REPLY_WAIT)]
    source = command.opts.get("source")
    if source is not None:
        if not _is_ip(source):
            raise NosError(f"Invalid source address '{source}'")
        argv += ["-I", source]
    limit = float(count * (interval + REPLY_WAIT) + 5)
    return program(session, argv + ["--", target], limit=limit)


def traceroute(session: "Session", command: "Command") -> "Stream":
    from ..streams import program

    target = _destination(command.words[0])
    return program(session, ["traceroute", "-n", "-m", "20", "-q", "1", "-w", "2", "--", target], limit=60)


def _is_ip(word: str) -> bool:
    try:
        IP.check(word)
        return True
    except ValueError:
        return False


COMMANDS = (
    OpCommand("ping", ("ping",), ping, "Send ICMP echo requests (bounded)"),
    OpCommand("traceroute", ("traceroute",), traceroute, "Trace the path to a host"),
)

KEYWORDS: KeywordHelp = {
    (None, "ping"): "Send ICMP echo requests",
    (None, "traceroute"): "Trace the path to a host",
    ("ping", "count"): "Number of packets to send",
    ("ping", "interval"): "Seconds between packets (0.2-60, default 1)",
    "count": "Number of packets to send",
    "interval": "Seconds between packets (0.2-60, default 1)",
    "source-address": "Source address of the packets",
}
