"""nftables compiler: `nat` and `firewall` -> etc/nftables.d/nos-shell.nft.

The file replaces nos-shell's own two tables, NAT (below) and the firewall's
``inet nos_shell_filter`` (filter.py), and nothing else, in one atomic ``nft -f``
transaction: so there is never a moment with half a ruleset. For each table it declares
the table (so the next line cannot fail), deletes it, and defines it again (nft 1.0.6 has
no ``destroy``). With no NAT rule (no firewall) the file only declares and deletes that
table, which removes it; so the file always exists and loading it is always right.
`firewall global-options` also gives etc/sysctl.d/60-nos-shell-firewall.conf (sysctl.py).

    table ip nos_shell_nat {
        chain prerouting  { type nat hook prerouting priority dstnat; ... }   destination rules
        chain postrouting { type nat hook postrouting priority srcnat; ... }  source rules
    }

Rules follow their rule numbers; `disable` leaves a rule out; `exclude` becomes ``return``
(stop translating: packets that match are left alone by later rules). Every value written
into a rule is re-parsed here (ipaddress, integer ranges, the interface-name pattern) and
printed in canonical form, interface names inside double quotes; descriptions are written
only as ``#`` comment lines, which nothing can end early (newlines never pass the schema).
Each rule has a ``counter`` and the comment ``"source rule N"``, which is how
`show nat source|destination rules` finds its packet and byte counts.

Live (apply, control.py): ``checks`` runs ``nft -c -f`` on the staged file, ``reload`` loads
it with ``nft -f ROOT/etc/nftables.d/nos-shell.nft`` when it changed. At boot something must load it
after nftables.service's ``flush ruleset`` (docs/apply.md).
"""
from __future__ import annotations

import ipaddress
import re
from pathlib import PurePosixPath

from nos_shell.config.tree import ConfigTree
from nos_shell.problems import Problem

from nos_shell.models import shared

from ..common.safety import unsafe_words
from ..contract import HEADER
from .filter import compile_filter
from .fwverify import verify as verify_firewall
from .sysctl import compile_sysctl

PATH = PurePosixPath("etc/nftables.d/nos-shell.nft")
TABLE = "ip nos_shell_nat"
FAMILY_PROTOCOLS = ("tcp", "udp", "tcp_udp")
_IFNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-@]{0,14}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

SIDES = {
    # side: (interface node, nft chain, hook, priority, interface match)
    "destination": ("inbound-interface", "prerouting", "prerouting", "dstnat", "iifname"),
    "source": ("outbound-interface", "postrouting", "postrouting", "srcnat", "oifname"),
}


def _rules(tree: ConfigTree, side: str) -> list[str]:
    return tree.keys("nat", side, "rule")   # natural order: rule 10 before rule 100


# -- value formatting: every piece validated again -----------------------------------------

def _ifname(name: str) -> str:
    if not _IFNAME.fullmatch(name):
        raise ValueError(f"invalid interface name {name!r}")
    return f'"{name}"'


def _address(value: str) -> str:
    """An address, prefix or first-last range in canonical form."""
    if "-" in value:
        first, last = value.split("-", 1)
        return f"{ipaddress.IPv4Address(first)}-{ipaddress.IPv4Address(last)}"
    if "/" in value:
        return str(ipaddress.IPv4Network(value))
    return str(ipaddress.IPv4Address(value))


def _ports(value: str) -> list[str]:
    out = []
    for item in value.split(","):
        low, _, high = item.partition("-")
        lo, hi = int(low), int(high or low)
        if not 1 <= lo <= hi <= 65535:
            raise ValueError(f"invalid port {item!r}")
        out.append(f"{lo}-{hi}" if hi != lo else str(lo))
    return out


def _port_match(value: str) -> str:
    ports = _ports(value)
    return ports[0] if len(ports) == 1 else "{ " + ", ".join(ports) + " }"


def _port_range(value: str) -> str:
    ports = _ports(value)
    if len(ports) != 1:
        raise ValueError(f"a translation port must be one port or range, not {value!r}")
    return ports[0]


def _protocol(value: str) -> str | None:
    if value == "all":
        return None
    if value == "tcp_udp":
        return "meta l4proto { tcp, udp }"
    if value in ("tcp", "udp", "icmp"):
        return f"meta l4proto {value}"
    number = int(value)
    if not 0 <= number <= 255:
        raise ValueError(f"invalid protocol {value!r}")
    return f"meta l4proto {number}"


def _comment(text: str) -> str:
    return "# " + _CONTROL.sub(" ", text).rstrip()


# -- compile ---------------------------------------------------------------------------------

def _rule(tree: ConfigTree, side: str, number: str) -> list[str]:
    at = ("nat", side, "rule", number)
    if_node, _, _, _, if_match = SIDES[side]
    desc = tree.value(*at, "description")
    lines = [_comment(f"{side} rule {number}" + (f": {desc}" if desc else ""))]
    if tree.exists(*at, "disable"):
        lines[0] += " (disabled)"
        return lines
    parts: list[str] = []
    name = tree.value(*at, if_node, "name")
    if name:
        parts.append(f"{if_match} {_ifname(name)}")
    for direction, key in (("source", "saddr"), ("destination", "daddr")):
        addr = tree.value(*at, direction, "address")
        if addr:
            negated = addr.startswith("!")
            parts.append(f"ip {key} {'!= ' if negated else ''}{_address(addr.lstrip('!'))}")
    proto = _protocol(tree.value(*at, "protocol") or "all")
    if proto:
        parts.append(proto)
    for direction, key in (("source", "sport"), ("destination", "dport")):
        port = tree.value(*at, direction, "port")
        if port:
            parts.append(f"th {key} {_port_match(port)}")
    # a counter and the rule's number, for `show nat source|destination rules` (nos_shell/ops/nat.py)
    parts += ["counter", _action(tree, side, at), f'comment "{side} rule {int(number)}"']
    lines.append(" ".join(parts))
    return lines


def _action(tree: ConfigTree, side: str, at: tuple[str, ...]) -> str:
    if tree.exists(*at, "exclude"):
        return "return"
    address = tree.value(*at, "translation", "address")
    port = tree.value(*at, "translation", "port")
    to_port = f":{_port_range(port)}" if port else ""
    if side == "source":
        if address == "masquerade":
            return f"masquerade to {to_port}" if to_port else "masquerade"
        return f"snat to {_address(address)}{to_port}"   # verify: address is set
    if address:
        return f"dnat to {_address(address)}{to_port}"
    return f"redirect to {to_port}"                       # verify: port is set


def compile(tree: ConfigTree) -> dict[PurePosixPath, bytes]:
    lines = [_comment(HEADER), f"table {TABLE}", f"delete table {TABLE}"]
    if any(not tree.exists("nat", side, "rule", n, "disable") for side in SIDES for n in _rules(tree, side)):
        lines.append(f"table {TABLE} {{")
        for side in ("destination", "source"):
            _, chain, hook, priority, _ = SIDES[side]
            lines.append(f"\tchain {chain} {{")
            lines.append(f"\t\ttype nat hook {hook} priority {priority}; policy accept;")
            for number in _rules(tree, side):
                lines.extend(f"\t\t{line}" for line in _rule(tree, side, number))
            lines.append("\t}")
        lines.append("}")
    lines += compile_filter(tree)
    return {PATH: ("\n".join(lines) + "\n").encode(), **compile_sysctl(tree)}


# -- verify ----------------------------------------------------------------------------------

def verify(tree: ConfigTree) -> list[Problem]:
    problems: list[Problem] = unsafe_words(tree, ("nat",), ("firewall",))
    if problems:
        return problems
    problems += verify_firewall(tree)
    known = shared.of(tree).by_name      # the commit's shared model
    for side, (if_node, *_rest) in SIDES.items():
        for number in _rules(tree, side):
            at = ("nat", side, "rule", number)
            if tree.exists(*at, "disable"):
                continue
            name = tree.value(*at, if_node, "name")
            if name and name not in known:
                problems.append(Problem(at + (if_node, "name"), f"interface {name} is not configured "
                                                                f"(NAT rule {number} names it)"))
            protocol = tree.value(*at, "protocol") or "all"
            for direction in ("source", "destination"):
                if tree.value(*at, direction, "port") and protocol not in FAMILY_PROTOCOLS:
                    problems.append(Problem(at + (direction, "port"), "matching a port needs protocol tcp, udp "
                                                                      "or tcp_udp"))
            if tree.exists(*at, "exclude"):
                continue
            address = tree.value(*at, "translation", "address")
            port = tree.value(*at, "translation", "port")
            if port and protocol not in FAMILY_PROTOCOLS:
                problems.append(Problem(at + ("translation", "port"), "translating a port needs protocol tcp, "
                                                                      "udp or tcp_udp"))
            if port and len(port.split(",")) > 1:
                problems.append(Problem(at + ("translation", "port"), "translation port must be one port or "
                                                                      "one range"))
            if side == "source" and address == "masquerade" and not name:     # VyOS's words
                problems.append(Problem(at + (if_node,), f"Source NAT configuration error in rule {number}: "
                                                         "outbound-interface not specified"))
            if side == "source" and not address:
                problems.append(Problem(at + ("translation",), "translation address is required (an address, "
                                                               "a range or masquerade), or set exclude"))
            if side == "destination" and not address and not port:
                problems.append(Problem(at + ("translation",), "translation address or port is required, "
                                                               "or set exclude"))
    return sorted(problems)
