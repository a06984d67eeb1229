"""Running gobgpd for the apply layer: check, start, reload, restart, stop, announcements, installer.

Every program runs through ``ctx.run`` (the target's exec prefix), never directly; that
includes signals (``kill -HUP PID``) and looking at a process (``cat /proc/PID/cmdline``).
Paths under the target's root (the router's view of the file system is the same):

- configuration ``ROOT/etc/gobgp/gobgpd.toml``;
- pid files ``ROOT/run/nos-shell/gobgpd.pid`` and ``ROOT/run/nos-shell/gobgp-routes.pid``;
- logs ``ROOT/var/log/nos-shell/gobgpd.log`` and ``ROOT/var/log/nos-shell/gobgp-routes.log``;
- the API address: the target's ``gobgp-api`` (default ``127.0.0.1:50051``).

:func:`reload` (called while GoBGP is the chosen BGP driver; the apply layer has already
stopped the other one, so port 179 is free) makes gobgpd follow the committed tree:

1. gobgpd not running: start it (``gobgpd -f CONF -p --api-hosts API --pprof-disable``,
   detached by :mod:`nos_shell.live.daemon`) and wait for its API.
   Running with another AS or router id than the file's (GoBGP ignores changes under
   ``[global.config]`` on reload): restart it, and say so in the commit output, since
   that resets every session. Otherwise, when the file changed: SIGHUP, which adds,
   removes and updates neighbors without touching the others.
2. Announcements: the locally originated paths in gobgpd's RIB (``gobgp global rib -j``,
   paths without ``neighbor-ip``) are made equal to :func:`.compiler.announcements`
   with ``gobgp global rib add|del``, each with its MED (:func:`.compiler.meds`, from
   `redistribute ... metric`). Added without a next hop (0.0.0.0 / ::), GoBGP sends
   them with the session's local address as next hop, which is what the peer needs.
3. The route installer (:mod:`.routes`) is started if it does not run.

:func:`stop_all` (the driver's ``stop``, when GoBGP stopped being the chosen driver) stops
the route installer (it removes the routes it installed), stops gobgpd, and flushes any
kernel route of protocol 186 left behind.
"""
from __future__ import annotations

import json
import sys
import time

from nos_shell.errors import CommitError
from nos_shell.models import bgp as bgp_model

from ..contract import Context, Staged
from .compiler import CONF, announcements, meds

PIDFILE = "run/nos-shell/gobgpd.pid"
LOGFILE = "var/log/nos-shell/gobgpd.log"
ROUTES_PIDFILE = "run/nos-shell/gobgp-routes.pid"
ROUTES_LOGFILE = "var/log/nos-shell/gobgp-routes.log"
ROUTES_MODULE = "nos_shell.backends.gobgp.routes"
ROUTE_PROTO = "186"
AFI = {"ipv4-unicast": "ipv4", "ipv6-unicast": "ipv6"}


def checks(staged: Staged) -> list[list[str]]:
    """gobgpd's dry run on the new file (run in the router's namespace, like the daemon)."""
    return [["gobgpd", "-d", "-p", "-f", str(staged[CONF])]] if CONF in staged else []


API_KEY = "gobgp-api"
API = "127.0.0.1:50051"
"""gobgpd's gRPC address, unless the target's apply.toml sets ``gobgp-api``."""


def api(target) -> str:
    return target.setting(API_KEY, API)


def api_host_port(target) -> tuple[str, str]:
    host, _, port = api(target).rpartition(":")
    return host.strip("[]") or "127.0.0.1", port or "50051"


def gobgp(target, *args: str) -> tuple[str, ...]:
    """The gobgp CLI command line for the target's API."""
    host, port = api_host_port(target)
    return ("gobgp", "-u", host, "-p", port, *args)


# -- processes ----------------------------------------------------------------------------
def _pid(ctx, pidfile: str, marker: str) -> str | None:
    """The pid in ``pidfile`` if that process still runs ``marker`` (its command line)."""
    try:
        pid = ctx.file(pidfile).read_text().strip()
    except OSError:
        return None
    if not pid.isdigit():
        return None
    try:
        result = ctx.run("cat", f"/proc/{pid}/cmdline", check=False, timeout=10)
    except CommitError:
        return None
    return pid if result.returncode == 0 and marker in result.stdout else None


def _gone(ctx, pid: str, marker: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        result = ctx.run("cat", f"/proc/{pid}/cmdline", check=False, timeout=10)
        if result.returncode != 0 or marker not in result.stdout:   # exited (or a zombie)
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def _stop(ctx, pidfile: str, marker: str) -> bool:
    """SIGTERM, then SIGKILL after 10 s; True when something was running."""
    pid = _pid(ctx, pidfile, marker)
    if pid is None:
        return False
    ctx.run("kill", "-TERM", pid, check=False)
    if not _gone(ctx, pid, marker, 10):
        ctx.run("kill", "-KILL", pid, check=False)
        _gone(ctx, pid, marker, 5)
    return True


def _detached(ctx, pidfile: str, logfile: str, *argv: str) -> None:
    ctx.run(sys.executable, "-m", "nos_shell.live.daemon", "--pidfile", str(ctx.file(pidfile)),
            "--log", str(ctx.file(logfile)), "--", *argv)


def gobgpd_pid(ctx) -> str | None:
    return _pid(ctx, PIDFILE, "gobgpd")


def _global(ctx) -> dict | None:
    """gobgpd's ``global -j`` (AS, router id), or None while its API does not answer."""
    try:
        result = ctx.run(*gobgp(ctx.target, "global", "-j"), check=False, timeout=10)
    except CommitError:
        return None
    if result.returncode != 0:
        return None
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        return None


def start_gobgpd(ctx) -> None:
    _detached(ctx, PIDFILE, LOGFILE, "gobgpd", "-f", str(ctx.file(CONF)), "-p",
              "--api-hosts", api(ctx.target), "--pprof-disable")
    deadline = time.monotonic() + 15
    while _global(ctx) is None:
        if gobgpd_pid(ctx) is None:
            raise CommitError("gobgpd exited at start", *_log_tail(ctx, LOGFILE))
        if time.monotonic() > deadline:
            raise CommitError(f"gobgpd does not answer on {api(ctx.target)}", *_log_tail(ctx, LOGFILE))
        time.sleep(0.1)


def _log_tail(ctx, logfile: str) -> list[str]:
    try:
        return ctx.file(logfile).read_text(errors="replace").splitlines()[-3:]
    except OSError:
        return []


def stop_all(ctx) -> None:
    """Stop the route installer and gobgpd; no route of protocol 186 stays behind."""
    installer = _stop(ctx, ROUTES_PIDFILE, ROUTES_MODULE)
    daemon = _stop(ctx, PIDFILE, "gobgpd")
    if installer or daemon:
        for family in ("-4", "-6"):
            ctx.run("ip", family, "route", "flush", "proto", ROUTE_PROTO, check=False)
    if daemon:
        ctx.notes.append("BGP: stopped gobgpd")


def ensure_installer(ctx) -> None:
    if _pid(ctx, ROUTES_PIDFILE, ROUTES_MODULE) is None:
        _detached(ctx, ROUTES_PIDFILE, ROUTES_LOGFILE, sys.executable, "-m", ROUTES_MODULE,
                  "--api", api(ctx.target), "--gobgp", "gobgp")


# -- announcements ------------------------------------------------------------------------
def local_paths(ctx, family: str) -> dict[str, int | None]:
    """The paths gobgpd originates itself (no ``neighbor-ip``): prefix -> MED (None: none)."""
    result = ctx.run(*gobgp(ctx.target, "global", "rib", "-a", AFI[family], "-j"))
    rib = json.loads(result.stdout or "{}")
    out: dict[str, int | None] = {}
    for prefix, paths in rib.items():
        for path in paths:
            if not path.get("neighbor-ip"):
                out[bgp_model.normalise_prefix(prefix)] = next(
                    (a.get("metric") for a in path.get("attrs", []) if a.get("type") == 4), None)
    return out


def sync_announcements(ctx) -> None:
    """Make gobgpd's own paths the tree's announcements, each with its MED (a path whose
    MED changed is added again, which replaces it)."""
    wanted, med = announcements(ctx.new), meds(ctx.new)
    for family, prefixes in wanted.items():
        want = {bgp_model.normalise_prefix(p): med[family].get(p) for p in prefixes}
        have = local_paths(ctx, family)
        for prefix in sorted(set(have) - set(want), key=bgp_model.prefix_sort_key):
            ctx.run(*gobgp(ctx.target, "global", "rib", "del", "-a", AFI[family], prefix))
        for prefix in sorted(want, key=bgp_model.prefix_sort_key):
            if prefix not in have or have[prefix] != want[prefix]:
                extra = ("med", str(want[prefix])) if want[prefix] is not None else ()
                ctx.run(*gobgp(ctx.target, "global", "rib", "add", "-a", AFI[family], prefix,
                               "origin", "igp", *extra))


# -- reload -------------------------------------------------------------------------------
def reload(ctx: Context) -> None:
    """Start, reload (SIGHUP) or restart gobgpd; announcements; installer (module docstring)."""
    bgp = bgp_model.view(ctx.new)
    pid = gobgpd_pid(ctx)
    if pid is not None:
        now = _global(ctx)
        if now is not None and (now.get("asn") != bgp.system_as or now.get("router_id") != bgp.router_id):
            _stop(ctx, PIDFILE, "gobgpd")
            pid = None
            ctx.notes.append(f"BGP: restarted gobgpd for the new AS/router id ({bgp.system_as}, "
                             f"{bgp.router_id}): GoBGP cannot change them live, all sessions were reset")
    if pid is None:
        start_gobgpd(ctx)
        if not any("gobgpd" in note for note in ctx.notes):
            ctx.notes.append("BGP: started gobgpd")
    elif CONF in ctx.changed:
        ctx.run("kill", "-HUP", pid)
    sync_announcements(ctx)
    ensure_installer(ctx)
