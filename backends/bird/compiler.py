"""BIRD 2 compiler: `protocols bgp` (and the static routes it redistributes) -> etc/bird/bird.conf.

Active when the tree holds BGP configuration and `protocols bgp backend` is `bird`
(the default); otherwise :func:`compile` returns no file and :func:`verify` no problem.

What the file holds (see docs/backends-bgp.md for the full mapping):

- ``timeformat protocol|route iso long`` (full dates, for the operational commands);
- ``router id`` (configured, or derived from the tree's interface addresses);
- ``protocol device`` and ``protocol direct connected`` (interface routes: next-hop
  resolution, and the source of `redistribute connected`);
- ``protocol kernel kernel4/kernel6``: learns the kernel's routes (so iBGP next hops
  resolve) and exports only routes learned through BGP (``source = RTS_BGP``), so the
  unreachable routes below never reach the kernel;
- ``protocol static bgp_network4/6``: one ``unreachable`` route per `network`, which
  exists only inside BIRD and is what gets announced;
- ``protocol static bgp_static4/6``: the `protocols static` routes, when redistributed
  (installing static routes is not BIRD's job here; these feed BGP only);
- ``filter bgp_export4/6``: accepts exactly the networks (their unreachable route, or the
  connected route where a network is an interface's prefix: that one is then the best),
  the redistributed static routes and the tree's connected prefixes; everything else,
  including routes learned from other neighbors, is not announced;
- one ``protocol bgp`` per neighbor (peer groups already folded in), named after its
  address (``bgp_192_0_2_1``, ``bgp_2001_db8__1``) so live reconfiguration keeps
  sessions that did not change.

Strings (description, password) are written in double quotes; BIRD strings have no
escapes, so verify refuses `"` in those values and :func:`quote` refuses it again here.
"""
from __future__ import annotations

import ipaddress
from pathlib import PurePosixPath

from nos_shell.config.tree import ConfigTree
from nos_shell.models import bgp as bgp_model
from nos_shell.models.bgp import FAMILIES, Bgp, Neighbor, StaticRoute
from nos_shell.problems import Problem

from ..common import bgp_rules
from ..common.bgp_support import unsupported
from ..contract import HEADER

NAME = "bird"
CONF = PurePosixPath("etc/bird/bird.conf")
INDENT = "    "
CHANNEL = {"ipv4-unicast": "ipv4", "ipv6-unicast": "ipv6"}
SUFFIX = {"ipv4-unicast": "4", "ipv6-unicast": "6"}
CONNECTED = "connected"


def active(tree: ConfigTree) -> bool:
    return bgp_model.active(tree, NAME)


def verify(tree: ConfigTree) -> list[Problem]:
    """The shared BGP rules (once every value is safe to write into the file), plus what
    BIRD cannot do."""
    return (bgp_rules.verify(tree) or unsupported(tree, NAME)) if active(tree) else []


def compile(tree: ConfigTree) -> dict[PurePosixPath, bytes]:
    if not active(tree):
        return {}
    return {CONF: render(bgp_model.view(tree)).encode()}


# -- rendering ------------------------------------------------------------------------------
def quote(value: str) -> str:
    """A BIRD string literal. BIRD has no escapes: a `"` or a control character cannot be
    written safely, so refuse it (verify has already reported it to the user)."""
    if '"' in value or any(ord(c) < 0x20 or ord(c) == 0x7f for c in value):
        raise ValueError(f"value cannot be written as a BIRD string: {value!r}")
    return f'"{value}"'


def protocol_name(n: Neighbor) -> str:
    return "bgp_" + n.address.replace(".", "_").replace(":", "_")


def _block(head: str, body: list[str], depth: int = 0) -> list[str]:
    pad = INDENT * depth
    return [f"{pad}{head} {{", *(f"{pad}{INDENT}{line}" if line else "" for line in body), f"{pad}}}"]


def _static_route(route: StaticRoute) -> str:
    if route.gateways:
        hops = []
        for gw, iface in route.gateways:
            link_local = ipaddress.ip_address(gw).is_link_local
            # BIRD names the interface of a link-local next hop as a symbol: 'eth0.100'
            if link_local and iface and all(c.isalnum() or c in "-_.:" for c in iface):
                hops.append(f"via {gw}%'{iface}'")
            else:
                hops.append(f"via {gw}")
        target = " ".join(hops)
    elif route.interfaces:
        target = " ".join(f"via {quote(i)}" for i in route.interfaces)
    else:
        target = "blackhole"
    return f"route {route.prefix} {target};"


def _accept(med: int | None) -> str:
    """Accept a route, with `bgp_med` set when redistribute gives a metric."""
    return "accept;" if med is None else f"{{ bgp_med = {med}; accept; }}"


def _export_filter(bgp: Bgp, family: str) -> list[str]:
    sfx = SUFFIX[family]
    body = []
    if bgp.networks[family]:
        body.append(f'if proto = "bgp_network{sfx}" then accept;')
        # A network that is also an interface's prefix has the connected route as its best
        # route (direct outranks static), and BGP exports only best routes: accept that one.
        exact = " || ".join(f"net = {prefix}" for prefix in bgp.networks[family])
        body.append(f'if proto = "{CONNECTED}" && ({exact}) then accept;')
    if "static" in bgp.redistribute[family] and bgp.static[family]:
        body.append(f'if proto = "bgp_static{sfx}" then {_accept(bgp.params.med(family, "static"))}')
    if "connected" in bgp.redistribute[family] and bgp.connected[family]:
        body.append(f'if proto = "{CONNECTED}" && net ~ [ {", ".join(bgp.connected[family])} ] '
                    f'then {_accept(bgp.params.med(family, "connected"))}')
    body.append("reject;")
    return _block(f"filter bgp_export{sfx}", body)


def _channel(n: Neighbor, family: str) -> list[str]:
    """One family's channel: everything learned accepted, our own routes exported, with this
    router as next hop (so `nexthop-self` is always in effect)."""
    options = n.family(family)
    body = ["import all;", f"export filter bgp_export{SUFFIX[family]};", "next hop self;"]
    if options.soft_inbound:
        body.append("import table on;")
    if options.maximum_prefix is not None:
        body.append(f"import limit {options.maximum_prefix} action disable;")
    return body


def _neighbor(bgp: Bgp, n: Neighbor) -> list[str]:
    body = []
    if n.description is not None:
        body.append(f"description {quote(n.description)};")
    body.append(f"local as {n.local_as.asn if n.local_as is not None else bgp.system_as};")
    peer = f"neighbor {n.address}"
    if n.port is not None:
        peer += f" port {n.port}"
    peer_as = n.peer_as(bgp.system_as)
    peer += f" as {peer_as};" if peer_as is not None else " external;"
    body.append(peer)
    if n.source_address is not None:
        body.append(f"source address {n.source_address};")
    if n.ebgp_multihop is not None and not n.is_internal(bgp.system_as):
        body.append(f"multihop {n.ebgp_multihop};")
    if n.password is not None:
        body.append(f"password {quote(n.password)};")
    if n.shutdown:
        body.append("disabled;")
    allowas = {n.family(f).allowas_in for f in n.families} - {None}
    if allowas:
        body.append(f"allow local as {max(allowas)};")
    if bgp.params.graceful_restart:
        body.append("graceful restart on;")
    if bgp.params.log_neighbor_changes:
        body.append("debug { states };")
    body.append(f"hold time {n.holdtime};")
    if n.holdtime:
        body.append(f"keepalive time {n.keepalive};")
    if n.connect is not None:
        # BIRD waits `connect delay time` (default 5 s) before its first attempt, GoBGP
        # retries on its connect-retry timer: a short retry shortens the first wait too.
        body.append(f"connect delay time {min(n.connect, 5)};")
        body.append(f"connect retry time {n.connect};")
    for family in n.families:
        body += _block(CHANNEL[family], _channel(n, family))
        body[-1] += ";"
    head = f"protocol bgp {protocol_name(n)}"
    lines = [f"# neighbor {n.address}" + (f" (peer-group {n.peer_group})" if n.peer_group else "")]
    return lines + _block(head, body)


def _kernels(bgp: Bgp, family: str) -> list[str]:
    """The kernel protocol of one family: only routes learned through BGP reach the kernel.
    With `parameters distance global` each goes in at the external or internal distance as
    its kernel metric (nos-shell's distance is the kernel metric, as for static routes):
    `krt_metric` set in the export filter, which BIRD 2.0 uses only when the protocol's own
    `metric` is 0."""
    head = [f"protocol kernel kernel{SUFFIX[family]}", "learn;"]
    if bgp.params.distance is None:
        export = ["export where source = RTS_BGP;"]
    else:
        external, internal, _ = bgp.params.distance
        head.append("metric 0;      # each route's krt_metric")
        body = ["if source != RTS_BGP then reject;", f"krt_metric = {external};"]
        names = [protocol_name(n) for n in bgp.neighbors if n.is_internal(bgp.system_as)]
        if names:
            match = " || ".join(f"proto = {quote(name)}" for name in names)
            body.append(f"if {match} then krt_metric = {internal};")
        export = _block("export filter", [*body, "accept;"])
        export[-1] += ";"
    channel = _block(CHANNEL[family], ["import all;", *export])
    channel[-1] += ";"
    return _block(head[0], [*head[1:], *channel])


def render(bgp: Bgp) -> str:
    out = [f"# {HEADER}", ""]
    out += ["# Full dates in birdc output (the default shows only a date for anything older",
            "# than 20 hours): `show bgp summary` computes session uptimes from them."]
    out += ["timeformat protocol iso long;", "timeformat route iso long;", ""]
    out += [f"router id {bgp.router_id};", ""]
    out += _block("protocol device", []) + [""]
    out += ["# Interface routes: resolve next hops; announced only with redistribute connected."]
    out += _block(f"protocol direct {CONNECTED}", ["ipv4;", "ipv6;"]) + [""]
    out += ["# The kernel gets the routes learned through BGP and nothing else."]
    for family in FAMILIES:
        out += _kernels(bgp, family) + [""]
    for family in FAMILIES:
        sfx = SUFFIX[family]
        if bgp.networks[family]:
            out += [f"# protocols bgp address-family {family} network: announced, never installed."]
            out += _block(f"protocol static bgp_network{sfx}",
                          [f"{CHANNEL[family]};", *(f"route {p} unreachable;" for p in bgp.networks[family])])
            out += [""]
        if "static" in bgp.redistribute[family] and bgp.static[family]:
            out += [f"# protocols static, for redistribute static ({family}): announced while usable, "
                    "never installed by BIRD."]
            out += _block(f"protocol static bgp_static{sfx}",
                          [f"{CHANNEL[family]};", *(_static_route(r) for r in bgp.static[family])])
            out += [""]
    out += ["# What this router announces: the configured networks and redistributed routes only."]
    for family in FAMILIES:
        out += _export_filter(bgp, family) + [""]
    for n in bgp.neighbors:
        out += _neighbor(bgp, n) + [""]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
