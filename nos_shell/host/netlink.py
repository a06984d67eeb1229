"""The one netlink opener: pyroute2 handles on the router's network namespace.

Every pyroute2 user in nos-shell (`show interfaces`, `show ip route`, `show arp`,
interface-name completion, the GoBGP route installer) opens its handle here, so they all
look at the same namespace: the target's ``netns`` setting, else the one its exec prefix
enters (``ip netns exec NS``, ``nsenter -t PID -n``), else this process's own (``target``
None: a helper already started inside the router's context). A namespace that does not
exist is an error (``FileNotFoundError``), never created. pyroute2 costs about 140 ms to
import, so it is imported here, on first use, never at start-up.

pyroute2's synchronous API drives an asyncio loop of its own, which fails in a thread that
already runs one (the interactive shell, the SSH server): constructing it there leaves an
un-awaited coroutine behind (a ``RuntimeWarning`` on the user's terminal). :func:`read`
therefore does the work in a short-lived thread whenever the calling thread has a running
loop.
"""
from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ..apply.target import Target

T = TypeVar("T")


def namespace(target: "Target | None") -> str | None:
    """The network namespace (name or path) the target's programs run in; None: our own."""
    if target is None:
        return None
    if target.netns:
        return target.netns
    return namespace_of_prefix(target.exec_prefix)


def namespace_of_prefix(prefix: Sequence[str]) -> str | None:
    """The namespace an exec prefix enters: ``ip netns exec NS`` -> NS,
    ``nsenter -t PID -n`` -> /proc/PID/ns/net, ``nsenter --net=PATH`` -> PATH."""
    words = list(prefix)
    if len(words) >= 4 and os.path.basename(words[0]) == "ip" and words[1:3] == ["netns", "exec"]:
        return words[3]
    if not words or os.path.basename(words[0]) != "nsenter":
        return None
    pid, net, rest = None, None, words[1:]
    for number, word in enumerate(rest):
        if word.startswith("--net="):
            net = word.split("=", 1)[1]
        elif word.startswith("--target="):
            pid = word.split("=", 1)[1]
        elif word in ("-t", "--target") and number + 1 < len(rest):
            pid = rest[number + 1]
        elif word == "--net" or (word.startswith("-") and not word.startswith("--") and "n" in word[1:]
                                 and not word.startswith("-t")):
            net = net or ""
        elif not word.startswith("-") and (number == 0 or rest[number - 1] not in ("-t", "--target")):
            break                   # the program nsenter runs: its options are not nsenter's
    if net:
        return net
    if net == "" and pid:
        return f"/proc/{pid}/ns/net"
    return None


def open_handle(target: "Target | None") -> Any:
    """A pyroute2 ``IPRoute`` on the router's namespace (never creating one); the caller
    closes it. In a thread that runs an event loop use :func:`read` instead."""
    from pyroute2 import IPRoute

    where = namespace(target)
    if where is None:
        return IPRoute()
    return IPRoute(netns=where, flags=0)


def _with_handle(target: "Target | None", fn: Callable[[Any], T]) -> T:
    handle = open_handle(target)
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
