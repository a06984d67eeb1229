"""A running lab's state file: what it is made of, written before each part is made.

One directory per lab under :data:`STATE_DIR` (``/run/nos-shell/labs/NAME/``, gone at a
reboot together with everything it describes) holding ``state.json`` and the runtime files
of its nodes (pid files, logs, the directories bind-mounted into a node). ``lab up`` claims
the directory with one ``mkdir`` (so a second ``lab up`` of the same name fails) and records
every namespace and process in the file before (namespaces) or as soon as (processes) it
makes it, so ``lab down`` finds everything again, also after ``lab up`` was killed.

Namespace names are ``LAB_NODE``: lab and node names never hold ``_`` (topology.NAME), so no
two labs can pick the same one. Links are made inside the namespaces (``ip -n A link add ...
peer ... netns B``) and never exist on the host, so they go with the namespaces.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATE_DIR = Path(os.environ.get("NOS_SHELL_LAB_STATE", "/run/nos-shell/labs"))
ROOTS_DIR = Path("/var/lib/nos-shell/labs")
STATE_FILE = "state.json"


class LabError(Exception):
    """A lab command that cannot go on; the message says why (and what to do)."""


def namespace(lab: str, node: str) -> str:
    """The network namespace of ``node`` in ``lab``: unique across labs."""
    return f"{lab}_{node}"


@dataclass
class NodeState:
    name: str
    kind: str
    netns: str
    anchor: int = 0                    # pid holding the node's mount and UTS namespaces
    root: str = ""                     # a router's nos-shell root
    pids: list[int] = field(default_factory=list)    # processes started for the node
    ssh: list[str] = field(default_factory=list)      # ssh argv tail (user@address, -p PORT)

    @property
    def prefix(self) -> list[str]:
        """How to run a program inside this node (argv words, never a shell)."""
        if self.anchor:
            return ["nsenter", "-t", str(self.anchor), "-n", "-m", "-u"]
        return ["ip", "netns", "exec", self.netns]


@dataclass
class LabState:
    name: str
    source: str                        # the topology file
    directory: str                     # this lab's state directory
    roots: str                         # where router roots live
    made_roots: list[str] = field(default_factory=list)   # directories lab up created
    nodes: dict[str, NodeState] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)         # "a:if b:if" as made
    phase: str = "starting"            # starting -> up
    owner: int = 0                     # the pid of the `lab up` that made it

    @property
    def path(self) -> Path:
        return Path(self.directory) / STATE_FILE

    def node_dir(self, node: str) -> Path:
        return Path(self.directory) / node

    def save(self) -> None:
        from ..fsutil import atomic_write

        data = asdict(self)
        atomic_write(self.path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode())


def _running(directory: Path) -> LabError:
    return LabError(f"lab {directory.name!r} is already running (state in {directory}); "
                    f"stop it first with: nos-shell lab down {directory.name}")


def check_free(name: str, state_dir: Path | None = None) -> None:
    """LabError when a lab of this name runs (or was left by a crash)."""
    directory = (state_dir or STATE_DIR) / name
    if directory.exists():
        raise _running(directory)


def claim(name: str, source: str, roots: Path, state_dir: Path | None = None) -> LabState:
    """Create the lab's state directory and file; fails when the lab already runs."""
    base = state_dir or STATE_DIR
    base.mkdir(parents=True, exist_ok=True)
    directory = base / name
    try:
        directory.mkdir(mode=0o755)
    except FileExistsError:
        raise _running(directory) from None
    directory.chmod(0o755)
    state = LabState(name=name, source=source, directory=str(directory), roots=str(roots), owner=os.getpid())
    state.save()
    return state


def load(name: str, state_dir: Path | None = None) -> LabState:
    """A lab's state from its file; LabError when there is none."""
    path = (state_dir or STATE_DIR) / name / STATE_FILE
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        if path.parent.is_dir():        # `lab up` killed between claiming the name and the first save
            return LabState(name=name, source="", directory=str(path.parent), roots="")
        raise LabError(f"no lab named {name!r} is running (no {path})") from None
    except (OSError, ValueError) as err:
        raise LabError(f"{path}: cannot read the lab's state: {err}") from None
    nodes = {key: NodeState(**value) for key, value in data.pop("nodes", {}).items()}
    return LabState(nodes=nodes, **data)


def names(state_dir: Path | None = None) -> list[str]:
    """The labs that have a state directory (running, or left by a crash), sorted."""
    base = state_dir or STATE_DIR
    if not base.is_dir():
        return []
    return sorted(entry.name for entry in base.iterdir() if entry.is_dir())


def find_node(spec: str, state_dir: Path | None = None) -> tuple[LabState, NodeState]:
    """``LAB:NODE``, or ``NODE`` when exactly one running lab has that node."""
    lab, sep, node = spec.rpartition(":")
    candidates = [lab] if sep else names(state_dir)
    found = []
    for name in candidates:
        state = load(name, state_dir)
        if node in state.nodes:
            found.append((state, state.nodes[node]))
    if len(found) == 1:
        return found[0]
    if not found:
        where = f"lab {lab!r}" if sep else "any running lab"
        raise LabError(f"no node {node!r} in {where}")
    labs = ", ".join(state.name for state, _ in found)
    raise LabError(f"node {node!r} is in several labs ({labs}): name it as LAB:{node}")
