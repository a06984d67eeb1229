"""Netlink access to the router's network namespace (pyroute2, imported only when used)."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..apply.target import Target


@contextlib.contextmanager
def netlink(target: "Target | None") -> Iterator[Any]:
    """An IPRoute for this namespace, or a NetNS for the target's ``netns``."""
    if target is not None and target.netns:
        from pyroute2 import NetNS

        handle = NetNS(target.netns)
    else:
        from pyroute2 import IPRoute

        handle = IPRoute()
    try:
        yield handle
    finally:
        handle.close()
