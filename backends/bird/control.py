"""Running BIRD for the apply layer: check, start, reconfigure live, stop.

Every program runs through ``ctx.run`` (the target's exec prefix: the router's network and
mount namespaces), never directly. Paths:

- configuration: ``ctx.file(compiler.CONF)`` (``ROOT/etc/bird/bird.conf``);
- control socket: the target's ``bird-socket`` (default ``/run/bird/bird.ctl``);
- pid file: next to the socket, ``.pid`` instead of ``.ctl``.

:func:`reload` (called while BIRD is the chosen BGP driver) starts BIRD if it does not
answer on its socket (``bird -c CONF -s SOCK -P PIDFILE``, which daemonizes after
parsing), else, when the file changed, runs ``birdc configure check "CONF"`` then
``birdc configure "CONF"``. BIRD keeps every session whose protocol did not change
(protocols are named after the neighbor address), so adding a neighbor or a network
resets nothing else. When `parameters distance` changed, the kernel protocols are disabled
around the reconfiguration and enabled again: the kernel metric is part of a kernel
route's identity, so BIRD would add the routes at the new metric and leave those at the
old one; disabled, it removes them, and enabled, it installs them again.

:func:`stop` (called by the apply layer when BIRD stopped being the chosen driver: backend
switched to gobgp, or BGP deleted) runs ``birdc down`` when BIRD answers, and waits until
it is gone (its kernel protocols remove the routes they installed). The apply layer stops
the other BGP driver before this one starts, so port 179 is free; no driver knows another.
"""
from __future__ import annotations

import time
from pathlib import PurePosixPath

from nos_shell.errors import CommitError
from nos_shell.models import bgp as bgp_model

from ..contract import Context, Staged
from .compiler import CONF, SUFFIX

KERNELS = tuple(f"kernel{sfx}" for sfx in SUFFIX.values())


def checks(staged: Staged) -> list[list[str]]:
    """BIRD's own parser on the new file (``bird -p``: parse only)."""
    return [["bird", "-p", "-c", str(staged[CONF])]] if CONF in staged else []


SOCKET_KEY = "bird-socket"
SOCKET = "/run/bird/bird.ctl"
"""BIRD's control socket, unless the target's apply.toml sets ``bird-socket``."""


def socket_path(target) -> str:
    return target.setting(SOCKET_KEY, SOCKET)


def pid_path(target) -> str:
    return str(PurePosixPath(socket_path(target)).with_suffix(".pid"))


def birdc(target, *args: str) -> tuple[str, ...]:
    """The birdc command line for the target's control socket."""
    return ("birdc", "-s", socket_path(target), *args)


def _conf(ctx) -> str:
    path = str(ctx.file(CONF))
    if '"' in path:
        raise CommitError(f"{path}: BIRD cannot be given a file name containing a double quote")
    return path


def running(ctx) -> bool:
    """BIRD answers on the control socket."""
    try:
        return ctx.run(*birdc(ctx.target, "show", "status"), check=False, timeout=10).returncode == 0
    except CommitError:          # birdc missing or hanging
        return False


def _wait(ctx, up: bool, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if running(ctx) == up:
            return True
        time.sleep(0.05)
    return running(ctx) == up


def start(ctx) -> None:
    sock = socket_path(ctx.target)
    ctx.run("mkdir", "-p", str(PurePosixPath(sock).parent))
    ctx.run("bird", "-c", _conf(ctx), "-s", sock, "-P", pid_path(ctx.target))
    if not _wait(ctx, True, 10):
        raise CommitError(f"BIRD was started but does not answer on {sock}")
    ctx.notes.append("BGP: started BIRD")


def configure(ctx) -> None:
    """Check the new file with the running daemon, then switch to it (sessions kept); the
    kernel protocols disabled meanwhile when the distances changed (module docstring)."""
    conf = f'"{_conf(ctx)}"'
    ctx.run(*birdc(ctx.target, "configure", "check", conf))
    moved = bgp_model.view(ctx.old).params.distance != bgp_model.view(ctx.new).params.distance
    kernels = KERNELS if moved else ()
    for name in kernels:
        ctx.run(*birdc(ctx.target, "disable", name))
    try:
        ctx.run(*birdc(ctx.target, "configure", conf))
    finally:
        for name in kernels:
            ctx.run(*birdc(ctx.target, "enable", name), check=False)


def stop(ctx) -> None:
    if not running(ctx):
        return
    ctx.run(*birdc(ctx.target, "down"), check=False)
    if not _wait(ctx, False, 15):
        raise CommitError(f"BIRD did not stop after 'birdc -s {socket_path(ctx.target)} down'")
    ctx.notes.append("BGP: stopped BIRD")


def reload(ctx: Context) -> None:
    """Start BIRD, or switch a running one to the new file (see the module docstring)."""
    if not running(ctx):
        start(ctx)
    elif CONF in ctx.changed:
        configure(ctx)
