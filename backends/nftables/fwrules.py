"""One firewall rule -> one nftables rule line (pure).

Matches come in a fixed order (interfaces, addresses, protocol, ports, ICMP, TCP flags,
state, NAT status), then ``limit``, ``counter``, ``log``, the verdict and the comment
naming the rule's configuration path (what `show firewall` will find it by). A
description is written as a ``#`` line before the rule. Every value is re-parsed here.
"""
from __future__ import annotations

import ipaddress
import re

from nos_shell.config.tree import ConfigTree
from nos_shell.schema.fwtypes import ICMP_TYPES, ICMPV6_TYPES, PROTOCOLS, port_items

from .fwsets import set_name
from .fwtree import GROUP_NODES, Chain, referenced_group

_IFNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-@]{0,14}", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_RATE = re.compile(r"([1-9][0-9]{0,8})/(second|minute|hour|day)", re.ASCII)
TCP_FLAGS = ("syn", "ack", "fin", "rst", "urg", "psh", "ecn", "cwr")
_KEYWORD_PROTOCOLS = {"tcp": "tcp", "udp": "udp", "icmp": "icmp", "ipv6-icmp": "icmpv6", "icmpv6": "icmpv6"}


def comment_line(text: str) -> str:
    """``# text`` with nothing that could end the comment early."""
    return "# " + re.sub(r"[\s\\]+$", "", _CONTROL.sub(" ", text))


def _ip(family: int) -> str:
    return "ip" if family == 4 else "ip6"


def _address(value: str, family: int) -> str:
    make = ipaddress.IPv4Address if family == 4 else ipaddress.IPv6Address
    if "-" in value:
        first, last = value.split("-", 1)
        return f"{make(first)}-{make(last)}"
    if "/" in value:
        return str((ipaddress.IPv4Network if family == 4 else ipaddress.IPv6Network)(value))
    return str(make(value))


def _negation(negated: bool) -> str:
    return "!= " if negated else ""


def ifname(value: str) -> str:
    if not _IFNAME.fullmatch(value):
        raise ValueError(f"invalid interface name {value!r}")
    return f'"{value}"'


def protocol(value: str) -> str:
    """The ``meta l4proto`` match of a protocol value (not ``all``)."""
    negated, bare = value.startswith("!"), value.lstrip("!")
    if bare == "tcp_udp":
        word = "{ tcp, udp }"
    elif bare in _KEYWORD_PROTOCOLS:
        word = _KEYWORD_PROTOCOLS[bare]
    elif bare in PROTOCOLS:
        word = str(PROTOCOLS[bare])
    else:
        number = int(bare)
        if not 0 <= number <= 255:
            raise ValueError(f"invalid protocol {value!r}")
        word = str(number)
    return f"meta l4proto {_negation(negated)}{word}"


def merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Port ranges sorted, overlapping and adjacent ones joined (nft refuses overlaps)."""
    out: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if out and low <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], high))
        else:
            out.append((low, high))
    return out


def ports(value: str) -> str:
    items = [f"{lo}-{hi}" if hi != lo else str(lo) for lo, hi in merged(port_items(value))]
    return items[0] if len(items) == 1 else "{ " + ", ".join(items) + " }"


def _interfaces(tree: ConfigTree, at: tuple[str, ...], family: int) -> list[str]:
    out = []
    for direction, key in (("inbound-interface", "iifname"), ("outbound-interface", "oifname")):
        name = tree.value(*at, direction, "name")
        if name:
            out.append(f"{key} {_negation(name.startswith('!'))}{ifname(name.lstrip('!'))}")
        group = tree.value(*at, direction, "group")
        if group:
            negated, gname = referenced_group(group)
            out.append(f"{key} {_negation(negated)}@{set_name('interface-group', gname)}")
    return out


def _side(tree: ConfigTree, at: tuple[str, ...], family: int, side: str) -> tuple[list[str], list[str]]:
    """(address matches, port matches) of one side of a rule."""
    key = "saddr" if side == "source" else "daddr"
    pkey = "sport" if side == "source" else "dport"
    addresses, port_matches = [], []
    address = tree.value(*at, side, "address")
    if address:
        addresses.append(f"{_ip(family)} {key} {_negation(address.startswith('!'))}"
                         f"{_address(address.lstrip('!'), family)}")
    for kind in ("address-group", "network-group"):
        group = tree.value(*at, side, "group", kind)
        if group:
            negated, gname = referenced_group(group)
            addresses.append(f"{_ip(family)} {key} {_negation(negated)}"
                             f"@{set_name(GROUP_NODES[family][kind], gname)}")
    port = tree.value(*at, side, "port")
    if port:
        port_matches.append(f"th {pkey} {ports(port)}")
    group = tree.value(*at, side, "group", "port-group")
    if group:
        negated, gname = referenced_group(group)
        port_matches.append(f"th {pkey} {_negation(negated)}@{set_name('port-group', gname)}")
    return addresses, port_matches


def _icmp(tree: ConfigTree, at: tuple[str, ...], family: int) -> list[str]:
    word, names = ("icmp", ICMP_TYPES) if family == 4 else ("icmpv6", ICMPV6_TYPES)
    out = []
    type_name = tree.value(*at, word, "type-name")
    if type_name:
        if type_name not in names:
            raise ValueError(f"invalid {word} type name {type_name!r}")
        out.append(f"{word} type {type_name}")
    for leaf in ("type", "code"):
        number = tree.value(*at, word, leaf)
        if number is not None:
            out.append(f"{word} {leaf} {int(number)}")
    return out


def _tcp_flags(tree: ConfigTree, at: tuple[str, ...]) -> list[str]:
    on = [f for f in TCP_FLAGS if tree.exists(*at, "tcp", "flags", f)]
    off = [f for f in TCP_FLAGS if tree.exists(*at, "tcp", "flags", "not", f)]
    if not on and not off:
        return []
    mask = " | ".join(f for f in TCP_FLAGS if f in on or f in off)
    value = " | ".join(on) if on else "0x0"
    return [f"tcp flags & ({mask}) == {value}" if len(on) < 2 else f"tcp flags & ({mask}) == ({value})"]


def _limit(tree: ConfigTree, at: tuple[str, ...]) -> list[str]:
    rate = tree.value(*at, "limit", "rate")
    if not rate:
        return []
    m = _RATE.fullmatch(rate)
    if m is None:
        raise ValueError(f"invalid rate {rate!r}")
    burst = tree.value(*at, "limit", "burst")
    return [f"limit rate {int(m[1])}/{m[2]}" + (f" burst {int(burst)} packets" if burst else "")]


def log_prefix(chain: Chain, what: str, action: str) -> str:
    """``log prefix "[ipv4-NAME-10-A] "``: VyOS's prefix (chain, rule, first letter of the action)."""
    where = chain.hook + "-filter" if chain.hook else chain.name
    return f'log prefix "[ipv{chain.family}-{where}-{what}-{action[:1].upper()}] "'


def verdict(action: str, target: str | None, family: int) -> str:
    if action == "jump":
        return f"jump {Chain(family, (), name=target or '').label}"
    if action in ("accept", "drop", "reject", "return", "continue"):
        return action
    raise ValueError(f"invalid action {action!r}")


def rule_lines(tree: ConfigTree, chain: Chain, number: str, at: tuple[str, ...]) -> list[str]:
    """The lines of one rule: a description comment, then the rule (or a comment if disabled)."""
    desc = tree.value(*at, "description")
    path = f"{chain.words} rule {int(number)}"
    lines = [comment_line(f"{path}: {desc}")] if desc else []
    if tree.exists(*at, "disable"):
        return lines + [comment_line(f"{path} (disabled)")]
    family = chain.family
    parts = _interfaces(tree, at, family)
    addresses, port_matches = [], []
    for side in ("source", "destination"):
        a, p = _side(tree, at, family, side)
        addresses += a
        port_matches += p
    parts += addresses
    proto = tree.value(*at, "protocol")
    if proto and proto != "all":
        parts.append(protocol(proto))
    parts += port_matches + _icmp(tree, at, family) + _tcp_flags(tree, at)
    states = tree.values(*at, "state")
    if states:
        ordered = [s for s in ("established", "related", "new", "invalid") if s in states]
        parts.append(f"ct state {ordered[0]}" if len(ordered) == 1 else
                     "ct state { " + ", ".join(ordered) + " }")
    nat = tree.value(*at, "connection-status", "nat")
    if nat:
        parts.append("ct status dnat" if nat == "destination" else "ct status snat")
    parts += _limit(tree, at)
    parts.append("counter")
    action = tree.value(*at, "action") or "accept"
    if tree.exists(*at, "log"):
        parts.append(log_prefix(chain, str(int(number)), action))
    parts += [verdict(action, tree.value(*at, "jump-target"), family), f'comment "{path}"']
    return lines + [" ".join(parts)]
