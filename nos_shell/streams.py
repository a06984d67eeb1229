"""Output that arrives while a command runs, and how to stop it.

An operational command normally returns its whole output as a ``str``. A command that
runs a program for a while (``ping``, ``traceroute``, ``monitor log``, ``monitor interfaces``,
``monitor traffic``) returns a :class:`Stream` instead: an iterator of text chunks in the
order the program wrote them, plus :meth:`Stream.cancel` (what Ctrl-C calls). Every front
end writes the chunks as they come (docs/shell.md, docs/ssh.md); ``Session.run(line)``
and the Python API collect them, so their output is the same text as before streaming.

Writing a streaming command (one function; ``session`` is the command's Session)::

    from .streams import program

    def monitor_log(session, command):
        return program(session, ["journalctl", "-f", "-n", "10", "--no-pager"], limit=3600)

:func:`program` runs ``argv`` in the router's context (the target's exec prefix; started by
the one runner, ``nos_shell.host.run.spawn``), never through a shell, with stdin from /dev/null and stderr merged into stdout. It is started
before :func:`program` returns, so "not installed" is an ordinary error. ``limit`` bounds
the run: when it passes the program is interrupted like Ctrl-C would, its last words are
shown and the stream ends with the error "NAME was stopped after N seconds" (or, with
``quiet_limit``, simply ends: the limit is the command's own bound, as for `monitor log`).
``Stream.head(n)`` bounds a stream by lines instead.

Interrupting (:meth:`ProcessStream.cancel`, safe from any thread and from a signal
handler): SIGINT to the program's process group, then SIGKILL if it has not ended
:data:`KILL_AFTER` seconds later. The stream keeps yielding what the program prints on
its way out (ping's statistics) and ends when the program has ended.

A stream that is not a program, e.g. a view redrawn every few seconds, is
``every(seconds, render, count=N)``, or any ``Stream(chunks, cancel)`` whose ``cancel`` makes the
``chunks`` iterator end soon.

Chunks are pieces of text, not necessarily whole lines; :meth:`Stream.lines` regroups
them (pipes such as ``| match`` use it). A consumer that stops early must call
:meth:`Stream.close` (or use the stream as a context manager): it cancels the program
and waits for it.
"""
from __future__ import annotations

import codecs
import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from .errors import NosError
from .host.run import spawn

if TYPE_CHECKING:
    from pathlib import Path

    from .apply.target import Target
    from .session import Session

#: seconds between SIGINT and SIGKILL when a program does not end on its own
KILL_AFTER = 2.0
READ_SIZE = 65536


class Stream:
    """An iterator of output chunks (``str``) with ``cancel()`` and ``close()``.

    ``chunks`` is consumed once. ``cancel`` asks whatever produces them to stop early
    (the chunks it still produces follow); ``close`` releases it (called when iteration
    ends or is abandoned)."""

    def __init__(self, chunks: Iterable[str], cancel: Callable[[], None] | None = None,
                 close: Callable[[], None] | None = None):
        self._chunks = iter(chunks)
        self._cancel = cancel
        self._close = close
        self.cancelled = False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        return next(self._chunks)

    def cancel(self) -> None:
        """Stop early (Ctrl-C). Idempotent; safe from other threads and signal handlers."""
        self.cancelled = True
        if self._cancel is not None:
            self._cancel()

    def close(self) -> None:
        """Stop if still running and release what the stream holds (without ``close``:
        the ``cancel`` given, which must be harmless once the chunks have ended)."""
        if self._close is not None:
            self._close()
        elif self._cancel is not None:
            self._cancel()

    def __enter__(self) -> "Stream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def collect(self) -> str:
        """All the chunks as one string (what non-interactive callers see)."""
        with self:
            return "".join(self)

    # -- transforming ---------------------------------------------------------------------
    def derive(self, chunks: Iterable[str]) -> "Stream":
        """A stream of ``chunks`` (computed from this one) that cancels and closes this one."""
        return Stream(chunks, self.cancel, self.close)

    def lines(self) -> Iterator[str]:
        """This stream's text regrouped as lines, each without its ``\\n``; a last line
        without a newline counts as a line."""
        rest = ""
        for chunk in self:
            rest += chunk
            *complete, rest = rest.split("\n")
            yield from complete
        if rest:
            yield rest

    def head(self, count: int) -> "Stream":
        """The first ``count`` lines of this stream; then its source is cancelled and what
        it still gives is dropped (closing the result reads it out and releases it)."""
        return self.derive(self._head(count))

    def _head(self, count: int) -> Iterator[str]:
        left = count
        for chunk in self:
            ends = chunk.count("\n")
            if ends < left:
                left -= ends
                yield chunk
                continue
            cut = -1
            for _ in range(left):
                cut = chunk.index("\n", cut + 1)
            if cut >= 0:
                yield chunk[:cut + 1]
            if self._cancel is not None:    # not cancel(): ``cancelled`` stays the user's Ctrl-C
                self._cancel()
            return

    def prefixed(self, text: str) -> "Stream":
        """The same stream with ``text`` first (a notice printed before the output)."""
        if not text:
            return self
        return self.derive(_chain(text, self))


def _chain(first: str, rest: Iterable[str]) -> Iterator[str]:
    yield first
    yield from rest


def write_stream(stream: Stream, write: Callable[[str], None],
                 cancel: Callable[[], None] | None = None) -> BaseException | None:
    """Write ``stream``'s chunks as they come, in this thread; in the main thread Ctrl-C
    calls ``cancel`` (default ``stream.cancel``). Closes the stream; returns the error it
    ended with (a NosError, or a bug), None when it ended normally."""
    from .interrupts import on_sigint

    with stream, on_sigint(cancel or stream.cancel):
        while True:
            try:
                chunk = next(stream)
            except StopIteration:
                return None
            except Exception as exc:  # noqa: BLE001 - the caller reports it
                return exc
            write(chunk)            # its errors (a closed stdout) are the caller's


def as_error(error: BaseException | None, root: "Path") -> NosError | None:
    """How a stream's end is reported: its NosError as it is, a bug as one line (the
    traceback goes to ROOT/var/log/nos-shell/errors.log)."""
    if error is None or isinstance(error, NosError):
        return error
    from .crashlog import internal_error

    return internal_error(error, root, "streaming output")


def collect(output: "str | Stream") -> str:
    """The text of an output, collected when it is a stream."""
    return output.collect() if isinstance(output, Stream) else output


class ProcessStream(Stream):
    """The output of a program as it runs (stdout and stderr merged, decoded as UTF-8),
    run in ``target``'s router context (None: this process's).

    The program gets a process group of its own, so :meth:`cancel` reaches it and its
    children and a terminal's Ctrl-C does not (the shell decides what Ctrl-C does)."""

    def __init__(self, argv: list[str], *, name: str | None = None, limit: float | None = None,
                 kill_after: float = KILL_AFTER, quiet_limit: bool = False,
                 target: "Target | None" = None):
        self.name = name or argv[0]
        self.limit = limit
        self.quiet_limit = quiet_limit
        self.kill_after = kill_after
        # reentrant: cancel() may run in a signal handler while this thread holds it
        self._lock = threading.RLock()
        self._interrupted = False   # SIGINT sent
        self._expired = False       # ... because ``limit`` passed
        self._exited = False        # no more signals: the program has ended
        self._timers: list[threading.Timer] = []
        self.returncode: int | None = None
        # started by the one runner (nos_shell/host/run.py): in ``target``'s router context
        # (None: as it is), its own process group
        self._proc = spawn(target, argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, process_group=0)
        super().__init__(self._read(), self._interrupt, self._finish)
        if limit is not None:
            self._timer(limit, self._expire)

    def _timer(self, seconds: float, action: Callable[[], None]) -> None:
        timer = threading.Timer(seconds, action)
        timer.daemon = True
        self._timers.append(timer)
        timer.start()

    # -- stopping ------------------------------------------------------------------------
    def _signal(self, number: int) -> None:
        """Signal the program's group, unless the program has ended (once it is reaped its
        id could belong to another process)."""
        with self._lock:
            if self._exited:
                return
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._proc.pid, number)

    def _interrupt(self) -> None:
        """SIGINT now, SIGKILL after ``kill_after`` seconds if it is still running."""
        with self._lock:
            first, self._interrupted = not self._interrupted, True
        if first:
            self._signal(signal.SIGINT)
            self._timer(self.kill_after, lambda: self._signal(signal.SIGKILL))

    def _expire(self) -> None:
        """The limit passed: interrupt (``cancelled`` stays False: nobody pressed Ctrl-C)."""
        self._expired = True
        self._interrupt()

    # -- reading -------------------------------------------------------------------------
    def _read(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        fd = self._proc.stdout.fileno()  # type: ignore[union-attr]
        while True:
            data = os.read(fd, READ_SIZE)
            text = decoder.decode(data, final=not data)
            if text:
                yield text
            if not data:
                break
        self._reap()
        if self._expired and not self.quiet_limit:
            raise NosError(f"{self.name} was stopped after {self.limit:g} seconds")

    def _reap(self) -> None:
        """Wait for the program (it closed its output; SIGKILL bounds a cancelled one)."""
        pid = self._proc.pid
        try:
            os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)     # exited; not yet reaped
        except ChildProcessError:
            pass
        with self._lock:
            self._exited = True
            self.returncode = self._proc.wait()
        for timer in self._timers:
            timer.cancel()

    def _finish(self) -> None:
        """Close: interrupt a program still running, read out and reap it."""
        if not self._exited:
            self.cancel()
            with contextlib.suppress(NosError):
                for _ in self._chunks:
                    pass
            if not self._exited:        # iteration had already stopped half-way
                self._reap()
        if self._proc.stdout is not None:
            self._proc.stdout.close()


def every(seconds: float, render: Callable[[], str], *, limit: float | None = None,
          count: int | None = None) -> Stream:
    """A stream of ``render()``'s text, now and then every ``seconds`` (e.g. `monitor
    interfaces`), until cancelled, ``limit`` seconds have passed or it was shown ``count``
    times. Cancelling (any thread) ends it at once, also during a wait."""
    stop = threading.Event()

    def chunks() -> Iterator[str]:
        deadline = None if limit is None else time.monotonic() + limit
        shown = 0
        while not stop.is_set():
            yield render()
            shown += 1
            if count is not None and shown >= count:
                break
            wait = seconds if deadline is None else min(seconds, deadline - time.monotonic())
            if wait <= 0 or stop.wait(wait):
                break

    return Stream(chunks(), stop.set)


def program(session: "Session", argv: list[str], *, limit: float | None = None,
            name: str | None = None, quiet_limit: bool = False) -> ProcessStream:
    """Start ``argv`` in ``session``'s router context and stream its output (module doc).
    NosError when the program is not installed."""
    try:
        return ProcessStream(argv, name=name, limit=limit, quiet_limit=quiet_limit, target=session.target)
    except FileNotFoundError:
        raise NosError(f"{argv[0]} is not installed on this system") from None
    except OSError as exc:
        raise NosError(f"Cannot run {argv[0]}: {exc.strerror or exc}") from None
