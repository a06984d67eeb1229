"""How many connections the SSH server keeps at once, so that none can use up its file
descriptors (a service gets 1024 by default) and lock everyone else out.

- Not logged in yet: each holds a socket for up to the login timeout. At most
  :data:`PER_SOURCE` from one source (counted as :meth:`LoginThrottle.source` counts
  them) and :data:`UNAUTHENTICATED` in all, as OpenSSH's PerSourceMaxStartups and
  MaxStartups do; one client opening ~1000 idle TCP connections locked everyone out.
- Logged in: at most :data:`PER_USER` connections of one user name at once; an operator
  who opened 500 connections locked the administrators out.

A connection past a limit is closed at once.
"""
from __future__ import annotations

from collections import Counter

PER_SOURCE = 16
UNAUTHENTICATED = 256
PER_USER = 32


class Slots:
    """Counts of open things per key (a source, a user), and in all."""

    def __init__(self, per_key: int, total: int):
        self.per_key = per_key
        self.total = total
        self._counts: Counter[str] = Counter()

    def open(self, key: str) -> bool:
        """One more for ``key``: True (counted) when it may stay."""
        if self._counts[key] >= self.per_key or sum(self._counts.values()) >= self.total:
            return False
        self._counts[key] += 1
        return True

    def done(self, key: str) -> None:
        """A counted one ended."""
        self._counts[key] -= 1
        if self._counts[key] <= 0:
            del self._counts[key]

    @property
    def count(self) -> int:
        return sum(self._counts.values())


def unauthenticated() -> Slots:
    return Slots(PER_SOURCE, UNAUTHENTICATED)


def logged_in() -> Slots:
    return Slots(PER_USER, 1 << 30)
