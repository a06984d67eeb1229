"""VyOS 1.1-1.3 syntax that later VyOS migrations rewrite or delete, for migrate.py.

- DHCP server (VyOS dhcp-server 4-to-5, 5-to-6): `start X { stop Y }` becomes
  `range N { start X stop Y }`; the boolean words go (`disabled true|false`,
  `authoritative enable|disable`, `ip-forwarding { enable true }`,
  `dynamic-dns-update { enable true }`, `hostfile-update enable`); a subnet's
  `static-route { destination-subnet P router R }` becomes `static-route P { next-hop R }`.
  VyOS turns `disabled true` into `service dhcp-server disable`; nos-shell has no such
  switch, so every shared network gets its own `disable` (the same effect).
- Shared-network options (VyOS dhcp-server 9-to-10 moves them under the network's
  `option`): nos-shell keeps options per subnet, so each subnet takes those it does not
  set itself, as a shared network's options apply to all its subnets.
- Nodes VyOS deletes without a counterpart (`smp_affinity`/`smp-affinity`, `system
  package`, `service ssh allow-root`, ...) are dropped and named in ``versions.warnings``.
- In a VyOS file (one with a version footer), ethernet `duplex auto` and `speed auto`
  (VyOS's defaults, written out by 1.1-1.3) are dropped quietly: they mean what the
  kernel does anyway. Any other duplex or speed is still refused.
- `system gateway-address G` becomes `protocols static route 0.0.0.0/0 next-hop G`
  (VyOS system 7-to-8).
"""
from __future__ import annotations

from typing import Protocol

from .raw import RawNode, ensure, get, put, remove, select, top_block, value


class Versions(Protocol):
    """What these migrations need of migrate.Versions."""

    known: bool
    warnings: list[str]


_NETWORKS = "service dhcp-server shared-network-name*"


def _words(node: RawNode) -> str:
    return node.name if node.value is None else f"{node.name} {node.value}"


def _drop(versions: Versions, parent: RawNode, child: RawNode, where: str) -> None:
    """Remove ``child`` of ``parent`` and say so (``where``: the path down to ``parent``)."""
    remove(parent, child)
    versions.warnings.append(f"{child.line}: {where} {_words(child)} was removed by VyOS's "
                             "migrations; dropped")


def _flag_from(parent: RawNode, name: str, true_words: tuple[str, ...], inner: str | None = None) -> None:
    """`name WORD` (or `name { inner WORD }`) -> valueless `name` when WORD is true, else
    nothing. The valueless form (already current) is left alone."""
    node = get(parent, name)
    if node is None or (node.children is not None) != (inner is not None):
        return
    if inner is None and node.value is None:
        return
    word = node.value if inner is None else value(node, inner)
    remove(parent, node)
    if word in true_words:
        put(parent, name, None)


def dhcp_legacy(nodes: list[RawNode], versions: Versions) -> None:
    """The DHCP server's 1.1-1.2 words, as VyOS's dhcp-server 4-to-5 and 5-to-6 rewrite them."""
    for dhcp in select(nodes, "service dhcp-server"):
        disabled = get(dhcp, "disabled")
        if disabled is not None and disabled.children is None:
            remove(dhcp, disabled)
            if disabled.value == "true":
                for network in select(dhcp.children, "shared-network-name*"):
                    put(network, "disable", None)
        _flag_from(dhcp, "dynamic-dns-update", ("true",), inner="enable")
        _flag_from(dhcp, "hostfile-update", ("enable",))
    for network in select(nodes, _NETWORKS):
        _flag_from(network, "authoritative", ("enable", "true"))
        for subnet in select(network.children, "subnet*"):
            _flag_from(subnet, "ip-forwarding", ("true",), inner="enable")
            _ranges(subnet)
            _static_routes(subnet)


def _ranges(subnet: RawNode) -> None:
    """`start X { stop Y }` -> `range 0 { start X stop Y }`, numbered in file order."""
    old = [c for c in subnet.children or () if c.name == "start" and c.children is not None]
    if not old:
        return
    taken = {c.value for c in subnet.children or () if c.name == "range"}
    number = 0
    for start in old:
        while str(number) in taken:
            number += 1
        remove(subnet, start)
        block = ensure(subnet, "range", str(number))
        block.line = start.line
        put(block, "start", start.value)
        stop = value(start, "stop")
        if stop is not None:
            put(block, "stop", stop)
        number += 1


def _static_routes(subnet: RawNode) -> None:
    """`static-route { destination-subnet P router R }` -> `static-route P { next-hop R }`."""
    for route in [c for c in subnet.children or () if c.name == "static-route" and c.value is None
                  and c.children is not None]:
        prefix, router = value(route, "destination-subnet"), value(route, "router")
        remove(subnet, route)
        if prefix and router:
            put(ensure(subnet, "static-route", prefix), "next-hop", router)


def dhcp_shared_options(nodes: list[RawNode], versions: Versions) -> None:
    """A shared network's `option` block goes into each of its subnets (not overriding)."""
    for network in select(nodes, _NETWORKS):
        option = get(network, "option")
        if option is None or option.children is None:
            continue
        remove(network, option)
        for subnet in select(network.children, "subnet*"):
            target = ensure(subnet, "option")
            own = {c.name for c in target.children or ()}
            target.children = (target.children or []) + [
                RawNode(c.name, c.value, c.children, c.comment, c.line)
                for c in option.children if c.name not in own]


_GONE_SYSTEM = ("package", "ipv6 blacklist")


def dropped_nodes(nodes: list[RawNode], versions: Versions) -> None:
    """Nodes VyOS's migrations delete (interfaces 14-to-15 and 29-to-30, system 6-to-7,
    8-to-9 and 14-to-15, ssh 0-to-1, ntp 0-to-1), dropped with a warning (in line order)."""
    first = len(versions.warnings)
    _drop_nodes(nodes, versions)
    versions.warnings[first:] = sorted(versions.warnings[first:], key=lambda w: int(w.split(":", 1)[0]))


def _drop_nodes(nodes: list[RawNode], versions: Versions) -> None:
    for top in select(nodes, "interfaces"):
        for iface in top.children or ():
            if iface.value is None or iface.children is None:
                continue
            where = f"interfaces {iface.name} {iface.value}"
            for child in list(iface.children):
                if child.name in ("smp_affinity", "smp-affinity", "xdp"):
                    _drop(versions, iface, child, where)
                elif child.name in ("duplex", "speed") and child.value == "auto" and versions.known:
                    remove(iface, child)
            offload = get(iface, "offload")
            ufo = get(offload, "ufo") if offload is not None else None
            if offload is not None and ufo is not None:
                _drop(versions, offload, ufo, where + " offload")
                if not offload.children:
                    remove(iface, offload)
    for system in select(nodes, "system"):
        for path in _GONE_SYSTEM:
            *parents, name = path.split()
            holder = system
            for step in parents:
                holder = get(holder, step) if holder is not None else None
            node = get(holder, name) if holder is not None else None
            if holder is not None and node is not None:
                _drop(versions, holder, node, " ".join(["system", *parents]))
                if holder is not system and not holder.children:
                    remove(system, holder)
    for ssh in select(nodes, "service ssh"):
        node = get(ssh, "allow-root")
        if node is not None:
            _drop(versions, ssh, node, "service ssh")
    for block in ("system ntp server*", "service ntp server*"):
        for server in select(nodes, block):
            node = get(server, "dynamic")
            if node is not None:
                _drop(versions, server, node, f"{block[:-8]} server {server.value}")


def gateway_address(nodes: list[RawNode], versions: Versions) -> None:
    """`system gateway-address G` -> `protocols static route 0.0.0.0/0 next-hop G`."""
    for system in select(nodes, "system"):
        node = get(system, "gateway-address")
        if node is None or node.children is not None or not node.value:
            continue
        remove(system, node)
        static = ensure(top_block(nodes, "protocols"), "static")
        ensure(ensure(static, "route", "0.0.0.0/0"), "next-hop", node.value)
