"""Password guesses per source address: a token bucket for each.

Every password attempt takes a token from its source's bucket before the hash is computed
(so parallel connections cannot all slip through at once); a correct password gives it
back. An empty bucket refuses the source's password attempts, right or wrong, without
computing anything, until a token has grown back. Other sources are never affected.

IPv6 sources count per /64 (one host usually holds a whole /64). The table is bounded:
past :attr:`LoginThrottle.max_sources` entries the buckets that are full again go; when
none is, a new source shares one bucket with every other source the table cannot hold.
(Dropping a bucket that is not full would hand its source a fresh allowance: a client
cycling through more addresses than the table holds guessed without limit.)
"""
from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class LoginThrottle:
    """``burst`` attempts at once, then one more every ``refill_seconds``."""

    def __init__(self, burst: int = 10, refill_seconds: float = 6.0, max_sources: int = 4096,
                 clock: Callable[[], float] = time.monotonic):
        self.burst = burst
        self.refill_seconds = refill_seconds
        self.max_sources = max_sources
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}
        # shared by the sources the table has no room for
        self._overflow = _Bucket(float(burst), clock())

    @staticmethod
    def source(address: str) -> str:
        """The key an address counts under: itself (IPv4), its /64 (IPv6)."""
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return address
        if isinstance(ip, ipaddress.IPv6Address):
            if ip.ipv4_mapped is not None:
                return str(ip.ipv4_mapped)
            return str(ipaddress.ip_network(f"{ip}/64", strict=False))
        return str(ip)

    def _bucket(self, key: str) -> _Bucket:
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            self._prune(now)
            if len(self._buckets) < self.max_sources:
                self._buckets[key] = _Bucket(float(self.burst), now)
                return self._buckets[key]
            bucket = self._overflow
        grown = (now - bucket.stamp) / self.refill_seconds
        bucket.tokens, bucket.stamp = min(float(self.burst), bucket.tokens + grown), now
        return bucket

    def take(self, address: str) -> bool:
        """Reserve one attempt for ``address``; False when its bucket is empty."""
        bucket = self._bucket(self.source(address))
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True

    def give_back(self, address: str) -> None:
        """The attempt succeeded: it does not count against the source."""
        bucket = self._bucket(self.source(address))
        bucket.tokens = min(float(self.burst), bucket.tokens + 1)

    def _prune(self, now: float) -> None:
        """Drop the buckets that have grown full again (never one that is not)."""
        if len(self._buckets) < self.max_sources:
            return
        full = [key for key, b in self._buckets.items()
                if b.tokens + (now - b.stamp) / self.refill_seconds >= self.burst]
        for key in full:
            del self._buckets[key]
