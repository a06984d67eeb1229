"""``nos-shell lab status [NAME]``: each lab's nodes, links, daemons and BGP sessions.

A daemon is "up" when the pid in its pid file runs in the node's namespace; BGP sessions
are the router's own ``show ip bgp summary`` (through its nos-shell root), asked only of a
router whose BGP daemon runs.
"""
from __future__ import annotations

import json
from pathlib import Path

from . import namespaces
from .state import LabState, NodeState

#: daemon -> its pid file: under the node's state directory (``@``) or the router's root
PIDFILES = {"networkd": "@/networkd.pid", "bird": "run/bird.pid", "gobgpd": "run/nos-shell/gobgpd.pid",
            "ssh": "run/nos-shell/lab-ssh.pid"}


def _pid(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def daemons(state: LabState, node: NodeState) -> dict[str, bool]:
    """Daemon -> running, for the daemons this node has a pid file of."""
    out = {}
    for name, relative in PIDFILES.items():
        if relative.startswith("@"):
            path = state.node_dir(node.name) / relative[2:]
        elif node.root:
            path = Path(node.root) / relative
        else:
            continue
        pid = _pid(path)
        if pid is not None:
            out[name] = namespaces.in_netns(pid, node.netns)
    return out


def bgp_summary(node: NodeState) -> str:
    """The router's own BGP summary (empty when it has no BGP)."""
    from ..session import Session

    result = Session(Path(node.root), user="lab", via="cli").run("show ip bgp summary")
    return result.output.rstrip()


def report(state: LabState, *, bgp: bool = True) -> str:
    """The status of one lab as text."""
    phase = state.phase
    if phase != "up" and not namespaces.alive(state.owner):
        phase += f" (its lab up, pid {state.owner}, has ended: remove it with nos-shell lab down {state.name})"
    lines = [f"lab {state.name}: {phase} (topology {state.source}, state {state.directory})"]
    for node in state.nodes.values():
        present = namespaces.exists(node.netns)
        anchor = "" if not node.anchor else (" anchor up" if namespaces.alive(node.anchor) else " anchor DOWN")
        running = daemons(state, node)
        shown = ", ".join(f"{name} {'up' if up else 'DOWN'}" for name, up in running.items())
        lines.append(f"  {node.kind:<6} {node.name:<15} namespace {node.netns}"
                     f"{'' if present else ' (missing)'}{anchor}{'  ' + shown if shown else ''}")
    for link in state.links:
        a, b = link.split()
        lines.append(f"  link   {a} <-> {b}")
    if bgp:
        for node in state.nodes.values():
            running = daemons(state, node)
            if running.get("bird") or running.get("gobgpd"):
                summary = bgp_summary(node)
                if summary:
                    lines.append(f"  BGP of {node.name}:")
                    lines += [f"    {line}" for line in summary.splitlines()]
    return "\n".join(lines) + "\n"


def as_json(state: LabState) -> str:
    """The same, for programs: nodes with namespace and daemons, and the links."""
    nodes = {node.name: {"kind": node.kind, "netns": node.netns, "present": namespaces.exists(node.netns),
                         "daemons": daemons(state, node)} for node in state.nodes.values()}
    return json.dumps({"name": state.name, "phase": state.phase, "nodes": nodes, "links": state.links},
                      indent=1, sort_keys=True) + "\n"
