"""The BGP table views and `reset ip bgp`, in FRR's layout, the same for BIRD and GoBGP.

- ``show ip bgp``: every path, the ones originated here (``Next Hop 0.0.0.0``, weight
  32768, as FRR prints its own ``network`` routes) and the learned ones;
- ``show ip bgp neighbors X routes``: the paths accepted from X; ``received-routes``: the
  paths X sent before import policy (GoBGP's adj-in; BIRD imports everything, so the same
  as ``routes``); ``advertised-routes``: the prefixes sent to X (BIRD: ``show route export``,
  GoBGP: adj-out), shown with this router's path for them, as FRR does;
- ``reset ip bgp X|all [soft]``: hard (the session is closed and comes up again: BIRD
  ``restart``, GoBGP ``neighbor X reset``) or soft (routes re-sent and re-requested, the
  session stays: BIRD ``reload``, GoBGP ``softreset``). Like VyOS, it prints nothing.

Weight is FRR's notion (neither daemon has one): 32768 for local paths, 0 for learned ones.
LocPrf is shown for paths from internal neighbors. The table version is 0 (neither daemon
numbers its table).
"""
from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from .errors import NosError
from .ops_bgp import BirdDaemon, Route, _daemon, _internal, _sort_key

if TYPE_CHECKING:
    from .commands import Command
    from .session import Session

HEADER = f"{'':3}{'Network':<17}{'Next Hop':<20}{'Metric':>6} {'LocPrf':>6} {'Weight':>6} Path"


def table(routes: list[Route], internal: set[str], router_id: str | None, local_as: int | None) -> list[str]:
    """FRR's ``show ip bgp`` lines for ``routes`` (local ones have ``peer`` None)."""
    lines = [f"BGP table version is 0, local router ID is {router_id or '0.0.0.0'}, vrf id 0",
             f"Default local pref 100, local AS {local_as or 0}",
             "Status codes:  * valid, > best, i internal",
             "Origin codes:  i - IGP, e - EGP, ? - incomplete", "", HEADER]
    for r in sorted(routes, key=lambda r: (_sort_key(r.prefix), not r.best)):
        inside = r.peer in internal
        status = "*" + (">" if r.best else " ") + ("i" if inside else " ")
        local = r.peer is None
        hop = ("0.0.0.0" if ipaddress.ip_network(r.prefix).version == 4 else "::") if local else (r.next_hop or "")
        metric = "0" if local and r.med is None else ("" if r.med is None else str(r.med))
        pref = "100" if inside else ""
        path = " ".join(str(a) for a in r.as_path)
        lines.append(f"{status}{r.prefix:<16} {hop:<19} {metric:>6} {pref:>6} {'32768' if local else '0':>6} "
                     f"{(path + ' ' if path else '')}{r.origin}")
    return lines


def _paths(daemon, version: int) -> list[Route]:
    """Every path of the table: originated here (best as the daemon says), then learned."""
    return daemon.local_routes(version) + daemon.routes(version)


def show_ip_bgp(session: "Session", command: "Command") -> str:
    daemon, bgp = _daemon(session)
    routes = _paths(daemon, 4)
    lines = table(routes, _internal(daemon, bgp), daemon.router_id(), bgp.system_as)
    lines += ["", f"Displayed  {len({r.prefix for r in routes})} routes and {len(routes)} total paths"]
    return "\n".join(lines) + "\n"


def _neighbor(session: "Session", command: "Command"):
    daemon, bgp = _daemon(session)
    try:
        address = ipaddress.ip_address(command.words[0]).compressed
    except ValueError:
        raise NosError(f"{command.words[0]} is not a neighbor address") from None
    found = [n for n in bgp.neighbors if ipaddress.ip_address(n.address).compressed == address]
    if not found:
        raise NosError(f"No such neighbor: {address}")
    return daemon, bgp, found[0]


def _name(daemon, neighbor) -> str:
    """How the daemon names the neighbor's paths and sessions."""
    if isinstance(daemon, BirdDaemon):
        from .backends.bird.compiler import protocol_name

        return protocol_name(neighbor)
    return ipaddress.ip_address(neighbor.address).compressed


def neighbor_routes(session: "Session", command: "Command", received: bool = False) -> str:
    daemon, bgp, neighbor = _neighbor(session, command)
    version = ipaddress.ip_address(neighbor.address).version
    name = _name(daemon, neighbor)
    accepted = [r for r in daemon.routes(version) if r.peer == name]
    routes = accepted
    if received and not isinstance(daemon, BirdDaemon):
        best = {r.prefix for r in accepted if r.best}
        routes = daemon.adj_in(name, version)
        for route in routes:          # adj-in has no best flag: that of the path it became
            route.best = route.prefix in best
    lines = table(routes, _internal(daemon, bgp), daemon.router_id(), bgp.system_as)
    lines += ["", f"Displayed  {len({r.prefix for r in routes})} routes and {len(routes)} total paths"]
    return "\n".join(lines) + "\n"


def show_received_routes(session: "Session", command: "Command") -> str:
    return neighbor_routes(session, command, received=True)


def show_neighbor_routes(session: "Session", command: "Command") -> str:
    return neighbor_routes(session, command)


def show_advertised_routes(session: "Session", command: "Command") -> str:
    daemon, bgp, neighbor = _neighbor(session, command)
    version = ipaddress.ip_address(neighbor.address).version
    sent = daemon.advertised(_name(daemon, neighbor), version)
    own = {r.prefix: r for r in _paths(daemon, version) if r.best}
    routes = [own[p] for p in sorted(sent, key=_sort_key) if p in own]
    lines = table(routes, _internal(daemon, bgp), daemon.router_id(), bgp.system_as)
    lines += ["", f"Total number of prefixes {len(routes)}"]
    return "\n".join(lines) + "\n"


def _reset(session: "Session", command: "Command", soft: bool) -> str:
    daemon, bgp = _daemon(session)
    if not command.words:                  # reset ip bgp all
        targets = [n for n in bgp.neighbors if not n.shutdown]
    else:
        targets = [_neighbor(session, command)[2]]
    for neighbor in targets:
        daemon.reset(_name(daemon, neighbor), soft)
    return ""


def reset_bgp(session: "Session", command: "Command") -> str:
    return _reset(session, command, soft=False)


def reset_bgp_soft(session: "Session", command: "Command") -> str:
    return _reset(session, command, soft=True)
