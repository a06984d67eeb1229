"""Connections that have not logged in yet: how many the SSH server keeps at once.

Each one holds a socket (a file descriptor) for up to the login timeout. Unbounded, one
client opening ~1000 idle TCP connections used every descriptor a service gets by
default, and nobody else could connect. As OpenSSH's MaxStartups and
PerSourceMaxStartups do, a connection past :attr:`Startups.per_source` unauthenticated
ones from its source (counted as :meth:`LoginThrottle.source` counts them), or past
:attr:`Startups.total` in all, is closed at once. Logged-in sessions are not counted.
"""
from __future__ import annotations

from collections import Counter


class Startups:
    """Counts of unauthenticated connections, per source and in all."""

    def __init__(self, per_source: int = 16, total: int = 256):
        self.per_source = per_source
        self.total = total
        self._counts: Counter[str] = Counter()

    def open(self, source: str) -> bool:
        """A connection from ``source`` arrived: True (counted) when it may stay."""
        if self._counts[source] >= self.per_source or sum(self._counts.values()) >= self.total:
            return False
        self._counts[source] += 1
        return True

    def done(self, source: str) -> None:
        """A counted connection logged in or went away."""
        self._counts[source] -= 1
        if self._counts[source] <= 0:
            del self._counts[source]

    @property
    def pending(self) -> int:
        return sum(self._counts.values())
