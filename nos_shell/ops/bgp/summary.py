"""BGP operational commands, read from the running daemon: one set of tables for both backends.

- ``show ip bgp summary`` / ``show bgp summary``: per address family, one line per
  neighbor in FRR's layout with every column (``Neighbor V AS MsgRcvd MsgSent TblVer InQ
  OutQ Up/Down State/PfxRcd PfxSnt Desc``). Where a daemon keeps no counter the value is
  computed by the reader (BIRD counts route updates, not messages) or is
  FRR's value for an idle router (TblVer, InQ, OutQ 0); docs/backends-bgp.md says which.
- ``show bgp neighbors [ADDRESS]`` / ``show ip bgp neighbors [ADDRESS]``: a block per
  neighbor (state, uptime, timers, addresses, prefix counts per family).
- ``show ip route bgp``: the IPv4 routes learned through BGP, FRR style
  (``B>* PREFIX [DISTANCE/MED] via NEXTHOP, INTERFACE, AGE``; ``>`` best path, ``*``
  installed in the kernel), with the Codes lines of every ``show ip route`` view.

The values come from the running daemon's state reader (nos_shell/models/bgp_state.py:
typed peers and routes, FRR's state words, neighbors named by address), so each view is one
table whichever daemon runs; docs/backends-bgp.md says where a daemon lacks a counter.
Up/Down is ``never`` when the daemon has not had the session up since it started the
neighbor.
"""
from __future__ import annotations

import ipaddress
import time
from typing import TYPE_CHECKING

from ...errors import NosError
from ...models.bgp_state import Peer, Route
from ...tables import TableData, TableText
from ..command import KeywordHelp, OpCommand
from .source import internal_addresses, prefix_key, reader

if TYPE_CHECKING:
    from ...commands import Command
    from ...session import Session

FAMILY_TITLE = {"ipv4-unicast": "IPv4 Unicast", "ipv6-unicast": "IPv6 Unicast"}
EBGP_DISTANCE, IBGP_DISTANCE = 20, 200       # FRR's administrative distances, for show ip route


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
    from ..route_line import CODES, route_line

    out = []
    for r in sorted(routes, key=lambda r: (prefix_key(r.prefix), not r.best)):
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
    from ..route_line import BgpPath

    try:
        state, bgp = reader(session)
        routes = state.routes(version)
        internal = internal_addresses(bgp)
    except NosError:
        return {}
    now = time.time()
    return {r.prefix: BgpPath(distance_of(r, internal), r.med or 0, _age(r.since, now))
            for r in routes if r.best or learned}


# -- the commands ------------------------------------------------------------------------
def _sorted(peers: list[Peer]) -> list[Peer]:
    return sorted(peers, key=lambda p: (p.version, int(ipaddress.ip_address(p.address))))


def show_bgp_summary(session: "Session", command: "Command") -> str:
    state, bgp = reader(session)
    peers = _sorted(state.peers(detail=True))      # GoBGP counts sent prefixes per neighbor only
    return summary_table(peers, state.router_id(), bgp.system_as, time.time())


def show_bgp_neighbors(session: "Session", command: "Command") -> str:
    state, bgp = reader(session)
    wanted = command.words[0] if command.words else None
    if wanted is not None:
        try:
            wanted = ipaddress.ip_address(wanted).compressed
        except ValueError:
            raise NosError(f"{command.words[0]} is not a neighbor address") from None
    peers = _sorted(state.peers(detail=True))
    if wanted is not None:
        peers = [p for p in peers if p.address == wanted]
        if not peers:
            raise NosError(f"No such neighbor: {wanted}")
    if not peers:
        return "No BGP neighbors found\n"
    now = time.time()
    return "\n".join(neighbor_block(p, now, bgp.system_as) for p in peers)


def show_ip_route_bgp(session: "Session", command: "Command") -> str:
    """`show ip route bgp` (reached through `show ip route`, nos_shell/ops/routes.py)."""
    state, bgp = reader(session)
    return route_lines(state.routes(4), state.installed(4), internal_addresses(bgp), time.time())


COMMANDS = (
    OpCommand("show_bgp_summary", ("show ip bgp summary", "show bgp summary"), show_bgp_summary, "BGP sessions"),
    OpCommand("show_bgp_neighbors", ("show bgp neighbors", "show ip bgp neighbors"), show_bgp_neighbors,
              "BGP neighbors in detail"),
)

KEYWORDS: KeywordHelp = {
    ("bgp", "summary"): "Show a BGP summary",
    "bgp": "Show BGP information",
    "summary": "Show a BGP summary",
}
