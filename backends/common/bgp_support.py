"""The VyOS BGP options a daemon cannot carry out: each driver's verify refuses them for
its own backend only, naming the option, the backend and, where the other daemon can do
it, the setting that switches to it. Pure.

- both: `local-as N` other than `no-prepend replace-as` (BIRD's `local as` and GoBGP's
  `local-as` make the session speak AS N alone; FRR's default also prepends the system
  AS), `parameters graceful-restart stalepath-time` (neither daemon bounds how long it
  keeps a restarting neighbor's routes: both wait for the restart time that neighbor
  announces), and different `allowas-in` numbers in a neighbor's families (both daemons
  set it per session);
- gobgp: `parameters distance` (its route installer gives every route one metric).
"""
from __future__ import annotations

from collections.abc import Callable

from nos_shell.config.tree import ConfigTree, Node
from nos_shell.models import bgp as bgp_model
from nos_shell.models.bgp import BGP
from nos_shell.problems import Problem

DAEMON = {"bird": "BIRD", "gobgp": "GoBGP"}
OTHER = {"bird": "gobgp", "gobgp": "bird"}


def unsupported(tree: ConfigTree, backend: str) -> list[Problem]:
    """What ``backend`` ("bird" or "gobgp") cannot do in this tree, each with its path."""
    problems: list[Problem] = []
    daemon = DAEMON[backend]

    def refuse(path: tuple[str, ...], what: str, why: str = "", other_can: bool = False) -> None:
        text = f"{what} is not supported by the {backend} backend"
        if why:
            text += f" ({why})"
        if other_can:
            text += f"; use `set protocols bgp backend {OTHER[backend]}`"
        problems.append(Problem(path, text))

    peers = {kind: _children(tree, kind) for kind in ("neighbor", "peer-group")}
    for kind, children in peers.items():          # in the tree's own order: no sorting
        for key, node in children.items():
            _local_as(node, BGP + (kind, key), daemon, refuse)
    stale = BGP + ("parameters", "graceful-restart", "stalepath-time")
    if tree.exists(*stale):
        refuse(stale, "parameters graceful-restart stalepath-time",
               f"{daemon} keeps a restarting neighbor's routes for the restart time that neighbor announces")
    for key in peers["neighbor"]:
        n = bgp_model.neighbor(tree, key)
        numbers = {n.family(f).allowas_in for f in n.families}
        if len(numbers) > 1:
            refuse(n.path + ("address-family",), f"A different allowas-in in each address family of {key}",
                   f"{daemon} sets it once per session")
    if backend == "gobgp":
        distance = BGP + ("parameters", "distance")
        if tree.exists(*distance):
            refuse(distance, "parameters distance",
                   "its route installer gives every learned route one metric", other_can=True)
    return problems


def _local_as(peer: Node, path: tuple[str, ...], daemon: str, refuse: Callable[..., None]) -> None:
    """`local-as N` of one neighbor or peer group, unless it is `no-prepend replace-as`."""
    found = peer.children.get("local-as")
    for asn, node in (found.children.items() if found is not None else ()):
        if "replace-as" not in getattr(node.children.get("no-prepend"), "children", ()):
            refuse(path + ("local-as", asn), f"local-as {asn} without no-prepend replace-as",
                   f"{daemon} speaks AS {asn} alone on that session: set local-as {asn} no-prepend replace-as")


def _children(tree: ConfigTree, kind: str) -> dict[str, Node]:
    found = tree.node(*BGP, kind)
    return found.children if found is not None else {}
