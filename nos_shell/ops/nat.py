"""NAT and connection tracking views.

    show nat source|destination rules          the configured rules with their nft counters
    show nat source|destination translations   connections the router translated
    show conntrack table ipv4                  every tracked IPv4 connection

Rules come from the running configuration; packet and byte counts from the ``counter`` of
each rule in nos-shell's nft table (backends/nftables/compiler.py names each rule with the comment
``"source rule N"``), read with ``nft -j`` in the router's context. Connections come from
the router kernel's ``/proc/net/nf_conntrack`` (read there through the exec prefix); a
kernel without it is named as such.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import NosError
from ..tables import TableText
from .command import KeywordHelp, OpCommand
from .context import has_router, router, run, simple_table

if TYPE_CHECKING:
    from ..apply.target import Target
    from ..commands import Command
    from ..config.tree import ConfigTree
    from ..session import Session

TABLE = ("ip", "nos_shell_nat")
CONNTRACK = "/proc/net/nf_conntrack"


# -- rules -----------------------------------------------------------------------------------

def nft_counters(target: "Target") -> dict[str, tuple[int, int]] | None:
    """'source rule 100' -> (packets, bytes); None when the table is not loaded."""
    result = run(target, ["nft", "-j", "list", "table", *TABLE], check=False)
    if result.returncode != 0:
        return None
    try:
        items = json.loads(result.stdout).get("nftables", [])
    except ValueError:
        raise NosError("nft -j list table: unreadable answer") from None
    found: dict[str, tuple[int, int]] = {}
    for item in items:
        rule = item.get("rule") if isinstance(item, dict) else None
        if not rule or "comment" not in rule:
            continue
        for expr in rule.get("expr", []):
            if isinstance(expr, dict) and "counter" in expr:
                counter = expr["counter"]
                found[rule["comment"]] = (int(counter.get("packets", 0)), int(counter.get("bytes", 0)))
    return found


def rule_rows(tree: "ConfigTree", side: str,
              counters: dict[str, tuple[int, int]] | None) -> list[tuple[str, ...]]:
    rows = []
    interface = "outbound-interface" if side == "source" else "inbound-interface"
    for number in tree.keys("nat", side, "rule"):
        at = ("nat", side, "rule", number)

        def get(*path: str, default: str = "") -> str:
            return tree.value(*at, *path) or default

        if tree.exists(*at, "exclude"):
            translation = "exclude"
        else:
            translation = get("translation", "address") or ("redirect" if side == "destination" else "")
            port = get("translation", "port")
            if port:
                translation += f" port {port}"
        if tree.exists(*at, "disable"):
            translation += " (disabled)"
        count = (counters or {}).get(f"{side} rule {int(number)}")
        packets, octets = (str(count[0]), str(count[1])) if count else ("-", "-")
        rows.append((number,
                     f"{get('source', 'address', default='0.0.0.0/0')}\nsport {get('source', 'port', default='any')}",
                     f"{get('destination', 'address', default='0.0.0.0/0')}\n"
                     f"dport {get('destination', 'port', default='any')}",
                     get("protocol", default="all"), get(interface, "name", default="any"),
                     translation.strip(), packets, octets))
    return rows


def show_nat_rules(session: "Session", command: "Command") -> str:
    side = command.opts["side"]
    target = session.target
    counters = nft_counters(target) if has_router(target) else None
    rows = rule_rows(session.running, side, counters)
    if not rows:
        return f"No {side} NAT rules are configured\n"
    headers = ("Rule", "Source", "Destination", "Proto", "Out-Int" if side == "source" else "In-Int",
               "Translation", "Packets", "Bytes")
    note = () if counters is not None else (
        ("Counters: none (the NAT table is not loaded in the router)",) if has_router(target)
        else ("Counters: none (sandbox root: nothing is applied)",))
    return simple_table(headers, rows, note)


# -- connection tracking -------------------------------------------------------------------------

@dataclass(frozen=True)
class Connection:
    protocol: str
    timeout: str
    state: str
    original: dict[str, str]
    reply: dict[str, str]
    flags: tuple[str, ...]
    mark: str
    zone: str

    def end(self, side: dict[str, str], which: str) -> str:
        port = side.get("sport" if which == "src" else "dport")
        address = side.get(which, "?")
        return f"{address}:{port}" if port else address

    @property
    def source_nat(self) -> bool:
        return (self.reply.get("dst"), self.reply.get("dport")) != (self.original.get("src"),
                                                                   self.original.get("sport"))

    @property
    def destination_nat(self) -> bool:
        return (self.reply.get("src"), self.reply.get("sport")) != (self.original.get("dst"),
                                                                   self.original.get("dport"))


def parse_conntrack(text: str) -> list[Connection]:
    """Entries of /proc/net/nf_conntrack (IPv4 only)."""
    found = []
    for line in text.splitlines():
        words = line.split()
        if len(words) < 6 or words[0] != "ipv4":
            continue
        protocol, timeout = words[2], words[4]
        rest = words[5:]
        state = rest.pop(0) if rest and "=" not in rest[0] and not rest[0].startswith("[") else ""
        original: dict[str, str] = {}
        reply: dict[str, str] = {}
        flags, extra = [], {}
        for word in rest:
            if word.startswith("["):
                flags.append(word.strip("[]"))
                continue
            key, _, value = word.partition("=")
            if key in ("src", "dst", "sport", "dport", "type", "code", "id"):
                (reply if key in original else original)[key] = value
            else:
                extra[key] = value
        found.append(Connection(protocol, timeout, state, original, reply, tuple(flags),
                                extra.get("mark", "0"), extra.get("zone", "0")))
    return found


def read_conntrack(session: "Session") -> list[Connection]:
    target = router(session, "connection tracking table")
    result = run(target, ["cat", CONNTRACK], check=False)
    if result.returncode != 0:
        raise NosError("Connection tracking is not available in the router's kernel "
                       f"({CONNTRACK} cannot be read)")
    return parse_conntrack(result.stdout)


def show_conntrack_table(session: "Session", command: "Command") -> str:
    rows = [(c.end(c.original, "src"), c.end(c.original, "dst"), c.end(c.reply, "src"), c.end(c.reply, "dst"),
             c.protocol, c.state or "-", c.timeout, c.mark, c.zone) for c in read_conntrack(session)]
    return simple_table(("Original src", "Original dst", "Reply src", "Reply dst", "Protocol", "State",
                         "Timeout", "Mark", "Zone"), rows)


def show_nat_translations(session: "Session", command: "Command") -> TableText:
    side = command.opts["side"]
    rows = []
    for c in read_conntrack(session):
        if not (c.source_nat if side == "source" else c.destination_nat):
            continue
        # the translated packet goes from the reply's destination to the reply's source
        rows.append((c.end(c.original, "src"), c.end(c.original, "dst"), c.end(c.reply, "dst"),
                     c.end(c.reply, "src"), c.protocol, c.timeout))
    return simple_table(("Pre-NAT src", "Pre-NAT dst", "Post-NAT src", "Post-NAT dst", "Proto", "Timeout"), rows)


COMMANDS = (
    OpCommand("show_nat_rules", ("show nat",), show_nat_rules, "NAT rules with the packets and bytes they matched"),
    OpCommand("show_nat_translations", ("show nat",), show_nat_translations, "Connections the router translated"),
    OpCommand("show_conntrack_table", ("show conntrack table ipv4",), show_conntrack_table,
              "Tracked IPv4 connections"),
)

KEYWORDS: KeywordHelp = {
    "conntrack": "Show connection tracking information",
    "destination": "Destination NAT",
    "ipv4": "IPv4 connections",
    "nat": "Show Network Address Translation information",
    "rules": "Show the rules and their counters",
    "source": "Source NAT",
    "table": "Show the connection tracking table",
    "translations": "Show translated connections",
}
