"""The BGP state reader of GoBGP: ``gobgp ... -j`` (JSON) parsed into the typed values of
nos_shell/models/bgp_state.py. The parsers are plain functions of the data, tested on
recorded output."""
from __future__ import annotations

import ipaddress
import json
from typing import TYPE_CHECKING

from nos_shell.errors import NosError
from nos_shell.models.bgp_state import Peer, Route, frr_state

if TYPE_CHECKING:
    from nos_shell.apply.target import Target

FAMILIES = {1: "ipv4-unicast", 2: "ipv6-unicast"}
STATES = {1: "Idle", 2: "Connect", 3: "Active", 4: "OpenSent", 5: "OpenConfirm", 6: "Established"}


def _seconds(stamp: dict | None) -> float | None:
    value = (stamp or {}).get("seconds")
    return float(value) if value else None


def parse_gobgp_neighbor(data: dict) -> Peer:
    """One entry of ``gobgp neighbor -j`` (or ``gobgp neighbor ADDR -j``)."""
    conf, state = data.get("conf", {}), data.get("state", {})
    timers = data.get("timers", {}).get("state", {})
    address = state.get("neighbor_address") or conf.get("neighbor_address", "")
    session = STATES.get(state.get("session_state", 1), "Idle")
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
        family = FAMILIES.get(fam.get("afi")) if fam.get("safi", 1) == 1 else None
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


class GobgpState:
    """:class:`nos_shell.models.bgp_state.BgpState` of a gobgpd on ``target``."""

    kernel_protocol = "bgp"

    def __init__(self, target: "Target"):
        self.target = target

    def _gobgp(self, *args: str) -> str:
        from nos_shell.live.daemon_query import ask

        from .control import gobgp

        return ask(self.target, "gobgpd", gobgp(self.target, *args))

    def _json(self, *args: str):
        text = self._gobgp(*args, "-j")
        try:
            return json.loads(text or "null")
        except json.JSONDecodeError:
            raise NosError(f"gobgp {' '.join(args)}: unexpected output") from None

    def router_id(self) -> str | None:
        return (self._json("global") or {}).get("router_id")

    def peers(self, detail: bool = False) -> list[Peer]:
        peers = [parse_gobgp_neighbor(n) for n in self._json("neighbor") or []]
        if detail:     # only the one-neighbor query counts announced prefixes
            peers = [parse_gobgp_neighbor(self._json("neighbor", p.address) or {}) for p in peers]
        return peers

    def routes(self, version: int) -> list[Route]:
        return parse_gobgp_rib(self._json("global", "rib", "-a", f"ipv{version}") or {})

    def local_routes(self, version: int) -> list[Route]:
        paths = parse_gobgp_rib(self._json("global", "rib", "-a", f"ipv{version}") or {}, local=True)
        return [r for r in paths if r.peer is None]

    def _adj(self, address: str, which: str, version: int) -> dict:
        """A neighbor's adj-in or adj-out (empty while the session is not established)."""
        try:
            return self._json("neighbor", address, which, "-a", f"ipv{version}") or {}
        except NosError as exc:
            if "not established" in str(exc):
                return {}
            raise

    def received(self, address: str, version: int) -> list[Route]:
        """The neighbor's adj-in; adj-in has no best flag: that of the path it became."""
        best = {r.prefix for r in self.routes(version) if r.peer == address and r.best}
        routes = parse_gobgp_rib(self._adj(address, "adj-in", version))
        for route in routes:
            route.best = route.prefix in best
        return routes

    def advertised(self, address: str, version: int) -> set[str]:
        return {ipaddress.ip_network(p, strict=False).compressed for p in self._adj(address, "adj-out", version)}

    def installed(self, version: int) -> dict[str, dict]:
        from nos_shell.live.daemon_query import kernel_routes

        return kernel_routes(self.target, version, self.kernel_protocol)

    def reset(self, address: str, soft: bool) -> None:
        self._gobgp("neighbor", address, "softreset" if soft else "reset")
