"""Operational views of a root that is not live: the configured view, said so once.

A sandbox root (no ``etc/nos-shell/apply.toml``, or one with ``live = false`` that names no
namespace or exec prefix: :func:`sandboxed`) is not applied to any system, so the host's
kernel says nothing about it. Its views start with one line naming the root, then show
what the running configuration defines:

- `show interfaces [detail]`: the configured interfaces (kernel names from
  nos_shell/models/interfaces.py), their static addresses and descriptions; S is ``u`` (``A`` when
  disabled), L is ``D`` (no link exists), counters are zero;
- `show ip route` / `show ipv6 route`: connected routes of the configured addresses and the
  static routes as networkd would install them (backends/networkd/links.py picks each next
  hop's interface), metric = distance;
- `show arp` / `show ipv6 neighbors`: an empty table.

Views that only a running daemon can answer (BGP) refuse with :func:`not_live_lines`,
which says how to make the root live (docs/apply.md, "Making a namespace router live").
"""
from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from .tables import TableData, TableText

if TYPE_CHECKING:
    from .apply.target import Target
    from .config.tree import ConfigTree
    from .ops_interfaces import Link
    from .ops_routes import KernelRoute
    from .session import Session

RECIPE = 'docs/apply.md, "Making a namespace router live"'


def note(root) -> str:
    """The one line every sandbox view starts with."""
    return f"sandbox root {root}: not applied to any system; showing the configured view\n"


def sandboxed(target: "Target") -> bool:
    """True when the views of ``target``'s root have no router to read: it is not live and
    its apply.toml names no namespace or exec prefix (one that does, even with live =
    false, is a router whose kernel the views read)."""
    return not (target.live or target.netns or target.exec_prefix)


def with_note(root, output: str) -> str:
    """``output`` with the sandbox line above it (kept above a table's rows, too)."""
    line = note(root)
    if isinstance(output, TableText) and output.tables:
        first, *rest = output.tables
        tables = [TableData(first.headers, first.rows, (line.rstrip("\n"), *first.before)), *rest]
        return TableText(line + output, tables)
    return line + output


def not_live_lines(target: "Target", what: str) -> tuple[str, ...]:
    """Why ``what`` (read from a running daemon) cannot be shown, and how to go live."""
    from .apply.target import SETTINGS

    settings = target.root / SETTINGS
    why = f"{settings} sets live = false" if settings.exists() else "it has no etc/nos-shell/apply.toml"
    return (f"{what} comes from a running daemon; sandbox root {target.root} is not applied to "
            f"any system ({why})",
            f"to make the root live, write {settings} with live = true ({RECIPE})")


def configured_links(tree: "ConfigTree") -> "dict[str, Link]":
    """Kernel name -> Link for every configured interface: its static addresses (IPv4
    first), admin state from `disable`, no carrier."""
    from .models import interfaces as ifmodel
    from .ops_interfaces import Link

    links: dict[str, Link] = {}
    for iface in ifmodel.interfaces(tree):
        if iface.name in links:
            continue
        addresses = sorted(ifmodel.static_addresses(tree, iface), key=lambda a: (a.version, a.ip))
        links[iface.name] = Link(iface.name, admin_up=not tree.exists(*iface.at("disable")),
                                 carrier=False, addresses=[str(a) for a in addresses])
    return links


def configured_routes(tree: "ConfigTree", version: int) -> "list[KernelRoute]":
    """The routes the configuration would give the kernel's main table (IPv4 or IPv6)."""
    from .backends.networkd import links as networkd
    from .models import interfaces as ifmodel
    from .ops_routes import KernelRoute

    routes: list[KernelRoute] = []
    seen: set[tuple[str, str]] = set()
    for iface in ifmodel.interfaces(tree):
        if tree.exists(*iface.at("disable")):
            continue
        for address in ifmodel.static_addresses(tree, iface):
            key = (str(address.network), iface.name)
            if address.version == version and key not in seen:
                seen.add(key)
                routes.append(KernelRoute(key[0], "C", 0, ((None, iface.name),)))
    conn = networkd.connected(tree)
    family = "route" if version == 4 else "route6"
    base = ("protocols", "static", family)
    for prefix in tree.keys(*base):
        at = base + (prefix,)
        net = str(ipaddress.ip_network(prefix))
        for hops in networkd.next_hop_groups(tree, at, conn):
            metric = int(hops[0][3] or 0)
            routes.append(KernelRoute(net, "S", metric, tuple((str(gw), name) for gw, name, _, _ in hops)))
        for name in tree.keys(*at, "interface"):
            if not tree.exists(*at, "interface", name, "disable"):
                metric = int(tree.value(*at, "interface", name, "distance") or 0)
                routes.append(KernelRoute(net, "S", metric, ((None, name),)))
        if tree.exists(*at, "blackhole"):
            metric = int(tree.value(*at, "blackhole", "distance") or 0)
            routes.append(KernelRoute(net, "S", metric, ((None, "lo"),), "blackhole"))
    return routes


def configured_detail(tree: "ConfigTree") -> str:
    """`show interfaces detail` of the configuration: one block per interface in the live
    view's layout (napalm-vyos parses it), no link (state NOTPRESENT), zero counters."""
    from .models import interfaces as ifmodel
    from .config.tree import natural_key
    from .ops_interfaces import configured

    described, defined = configured(tree), ifmodel.by_name(tree)
    links = configured_links(tree)
    blocks = []
    for name in sorted(links, key=natural_key):
        link, iface = links[name], defined[name]
        mtu = tree.value(*iface.at("mtu"), default=False) or ("65536" if iface.kind == "loopback" else "1500")
        kind = "loopback" if iface.kind == "loopback" else "ether"
        lines = [f"{name}: <{'UP' if link.admin_up else ''}> mtu {mtu} state NOTPRESENT",
                 f"    link/{kind} {tree.value(*iface.at('mac'), default=False) or ''}".rstrip()]
        lines += [f"    {'inet6' if ':' in a else 'inet'} {a}" for a in link.addresses]
        if described[name][0]:
            lines.append(f"    Description: {described[name][0]}")
        zeros = "    " + " ".join(f"{0:>10}" for _ in range(6))
        lines += ["", "    RX:  bytes    packets     errors    dropped    overrun      mcast", zeros,
                  "    TX:  bytes    packets     errors    dropped    carrier collisions", zeros]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)
