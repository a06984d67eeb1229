"""The BGP state reader of BIRD: ``birdc`` output parsed into the typed values of
nos_shell/models/bgp_state.py (``show status``, ``show protocols all``, ``show route ...
all``). The parsers are plain functions of the text, tested on recorded output.

BIRD names each neighbor's session by protocol (``compiler.protocol_name``); the
reader turns those names into neighbor addresses, as the views expect.
"""
from __future__ import annotations

import ipaddress
import re
import time
from typing import TYPE_CHECKING

from nos_shell.models.bgp_state import ADMIN_DOWN, DAEMON_STATES, Peer, Route, frr_state

if TYPE_CHECKING:
    from nos_shell.apply.target import Target

CHANNELS = {"ipv4": "ipv4-unicast", "ipv6": "ipv6-unicast"}


def estimate_messages(peer: Peer, now: float) -> tuple[int, int]:
    """BIRD keeps no message counters: an OPEN and a KEEPALIVE to come up, one KEEPALIVE per
    negotiated keepalive interval since, and the route updates and withdrawals BIRD counted
    (each counted as one message, though one UPDATE may carry many prefixes)."""
    if not peer.established or peer.since is None:
        return 0, 0
    keepalives = int(max(0.0, now - peer.since) // peer.keepalive) if peer.keepalive else 0
    return 2 + keepalives + peer.updates_rcvd, 2 + keepalives + peer.updates_sent


TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?|\d\d:\d\d:\d\d(?:\.\d+)?")
PROTOCOL_LINE = re.compile(r"^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(" + TIME.pattern + r")\s*(.*?)\s*$")
ROUTE_LINE = re.compile(r"^(\S+)?\s+(unicast|unreachable|blackhole|prohibit)\s+\[(\S+)\s+([^\]]*?)\]"
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


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("BIRD ") or " ready." not in line]


def parse_bird_protocols(text: str, started: tuple[float, ...] = (), now: float | None = None) -> list[Peer]:
    """The BGP protocols of ``birdc show protocols all`` (other protocols are skipped).
    ``started``: when BIRD started or was reconfigured (:func:`parse_bird_started`): a
    protocol that is not up and last changed state then has never been up. With ``now``,
    the message columns are estimated (:func:`estimate_messages`)."""
    peers: list[Peer] = []
    peer: Peer | None = None
    channel: str | None = None
    for line in _lines(text):
        if not line.strip() or line.startswith("Name "):
            continue
        if not line[0].isspace():
            m = PROTOCOL_LINE.match(line)
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
            channel = CHANNELS.get(line.split()[1])
            if channel:
                peer.accepted.setdefault(channel, 0)
                peer.advertised.setdefault(channel, 0)
        elif key == "Description" and channel is None:
            peer.description = value
        elif key == "BGP state":
            peer.daemon_state = DAEMON_STATES.get(value.lower(), value)
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
    for line in _lines(text):
        if line.startswith("Table ") or not line.strip():
            continue
        m = ROUTE_LINE.match(line)
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


def peer_address(protocol: str) -> str | None:
    """The neighbor address a BGP protocol name stands for (None for another name)."""
    from .compiler import protocol_name

    body = protocol[len("bgp_"):] if protocol.startswith("bgp_") else ""
    for separator in (".", ":"):
        try:
            address = ipaddress.ip_address(body.replace("_", separator)).compressed
        except ValueError:
            continue
        if protocol_name(_Neighbor(address)) == protocol:
            return address
    return None


class _Neighbor:
    """What ``protocol_name`` reads of a configured neighbor."""

    def __init__(self, address: str):
        self.address = address


class BirdState:
    """:class:`nos_shell.models.bgp_state.BgpState` of a BIRD on ``target``."""

    kernel_protocol = "bird"

    def __init__(self, target: "Target"):
        self.target = target
        self._status: str | None = None

    def _birdc(self, *args: str) -> str:
        from nos_shell.live.daemon_query import ask

        from .control import birdc

        return ask(self.target, "BIRD", birdc(self.target, *args))

    def _status_text(self) -> str:
        if self._status is None:
            self._status = self._birdc("show", "status")
        return self._status

    def router_id(self) -> str | None:
        return parse_bird_status(self._status_text())

    def peers(self, detail: bool = False) -> list[Peer]:
        started = parse_bird_started(self._status_text())
        return parse_bird_protocols(self._birdc("show", "protocols", "all"), started, time.time())

    def _table(self, version: int, *selection: str) -> list[Route]:
        routes = parse_bird_routes(self._birdc("show", "route", "table", f"master{version}", *selection))
        for route in routes:
            if route.peer is not None:
                route.peer = peer_address(route.peer) or route.peer
        return routes

    def routes(self, version: int) -> list[Route]:
        return self._table(version, "where", "source", "=", "RTS_BGP", "all")

    def local_routes(self, version: int) -> list[Route]:
        """What this router announces: the routes its export filter accepts."""
        routes = self._table(version, "filter", f"bgp_export{version}", "all")
        for route in routes:
            route.peer, route.next_hop = None, None
        return routes

    def received(self, address: str, version: int) -> list[Route]:
        """BIRD keeps no adj-in (it imports everything): the paths accepted from ``address``."""
        return [r for r in self.routes(version) if r.peer == address]

    def advertised(self, address: str, version: int) -> set[str]:
        return {r.prefix for r in self._table(version, "export", _protocol(address))}

    def installed(self, version: int) -> dict[str, dict]:
        from nos_shell.live.daemon_query import kernel_routes

        return kernel_routes(self.target, version, self.kernel_protocol)

    def reset(self, address: str, soft: bool) -> None:
        """``reload`` re-imports and re-exports (route refresh), ``restart`` closes the session."""
        self._birdc("reload" if soft else "restart", _protocol(address))


def _protocol(address: str) -> str:
    from .compiler import protocol_name

    return protocol_name(_Neighbor(address))
