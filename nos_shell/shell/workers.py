"""The SSH server's worker threads: nothing slow ever runs on the event loop.

- commands run in a bounded pool, and one user holds at most ``per_user`` of its threads
  at a time (further commands of that user wait their turn; other users' do not);
- password hashes are computed in a pool of their own, so a queue of commands never
  delays a login, nor a queue of logins a command;
- :meth:`Workers.stop` gives running commands a grace period and then lets the process
  go without them (SIGTERM stops the server promptly, whatever a command does).
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class Workers:
    def __init__(self, commands: int = 16, per_user: int = 4, logins: int = 2):
        self.per_user = per_user
        self._commands = concurrent.futures.ThreadPoolExecutor(commands, "nos-command")
        self._logins = concurrent.futures.ThreadPoolExecutor(logins, "nos-login")
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._busy = 0
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()

    async def command(self, user: str, func: Callable[..., T], *args) -> T:
        """``func(*args)`` in the command pool, within ``user``'s share of it."""
        slot = self._slots.setdefault(user, asyncio.Semaphore(self.per_user))
        async with slot:
            return await asyncio.get_running_loop().run_in_executor(
                self._commands, self._counted, func, *args)

    async def login(self, func: Callable[..., T], *args) -> T:
        """``func(*args)`` (a password check) in the login pool."""
        return await asyncio.get_running_loop().run_in_executor(self._logins, func, *args)

    def _counted(self, func: Callable[..., T], *args) -> T:
        with self._lock:
            self._busy += 1
            self._idle.clear()
        try:
            return func(*args)
        finally:
            with self._lock:
                self._busy -= 1
                if not self._busy:
                    self._idle.set()

    @property
    def busy(self) -> int:
        """Commands running right now."""
        return self._busy

    def stop(self, grace: float) -> bool:
        """Take no more work; wait up to ``grace`` seconds for running commands.
        True when none is left running (else the caller should exit without them)."""
        self._commands.shutdown(wait=False, cancel_futures=True)
        self._logins.shutdown(wait=False, cancel_futures=True)
        return self._idle.wait(grace)
