"""A lab's topology file (TOML, see docs/lab.md), read into plain data and checked whole.

Pure: :func:`parse` takes the text and the file name it came from and returns a
:class:`Topology` or raises :class:`TopologyError` naming the file and the key path
(``lab.toml: nodes.gw.config: ...``); :func:`load` only adds the read. Nothing here starts,
probes or writes anything; the router configuration files are checked where the lab comes up.

    name = "home"                       # optional; default: the file's directory name
    [nodes.gw]
    kind = "router"
    config = "config.boot"              # a config.boot or a command file, beside this file
    bgp-backend = "gobgp"               # optional: this router's BGP daemon
    [nodes.pc]
    kind = "host"
    routes = [{ to = "default", via = "198.51.100.1" }]
    services = [{ port = 80 }]          # a small TCP responder to reach
    [nodes.pc.interfaces.eth0]
    dhcp = true                         # or: addresses = ["198.51.100.10/24"]
    [nodes.pc.interfaces."eth0.10"]     # a VLAN on a host: parent and id
    parent = "eth0"
    vlan = 10
    [[links]]
    a = "gw:eth1"
    b = "pc:eth0"
    mtu = 1500                          # optional, both ends
    vlans = [10, 20]                    # optional: the tagged VLANs this link carries (a trunk)
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from nos_shell.schema.types import Text, shown

NAME = re.compile(r"[a-z][a-z0-9-]{0,14}")
IFNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,14}")
BACKENDS = ("bird", "gobgp")
PROTOCOLS = ("tcp", "udp")
_PATH_TEXT = Text(min_len=1, max_len=4096)
"""A configuration file's name: no control characters or line separators (NUL among them)."""


class TopologyError(ValueError):
    """A topology that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Route:
    """A host's static route: ``to`` is a prefix, ``via`` a next-hop address of its family."""
    to: ipaddress.IPv4Network | ipaddress.IPv6Network
    via: ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Service:
    """A small responder on a host: answers each connection (or datagram) with who it is
    and who called."""
    port: int
    protocol: str = "tcp"


@dataclass(frozen=True)
class HostInterface:
    name: str
    addresses: tuple[ipaddress.IPv4Interface | ipaddress.IPv6Interface, ...] = ()
    dhcp: bool = False
    parent: str | None = None
    vlan: int | None = None


@dataclass(frozen=True)
class Node:
    """A router (a nos-shell router with its own configuration) or a plain host."""
    name: str
    kind: str
    config: PurePath | None = None
    bgp_backend: str | None = None
    interfaces: dict[str, HostInterface] = field(default_factory=dict)
    routes: tuple[Route, ...] = ()
    services: tuple[Service, ...] = ()

    @property
    def is_router(self) -> bool:
        return self.kind == "router"


@dataclass(frozen=True)
class End:
    node: str
    interface: str

    def __str__(self) -> str:
        return f"{self.node}:{self.interface}"


@dataclass(frozen=True)
class Link:
    a: End
    b: End
    mtu: int | None = None
    vlans: tuple[int, ...] = ()


@dataclass(frozen=True)
class Topology:
    name: str
    nodes: dict[str, Node]
    links: tuple[Link, ...]
    source: str = "lab.toml"

    def routers(self) -> list[Node]:
        return [node for node in self.nodes.values() if node.is_router]

    def hosts(self) -> list[Node]:
        return [node for node in self.nodes.values() if not node.is_router]

    def ends_of(self, node: str) -> list[tuple[End, End, Link]]:
        """(this node's end, the far end, the link) for each link of ``node``, in file order."""
        out = []
        for link in self.links:
            if link.a.node == node:
                out.append((link.a, link.b, link))
            if link.b.node == node:
                out.append((link.b, link.a, link))
        return out

    def link_drivers(self) -> set[str]:
        """Kernel link kinds the wiring itself needs (router configurations add their own)."""
        kinds = {"veth"} if self.links else set()
        if any(link.vlans for link in self.links):
            kinds.add("vlan")
        if any(i.vlan is not None for node in self.hosts() for i in node.interfaces.values()):
            kinds.add("vlan")
        return kinds


def load(path: str | PurePath) -> Topology:
    """Read and check a topology file."""
    from pathlib import Path

    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise TopologyError(f"{file}: cannot read: {err}") from None
    default = file.resolve().parent.name if file.name == "lab.toml" else file.stem
    return parse(text, str(file), default_name=default)


def parse(text: str, source: str = "lab.toml", default_name: str = "lab") -> Topology:
    """Check the whole file; the first problem found is raised, naming ``source`` and the key."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise TopologyError(f"{source}: {err}") from None
    return _Reader(source).topology(data, default_name)


class _Reader:
    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, message: str) -> TopologyError:
        return TopologyError(f"{self.source}: {where}: {message}")

    def only(self, table: dict[str, Any], where: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                raise self.fail(f"{where}.{key}" if where else key,
                                f"unknown key (expected one of: {', '.join(allowed)})")

    def table(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "must be a table")
        return value

    def array(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, "must be an array")
        return value

    def integer(self, value: Any, where: str, low: int, high: int) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise self.fail(where, f"must be a whole number from {low} to {high}")
        return value

    def string(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise self.fail(where, "must be a string")
        return value

    def topology(self, data: dict[str, Any], default_name: str) -> Topology:
        self.only(data, "", ("name", "nodes", "links"))
        name = self.string(data.get("name", default_name), "name")
        if not NAME.fullmatch(name):
            if "name" in data:
                raise self.fail("name", f"{name!r}: use 1-15 lower-case letters, digits and '-', "
                                        "starting with a letter")
            raise self.fail("name", f"no valid name: the default {name!r} does not fit "
                                    "(1-15 lower-case letters, digits and '-'); set one")
        nodes_data = self.table(data.get("nodes", {}), "nodes")
        if not nodes_data:
            raise self.fail("nodes", "a lab needs at least one node")
        nodes = {key: self.node(key, value) for key, value in nodes_data.items()}
        links = tuple(self.link(i, value, nodes)
                      for i, value in enumerate(self.array(data.get("links", []), "links")))
        self.check_ends(nodes, links)
        return Topology(name=name, nodes=nodes, links=links, source=self.source)

    def node(self, name: str, data: Any) -> Node:
        where = f"nodes.{name}"
        if not NAME.fullmatch(name):
            raise self.fail(where, "node names are 1-15 lower-case letters, digits and '-', "
                                   "starting with a letter")
        data = self.table(data, where)
        kind = data.get("kind")
        if kind == "router":
            self.only(data, where, ("kind", "config", "bgp-backend"))
            if "config" not in data:
                raise self.fail(f"{where}.config", "a router needs its configuration file")
            text = self.string(data["config"], f"{where}.config")
            try:
                _PATH_TEXT.check(text)
            except ValueError as err:
                raise self.fail(f"{where}.config", f"{shown(text)!r}: {err}") from None
            config = PurePath(text)
            if not config.name or "\0" in text:
                raise self.fail(f"{where}.config", f"{shown(text)!r} is not a file name")
            backend = data.get("bgp-backend")
            if backend is not None and backend not in BACKENDS:
                raise self.fail(f"{where}.bgp-backend",
                                f"{backend!r}: must be one of {', '.join(BACKENDS)}")
            return Node(name=name, kind=kind, config=config, bgp_backend=backend)
        if kind == "host":
            self.only(data, where, ("kind", "interfaces", "routes", "services"))
            interfaces_data = self.table(data.get("interfaces", {}), f"{where}.interfaces")
            interfaces = {key: self.host_interface(f"{where}.interfaces.{key}", key, value)
                          for key, value in interfaces_data.items()}
            for interface in interfaces.values():
                if interface.parent is not None and interface.parent not in interfaces:
                    raise self.fail(f"{where}.interfaces.{interface.name}.parent",
                                    f"{interface.parent!r} is not an interface of {name}")
            routes = tuple(self.route(f"{where}.routes[{i}]", value)
                           for i, value in enumerate(self.array(data.get("routes", []), f"{where}.routes")))
            services = tuple(self.service(f"{where}.services[{i}]", value)
                             for i, value in enumerate(self.array(data.get("services", []), f"{where}.services")))
            ports = [(s.protocol, s.port) for s in services]
            if len(set(ports)) != len(ports):
                raise self.fail(f"{where}.services", "the same protocol and port twice")
            return Node(name=name, kind=kind, interfaces=interfaces, routes=routes, services=services)
        raise self.fail(f"{where}.kind", "must be \"router\" or \"host\"")

    def host_interface(self, where: str, name: str, data: Any) -> HostInterface:
        if not IFNAME.fullmatch(name) or name in (".", ".."):
            raise self.fail(where, "not a Linux interface name (1-15 letters, digits, '_', '.', '-')")
        data = self.table(data, where)
        self.only(data, where, ("addresses", "dhcp", "parent", "vlan"))
        addresses = []
        for i, value in enumerate(self.array(data.get("addresses", []), f"{where}.addresses")):
            text = self.string(value, f"{where}.addresses[{i}]")
            try:
                if "/" not in text:
                    raise ValueError("no prefix length")
                addresses.append(ipaddress.ip_interface(text))
            except ValueError as err:
                raise self.fail(f"{where}.addresses[{i}]", f"{text!r} is not an address/prefix: {err}") from None
        dhcp = data.get("dhcp", False)
        if not isinstance(dhcp, bool):
            raise self.fail(f"{where}.dhcp", "must be true or false")
        parent = data.get("parent")
        vlan = data.get("vlan")
        if (parent is None) != (vlan is None):
            raise self.fail(where, "a VLAN interface needs both parent and vlan")
        if parent is not None:
            parent = self.string(parent, f"{where}.parent")
            vlan = self.integer(vlan, f"{where}.vlan", 1, 4094)
        return HostInterface(name=name, addresses=tuple(addresses), dhcp=dhcp, parent=parent, vlan=vlan)

    def route(self, where: str, data: Any) -> Route:
        data = self.table(data, where)
        self.only(data, where, ("to", "via"))
        if "to" not in data or "via" not in data:
            raise self.fail(where, "a route needs to and via")
        to_text = self.string(data["to"], f"{where}.to")
        via_text = self.string(data["via"], f"{where}.via")
        try:
            via = ipaddress.ip_address(via_text)
        except ValueError:
            raise self.fail(f"{where}.via", f"{via_text!r} is not an address") from None
        if to_text == "default":
            to_text = "0.0.0.0/0" if via.version == 4 else "::/0"
        try:
            to = ipaddress.ip_network(to_text)
        except ValueError as err:
            raise self.fail(f"{where}.to", f"{to_text!r} is not a prefix: {err}") from None
        if to.version != via.version:
            raise self.fail(where, "to and via are of different address families")
        return Route(to=to, via=via)

    def service(self, where: str, data: Any) -> Service:
        data = self.table(data, where)
        self.only(data, where, ("port", "protocol"))
        if "port" not in data:
            raise self.fail(where, "a service needs a port")
        port = self.integer(data["port"], f"{where}.port", 1, 65535)
        protocol = data.get("protocol", "tcp")
        if protocol not in PROTOCOLS:
            raise self.fail(f"{where}.protocol", f"{protocol!r}: must be one of {', '.join(PROTOCOLS)}")
        return Service(port=port, protocol=protocol)

    def link(self, index: int, data: Any, nodes: dict[str, Node]) -> Link:
        where = f"links[{index}]"
        data = self.table(data, where)
        self.only(data, where, ("a", "b", "mtu", "vlans"))
        ends = []
        for side in ("a", "b"):
            if side not in data:
                raise self.fail(where, "a link needs both ends, a and b (\"node:interface\")")
            text = self.string(data[side], f"{where}.{side}")
            node, sep, interface = text.partition(":")
            if not sep or node not in nodes:
                raise self.fail(f"{where}.{side}", f"{text!r}: not \"node:interface\" with a node of this lab")
            if not IFNAME.fullmatch(interface) or "." in interface:
                raise self.fail(f"{where}.{side}", f"{interface!r} is not a plain Linux interface name")
            ends.append(End(node, interface))
        if ends[0] == ends[1]:
            raise self.fail(where, "a link cannot join an interface to itself")
        mtu = data.get("mtu")
        if mtu is not None:
            mtu = self.integer(mtu, f"{where}.mtu", 68, 65535)
        vlans = tuple(self.integer(v, f"{where}.vlans[{i}]", 1, 4094)
                      for i, v in enumerate(self.array(data.get("vlans", []), f"{where}.vlans")))
        if len(set(vlans)) != len(vlans):
            raise self.fail(f"{where}.vlans", "a VLAN id is listed twice")
        return Link(a=ends[0], b=ends[1], mtu=mtu, vlans=vlans)

    def check_ends(self, nodes: dict[str, Node], links: tuple[Link, ...]) -> None:
        used: dict[End, int] = {}
        for index, link in enumerate(links):
            for end in (link.a, link.b):
                if end in used:
                    raise self.fail(f"links[{index}]", f"{end} is already the end of links[{used[end]}]")
                used[end] = index
                node = nodes[end.node]
                if not node.is_router and end.interface not in node.interfaces:
                    raise self.fail(f"links[{index}]", f"{end.node} declares no interface {end.interface!r}")
                interface = node.interfaces.get(end.interface)
                if interface is not None and interface.parent is not None:
                    raise self.fail(f"links[{index}]", f"{end} is a VLAN interface; link its parent")
        for node in nodes.values():
            for interface in node.interfaces.values():
                base = interface.parent or interface.name
                if End(node.name, base) not in used:
                    raise self.fail(f"nodes.{node.name}.interfaces.{interface.name}",
                                    "no link reaches this interface")
