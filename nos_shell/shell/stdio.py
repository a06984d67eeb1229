"""The local plain loop: the plain line mode (plain.py) on this process's stdin and stdout.

What ``nos-shell`` runs when stdin is not a terminal, or is one that cannot host the
full-screen editor; commands that stream are written as they come and Ctrl-C stops them.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..interrupts import interruptible, shell_sigint
from .plain import LineProtocol

if TYPE_CHECKING:
    from ..session import Session


def run_stdio(session: "Session", stdin_fd: int | None = None, stdout=None) -> int:
    """The local plain loop (no TTY, or a terminal that cannot host the full-screen editor).

    From a pipe nothing is echoed and lines end with ``\\n``. On a terminal (a dumb one, or
    the PTY sshd gives a ForceCommand) the line discipline is switched to character mode
    for the session: the protocol echoes and edits, so CR, LF and CRLF are one Enter here
    too (a cooked tty would turn a CRLF into two). Returns 0 at end of input or `exit`."""
    fd = sys.stdin.fileno() if stdin_fd is None else stdin_fd
    out = stdout or sys.stdout.buffer
    saved = _character_mode(fd)
    proto = LineProtocol(session, echo=saved is not None, newline="\n", banner=None, streams=True)

    def write(data: bytes) -> None:
        if data:
            out.write(data)
            out.flush()

    try:
        with shell_sigint():        # Ctrl-C: abandons the line, stops a stream, never the shell
            _loop(proto, fd, write)
    finally:
        if saved is not None:
            import termios

            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    return 0


def _loop(proto: LineProtocol, fd: int, write: Callable[[bytes], None]) -> None:
    write(proto.start())
    while not proto.finished:
        try:
            with interruptible():
                data = os.read(fd, 65536)
        except KeyboardInterrupt:
            write(proto.feed(b"\x03"))
            continue
        if not data:
            write(proto.eof())
            drain(proto, write)
            break
        write(proto.feed(data))
        drain(proto, write)


def drain(proto: LineProtocol, write: Callable[[bytes], None]) -> None:
    """Write the streams ``proto`` starts as they come, in this thread (Ctrl-C stops one),
    until it waits for input again."""
    from ..streams import as_error, write_stream

    while proto.stream is not None:
        stream = proto.stream
        error = write_stream(stream, lambda chunk: write(proto.render(chunk)), proto.interrupt)
        write(proto.finish_stream(as_error(error, proto.session.store.root)))


def _character_mode(fd: int):
    """Put a terminal into character mode (no canonical editing, no echo, CR kept as CR;
    signals and output processing stay). Returns the settings to restore, or None."""
    if not os.isatty(fd):
        return None
    import termios

    try:
        saved = termios.tcgetattr(fd)
    except termios.error:
        return None
    mode = termios.tcgetattr(fd)
    mode[0] &= ~(termios.ICRNL | termios.INLCR | termios.IGNCR)
    mode[3] &= ~(termios.ICANON | termios.ECHO | termios.IEXTEN)
    mode[6][termios.VMIN] = 1
    mode[6][termios.VTIME] = 0
    termios.tcsetattr(fd, termios.TCSADRAIN, mode)
    return saved
