"""Long-running operational commands as bounded generators of output lines.

`monitor interfaces`, `monitor log`, `monitor traffic` and `show log tail` produce their
output over time. Each is written as a generator of lines (``STREAMS`` maps the command
name to it) so a streaming front end can print every line as it comes and stop the
generator on Ctrl-C (closing it ends the program it runs); :func:`collect` joins one for
the front ends that print a command's output in one piece. Every generator is bounded by a
line or sample count and by a duration, so a command always ends.

Programs run in the router's context (the target's exec prefix), never through a shell.
"""
from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from .errors import NosError

if TYPE_CHECKING:
    from .commands import Command
    from .session import Session

Stream = Callable[["Session", "Command"], Iterator[str]]


def collect(lines: Iterable[str]) -> str:
    """The whole output of a stream (for front ends that print output in one piece)."""
    return "".join(lines)


def program_lines(argv: list[str], *, max_lines: int, seconds: float,
                  interrupt: bool = True) -> Iterator[str]:
    """The output lines (stdout and stderr) of ``argv`` as they come, at most ``max_lines``
    and for at most ``seconds``. Then the program is stopped: with ``interrupt`` by SIGINT,
    and what it prints as it exits follows (tcpdump's packet counts); otherwise by SIGTERM,
    and nothing more is shown. Closing the generator early stops the program the same way."""
    try:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    except FileNotFoundError:
        raise NosError(f"{argv[0]} is not installed in the router's context") from None
    assert proc.stdout is not None
    os.set_blocking(proc.stdout.fileno(), False)
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + seconds
    buffer, count = b"", 0
    try:
        while count < max_lines:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(min(left, 0.5)) and proc.poll() is not None:
                break
            chunk = _read(proc)
            if chunk is None:
                continue
            if not chunk:
                break
            buffer += chunk
            while b"\n" in buffer and count < max_lines:
                line, buffer = buffer.split(b"\n", 1)
                count += 1
                yield line.decode(errors="replace") + "\n"
    finally:
        tail = _stop(proc, interrupt)
        selector.close()
    if interrupt:       # what the program printed when it was stopped (tcpdump's packet counts)
        for line in (buffer + tail).decode(errors="replace").splitlines():
            if line.strip():
                yield line + "\n"


def _read(proc: subprocess.Popen) -> bytes | None:
    try:
        return os.read(proc.stdout.fileno(), 65536)      # type: ignore[union-attr]
    except BlockingIOError:
        return None


def _stop(proc: subprocess.Popen, interrupt: bool) -> bytes:
    """End ``proc`` (SIGINT, then SIGKILL after a grace period); the output it left."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT if interrupt else signal.SIGTERM)
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    rest = b""
    with contextlib.suppress(OSError):
        while chunk := _read(proc) or b"":
            rest += chunk
            if len(rest) > 65536:
                break
    proc.stdout.close()                                   # type: ignore[union-attr]
    return rest


def bounded(value: int | None, default: int, high: int, what: str) -> int:
    """A count option: ``default`` when absent, else checked against 1..``high``."""
    if value is None:
        return default
    if not 1 <= value <= high:
        raise NosError(f"{what} must be between 1 and {high}")
    return value


def streams() -> dict[str, Stream]:
    """Command name -> its line generator, for a front end that streams output."""
    from . import ops_counters, ops_log, ops_traffic

    return {"monitor_interfaces": ops_counters.monitor_interfaces_lines,
            "monitor_log": ops_log.monitor_log_lines,
            "monitor_traffic": ops_traffic.monitor_traffic_lines,
            "show_log": ops_log.show_log_lines}
