"""`ping` and `traceroute`: bounded runs of the system tools, never through a shell.

The destination must be an IP address or a host name (checked by the schema's types), so
nothing typed can become an option of the tool. The programs run in the router's context
(the target's exec prefix), like every other live command.
"""
from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from .commands import Command
from .errors import NosError
from .schema.types import HOSTNAME, IP

if TYPE_CHECKING:
    from .session import Session

DEFAULT_COUNT, MAX_COUNT = 3, 100


def _destination(word: str) -> str:
    for kind in (IP, HOSTNAME):
        try:
            kind.check(word)
            return word
        except ValueError:
            continue
    raise NosError(f"Invalid destination '{word}': expected an IP address or a host name")


def _run(session: "Session", argv: list[str], timeout: float) -> str:
    from .apply import load_target

    full = load_target(session.store.root).argv(*argv)
    try:
        result = subprocess.run(full, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        raise NosError(f"{argv[0]} is not installed on this system") from None
    except subprocess.TimeoutExpired:
        raise NosError(f"{argv[0]} did not finish within {timeout:.0f} seconds") from None
    return result.stdout + result.stderr


def ping(session: "Session", command: Command) -> str:
    target = _destination(command.words[0])
    count = command.opts.get("count", DEFAULT_COUNT)
    if not 1 <= count <= MAX_COUNT:
        raise NosError(f"Count must be between 1 and {MAX_COUNT}")
    argv = ["ping", "-n", "-c", str(count), "-W", "2"]
    source = command.opts.get("source")
    if source is not None:
        if not _is_ip(source):
            raise NosError(f"Invalid source address '{source}'")
        argv += ["-I", source]
    return _run(session, argv + ["--", target], timeout=count * 3 + 5)


def traceroute(session: "Session", command: Command) -> str:
    target = _destination(command.words[0])
    return _run(session, ["traceroute", "-n", "-m", "20", "-q", "1", "-w", "2", "--", target], timeout=60)


def _is_ip(word: str) -> bool:
    try:
        IP.check(word)
        return True
    except ValueError:
        return False
