"""``nos-shell lab down NAME|FILE``: remove everything a lab's state file names.

Every recorded process that is still in the lab's namespace is killed, then every process
``ip netns pids`` finds in each namespace, and the namespace is deleted (its veth ends go
with it; the bind mounts lived only in the nodes' private mount namespaces, which end with
their processes). Then the router roots ``lab up`` created and the state directory go. Each
step works on a lab whose ``lab up`` was killed at any point, and running it twice is harmless.
"""
from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from . import namespaces
from .state import LabState, NodeState


def stop_node(node: NodeState) -> None:
    mine = [pid for pid in (node.anchor, *node.pids) if pid and namespaces.in_netns(pid, node.netns)]
    namespaces.kill(mine)
    namespaces.remove(node.netns)


def down(state: LabState) -> list[str]:
    """Take the lab down; what was removed, one line each."""
    done = []
    for node in state.nodes.values():
        stop_node(node)
        done.append(f"node {node.name}: namespace {node.netns} removed")
    for path in state.made_roots:
        if Path(path).exists():
            shutil.rmtree(path, ignore_errors=True)
            done.append(f"removed {path}")
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(state.directory)
    return done
