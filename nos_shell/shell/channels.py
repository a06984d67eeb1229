"""What one SSH session channel may make the server keep in memory.

asyncssh keeps every ``env`` request of a session in a dict, and queues every
window-change, break and signal request for the session's reader; channel requests are
not flow-controlled, so a client could send them without end. Here:

- ``env`` requests are accepted and forgotten: nos-shell reads no environment (OpenSSH
  without ``AcceptEnv`` ignores them too);
- terminal events reach the session only when it reads them as they come (the
  full-screen editor, nos_shell/shell/remote.py, sets :attr:`SessionProcess.wants_events`);
  the plain line mode and commands ignore them, so they are dropped as they arrive, except
  a break or signal request, which calls :attr:`SessionProcess.on_interrupt` when one is
  set (Ctrl-C of a streaming command, nos_shell/shell/relay.py) and is queued nowhere;
- one connection holds at most :data:`MAX_SESSIONS` sessions at once (OpenSSH's
  MaxSessions), each with a window of :data:`WINDOW` bytes of input the client may send
  before the server has read it (asyncssh's default is 2 MB, and a command reads none).
"""
from __future__ import annotations

from collections.abc import Callable

import asyncssh

MAX_SESSIONS = 10
WINDOW = 256 * 1024
_EVENTS = (asyncssh.TerminalSizeChanged, asyncssh.BreakReceived, asyncssh.SignalReceived)


class _Forgotten(dict):
    """An environment that keeps nothing."""

    def __setitem__(self, key, value) -> None:
        pass


class SessionProcess(asyncssh.SSHServerProcess):
    """asyncssh's process, without an unbounded queue of terminal events."""

    wants_events = False
    on_interrupt: Callable[[], None] | None = None

    def __init__(self, handler: Callable, closed: Callable[[], None]):
        super().__init__(handler, None, 0, False)
        self._closed = closed

    def exception_received(self, exc: Exception) -> None:
        if isinstance(exc, _EVENTS) and not self.wants_events:
            if self.on_interrupt is not None and isinstance(exc, (asyncssh.BreakReceived,
                                                                  asyncssh.SignalReceived)):
                self.on_interrupt()
            return
        super().exception_received(exc)

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed()
        super().connection_lost(exc)


class Sessions:
    """The sessions of one connection."""

    def __init__(self, handler: Callable):
        self.handler = handler
        self.open = 0

    def request(self, conn: asyncssh.SSHServerConnection):
        """What `session_requested` answers: a (channel, process) pair, or False."""
        if self.open >= MAX_SESSIONS:
            return False
        self.open += 1
        channel = conn.create_server_channel()
        channel._env = _Forgotten()     # asyncssh stores env requests here
        return channel, SessionProcess(self.handler, self._closed)

    def _closed(self) -> None:
        self.open -= 1
