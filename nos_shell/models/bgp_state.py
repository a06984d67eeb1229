"""BGP state as the operational views read it, whichever daemon runs (typed values, as
napalm's getters return them).

A BGP driver's reader (``backends/<daemon>/state.py``) implements :class:`BgpState`; the
views (nos_shell/ops/bgp/) render one table from these values. Names of neighbors are
their addresses (compressed), never a daemon's own session names; states are FRR's words
(:func:`frr_state`).
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Protocol

ADMIN_DOWN = "Idle (Admin)"
#: a daemon's state words, as FRR users read them (:func:`frr_state`)
DAEMON_STATES = {s.lower(): s for s in ("Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established",
                                        "Close", "Down")}


@dataclass
class Peer:
    """One neighbor as the running daemon reports it."""

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
    msg_rcvd: int = 0                   # BGP messages (counted by the daemon, or estimated)
    msg_sent: int = 0
    in_q: int = 0
    out_q: int = 0
    updates_rcvd: int = 0               # UPDATE messages, or route updates and withdrawals,
    updates_sent: int = 0               # received / sent

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
    """One path of the BGP table."""

    prefix: str
    next_hop: str | None
    best: bool
    since: float | None
    as_path: list[int]
    med: int | None = None
    peer: str | None = None             # the neighbor's address; None: originated here
    origin: str = "i"                   # i IGP, e EGP, ? incomplete


def frr_state(daemon_state: str, admin_down: bool = False) -> str:
    """The one state vocabulary: a daemon's word as FRR users read it. Idle, Connect,
    Active, Close and Down are all phases of trying to reach the peer: ``Active``."""
    if admin_down:
        return ADMIN_DOWN
    word = DAEMON_STATES.get(daemon_state.lower(), daemon_state)
    if word in ("Established", "OpenSent", "OpenConfirm"):
        return word
    return "Active"


class BgpState(Protocol):
    """What the BGP views ask the running daemon (a reader bound to one target)."""

    def router_id(self) -> str | None:
        """This router's BGP identifier."""

    def peers(self, detail: bool = False) -> list[Peer]:
        """Every neighbor (``detail``: with the prefixes announced to each)."""

    def routes(self, version: int) -> list[Route]:
        """The learned paths of the IPv4 or IPv6 table."""

    def local_routes(self, version: int) -> list[Route]:
        """The paths originated here (``peer`` None)."""

    def received(self, address: str, version: int) -> list[Route]:
        """What the neighbor sent, before import policy (best: the path it became)."""

    def advertised(self, address: str, version: int) -> set[str]:
        """The prefixes sent to the neighbor."""

    def installed(self, version: int) -> dict[str, dict]:
        """prefix -> the kernel's route (``ip -j route`` entry) for the routes this daemon installed."""

    def reset(self, address: str, soft: bool) -> None:
        """Close and restart the session (``soft``: send and request the routes again)."""
