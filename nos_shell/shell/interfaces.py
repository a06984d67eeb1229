"""Interface names of the router's kernel, for completing interface-typed values.

Read through the same netlink opener as the operational views (nos_shell/host/netlink.py):
the router's own network namespace (the target's ``netns`` or exec prefix), and safe in a
thread that runs an event loop (the shell and the SSH server complete there). pyroute2
costs about 140 ms to import, so it is imported on the first completion that needs
interface names (never at start-up) and the answer is kept for a few seconds per
namespace. When pyroute2 is missing or netlink fails, /sys/class/net is read instead (for
this process's own namespace only; a router namespace that cannot be read offers nothing).
"""
from __future__ import annotations

import os
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..apply.target import Target

TTL = 5.0

_lock = threading.Lock()
_cache: dict[str | None, tuple[float, tuple[str, ...]]] = {}


def _from_netlink(target: "Target | None" = None) -> list[str]:
    from ..host.netlink import read

    return read(target, lambda nl: [link.get_attr("IFLA_IFNAME") for link in nl.get_links()])


def _from_sysfs() -> list[str]:
    try:
        return os.listdir("/sys/class/net")
    except OSError:
        return []


def kernel_interfaces(now: float | None = None, target: "Target | None" = None) -> tuple[str, ...]:
    """Names of the network interfaces in ``target``'s namespace (None: this process's),
    sorted; cached for TTL seconds."""
    from ..host.netlink import namespace

    where = namespace(target)
    now = time.monotonic() if now is None else now
    with _lock:
        cached = _cache.get(where)
        if cached is not None and now - cached[0] < TTL:
            return cached[1]
        try:
            names = _from_netlink(target)
        except Exception:  # noqa: BLE001 - no pyroute2, no netlink: fall back to sysfs
            names = _from_sysfs() if where is None else []
        _cache[where] = (now, tuple(sorted(n for n in names if n)))
        return _cache[where][1]


def forget() -> None:
    """Drop the cached names (tests)."""
    with _lock:
        _cache.clear()
