"""BGP operational commands, read from the running daemon: one set of tables for both backends.

- ``show ip bgp summary`` / ``show bgp summary``: per address family, one line per
  neighbor in FRR's layout with every column (``Neighbor V AS MsgRcvd MsgSent TblVer InQ
  OutQ Up/Down State/PfxRcd PfxSnt Desc``). Where a daemon keeps no counter the value is
  computed (:func:`estimate_messages`: BIRD counts route updates, not messages) or is
  FRR's value for an idle router (TblVer, InQ, OutQ 0); docs/backends-bgp.md says which.
- ``show bgp neighbors [ADDRESS]`` / ``show ip bgp neighbors [ADDRESS]``: a block per
  neighbor (state, uptime, timers, addresses, prefix counts per family).
- ``show ip route bgp``: the IPv4 routes learned through BGP, FRR style
  (``B>* PREFIX [DISTANCE/MED] via NEXTHOP, INTERFACE, AGE``; ``>`` best path, ``*``
  installed in the kernel), with the Codes lines of every ``show ip route`` view.

States are FRR's words, the same for both daemons (:func:`frr_state`): Idle, Connect and
Active are phases of one retry loop that BIRD and GoBGP enter at different moments, so a
neighbor that is enabled but not up is ``Active`` (what FRR shows for a peer it is trying
to reach); ``Idle (Admin)`` is a neighbor with ``shutdown``; OpenSent, OpenConfirm and
Established are kept. Up/Down is ``never`` when the daemon has not had the session up
since it started the neighbor.

Which daemon runs comes from the running configuration (``protocols bgp backend``); how to
reach it from the target (``ROOT/etc/nos-shell/apply.toml``: exec prefix, BIRD socket,
GoBGP API). BIRD is read with ``birdc`` (``show status``, ``show protocols all``,
``show route ... all``: text, parsed here), GoBGP with ``gobgp ... -j`` (JSON); whether a
route is in the kernel comes from ``ip -j route show proto bird|bgp``. The parsers are
plain functions of the text, tested on recorded output.
"""
from __future__ import annotations

import ipaddress
import json
import re
import subprocess
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .commands import Command
from .errors import NosError
from .tables import TableData, TableText

if TYPE_CHECKING:
    from .session import Session

FAMILY_TITLE = {"ipv4-unicast": "IPv4 Unicast", "ipv6-unicast": "IPv6 Unicast"}
BIRD_CHANNEL = {"ipv4": "ipv4-unicast", "ipv6": "ipv6-unicast"}
GOBGP_AFI = {1: "ipv4-unicast", 2: "ipv6-unicast"}
GOBGP_STATE = {1: "Idle", 2: "Connect", 3: "Active", 4: "OpenSent", 5: "OpenConfirm", 6: "Established"}
BIRD_STATE = {s.lower(): s for s in ("Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established",
                                     "Close", "Down")}
ADMIN_DOWN = "Idle (Admin)"
EBGP_DISTANCE, IBGP_DISTANCE = 20, 200       # FRR's administrative distances, for show ip route


@dataclass
class Peer:
    """One neighbor as either daemon reports it."""

    address: str
    remote_as: int | None = None
    local_as: int | None = None
    state: str = "Active"               # FRR's word (frr_state): Active, OpenSent, OpenConfirm, Established,
                                        # Idle (Admin)
    daemon_state: str = ""              # the daemon's own word, for show bgp neighbors
    since: float | None = None          # epoch seconds of the last state change (up or down)
    ever_up: bool = False               # the daemon had the session up since it started the neighbor
    router_id: str | None = None        # the neighbor's
    description: str | None = None
    hold_time: int | None = None        # negotiated
    keepalive: int | None = None
    local_address: str | None = None
    last_error: str | None = None
    accepted: dict[str, int] = field(default_factory=dict)    # family -> prefixes accepted
    advertised: dict[str, int] = field(default_factory=dict)  # family -> prefixes announced
    msg_rcvd: int = 0                   # BGP messages (GoBGP counts them; BIRD: estimate_messages)
    msg_sent: int = 0
    in_q: int = 0
    out_q: int = 0
    updates_rcvd: int = 0               # UPDATE messages (GoBGP) or route updates and withdrawals
    updates_sent: int = 0               # (BIRD) received / sent

    @property
    def version(self) -> int:
        return ipaddress.ip_address(self.address).version

    @property
    def established(self) -> bool:
        return self.state == "Established"

    @property
    def families(self) -> list[str]:
        return list(self.accepted)


@dataclass
class Route:
    prefix: str
    next_hop: str | None
    best: bool
    since: float | None
    as_path: list[int]
    med: int | None = None
    peer: str | None = None             # neighbor address, or BIRD protocol name; None: originated here
    origin: str = "i"                   # i IGP, e EGP, ? incomplete


def frr_state(daemon_state: str, admin_down: bool = False) -> str:
    """The one state vocabulary: the daemon's word (BIRD's or GoBGP's) as FRR users read it."""
    if admin_down:
        return ADMIN_DOWN
    word = BIRD_STATE.get(daemon_state.lower(), daemon_state)
    if word in ("Established", "OpenSent", "OpenConfirm"):
        return word
    return "Active"          # Idle, Connect, Active, Close, Down: trying to reach the peer


def estimate_messages(peer: Peer, now: float) -> tuple[int, int]:
    """BIRD keeps no message counters: an OPEN and a KEEPALIVE to come up, one KEEPALIVE per
    negotiated keepalive interval since, and the route updates and withdrawals BIRD counted
    (each counted as one message, though one UPDATE may carry many prefixes)."""
    if not peer.established or peer.since is None:
        return 0, 0
    keepalives = int(max(0.0, now - peer.since) // peer.keepalive) if peer.keepalive else 0
    return 2 + keepalives + peer.updates_rcvd, 2 + keepalives + peer.updates_sent


# -- formatting --------------------------------------------------------------------------
def duration(seconds: float | None) -> str:
    """FRR's peer uptime: hh:mm:ss below a day, then 1d02h03m, then 01w2d03h."""
    if seconds is None:
        return "never"
    s = max(0, int(seconds))
    days, s = divmod(s, 86400)
    hours, s = divmod(s, 3600)
    minutes, s = divmod(s, 60)
    if days == 0:
        return f"{hours:02d}:{minutes:02d}:{s:02d}"
    if days < 7:
        return f"{days}d{hours:02d}h{minutes:02d}m"
    return f"{days // 7:02d}w{days % 7}d{hours:02d}h"


def _age(since: float | None, now: float) -> str:
    return duration(None if since is None else now - since)


SUMMARY_HEADERS = ("Neighbor", "V", "AS", "MsgRcvd", "MsgSent", "TblVer", "InQ", "OutQ", "Up/Down",
                   "State/PfxRcd", "PfxSnt", "Desc")
#: FRR's column widths (0: left-aligned, as wide as the longest neighbor address, at least 15)
_WIDTHS = (0, 1, 10, 9, 9, 8, 4, 4, 8, 12, 8)


def up_down(peer: Peer, now: float) -> str:
    """FRR's Up/Down: time since the session came up or went down; ``never`` if it never came up."""
    if not peer.established and not peer.ever_up:
        return "never"
    return _age(peer.since, now)


def summary_row(peer: Peer, family: str, now: float) -> tuple[str, ...]:
    """The cells of one neighbor's summary line (the same for both daemons)."""
    established = peer.established
    return (peer.address, "4", str(peer.remote_as) if peer.remote_as else "-",
            str(peer.msg_rcvd), str(peer.msg_sent), "0", str(peer.in_q), str(peer.out_q),
            up_down(peer, now),
            str(peer.accepted.get(family, 0)) if established else peer.state,
            str(peer.advertised.get(family, 0)) if established else "0",
            peer.description or "N/A")


def _line(cells: tuple[str, ...], first: int) -> str:
    parts = [cells[0].ljust(first)]
    parts += [cell.rjust(width) for cell, width in zip(cells[1:-1], _WIDTHS[1:])]
    return " ".join(parts) + " " + cells[-1]


def summary_table(peers: list[Peer], router_id: str | None, local_as: int | None, now: float) -> str:
    """FRR's ``show ip bgp summary``: one block per address family that has neighbors.
    (V is the BGP version, 4, as FRR prints it for IPv4 and IPv6 neighbors alike.)"""
    families = [f for f in FAMILY_TITLE if any(f in p.accepted for p in peers)]
    if not peers:
        return f"BGP router identifier {router_id or '-'}, local AS number {local_as or '-'}\n" \
               "No BGP neighbors found\n"
    out: list[str] = []
    tables: list[TableData] = []
    for family in families:
        members = [p for p in peers if family in p.accepted]
        width = max([15] + [len(p.address) for p in members])
        title = [f"{FAMILY_TITLE[family]} Summary:",
                 f"BGP router identifier {router_id or '-'}, local AS number {local_as or '-'}",
                 f"Total number of neighbors {len(members)}, established {sum(p.established for p in members)}"]
        rows = tuple(summary_row(p, family, now) for p in members)
        out += title + ["", _line(SUMMARY_HEADERS, width)]
        out += [_line(row, width) for row in rows] + [""]
        tables.append(TableData(SUMMARY_HEADERS, rows, tuple(title)))
    return TableText("\n".join(out[:-1]) + "\n", tables)


def neighbor_block(p: Peer, now: float, system_as: int | None) -> str:
    remote, local = p.remote_as, p.local_as or system_as
    link = "internal" if remote is not None and remote == local else "external"
    lines = [f"BGP neighbor is {p.address}, remote AS {remote or '-'}, local AS {local or '-'}, {link} link"]
    if p.description:
        lines.append(f"  Description: {p.description}")
    lines.append(f"  BGP version 4, remote router ID {p.router_id or '0.0.0.0'}")
    if p.established:
        lines.append(f"  BGP state = Established, up for {_age(p.since, now)}")
    else:
        lines.append(f"  BGP state = {p.state}" + (f", down for {_age(p.since, now)}" if p.ever_up else ""))
    if p.daemon_state and p.daemon_state != p.state:
        lines.append(f"  Daemon state: {p.daemon_state}")
    if p.msg_rcvd or p.msg_sent:
        lines.append(f"  Messages: {p.msg_rcvd} received, {p.msg_sent} sent")
    if p.hold_time is not None:
        lines.append(f"  Hold time is {p.hold_time}, keepalive interval is {p.keepalive or 0} seconds")
    if p.local_address:
        lines.append(f"  Local host: {p.local_address}, Remote host: {p.address}")
    if p.last_error:
        lines.append(f"  Last error: {p.last_error}")
    for family in p.families:
        lines += ["", f"  For address family: {FAMILY_TITLE[family]}",
                  f"    {p.accepted.get(family, 0)} accepted prefixes",
                  f"    {p.advertised.get(family, 0)} announced prefixes"]
    return "\n".join(lines) + "\n"


def distance_of(route: Route, internal: set[str]) -> int:
    """FRR's administrative distance of a BGP path: 200 from an internal neighbor, else 20."""
    return IBGP_DISTANCE if route.peer in internal else EBGP_DISTANCE


def route_lines(routes: list[Route], kernel: dict[str, dict], internal: set[str], now: float) -> str:
    """FRR-style lines; ``kernel`` maps prefix -> the kernel's route (``ip -j``) for FIB marks.
    The Codes lines and ``[distance/MED]`` are those of every ``show ip route`` view."""
    from .ops_routes import CODES, route_line

    out = []
    for r in sorted(routes, key=lambda r: (_sort_key(r.prefix), not r.best)):
        k = kernel.get(r.prefix)
        fib = r.best and k is not None and (r.next_hop is None or k.get("gateway") in (None, r.next_hop))
        via = f"via {r.next_hop}" if r.next_hop else "unreachable"
        dev = f", {k['dev']}" if fib and k and k.get("dev") else ""
        out.append(route_line("B", r.best, fib, r.prefix, distance_of(r, internal), r.med or 0,
                              via + dev, f", {_age(r.since, now)}"))
    if not out:
        return ""
    return CODES + "\n".join(out) + "\n"


def installed_paths(session: "Session", version: int, learned: bool = False) -> dict:
    """prefix -> :class:`ops_routes.BgpPath` of the best BGP path (``learned``: of every
    learned prefix), for the kernel's views; empty when no BGP daemon can be asked."""
    from .ops_routes import BgpPath

    try:
        daemon, bgp = _daemon(session)
        routes = daemon.routes(version)
        internal = _internal(daemon, bgp)
    except NosError:
        return {}
    now = time.time()
    return {r.prefix: BgpPath(distance_of(r, internal), r.med or 0, _age(r.since, now))
            for r in routes if r.best or learned}


def _sort_key(prefix: str) -> tuple[int, int, int]:
    net = ipaddress.ip_network(prefix, strict=False)
    return net.version, int(net.network_address), net.prefixlen


# -- BIRD --------------------------------------------------------------------------------
_BIRD_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?|\d\d:\d\d:\d\d(?:\.\d+)?")
_BIRD_PROTO = re.compile(r"^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(" + _BIRD_TIME.pattern + r")\s*(.*?)\s*$")
_BIRD_ROUTE = re.compile(r"^(\S+)?\s+(unicast|unreachable|blackhole|prohibit)\s+\[(\S+)\s+([^\]]*?)\]"
                         r"(\s+\*)?\s+\((\d+)")


def bird_time(text: str, now: float | None = None) -> float | None:
    """Epoch seconds from a BIRD time (``2026-11-25 17:22:40``, local time; a bare time of
    day, BIRD's default for recent events, is taken as today)."""
    text = text.split(".")[0]
    try:
        if len(text) > 8:
            return time.mktime(time.strptime(text, "%Y-%m-%d %H:%M:%S"))
        today = time.strftime("%Y-%m-%d", time.localtime(now))
        return time.mktime(time.strptime(f"{today} {text}", "%Y-%m-%d %H:%M:%S"))
    except ValueError:
        return None


def _bird_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("BIRD ") or " ready." not in line]


def parse_bird_protocols(text: str, started: tuple[float, ...] = (), now: float | None = None) -> list[Peer]:
    """The BGP protocols of ``birdc show protocols all`` (other protocols are skipped).
    ``started``: when BIRD started or was reconfigured (:func:`parse_bird_started`): a
    protocol that is not up and last changed state then has never been up. With ``now``,
    the message columns are estimated (:func:`estimate_messages`)."""
    peers: list[Peer] = []
    peer: Peer | None = None
    channel: str | None = None
    for line in _bird_lines(text):
        if not line.strip() or line.startswith("Name "):
            continue
        if not line[0].isspace():
            m = _BIRD_PROTO.match(line)
            peer, channel = None, None
            if m and m[2] == "BGP":
                peer = Peer(address="", since=bird_time(m[5]))
                if m[4] == "down":               # protocol disabled (shutdown)
                    peer.state = ADMIN_DOWN
                peers.append(peer)
            continue
        if peer is None:
            continue
        key, _, value = line.strip().partition(":")
        value = value.strip()
        if line.startswith("  Channel "):
            channel = BIRD_CHANNEL.get(line.split()[1])
            if channel:
                peer.accepted.setdefault(channel, 0)
                peer.advertised.setdefault(channel, 0)
        elif key == "Description" and channel is None:
            peer.description = value
        elif key == "BGP state":
            peer.daemon_state = BIRD_STATE.get(value.lower(), value)
            peer.state = frr_state(value, peer.state == ADMIN_DOWN)
        elif key == "Neighbor address":
            peer.address = value.split("%")[0]
        elif key == "Neighbor AS" and value.isdigit() and value != "0":
            peer.remote_as = int(value)
        elif key == "Local AS" and value.isdigit():
            peer.local_as = int(value)
        elif key == "Neighbor ID":
            peer.router_id = value
        elif key == "Source address":
            peer.local_address = value
        elif key == "Hold timer" and "/" in value:
            peer.hold_time = int(value.split("/")[1])
        elif key == "Keepalive timer" and "/" in value:
            peer.keepalive = int(value.split("/")[1])
        elif key == "Last error":
            peer.last_error = value
        elif key == "Routes" and channel:
            m = re.match(r"(\d+) imported, (?:\d+ filtered, )?(\d+) exported", value)
            if m:
                peer.accepted[channel], peer.advertised[channel] = int(m[1]), int(m[2])
        elif key in ("Import updates", "Import withdraws", "Export updates", "Export withdraws") and channel:
            counts = value.split()          # received rejected filtered ignored accepted
            if key.startswith("Import") and counts[:1] != ["---"] and counts[0].isdigit():
                peer.updates_rcvd += int(counts[0])
            elif key.startswith("Export") and counts[-1:] and counts[-1].isdigit():
                peer.updates_sent += int(counts[-1])
    for peer in peers:
        peer.ever_up = peer.established or (
            peer.since is not None and not any(abs(peer.since - t) < 1.5 for t in started))
        if now is not None:
            peer.msg_rcvd, peer.msg_sent = estimate_messages(peer, now)
    return [p for p in peers if p.address]


def parse_bird_status(text: str) -> str | None:
    m = re.search(r"^Router ID is (\S+)", text, re.M)
    return m[1] if m else None


def parse_bird_started(text: str) -> tuple[float, ...]:
    """When BIRD started and was last reconfigured (``show status``), as epoch seconds."""
    found = re.findall(r"^Last (?:reboot|reconfiguration) on (.+?)\s*$", text, re.M)
    return tuple(t for t in (bird_time(f) for f in found) if t is not None)


def parse_bird_routes(text: str) -> list[Route]:
    """``birdc show route ... all``: one Route per path (prefix lines and their attributes)."""
    routes: list[Route] = []
    prefix: str | None = None
    route: Route | None = None
    for line in _bird_lines(text):
        if line.startswith("Table ") or not line.strip():
            continue
        m = _BIRD_ROUTE.match(line)
        if m:
            prefix = m[1] or prefix
            if prefix is None:
                continue
            route = Route(prefix=ipaddress.ip_network(prefix, strict=False).compressed, next_hop=None,
                          best=bool(m[5]), since=bird_time(m[4]), as_path=[], peer=m[3])
            routes.append(route)
            continue
        if route is None:
            continue
        text_ = line.strip()
        if text_.startswith("via "):
            route.next_hop = route.next_hop or text_.split()[1].split("%")[0]
        elif text_.startswith("BGP.as_path:"):
            route.as_path = [int(a) for a in re.findall(r"\d+", text_.partition(":")[2])]
        elif text_.startswith("BGP.origin:"):
            route.origin = {"IGP": "i", "EGP": "e"}.get(text_.partition(":")[2].strip(), "?")
        elif text_.startswith("BGP.med:"):
            route.med = int(text_.partition(":")[2])
        elif text_.startswith("BGP.next_hop:") and route.next_hop is None:
            route.next_hop = text_.partition(":")[2].split()[0]
    return routes


# -- GoBGP -------------------------------------------------------------------------------
def _seconds(stamp: dict | None) -> float | None:
    value = (stamp or {}).get("seconds")
    return float(value) if value else None


def parse_gobgp_neighbor(data: dict) -> Peer:
    """One entry of ``gobgp neighbor -j`` (or ``gobgp neighbor ADDR -j``)."""
    conf, state = data.get("conf", {}), data.get("state", {})
    timers = data.get("timers", {}).get("state", {})
    address = state.get("neighbor_address") or conf.get("neighbor_address", "")
    session = GOBGP_STATE.get(state.get("session_state", 1), "Idle")
    admin_down = state.get("admin_state") in (1, "DOWN", "ADMIN_STATE_DOWN")
    established = session == "Established"
    messages = state.get("messages", {})
    queues = state.get("queues", {})
    peer = Peer(
        address=address.split("%")[0],
        remote_as=state.get("peer_asn") or conf.get("peer_asn") or None,
        local_as=conf.get("local_asn") or state.get("local_asn") or None,
        state=frr_state(session, admin_down and not established),
        daemon_state=session,
        since=_seconds(timers.get("uptime") if established else timers.get("downtime")),
        ever_up=established or _seconds(timers.get("uptime")) is not None,
        msg_rcvd=int(messages.get("received", {}).get("total", 0)),
        msg_sent=int(messages.get("sent", {}).get("total", 0)),
        updates_rcvd=int(messages.get("received", {}).get("update", 0)),
        updates_sent=int(messages.get("sent", {}).get("update", 0)),
        in_q=int(queues.get("input", 0)),
        out_q=int(queues.get("output", 0)),
        router_id=state.get("router_id") if established else None,
        description=conf.get("description") or None,
        hold_time=timers.get("negotiated_hold_time") if established else None,
        keepalive=timers.get("keepalive_interval") if established else None,
        local_address=data.get("transport", {}).get("local_address") if established else None,
    )
    for afi_safi in data.get("afi_safis", []):
        fam = afi_safi.get("state", {}).get("family") or afi_safi.get("config", {}).get("family") or {}
        family = GOBGP_AFI.get(fam.get("afi")) if fam.get("safi", 1) == 1 else None
        if family is None:
            continue
        st = afi_safi.get("state", {})
        peer.accepted[family] = int(st.get("accepted", 0))
        if "advertised" in st:
            peer.advertised[family] = int(st["advertised"])
    return peer


def parse_gobgp_rib(data: dict, local: bool = False) -> list[Route]:
    """Learned paths (those with ``neighbor-ip``) of ``gobgp global rib -a FAMILY -j``;
    with ``local`` also the paths originated here (``peer`` None)."""
    routes: list[Route] = []
    for prefix, paths in data.items():
        for path in paths:
            if not path.get("neighbor-ip") and not local:
                continue
            hop, med, as_path, origin = None, None, [], "i"
            for attr in path.get("attrs", []):
                kind = attr.get("type")
                if kind in (3, 14):
                    hop = attr.get("nexthop") or (attr.get("nexthops") or [None])[0]
                elif kind == 2:
                    for segment in attr.get("as_paths", []):
                        as_path += segment.get("asns", [])
                elif kind == 4:
                    med = attr.get("metric")
                elif kind == 1:
                    origin = {0: "i", 1: "e"}.get(attr.get("value", 0), "?")
            routes.append(Route(prefix=ipaddress.ip_network(prefix, strict=False).compressed, next_hop=hop,
                                best=bool(path.get("best")), since=float(path["age"]) if path.get("age") else None,
                                as_path=as_path, med=med, peer=path.get("neighbor-ip"), origin=origin))
    return routes


# -- reaching the daemon -------------------------------------------------------------------
class _Daemon:
    name = ""
    kernel_proto = ""

    def __init__(self, target):
        self.target = target

    def run(self, *argv: str) -> str:
        try:
            result = subprocess.run(self.target.argv(*argv), capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise NosError(f"{self.name} is not reachable: {exc}") from None
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-1:]
            raise NosError(f"{self.name} is not running or not reachable", *detail)
        return result.stdout

    def kernel_routes(self, version: int) -> dict[str, dict]:
        try:
            text = self.run("ip", f"-{version}", "-j", "route", "show", "proto", self.kernel_proto)
            entries = json.loads(text or "[]")
        except (NosError, json.JSONDecodeError):
            return {}
        out = {}
        for entry in entries:
            dst = entry.get("dst", "")
            dst = ("0.0.0.0/0" if version == 4 else "::/0") if dst == "default" else dst
            if "/" not in dst:
                dst += "/32" if version == 4 else "/128"
            out[ipaddress.ip_network(dst, strict=False).compressed] = entry
        return out


def _birdc_argv(target, *args: str) -> tuple[str, ...]:
    from .backends.bird import control as bird_control

    return bird_control.birdc(target, *args)


def _gobgp_argv(target, *args: str) -> tuple[str, ...]:
    from .backends.gobgp import control as gobgp_control

    return gobgp_control.gobgp(target, *args)


class BirdDaemon(_Daemon):
    name = "BIRD"
    kernel_proto = "bird"

    def peers(self, detail: bool = False) -> list[Peer]:
        started = parse_bird_started(self.status())
        text = self.run(*_birdc_argv(self.target, "show", "protocols", "all"))
        return parse_bird_protocols(text, started, time.time())

    def status(self) -> str:
        if getattr(self, "_status", None) is None:
            self._status = self.run(*_birdc_argv(self.target, "show", "status"))
        return self._status

    def router_id(self) -> str | None:
        return parse_bird_status(self.status())

    def routes(self, version: int) -> list[Route]:
        return parse_bird_routes(self.run(*_birdc_argv(
            self.target, "show", "route", "table", f"master{version}", "where", "source", "=", "RTS_BGP", "all")))

    def local_routes(self, version: int) -> list[Route]:
        """What this router announces: the routes its export filter accepts."""
        routes = parse_bird_routes(self.run(*_birdc_argv(
            self.target, "show", "route", "table", f"master{version}", "filter", f"bgp_export{version}", "all")))
        for route in routes:
            route.peer, route.next_hop = None, None
        return routes

    def advertised(self, name: str, version: int) -> set[str]:
        """The prefixes exported to protocol ``name``."""
        return {r.prefix for r in parse_bird_routes(self.run(*_birdc_argv(
            self.target, "show", "route", "table", f"master{version}", "export", name)))}

    def reset(self, name: str, soft: bool) -> None:
        """``reload`` re-imports and re-exports (route refresh), ``restart`` closes the session."""
        self.run(*_birdc_argv(self.target, "reload" if soft else "restart", name))


class GobgpDaemon(_Daemon):
    name = "gobgpd"
    kernel_proto = "bgp"

    def _json(self, *args: str):
        text = self.run(*_gobgp_argv(self.target, *args, "-j"))
        try:
            return json.loads(text or "null")
        except json.JSONDecodeError:
            raise NosError(f"gobgp {' '.join(args)}: unexpected output") from None

    def peers(self, detail: bool = False) -> list[Peer]:
        peers = [parse_gobgp_neighbor(n) for n in self._json("neighbor") or []]
        if detail:     # only the one-neighbor query counts announced prefixes
            peers = [parse_gobgp_neighbor(self._json("neighbor", p.address) or {}) for p in peers]
        return peers

    def router_id(self) -> str | None:
        return (self._json("global") or {}).get("router_id")

    def routes(self, version: int) -> list[Route]:
        return parse_gobgp_rib(self._json("global", "rib", "-a", f"ipv{version}") or {})

    def _adj(self, address: str, which: str, version: int) -> dict:
        """A neighbor's adj-in or adj-out (empty while the session is not established)."""
        try:
            return self._json("neighbor", address, which, "-a", f"ipv{version}") or {}
        except NosError as exc:
            if "not established" in str(exc):
                return {}
            raise

    def adj_in(self, address: str, version: int) -> list[Route]:
        """What the neighbor sent, before import policy."""
        return parse_gobgp_rib(self._adj(address, "adj-in", version))

    def advertised(self, address: str, version: int) -> set[str]:
        return {ipaddress.ip_network(p, strict=False).compressed for p in self._adj(address, "adj-out", version)}

    def reset(self, address: str, soft: bool) -> None:
        self.run(*_gobgp_argv(self.target, "neighbor", address, "softreset" if soft else "reset"))

    def local_routes(self, version: int) -> list[Route]:
        paths = parse_gobgp_rib(self._json("global", "rib", "-a", f"ipv{version}") or {}, local=True)
        return [r for r in paths if r.peer is None]


# -- the commands ------------------------------------------------------------------------
def _daemon(session: "Session"):
    """The daemon that runs the running configuration's BGP, and that configuration."""
    from .models import bgp as bgp_common

    tree = session.running
    if not bgp_common.configured(tree):
        raise NosError("BGP is not configured")
    target = session.target
    if not target.live:
        from .ops_sandbox import not_live_lines

        raise NosError(*not_live_lines(target, "BGP state"))
    cls = GobgpDaemon if bgp_common.backend(tree) == "gobgp" else BirdDaemon
    return cls(target), bgp_common.view(tree)


def _sorted(peers: list[Peer]) -> list[Peer]:
    return sorted(peers, key=lambda p: (p.version, int(ipaddress.ip_address(p.address))))


def show_bgp_summary(session: "Session", command: Command) -> str:
    daemon, bgp = _daemon(session)
    peers = _sorted(daemon.peers(detail=True))      # GoBGP counts sent prefixes per neighbor only
    return summary_table(peers, daemon.router_id(), bgp.system_as, time.time())


def show_bgp_neighbors(session: "Session", command: Command) -> str:
    daemon, bgp = _daemon(session)
    wanted = command.words[0] if command.words else None
    if wanted is not None:
        try:
            wanted = ipaddress.ip_address(wanted).compressed
        except ValueError:
            raise NosError(f"{command.words[0]} is not a neighbor address") from None
    peers = _sorted(daemon.peers(detail=True))
    if wanted is not None:
        peers = [p for p in peers if p.address == wanted]
        if not peers:
            raise NosError(f"No such neighbor: {wanted}")
    if not peers:
        return "No BGP neighbors found\n"
    now = time.time()
    return "\n".join(neighbor_block(p, now, bgp.system_as) for p in peers)


def show_ip_route(session: "Session", command: Command) -> str:
    which = command.words[0] if command.words else None
    if which != "bgp":
        raise NosError("show ip route: only 'show ip route bgp' is available in this version")
    daemon, bgp = _daemon(session)
    return route_lines(daemon.routes(4), daemon.kernel_routes(4), _internal(daemon, bgp), time.time())


def _internal(daemon, bgp) -> set[str]:
    """How the daemon names paths from internal neighbors (BIRD: by protocol name)."""
    internal = {n.address for n in bgp.neighbors if n.is_internal(bgp.system_as)}
    if isinstance(daemon, BirdDaemon):
        from .backends.bird.compiler import protocol_name

        internal = {protocol_name(n) for n in bgp.neighbors if n.address in internal}
    return internal
