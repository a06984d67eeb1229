"""A lab's topology drawn as text and as Graphviz DOT (``lab graph``).

Pure: :func:`as_text` and :func:`as_dot` take a :class:`~nos_shell.lab.topology.Topology`
and, for routers, the interfaces their configurations define (:class:`Port`, read by
:mod:`nos_shell.lab.routerports`); hosts' interfaces come from the topology itself.
Every string that reaches the DOT text goes through :func:`dot_string`, so a file name,
an address or a description can never break its syntax. :func:`render_picture` is the
one impure helper: it runs Graphviz's ``dot`` (argv, no shell) where it is installed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .topology import Link, Node, Topology

PICTURE_FORMATS = ("svg", "png", "pdf")


class GraphError(Exception):
    """A picture that cannot be drawn; the message says why and what to do."""


@dataclass(frozen=True)
class Port:
    """One interface of a node: its addresses (``dhcp`` for a DHCP client) and, for a VLAN,
    its parent and id; for a bridge, its member interfaces."""
    name: str
    addresses: tuple[str, ...] = ()
    parent: str | None = None
    vlan: int | None = None
    members: tuple[str, ...] = ()


Ports = dict[str, list[Port]]
"""Router name -> the interfaces its configuration defines, in configuration order."""


@dataclass(frozen=True)
class _Line:
    """A port as placed in the drawing: its depth and the link reaching it, if any."""
    port: Port
    depth: int
    far: str | None = None
    link: Link | None = None
    unknown: bool = False


def host_ports(node: Node) -> list[Port]:
    """A host's interfaces as ports, in file order."""
    return [Port(i.name, tuple(str(a) for a in i.addresses) + (("dhcp",) if i.dhcp else ()),
                 i.parent, i.vlan) for i in node.interfaces.values()]


def _layout(topo: Topology, node: Node, ports: Ports) -> list[_Line]:
    """The node's ports, parents first with their VLANs under them; a linked interface
    its configuration does not define is added and marked (only when it was read)."""
    known = node.name in ports if node.is_router else True
    given = list(ports.get(node.name, [])) if node.is_router else host_ports(node)
    names = {p.name for p in given}
    links = {mine.interface: (str(far), link) for mine, far, link in topo.ends_of(node.name)}
    missing = [Port(name) for name in links if name not in names]
    out: list[_Line] = []
    children: dict[str, list[Port]] = {}
    for port in given:
        if port.parent is not None and (port.parent in names or port.parent in links):
            children.setdefault(port.parent, []).append(port)

    placed: set[int] = set()

    def place(port: Port, depth: int, unknown: bool = False) -> None:
        if id(port) in placed:      # (a wrong configuration could name a parent twice)
            return
        placed.add(id(port))
        far, link = links.get(port.name, (None, None))
        out.append(_Line(port, depth, far, link, unknown))
        for child in children.get(port.name, []):
            place(child, depth + 1)

    for port in given:
        if port in children.get(port.parent or "", []):
            continue
        if port.name in links or port.addresses or port.members or port.name in children:
            place(port, 0)      # (an unlinked interface with nothing on it is left out)
    for port in missing:
        place(port, 0, unknown=known and node.is_router)
    return out


def _link_note(link: Link | None) -> str:
    if link is None:
        return ""
    notes = []
    if link.mtu is not None:
        notes.append(f"mtu {link.mtu}")
    if link.vlans:
        notes.append("vlans " + ", ".join(str(v) for v in link.vlans))
    return ", ".join(notes)


def _port_words(port: Port) -> list[str]:
    words = [port.name]
    if port.vlan is not None:
        words.append(f"vlan {port.vlan}")
    if port.addresses:
        words.append(", ".join(port.addresses))
    if port.members:
        words.append("members " + ", ".join(port.members))
    return words


def _route_text(node: Node) -> str:
    return ", ".join(f"{'default' if r.to.prefixlen == 0 else r.to} via {r.via}" for r in node.routes)


def _service_text(node: Node) -> str:
    return ", ".join(f"{s.protocol}/{s.port}" for s in node.services)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _heading(node: Node) -> list[str]:
    if not node.is_router:
        return [node.name, "host"]
    words = [node.name, "router", str(node.config)]
    if node.bgp_backend:
        words.append(f"bgp {node.bgp_backend}")
    return words


def as_text(topo: Topology, ports: Ports | None = None) -> str:
    """The lab as an indented list: each node, its interfaces (VLANs under their parent)
    with addresses and the far end of their link, a host's routes and services."""
    ports = ports or {}
    routers, hosts = len(topo.routers()), len(topo.hosts())
    out = [f"lab {topo.name}: {_count(routers + hosts, 'node')} ({_count(routers, 'router')}, "
           f"{_count(hosts, 'host')}), {_count(len(topo.links), 'link')}"]
    for node in topo.nodes.values():
        out.append("  ".join(_heading(node)))
        for line in _layout(topo, node, ports):
            words = _port_words(line.port)
            if line.far is not None:
                words.append(f"-- {line.far}")
            note = _link_note(line.link)
            if note:
                words.append(f"({note})")
            if line.unknown:
                words.append("(not in its configuration)")
            out.append("  " * (line.depth + 1) + "  ".join(words))
        if node.routes:
            out.append(f"  routes: {_route_text(node)}")
        if node.services:
            out.append(f"  services: {_service_text(node)}")
    return "\n".join(out) + "\n"


def dot_string(text: str) -> str:
    """``text`` as one quoted DOT string: backslashes and quotes escaped, control
    characters (newlines too) shown as spaces, so nothing in it can end the string."""
    clean = "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in text)
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(lines: list[str]) -> str:
    """Several lines as one DOT label (each line escaped, joined by DOT's own line break)."""
    return '"' + "\\n".join(dot_string(line)[1:-1] for line in lines) + '"'


def as_dot(topo: Topology, ports: Ports | None = None) -> str:
    """The lab as a Graphviz graph: a box per router, an ellipse per host, an edge per
    link with each end's interface (and its VLANs) at that end."""
    ports = ports or {}
    layouts = {node.name: _layout(topo, node, ports) for node in topo.nodes.values()}
    out = [f"graph {dot_string(topo.name)} {{",
           f"    graph [label={dot_string('lab ' + topo.name)}, labelloc=t];"]
    for node in topo.nodes.values():
        lines = [" ".join(_heading(node))]
        linked = set()
        for line in layouts[node.name]:
            if line.far is not None or (line.port.parent in linked):
                linked.add(line.port.name)
            else:
                lines.append(" ".join(_port_words(line.port)))
        if node.routes:
            lines.append(f"routes: {_route_text(node)}")
        if node.services:
            lines.append(f"services: {_service_text(node)}")
        shape = "box" if node.is_router else "ellipse"
        out.append(f"    {dot_string(node.name)} [shape={shape}, label={_label(lines)}];")
    for link in topo.links:
        attributes = [f"taillabel={_label(_end_lines(layouts[link.a.node], link.a.interface))}",
                      f"headlabel={_label(_end_lines(layouts[link.b.node], link.b.interface))}"]
        note = _link_note(link)
        if note:
            attributes.append(f"label={dot_string(note)}")
        out.append(f"    {dot_string(link.a.node)} -- {dot_string(link.b.node)} "
                   f"[{', '.join(attributes)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _end_lines(layout: list[_Line], interface: str) -> list[str]:
    """One link end: the interface with its addresses, then its VLANs under it."""
    lines: list[str] = []
    inside = False
    for line in layout:
        if line.port.name == interface:
            inside, depth = True, line.depth
            lines.append(" ".join(_port_words(line.port)))
        elif inside and line.depth > depth:
            lines.append(" ".join(_port_words(line.port)))
        elif inside:
            break
    return lines or [interface]


def render_picture(dot_text: str, path: str | Path) -> None:
    """Draw ``dot_text`` into ``path`` with Graphviz (the format from its suffix: svg, png
    or pdf); :class:`GraphError` when ``dot`` is not installed or fails."""
    import shutil
    import subprocess

    target = Path(path)
    kind = target.suffix.lstrip(".").lower()
    if kind not in PICTURE_FORMATS:
        raise GraphError(f"{target}: cannot draw a picture of that kind; use a file name ending in "
                         + ", ".join(f".{k}" for k in PICTURE_FORMATS) + " (or .dot for the DOT text)")
    program = shutil.which("dot")
    if program is None:
        raise GraphError("Graphviz is not installed (no `dot` program): install the graphviz package "
                         "to draw pictures, or write the DOT text with --dot")
    try:
        done = subprocess.run([program, f"-T{kind}"], input=dot_text.encode("utf-8"),
                              capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise GraphError(f"dot did not run: {err}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()[:500]
        raise GraphError(f"dot failed (exit status {done.returncode}): {message}")
    try:
        target.write_bytes(done.stdout)
    except OSError as err:
        raise GraphError(f"{target}: cannot write: {err}") from None
