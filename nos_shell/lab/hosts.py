"""A lab's plain hosts: addresses, VLAN sub-interfaces, static routes, a DHCP client (a
systemd-networkd of the host's own) and the small responder of its services.

The host's links are already wired (nos_shell/lab/up.py); everything here is ``ip -n NS``
or a program started in the host's namespaces from an argv list.
"""
from __future__ import annotations

import sys
from pathlib import Path

from . import namespaces
from .state import LabState, NodeState
from .topology import HostInterface, Node


def dhcp_unit(interface: HostInterface) -> str:
    """The networkd unit of a DHCP interface (its static addresses too: networkd owns it)."""
    lines = ["[Match]", f"Name={interface.name}", "", "[Network]", "DHCP=yes", "IPv6AcceptRA=no"]
    lines += [f"Address={address}" for address in interface.addresses]
    return "\n".join(lines) + "\n"


def _family(address: object) -> list[str]:
    return ["-6"] if getattr(address, "version", 4) == 6 else []


def configure(state: LabState, node: Node) -> list[str]:
    """Give the host its VLANs, addresses, routes, DHCP client and services; notes for the
    user (a DHCP interface that got no lease)."""
    record = state.nodes[node.name]
    ns = record.netns
    order = sorted(node.interfaces.values(), key=lambda i: i.parent is not None)   # parents first
    for interface in order:
        if interface.parent is not None:
            namespaces.run("ip", "-n", ns, "link", "add", "link", interface.parent, "name", interface.name,
                           "type", "vlan", "id", str(interface.vlan))
        namespaces.run("ip", "-n", ns, "link", "set", interface.name, "up")
        if interface.dhcp:
            continue
        for address in interface.addresses:
            extra = ["nodad"] if address.version == 6 else []
            namespaces.run("ip", "-n", ns, "addr", "add", str(address), "dev", interface.name, *extra)
    notes: list[str] = []
    if any(i.dhcp for i in node.interfaces.values()):
        start_dhcp(state, record, node)
        notes += [f"host {node.name}: {name} has no DHCP lease after {LEASE_WAIT:g} s "
                  "(is a DHCP server on its link?)" for name in without_lease(record, node)]
    for route in node.routes:
        namespaces.run("ip", "-n", ns, *_family(route.via), "route", "replace", str(route.to),
                       "via", str(route.via))
    if node.services:
        start_services(state, record, node)
    return notes


LEASE_WAIT = 20.0


def leased(netns: str, interface: str) -> bool:
    """The interface has an IPv4 address from DHCP (a dynamic one)."""
    import json

    out = namespaces.run("ip", "-n", netns, "-4", "-j", "addr", "show", "dev", interface, check=False).stdout
    return any(a.get("dynamic") for link in json.loads(out or "[]") for a in link.get("addr_info", []))


def without_lease(record: NodeState, node: Node) -> list[str]:
    """The DHCP interfaces still without a lease after :data:`LEASE_WAIT` seconds."""
    import time

    waiting = [i.name for i in node.interfaces.values() if i.dhcp]
    deadline = time.monotonic() + LEASE_WAIT
    while waiting and time.monotonic() < deadline:
        waiting = [name for name in waiting if not leased(record.netns, name)]
        if waiting:
            time.sleep(0.1)
    return waiting


def start_dhcp(state: LabState, record: NodeState, node: Node) -> None:
    """The host's own networkd over units for its DHCP interfaces (in an anchor of its own)."""
    directory = state.node_dir(node.name)
    units, rundir = directory / "units", directory / "run-systemd"
    for path in (directory, units, rundir):
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(0o755)
    for interface in node.interfaces.values():
        if interface.dhcp:
            unit = units / f"10-{interface.name}.network"
            unit.write_text(dhcp_unit(interface))
            unit.chmod(0o644)
    record.anchor = namespaces.start_anchor(record.netns, directory,
                                            [(units, "/etc/systemd/network"), (rundir, "/run/systemd")])
    state.save()
    namespaces.run(*record.prefix, sys.executable, "-m", "nos_shell.lab.netd", "--dir", str(directory))


def start_services(state: LabState, record: NodeState, node: Node) -> None:
    """The responder answering on each of the host's service ports; waits until it listens."""
    directory = state.node_dir(node.name)
    directory.mkdir(parents=True, exist_ok=True)
    log = directory / "responder.log"
    specs = [f"{s.protocol}:{s.port}" for s in node.services]
    pid = namespaces.detach([*record.prefix, sys.executable, "-m", "nos_shell.lab.responder",
                             node.name, *specs], log)
    record.pids.append(pid)
    state.save()
    namespaces.wait_for(f"the services of {node.name}", lambda: _ready(log, pid), 10)


def _ready(log: Path, pid: int) -> bool:
    text = log.read_text(errors="replace")
    if "ready" in text:
        return True
    if not namespaces.alive(pid):
        from .state import LabError

        raise LabError(f"the responder did not start: {text.strip()}")
    return False
