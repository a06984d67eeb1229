"""Install the routes gobgpd learned into the kernel: ``python -m nos_shell.backends.gobgp.routes``.

GoBGP has no kernel protocol (BIRD's ``protocol kernel``); this small process plays that
part. The apply layer starts it next to gobgpd, in the router's context, and stops it with
SIGTERM when GoBGP stops running BGP.

What it does:

- The best path of every prefix, when it was learned from a peer (locally originated
  announcements are never installed, as with BIRD's ``export where source = RTS_BGP``),
  becomes a kernel route ``PREFIX via NEXTHOP proto bgp metric 32`` in the main table
  (protocol number 186, "bgp" in iproute2's rt_protos; metric 32 like BIRD's kernel
  routes). The protocol number is how it finds its own routes again: it never changes a
  route of another protocol. A route the kernel refuses (next hop not on a connected
  network: GoBGP does not resolve next hops recursively) is logged and skipped.
- Following changes: ``gobgp monitor global rib -a FAMILY -j`` streams best-path changes
  (one JSON list per line), one monitor per family, each read by a thread into one queue;
  the main thread blocks on that queue (no polling). A new best path from a peer replaces
  the kernel route, a withdrawal or a locally originated best path removes it.
- Stale routes: whenever it (re)connects to gobgpd -- at start, and after gobgpd
  restarted (a monitor ends) -- it reads the whole RIB (``gobgp global rib -j``) and
  makes the kernel's proto-186 routes equal to it, so routes left by an earlier run, or
  changed while it was not connected, are corrected. The monitors are started before that
  read, so no change falls between the two (replaying an event is harmless).
- On SIGTERM or SIGINT it removes every route it owns and exits.

It runs inside the router's context already (started through the target's exec prefix),
so it runs ``gobgp`` through :func:`nos_shell.host.run.run` with a target that adds no
prefix. It logs one line per change to stderr (the daemon helper sends that to a log file).
Limitations: one next hop per prefix (no ECMP), main table only, whole-RIB reads at
(re)connection (fine for lab and edge tables, slow for a full Internet table).
"""
from __future__ import annotations

import argparse
import ipaddress
import json
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from nos_shell.apply.target import Target
from nos_shell.errors import NosError
from nos_shell.host.run import run, spawn

PROTO = 186          # RTPROT "bgp" in /etc/iproute2/rt_protos
METRIC = 32          # BIRD's default kernel route metric
FAMILIES = {"ipv4": socket.AF_INET, "ipv6": socket.AF_INET6}
RETRY = 1.0          # seconds between attempts to reach gobgpd
HERE = Target(Path("/"))    # this process already runs in the router's context: no prefix


class Stop(Exception):
    """SIGTERM/SIGINT: remove our routes and exit."""


def log(message: str) -> None:
    print(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {message}", file=sys.stderr, flush=True)


# -- reading gobgp's JSON ---------------------------------------------------------------
def next_hop(path: dict) -> str | None:
    """The next hop of a path (NEXT_HOP for IPv4, MP_REACH_NLRI's for IPv6)."""
    for attr in path.get("attrs", ()):
        if attr.get("type") in (3, 14):
            hop = attr.get("nexthop") or (attr.get("nexthops") or [None])[0]
            if hop:
                return hop
    return None


def learned_next_hop(path: dict) -> str | None:
    """The next hop to install for a best path, or None when it must not be installed
    (locally originated: no ``neighbor-ip``; or an unusable next hop)."""
    if path.get("withdrawal") or not path.get("neighbor-ip"):
        return None
    hop = next_hop(path)
    try:
        ip = ipaddress.ip_address(hop) if hop else None
    except ValueError:
        return None
    if ip is None or ip.is_unspecified:
        return None
    return ip.compressed


def wanted_from_rib(rib: dict) -> dict[str, str]:
    """prefix -> next hop, from ``gobgp global rib -j`` (prefix -> list of paths)."""
    out: dict[str, str] = {}
    for prefix, paths in rib.items():
        best = next((p for p in paths if p.get("best")), None)
        hop = learned_next_hop(best) if best else None
        if hop is not None:
            out[_norm(prefix)] = hop
    return out


def _norm(prefix: str) -> str:
    return ipaddress.ip_network(prefix, strict=False).compressed


# -- the kernel side -------------------------------------------------------------------------
class Kernel:
    """This router's main routing table, restricted to routes with our protocol number."""

    def __init__(self, proto: int = PROTO, metric: int = METRIC):
        from nos_shell.host.netlink import open_handle   # pyroute2: 140 ms, only in this process

        self.ipr = open_handle(None)      # this process runs in the router's namespace
        self.proto, self.metric = proto, metric
        self.routes: dict[str, str] = {}     # prefix -> next hop, what we installed

    def read(self) -> dict[str, str]:
        """Our routes as the kernel has them now."""
        out: dict[str, str] = {}
        for family in FAMILIES.values():
            for route in self.ipr.route("dump", family=family, proto=self.proto):
                dst = route.get("dst") or ("0.0.0.0" if family == socket.AF_INET else "::")
                out[_norm(f"{dst}/{route['dst_len']}")] = route.get("gateway") or ""
        return out

    def set(self, prefix: str, hop: str) -> None:
        if self.routes.get(prefix) == hop:
            return
        verb = "replace" if prefix in self.routes else "add"
        try:
            self.ipr.route(verb, dst=prefix, gateway=hop, proto=self.proto, priority=self.metric)
        except Exception as exc:           # NetlinkError: unreachable next hop, EEXIST, ...
            log(f"cannot install {prefix} via {hop}: {exc}")
            self.remove(prefix)             # an old next hop would be wrong now
            return
        self.routes[prefix] = hop
        log(f"installed {prefix} via {hop}")

    def remove(self, prefix: str) -> None:
        if prefix not in self.routes:
            return
        del self.routes[prefix]
        try:
            self.ipr.route("del", dst=prefix, proto=self.proto, priority=self.metric)
        except Exception as exc:           # already gone (link down removes routes)
            log(f"removing {prefix}: {exc}")
            return
        log(f"removed {prefix}")

    def sync(self, wanted: dict[str, str]) -> None:
        """Make our routes exactly ``wanted`` (also those a previous run left behind)."""
        self.routes = self.read()
        for prefix in [p for p in self.routes if p not in wanted]:
            self.remove(prefix)
        for prefix, hop in wanted.items():
            self.set(prefix, hop)

    def clear(self) -> None:
        self.sync({})


# -- talking to gobgpd -----------------------------------------------------------------------
class Gobgp:
    def __init__(self, gobgp: str, api: str):
        host, _, port = api.rpartition(":")
        self.base = [gobgp, "-u", host.strip("[]") or "127.0.0.1", "-p", port]

    def rib(self, family: str) -> dict:
        try:
            result = run(HERE, [*self.base, "global", "rib", "-a", family, "-j"], timeout=30)
        except NosError as exc:
            raise ConnectionError(exc.summary) from None
        return json.loads(result.stdout or "{}")

    def monitor(self, family: str) -> subprocess.Popen:
        """A streaming reader (one JSON list per line), started like every program here."""
        return spawn(HERE, [*self.base, "monitor", "global", "rib", "-a", family, "-j"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def _reader(proc: subprocess.Popen, events: queue.Queue) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        events.put(line)
    events.put(None)                        # this monitor ended


def apply_event(kernel: Kernel, paths: Iterable[dict]) -> None:
    """One monitor line: the new best path of each prefix (or its withdrawal)."""
    for path in paths:
        prefix = path.get("nlri", {}).get("prefix")
        if not prefix:
            continue
        hop = learned_next_hop(path)
        if hop is None:
            kernel.remove(_norm(prefix))
        else:
            kernel.set(_norm(prefix), hop)


def follow(kernel: Kernel, gobgp: Gobgp) -> None:
    """One connection to gobgpd: monitors, full sync, then events until a monitor ends."""
    events: queue.Queue = queue.Queue()
    monitors = [gobgp.monitor(family) for family in FAMILIES]
    try:
        for proc in monitors:
            threading.Thread(target=_reader, args=(proc, events), daemon=True).start()
        wanted: dict[str, str] = {}
        for family in FAMILIES:
            wanted.update(wanted_from_rib(gobgp.rib(family)))
        kernel.sync(wanted)
        log(f"in sync with gobgpd: {len(wanted)} learned routes")
        while True:
            line = events.get()
            if line is None:
                log("gobgpd monitor ended; reconnecting")
                return
            try:
                paths = json.loads(line)
            except json.JSONDecodeError:
                continue
            apply_event(kernel, paths if isinstance(paths, list) else [paths])
    finally:
        for proc in monitors:
            if proc.poll() is None:
                proc.terminate()
            proc.wait()


def main(args: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nos_shell.backends.gobgp.routes",
                                     description="Install gobgpd's learned best paths into the kernel.")
    parser.add_argument("--api", default="127.0.0.1:50051", help="gobgpd's API address HOST:PORT")
    parser.add_argument("--gobgp", default="gobgp", help="the gobgp CLI program")
    parser.add_argument("--proto", type=int, default=PROTO, help="kernel route protocol number")
    parser.add_argument("--metric", type=int, default=METRIC, help="kernel route metric")
    opts = parser.parse_args(args)

    def stop(signum, frame):
        raise Stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    kernel = Kernel(opts.proto, opts.metric)
    gobgp = Gobgp(opts.gobgp, opts.api)
    log(f"started: gobgpd at {opts.api}, kernel routes proto {opts.proto} metric {opts.metric}")
    reported = ""
    try:
        while True:
            try:
                follow(kernel, gobgp)
                reported = ""
            except (ConnectionError, OSError, subprocess.SubprocessError) as exc:
                if str(exc) != reported:         # once per outage, not every second
                    log(f"gobgpd not reachable: {exc}")
                    reported = str(exc)
            time.sleep(RETRY)
    except Stop:
        log("stopping: removing installed routes")
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        kernel.clear()
    return 0


if __name__ == "__main__":
    sys.exit(main())
