"""``nos-shell lab up FILE``: check everything that can be checked, then build the lab.

Before anything is made: the topology file, the routers' configuration files, and the kernel
drivers the lab needs (the wiring's and the routers' own). Then, recording each part in the
state file first (nos_shell/lab/state.py): one namespace per node, the veth pairs (made
inside the namespaces, with the link's MTU on both ends), the routers (anchor, D-Bus,
apply.toml, their configuration committed through the normal commit path, their SSH
service) and the hosts (addresses, VLANs, routes, DHCP client, services). A lab that
fails half way is taken down again; one killed half way is taken down by ``lab down``.

``NOS_SHELL_LAB_FAULT=STEP`` (tests only) makes ``lab up`` SIGKILL itself when STEP begins
(``namespace:NODE``, ``link:N``, ``router:NODE``, ``commit:NODE``, ``host:NODE``, ``up``).
"""
from __future__ import annotations

import dataclasses
import os
import signal
import sys
from pathlib import Path

from . import drivers, namespaces, state as lab_state, topology as topo
from .progress import Progress
from .state import LabError, LabState, NodeState


def fault(step: str) -> None:
    """Die by SIGKILL here when a test asked for this step."""
    if os.environ.get("NOS_SHELL_LAB_FAULT") == step:
        os.kill(os.getpid(), signal.SIGKILL)


def read(source: Path, name: str | None) -> tuple[topo.Topology, dict[str, Path], dict[str, list[str]]]:
    """The topology (renamed when ``name`` is given), each router's configuration file and
    its set lines; LabError (TopologyError) for anything wrong in them."""
    if name is None:
        topology = topo.load(source)
    else:
        if not topo.NAME.fullmatch(name):
            raise LabError(f"--name {name!r}: use 1-15 lower-case letters, digits and '-', starting with a letter")
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise LabError(f"{source}: cannot read: {err}") from None
        topology = dataclasses.replace(topo.parse(text, str(source), default_name=name), name=name)
    from .router import set_lines

    configs: dict[str, Path] = {}
    lines: dict[str, list[str]] = {}
    for node in topology.routers():
        path = source.parent / str(node.config)
        if not path.is_file():
            raise LabError(f"{source}: nodes.{node.name}.config: {path} is not a file")
        try:
            lines[node.name] = set_lines(path)
        except (OSError, UnicodeDecodeError) as err:
            raise LabError(f"{path}: cannot read: {err}") from None
        configs[node.name] = path
    return topology, configs, lines


def check_drivers(topology: topo.Topology, lines: dict[str, list[str]]) -> None:
    from .kernel import missing_drivers

    message = drivers.refusal(topology, drivers.needed(topology, lines), missing_drivers())
    if message:
        raise LabError(message)


def up(source: Path, name: str | None = None, directory: Path | None = None,
       state_dir: Path | None = None) -> LabState:
    """Bring the lab of ``source`` up; its state. On failure everything made is removed."""
    source = source.resolve()
    topology, configs, lines = read(source, name)
    check_drivers(topology, lines)
    roots = (directory.resolve() if directory else lab_state.ROOTS_DIR / topology.name)
    lab_state.check_free(topology.name, state_dir)
    for node in topology.nodes.values():
        ns = lab_state.namespace(topology.name, node.name)
        if namespaces.exists(ns):
            raise LabError(f"network namespace {ns} already exists (left by another program?); "
                           f"remove it with: ip netns del {ns}")
        if node.is_router and (roots / node.name).exists():
            raise LabError(f"{roots / node.name} already exists: remove it or choose another --dir")
    state = lab_state.claim(topology.name, str(source), roots, state_dir)
    try:
        build(state, topology, configs, lines)
    except BaseException:
        from .down import down

        down(state)
        raise
    return state


def build(state: LabState, topology: topo.Topology, configs: dict[str, Path],
          lines: dict[str, list[str]]) -> None:
    from . import hosts, router

    roots = Path(state.roots)
    steps = len(topology.nodes) + len(topology.links) + 2 * len(topology.routers()) + len(topology.hosts())
    with Progress(topology.name, steps) as progress:
        if not roots.exists():
            state.made_roots.append(str(roots))
        for node in topology.nodes.values():
            fault(f"namespace:{node.name}")
            progress.step(f"namespace of {node.name}")
            record = NodeState(node.name, node.kind, lab_state.namespace(topology.name, node.name))
            if node.is_router:
                record.root = str(roots / node.name)
                if str(roots) not in state.made_roots:
                    state.made_roots.append(record.root)
            state.nodes[node.name] = record
            state.save()
            namespaces.add(record.netns)
        for index, link in enumerate(topology.links):
            fault(f"link:{index}")
            progress.step(f"link {link.a} - {link.b}")
            state.links.append(f"{link.a} {link.b}")
            state.save()
            wire(state, link)
        for node in topology.routers():
            fault(f"router:{node.name}")
            progress.step(f"router {node.name}: namespaces, D-Bus")
            router.prepare(state, node, lines[node.name])
            fault(f"commit:{node.name}")
            progress.step(f"router {node.name}: commit {configs[node.name].name}")
            router.commit(state, node, configs[node.name], lines[node.name])
            router.start_ssh(state, node, lines[node.name])
        notes = []
        for node in topology.hosts():
            fault(f"host:{node.name}")
            progress.step(f"host {node.name}")
            notes += hosts.configure(state, node)
        fault("up")
        state.phase = "up"
        state.save()
    for note in notes:
        print(f"lab {topology.name}: warning: {note}", file=sys.stderr)


def wire(state: LabState, link: topo.Link) -> None:
    """A veth pair made inside the namespaces (the host never sees it), both ends up."""
    a, b = state.nodes[link.a.node].netns, state.nodes[link.b.node].netns
    namespaces.run("ip", "-n", a, "link", "add", link.a.interface, "type", "veth",
                   "peer", "name", link.b.interface, "netns", b)
    for ns, interface in ((a, link.a.interface), (b, link.b.interface)):
        if link.mtu is not None:
            namespaces.run("ip", "-n", ns, "link", "set", interface, "mtu", str(link.mtu))
        namespaces.run("ip", "-n", ns, "link", "set", interface, "up")
