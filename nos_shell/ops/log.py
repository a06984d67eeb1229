"""`show log [tail [N]]` and `monitor log [count N]`: the journal of the router's services.

journalctl runs in the router's context (the target's exec prefix), limited to the
services nos-shell runs: systemd-networkd, systemd-timesyncd, BIRD, GoBGP and nos-shell
itself (its SSH server, boot and commit-confirm units). A router whose context has no
journald has no journal to show, and the command says so.

    show log              the last 1000 entries
    show log tail [N]     the last N entries (10 when N is left out)
    monitor log [count N] new entries as they are written: N of them (default 20), at most
                          60 seconds; streamed as they come, Ctrl-C stops
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

IDENTIFIERS = ("systemd-networkd", "systemd-timesyncd", "bird", "gobgpd", "nos-shell")
UNITS = ("systemd-networkd.service", "systemd-timesyncd.service", "bird.service", "gobgpd.service",
         "nos-shell-ssh.service", "nos-shell-boot.service")
SHOW_ALL, TAIL, MAX_LINES = 1000, 10, 10000
MONITOR_LINES, MONITOR_SECONDS = 20, 60.0
NO_JOURNAL = "No journal in the router's context (journald is not running there)\n"


def matches() -> list[str]:
    """journalctl match arguments: any of the services, by syslog identifier or unit."""
    terms = [f"SYSLOG_IDENTIFIER={name}" for name in IDENTIFIERS] + [f"_SYSTEMD_UNIT={u}" for u in UNITS]
    out: list[str] = []
    for term in terms:
        out += ["+", term] if out else [term]
    return out


def _journalctl(*options: str) -> list[str]:
    return ["journalctl", "--no-pager", "--quiet", "--output", "short-iso", *options, *matches()]


def show_log(session: "Session", command: "Command") -> str:
    """The last entries at once (journalctl ends by itself; a string, so it pages)."""
    tail = command.opts.get("tail")
    count = SHOW_ALL if tail is None else TAIL if tail is True else bounded(tail, TAIL, MAX_LINES, "Lines")
    target = router(session, "log")
    result = run(target, _journalctl("--lines", str(count)), timeout=30, check=False)
    if "No journal files were found" in result.stderr:
        return NO_JOURNAL
    if result.returncode != 0:
        raise NosError(f"journalctl failed (exit {result.returncode})", *result.stderr.strip().splitlines()[-2:])
    if not result.stdout.strip():
        return "No log entries from the router's services\n"
    return result.stdout


def monitor_log(session: "Session", command: "Command") -> "str | Stream":
    """New entries as they are written, streamed: ``count`` lines or 60 seconds, whichever
    comes first; then journalctl is stopped and nothing more is shown."""
    from ..streams import program

    count = bounded(command.opts.get("count"), MONITOR_LINES, MAX_LINES, "Count")
    target = router(session, "log")
    probe = run(target, ["journalctl", "--no-pager", "--quiet", "--lines", "0"], timeout=15, check=False)
    if "No journal files were found" in probe.stderr:
        return NO_JOURNAL
    argv = _journalctl("--follow", "--lines", "0")
    return program(session, argv, limit=MONITOR_SECONDS, quiet_limit=True).head(count)


COMMANDS = (
    OpCommand("show_log", ("show log",), show_log,
              "The journal of networkd, timesyncd, BIRD, GoBGP and nos-shell (`tail`: the last N entries)"),
    OpCommand("monitor_log", ("monitor log",), monitor_log, "New journal entries of those services as they are written"),
)

KEYWORDS: KeywordHelp = {
    ("show", "log"): "Show the log of the router's services",
    ("monitor", "log"): "Follow the log of the router's services",
    "log": "Show the log of the router's services",
    "tail": "Show the last lines (10, or the number given)",
}
