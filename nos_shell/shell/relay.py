"""Streams on an event loop: a command's output written as it comes, Ctrl-C read meanwhile.

The SSH server and the full-screen shell over SSH run on one event loop with many
sessions, so a stream (nos_shell/streams.py) is read in a worker thread and its chunks
are written on the loop (:func:`relay`), with back-pressure: the worker reads ahead at
most :data:`WINDOW` chunks of a client that does not read.

:class:`ChannelInput` reads an SSH channel all the time: while a command runs, Ctrl-C
(a ``\\x03`` byte, a ``break`` request or a ``signal`` request) interrupts it at once, and
every other byte is kept, in order, for the next prompt.
"""
from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from ..streams import Stream

#: chunks read ahead of what the client has taken
WINDOW = 8
#: input read ahead of the session (typed while a command runs, or sent faster than it is
#: handled); past this the channel is not read, so SSH flow control holds the client back
MAX_HELD_INPUT = 1 << 20

_END = object()


async def relay(stream: Stream, send: Callable[[str], Awaitable[None]],
                in_worker: Callable[[Callable[[], None]], Awaitable[Any]]) -> BaseException | None:
    """Write ``stream``'s chunks with ``send`` as they come; ``in_worker(fn)`` runs the
    blocking reads. Returns the error the stream ended with (None: it just ended). If
    sending fails or this task is cancelled, the stream is cancelled and closed."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[object] = asyncio.Queue()
    room = threading.Semaphore(WINDOW)
    abandoned = threading.Event()

    def post(item: object) -> None:
        with contextlib.suppress(RuntimeError):       # the loop is gone
            loop.call_soon_threadsafe(queue.put_nowait, item)

    def produce() -> None:
        try:
            with stream:
                for chunk in stream:
                    room.acquire()
                    if abandoned.is_set():
                        break
                    post(chunk)
        except Exception as exc:  # noqa: BLE001 - reported by the consumer
            post(exc)
        finally:
            post(_END)

    def not_run(work: asyncio.Future) -> None:
        """The worker could not run ``produce`` (e.g. the server is stopping)."""
        problem = None if work.cancelled() else work.exception()
        if work.cancelled() or problem is not None:
            stream.cancel()
            queue.put_nowait(problem or RuntimeError("the command was stopped"))
            queue.put_nowait(_END)

    work = asyncio.ensure_future(in_worker(produce))
    work.add_done_callback(not_run)
    error: BaseException | None = None
    ended = False
    try:
        while True:
            item = await queue.get()
            if item is _END:
                ended = True
                break
            if isinstance(item, BaseException):
                error = item
                continue
            await send(item)  # type: ignore[arg-type]
            room.release()
    finally:
        if not ended:
            abandoned.set()
            stream.cancel()
            room.release(WINDOW + 1)
    with contextlib.suppress(Exception):
        await work
    return error


class ChannelInput:
    """Reads an asyncssh process's stdin into a queue, so the session can take input in
    turn while Ctrl-C reaches a running command at once (module doc).

    Set :attr:`busy` while a command runs; ``interrupt`` is then called for Ctrl-C, and
    also when the channel closes (the client went away)."""

    def __init__(self, process: Any, interrupt: Callable[[], None], *, ctrl_c: bool = True,
                 limit: int | None = None):
        self.process = process
        # how much input may wait unread before the channel is no longer read (SSH flow
        # control then holds the client back); an exec request, which reads no input, keeps
        # only a little, so its unread input stays within the channel's window
        self.limit = MAX_HELD_INPUT if limit is None else limit
        self.interrupt = interrupt
        self.ctrl_c = ctrl_c        # a \x03 byte interrupts (with a PTY; not for exec without one)
        self.busy = False
        self.queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._held = 0
        self._drained = asyncio.Event()     # set when the held input fell below the limit
        if hasattr(process, "on_interrupt"):     # break and signal requests (channels.py)
            process.on_interrupt = self._requested
        self._task = asyncio.ensure_future(self._read())

    def _requested(self) -> None:
        if self.busy:
            self.interrupt()

    async def get(self) -> bytes | None:
        """The next input; None at the end of input."""
        data = await self.queue.get()
        if data:
            self._held -= len(data)
            if self._held <= self.limit:
                self._drained.set()
        return data

    def close(self) -> None:
        if getattr(self.process, "on_interrupt", None) == self._requested:
            self.process.on_interrupt = None
        self._task.cancel()

    async def _read(self) -> None:
        import asyncssh

        while True:
            try:
                data = await self.process.stdin.read(min(65536, max(self.limit, 1)))
            except (asyncssh.BreakReceived, asyncssh.SignalReceived):
                if self.busy:
                    self.interrupt()
                continue
            except asyncssh.TerminalSizeChanged:
                continue
            except (asyncssh.Error, ConnectionError):
                data = b""
            if not data:
                self.queue.put_nowait(None)
                break
            if isinstance(data, str):
                data = data.encode()
            if self.busy and self.ctrl_c and b"\x03" in data:
                self.interrupt()
                data = data.replace(b"\x03", b"")
            if not data:
                continue
            self._held += len(data)
            self.queue.put_nowait(data)
            while self._held > self.limit:
                # far ahead of the session: stop reading until it catches up, so SSH flow
                # control holds the client back (dropping input could lose a line's end)
                self._drained.clear()
                await self._drained.wait()
        # end of input is not the end of the session (`echo cmd | ssh HOST`); the channel
        # closing is: a command still running is stopped
        with contextlib.suppress(Exception):
            await self.process.channel.wait_closed()
        if self.busy:
            self.interrupt()
