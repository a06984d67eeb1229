"""Interface names of the running kernel, for completing interface-typed values.

pyroute2 costs about 140 ms to import, so it is imported on the first completion that
needs interface names (never at start-up) and the answer is kept for a few seconds.
When pyroute2 is missing or netlink fails, /sys/class/net is read instead.
"""
from __future__ import annotations

import os
import threading
import time

TTL = 5.0

_lock = threading.Lock()
_cache: tuple[float, tuple[str, ...]] | None = None


def _from_netlink() -> list[str]:
    from pyroute2 import IPRoute

    with IPRoute() as ipr:
        return [link.get_attr("IFLA_IFNAME") for link in ipr.get_links()]


def _from_sysfs() -> list[str]:
    try:
        return os.listdir("/sys/class/net")
    except OSError:
        return []


def kernel_interfaces(now: float | None = None) -> tuple[str, ...]:
    """Names of the kernel's network interfaces, sorted; cached for TTL seconds."""
    global _cache
    now = time.monotonic() if now is None else now
    with _lock:
        if _cache is not None and now - _cache[0] < TTL:
            return _cache[1]
        try:
            names = _from_netlink()
        except Exception:  # noqa: BLE001 - no pyroute2, no netlink: fall back to sysfs
            names = _from_sysfs()
        _cache = (now, tuple(sorted(n for n in names if n)))
        return _cache[1]


def forget() -> None:
    """Drop the cached names (tests)."""
    global _cache
    with _lock:
        _cache = None
