"""`show log [tail [N]]` and `monitor log [count N]`: the journal of the router's services.

journalctl runs in the router's context (the target's exec prefix), limited to the
services nos-shell runs: systemd-networkd, systemd-timesyncd, BIRD, GoBGP and nos-shell
itself (its SSH server, boot and commit-confirm units). A router whose context has no
journald has no journal to show, and the command says so.

    show log              the last 1000 entries
    show log tail [N]     the last N entries (10 when N is left out)
    monitor log [count N] new entries as they are written: N of them (default 20), at most
                          60 seconds
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .errors import NosError
from .ops_context import router, run
from .ops_stream import bounded, collect, program_lines

if TYPE_CHECKING:
    from .commands import Command
    from .session import Session

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


def show_log_lines(session: "Session", command: "Command") -> Iterator[str]:
    tail = command.opts.get("tail")
    count = SHOW_ALL if tail is None else TAIL if tail is True else bounded(tail, TAIL, MAX_LINES, "Lines")
    target = router(session, "log")
    result = run(target, _journalctl("--lines", str(count)), timeout=30, check=False)
    if "No journal files were found" in result.stderr:
        yield NO_JOURNAL
        return
    if result.returncode != 0:
        raise NosError(f"journalctl failed (exit {result.returncode})", *result.stderr.strip().splitlines()[-2:])
    if not result.stdout.strip():
        yield "No log entries from the router's services\n"
        return
    yield from result.stdout.splitlines(True)


def show_log(session: "Session", command: "Command") -> str:
    return collect(show_log_lines(session, command))


def monitor_log_lines(session: "Session", command: "Command") -> Iterator[str]:
    count = bounded(command.opts.get("count"), MONITOR_LINES, MAX_LINES, "Count")
    target = router(session, "log")
    probe = run(target, ["journalctl", "--no-pager", "--quiet", "--lines", "0"], timeout=15, check=False)
    if "No journal files were found" in probe.stderr:
        yield NO_JOURNAL
        return
    argv = target.argv(*_journalctl("--follow", "--lines", "0"))
    yield from program_lines(argv, max_lines=count, seconds=MONITOR_SECONDS, interrupt=False)


def monitor_log(session: "Session", command: "Command") -> str:
    return collect(monitor_log_lines(session, command))
