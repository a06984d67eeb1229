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

from ...errors import NosError
from ...models.bgp_state import Route
from ..command import KeywordHelp, OpCommand
from .source import internal_addresses, prefix_key, reader

if TYPE_CHECKING:
    from ...commands import Command
    from ...session import Session

HEADER = f"{'':3}{'Network':<17}{'Next Hop':<20}{'Metric':>6} {'LocPrf':>6} {'Weight':>6} Path"


def table(routes: list[Route], internal: set[str], router_id: str | None, local_as: int | None) -> list[str]:
    """FRR's ``show ip bgp`` lines for ``routes`` (local ones have ``peer`` None)."""
    lines = [f"BGP table version is 0, local router ID is {router_id or '0.0.0.0'}, vrf id 0",
             f"Default local pref 100, local AS {local_as or 0}",
             "Status codes:  * valid, > best, i internal",
             "Origin codes:  i - IGP, e - EGP, ? - incomplete", "", HEADER]
    for r in sorted(routes, key=lambda r: (prefix_key(r.prefix), not r.best)):
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


def _paths(state, version: int) -> list[Route]:
    """Every path of the table: originated here (best as the daemon says), then learned."""
    return state.local_routes(version) + state.routes(version)


def _shown(routes: list[Route], state, bgp, last: str) -> str:
    lines = table(routes, internal_addresses(bgp), state.router_id(), bgp.system_as)
    return "\n".join(lines + ["", last]) + "\n"


def _displayed(routes: list[Route]) -> str:
    return f"Displayed  {len({r.prefix for r in routes})} routes and {len(routes)} total paths"


def show_ip_bgp(session: "Session", command: "Command") -> str:
    state, bgp = reader(session)
    routes = _paths(state, 4)
    return _shown(routes, state, bgp, _displayed(routes))


def _neighbor(session: "Session", command: "Command"):
    """The reader, the BGP view and the configured neighbor the command names."""
    state, bgp = reader(session)
    try:
        address = ipaddress.ip_address(command.words[0]).compressed
    except ValueError:
        raise NosError(f"{command.words[0]} is not a neighbor address") from None
    if not any(ipaddress.ip_address(n.address).compressed == address for n in bgp.neighbors):
        raise NosError(f"No such neighbor: {address}")
    return state, bgp, address


def show_received_routes(session: "Session", command: "Command") -> str:
    state, bgp, address = _neighbor(session, command)
    routes = state.received(address, ipaddress.ip_address(address).version)
    return _shown(routes, state, bgp, _displayed(routes))


def show_neighbor_routes(session: "Session", command: "Command") -> str:
    state, bgp, address = _neighbor(session, command)
    routes = [r for r in state.routes(ipaddress.ip_address(address).version) if r.peer == address]
    return _shown(routes, state, bgp, _displayed(routes))


def show_advertised_routes(session: "Session", command: "Command") -> str:
    state, bgp, address = _neighbor(session, command)
    version = ipaddress.ip_address(address).version
    sent = state.advertised(address, version)
    own = {r.prefix: r for r in _paths(state, version) if r.best}
    routes = [own[p] for p in sorted(sent, key=prefix_key) if p in own]
    return _shown(routes, state, bgp, f"Total number of prefixes {len(routes)}")


def _reset(session: "Session", command: "Command", soft: bool) -> str:
    state, bgp = reader(session)
    if not command.words:                  # reset ip bgp all
        addresses = [ipaddress.ip_address(n.address).compressed for n in bgp.neighbors if not n.shutdown]
    else:
        addresses = [_neighbor(session, command)[2]]
    for address in addresses:
        state.reset(address, soft)
    return ""


def reset_bgp(session: "Session", command: "Command") -> str:
    return _reset(session, command, soft=False)


def reset_bgp_soft(session: "Session", command: "Command") -> str:
    return _reset(session, command, soft=True)


COMMANDS = (
    OpCommand("show_ip_bgp", ("show ip bgp",), show_ip_bgp, "The BGP table: paths originated here and learned"),
    OpCommand("show_bgp_received_routes", ("show ip bgp neighbors",), show_received_routes,
              "Show the routes the neighbor sent, before import policy"),
    OpCommand("show_bgp_advertised_routes", ("show ip bgp neighbors",), show_advertised_routes,
              "Show the routes sent to the neighbor"),
    OpCommand("show_bgp_neighbor_routes", ("show ip bgp neighbors",), show_neighbor_routes,
              "Show the routes accepted from the neighbor"),
    OpCommand("reset_bgp", ("reset ip bgp",), reset_bgp, "Reset every BGP neighbor, or one"),
    OpCommand("reset_bgp_soft", ("reset ip bgp",), reset_bgp_soft,
              "Send and request the routes again, keeping the session"),
)

KEYWORDS: KeywordHelp = {
    (None, "reset"): "Reset a service or session",
    ("reset", "ip"): "Reset IPv4 routing sessions",
    ("bgp", "all"): "Reset every BGP neighbor",
    ("ip", "bgp"): "Show the BGP table (or reset BGP sessions)",
    "advertised-routes": "Show the routes sent to the neighbor",
    "received-routes": "Show the routes the neighbor sent, before import policy",
    "routes": "Show the routes accepted from the neighbor",
    "soft": "Send and request the routes again, keeping the session",
}
