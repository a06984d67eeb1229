"""`show arp` and `show ipv6 neighbors`: the kernel's neighbour tables (netlink, router namespace).

    Address       Interface    Link layer address    State
    ------------  -----------  --------------------  ---------
    192.0.2.2     eth0         02:00:00:00:00:02     REACHABLE
"""
from __future__ import annotations

import socket
from typing import TYPE_CHECKING

from ..config.tree import natural_key
from ..errors import NosError
from ..tables import TableData, TableText
from .command import KeywordHelp, OpCommand

if TYPE_CHECKING:
    from ..commands import Command
    from ..session import Session

HEADERS = ("Address", "Interface", "Link layer address", "State")
STATES = {0x01: "INCOMPLETE", 0x02: "REACHABLE", 0x04: "STALE", 0x08: "DELAY", 0x10: "PROBE",
          0x20: "FAILED", 0x40: "NOARP", 0x80: "PERMANENT"}


def read_neighbors(target, version: int) -> list[tuple[str, str, str, str]]:
    from ..host.netlink import read

    family = socket.AF_INET if version == 4 else socket.AF_INET6

    def collect(nl) -> list[tuple[str, str, str, str]]:
        names = {link["index"]: link.get_attr("IFLA_IFNAME") for link in nl.get_links()}
        rows = []
        for msg in nl.get_neighbours(family=family):
            address = msg.get_attr("NDA_DST")
            if not address or msg["state"] == 0x40:          # NOARP entries are not neighbours
                continue
            rows.append((address, names.get(msg["ifindex"], "?"), msg.get_attr("NDA_LLADDR") or "-",
                         STATES.get(msg["state"], str(msg["state"]))))
        return sorted(rows, key=lambda r: (natural_key(r[1]), r[0]))

    return read(target, collect)


def render(rows: list[tuple[str, str, str, str]]) -> TableText:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(HEADERS)]

    def line(cells) -> str:
        return "  ".join(f"{c:<{w}}" for c, w in zip(cells, widths)).rstrip()

    lines = [line(HEADERS), line("-" * w for w in widths)] + [line(r) for r in rows]
    return TableText("".join(l + "\n" for l in lines), [TableData(HEADERS, tuple(rows))])


def show_neighbors(session: "Session", command: "Command", version: int) -> str:
    from .sandbox import sandboxed, with_note

    target = session.target
    if sandboxed(target):     # a sandbox has no neighbours (nos_shell/ops/sandbox.py)
        return with_note(target.root, render([]))
    try:
        rows = read_neighbors(target, version)
    except OSError as exc:
        raise NosError(f"Cannot read the neighbour table: {exc.strerror or exc}") from None
    wanted = command.words[0] if command.words else None
    if wanted:
        rows = [r for r in rows if wanted in (r[0], r[1])]
    return render(rows)


def show_arp(session: "Session", command: "Command") -> str:
    return show_neighbors(session, command, 4)


def show_ipv6_neighbors(session: "Session", command: "Command") -> str:
    return show_neighbors(session, command, 6)


def show_lldp_neighbors(session: "Session", command: "Command") -> str:
    # nos-shell has no LLDP service (yet): say so the way VyOS does, which Ansible's
    # vyos_facts recognises
    return "LLDP not configured\n"


COMMANDS = (
    OpCommand("show_arp", ("show arp",), show_arp, "The IPv4 neighbour table"),
    OpCommand("show_ipv6_neighbors", ("show ipv6 neighbors",), show_ipv6_neighbors, "The IPv6 neighbour table"),
    OpCommand("show_lldp_neighbors", ("show lldp neighbors",), show_lldp_neighbors, "LLDP neighbors"),
)

KEYWORDS: KeywordHelp = {
    "arp": "Show the IPv4 neighbour (ARP) table",
    "lldp": "Show Link Layer Discovery Protocol information",
    "neighbors": "Show neighbors (BGP, LLDP, IPv6 neighbour table)",
}
