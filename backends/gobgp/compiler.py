"""GoBGP compiler: `protocols bgp` -> etc/gobgp/gobgpd.toml (written with tomli-w).

Active when the tree holds BGP configuration and `protocols bgp backend` is `gobgp`;
otherwise :func:`compile` returns no file and :func:`verify` no problem.

The file holds the global AS and router id, one ``[[neighbors]]`` table per neighbor
(peer groups already folded in by :mod:`nos_shell.models.bgp`; GoBGP's own ``[[peer-groups]]`` are
not used because they force the group's peer-as onto every member) and a global export
policy that announces locally originated routes only (``route-type = "local"``;
``default-export-policy = "reject-route"``), the same as BIRD's ``bgp_export`` filters:
routes learned from one neighbor are not passed on to another.

What the file cannot hold, and the apply layer therefore has to sync through the
CLI or API (``gobgp global rib add|del -a ipv4|ipv6 PREFIX``):

- the routes to announce. :func:`announcements` gives them per family from the tree
  alone: the `network` prefixes, plus, where `redistribute connected` is set, the
  prefixes of the interface addresses in the tree (enabled interfaces; loopback and
  link-local ranges left out), and, where `redistribute static` is set, the prefixes of
  the `protocols static` routes that still have an enabled next hop, interface or
  blackhole; :func:`meds` gives the MED of those a `redistribute ... metric` sets.
  GoBGP announces them unconditionally, with this router as next hop
  (BIRD withdraws a connected or static prefix while its interface or gateway is down).
- installing learned routes into the kernel: GoBGP has no kernel protocol (no zebra
  here); the route installer (``routes.py``), started by ``control.reload``, follows the RIB
  and programs them.

Changes under ``[global.config]`` (AS, router id) need a restart of gobgpd; neighbor
changes apply with SIGHUP.
"""
from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from nos_shell.config.tree import ConfigTree
from nos_shell.models import bgp as bgp_model
from nos_shell.models.bgp import FAMILIES, Bgp, Neighbor
from nos_shell.problems import Problem

from ..common import bgp_rules
from ..common.bgp_support import unsupported
from ..contract import HEADER

NAME = "gobgp"
CONF = PurePosixPath("etc/gobgp/gobgpd.toml")
EXPORT_POLICY = "nos-announce-local"


def active(tree: ConfigTree) -> bool:
    return bgp_model.active(tree, NAME)


def verify(tree: ConfigTree) -> list[Problem]:
    """The shared BGP rules, plus what GoBGP cannot do."""
    if not active(tree):
        return []
    problems = bgp_rules.verify(tree) or unsupported(tree, NAME)
    for key in tree.keys(*bgp_model.BGP, "neighbor"):
        n = bgp_model.neighbor(tree, key)
        if n.holdtime == 0:
            # GoBGP 3.10 sets its socket write deadline to now + negotiated hold time: with
            # 0 the session drops at the first UPDATE it sends (seen here against BIRD).
            problems.append(Problem(n.path + ("timers", "holdtime"),
                                    "GoBGP cannot run a session with hold time 0 (it drops the "
                                    "session when it sends its first update): use 3 or more"))
    return problems


def compile(tree: ConfigTree) -> dict[PurePosixPath, bytes]:
    if not active(tree):
        return {}
    return {CONF: render(bgp_model.view(tree)).encode()}


def stale(old: ConfigTree, new: ConfigTree) -> bool:
    """gobgpd needs a reload without a changed file when its announcements changed (they
    live in its RIB, synced through the API, not in the TOML file)."""
    return announcements(old) != announcements(new) or meds(old) != meds(new)


def announcements(tree: ConfigTree) -> dict[str, list[str]]:
    """The prefixes gobgpd must originate, per family (``ipv4-unicast``, ``ipv6-unicast``;
    both keys always present), sorted and unique. Empty when GoBGP is not the active
    backend, so apply withdraws everything it added before."""
    if not active(tree):
        return {family: [] for family in FAMILIES}
    return {family: list(p) for family, p in bgp_model.announcements(bgp_model.view(tree)).items()}


def meds(tree: ConfigTree) -> dict[str, dict[str, int]]:
    """The MED of each announcement that `redistribute connected|static metric M` gives
    one, per family (prefix -> M; both keys always present). A prefix both connected and
    static takes the connected metric, and a redistributed prefix that is also a `network`
    the redistribution's: the route BIRD would prefer (direct over static)."""
    out: dict[str, dict[str, int]] = {family: {} for family in FAMILIES}
    if not active(tree):
        return out
    bgp = bgp_model.view(tree)
    for family in FAMILIES:
        sources = {"static": [r.prefix for r in bgp.static.get(family, ())],
                   "connected": list(bgp.connected.get(family, ()))}
        for source in ("static", "connected"):              # connected last: it wins
            med = bgp.params.med(family, source)
            if med is not None and source in bgp.redistribute.get(family, ()):
                out[family].update(dict.fromkeys(sources[source], med))
    return out


def _neighbor(bgp: Bgp, n: Neighbor) -> dict[str, Any]:
    config: dict[str, Any] = {"neighbor-address": n.address}
    peer_as = n.peer_as(bgp.system_as)
    if peer_as is not None:        # `external`: no peer-as, GoBGP takes the AS from the OPEN
        config["peer-as"] = peer_as
    if n.description is not None:
        config["description"] = n.description
    if n.password is not None:
        config["auth-password"] = n.password
    if n.shutdown:
        config["admin-down"] = True
    if n.local_as is not None:
        config["local-as"] = n.local_as.asn
    options = [n.family(f) for f in n.families]
    if any(o.remove_private_as == "all" for o in options):
        config["remove-private-as"] = "all"
    out: dict[str, Any] = {"config": config}
    timers: dict[str, Any] = {"hold-time": n.holdtime, "keepalive-interval": n.keepalive}
    if n.connect is not None:
        timers["connect-retry"] = n.connect
    out["timers"] = {"config": timers}
    transport: dict[str, Any] = {}
    if n.source_address is not None:
        transport["local-address"] = n.source_address
    if n.port is not None:
        transport["remote-port"] = n.port
    if transport:
        out["transport"] = {"config": transport}
    if n.ebgp_multihop is not None and not n.is_internal(bgp.system_as):
        out["ebgp-multihop"] = {"config": {"enabled": True, "multihop-ttl": n.ebgp_multihop}}
    path_options: dict[str, Any] = {}
    allowas = {o.allowas_in for o in options} - {None}
    if allowas:
        path_options["allow-own-as"] = max(allowas)
    if any(o.as_override for o in options):
        path_options["replace-peer-as"] = True
    if path_options:
        out["as-path-options"] = {"config": path_options}
    if bgp.params.graceful_restart:
        out["graceful-restart"] = {"config": {"enabled": True}}
    out["afi-safis"] = [_afi_safi(bgp, n, family) for family in n.families]
    return out


def _afi_safi(bgp: Bgp, n: Neighbor, family: str) -> dict[str, Any]:
    afi: dict[str, Any] = {"config": {"afi-safi-name": family}}
    if bgp.params.graceful_restart:
        afi["mp-graceful-restart"] = {"config": {"enabled": True}}
    limit = n.family(family).maximum_prefix
    if limit is not None:
        afi["prefix-limit"] = {"config": {"max-prefixes": limit}}
    return afi


def document(bgp: Bgp) -> dict[str, Any]:
    """The gobgpd configuration as a TOML-ready dict (key order is output order)."""
    doc: dict[str, Any] = {
        "global": {
            "config": {"as": bgp.system_as, "router-id": bgp.router_id},
            "apply-policy": {"config": {
                "export-policy-list": [EXPORT_POLICY],
                "default-export-policy": "reject-route",
                "default-import-policy": "accept-route",
            }},
        },
    }
    if bgp.neighbors:
        doc["neighbors"] = [_neighbor(bgp, n) for n in bgp.neighbors]
    doc["policy-definitions"] = [{
        "name": EXPORT_POLICY,
        "statements": [{
            "name": "locally-originated",
            "conditions": {"bgp-conditions": {"route-type": "local"}},
            "actions": {"route-disposition": "accept-route"},
        }],
    }]
    return doc


def render(bgp: Bgp) -> str:
    import tomli_w          # (only a compile of GoBGP's file pays for the import)

    return f"# {HEADER}\n\n" + tomli_w.dumps(document(bgp))
