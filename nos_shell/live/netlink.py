"""Netlink access to the router's network namespace (pyroute2, imported only when used).

pyroute2's synchronous API drives an asyncio loop of its own, which fails in a thread that
already runs one (the interactive shell, the SSH server). :func:`read` therefore does the
work in a short-lived thread whenever the calling thread has a running loop.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ..apply.target import Target

T = TypeVar("T")


def _open(target: "Target | None") -> Any:
    """An IPRoute for this namespace, or a NetNS for the target's ``netns``."""
    if target is not None and target.netns:
        from pyroute2 import NetNS

        return NetNS(target.netns)
    from pyroute2 import IPRoute

    return IPRoute()


def _with_handle(target: "Target | None", fn: Callable[[Any], T]) -> T:
    handle = _open(target)
    try:
        return fn(handle)
    finally:
        handle.close()


def read(target: "Target | None", fn: Callable[[Any], T]) -> T:
    """``fn(handle)`` with a netlink handle on the router's namespace; its result."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _with_handle(target, fn)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_with_handle, target, fn).result()
