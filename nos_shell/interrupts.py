"""Where a terminal's Ctrl-C (SIGINT) goes when a shell runs its commands in the main thread.

- While output streams (:func:`on_sigint`), Ctrl-C calls the stream's cancel: the program
  stops, its last words are still shown (nos_shell/streams.py).
- Inside :func:`interruptible` blocks (waiting for input, a command the shell lets Ctrl-C
  abort) it raises KeyboardInterrupt, as Python does by default.
- Anywhere else inside :func:`shell_sigint` (the whole life of a local shell) it is
  ignored, so a Ctrl-C pressed just as a command ends never ends the shell.

Without :func:`shell_sigint` (``nos-shell -c``), Python's default applies outside
:func:`on_sigint` blocks. Signal handlers belong to the main thread: in other threads
these helpers do nothing. SSH sessions never see SIGINT; their Ctrl-C is a byte or a
request, handled by nos_shell/shell/relay.py.
"""
from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator

_cancels: list[Callable[[], None]] = []     # innermost last
_raising = 0
_shells = 0


def _main() -> bool:
    return threading.current_thread() is threading.main_thread()


def _handler(signum: int, frame: object) -> None:
    if _cancels:
        _cancels[-1]()
    elif _raising or not _shells:
        raise KeyboardInterrupt


@contextlib.contextmanager
def _installed() -> Iterator[None]:
    previous = signal.signal(signal.SIGINT, _handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def shell_sigint() -> Iterator[None]:
    """For a local shell's whole run: Ctrl-C never ends it (module doc)."""
    global _shells
    if not _main():
        yield
        return
    with _installed():
        _shells += 1
        try:
            yield
        finally:
            _shells -= 1


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt inside this block."""
    global _raising
    if not _main():
        yield
        return
    _raising += 1
    try:
        yield
    finally:
        _raising -= 1


@contextlib.contextmanager
def on_sigint(cancel: Callable[[], None]) -> Iterator[None]:
    """Ctrl-C calls ``cancel`` (e.g. ``stream.cancel``) inside this block instead of
    raising, so no output is lost."""
    if not _main():
        yield
        return
    with contextlib.ExitStack() as stack:
        if signal.getsignal(signal.SIGINT) is not _handler:
            stack.enter_context(_installed())
        _cancels.append(cancel)
        try:
            yield
        finally:
            _cancels.pop()
