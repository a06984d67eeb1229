"""VyOS 1.3 firewall syntax -> 1.4, as VyOS's firewall migrations 5-to-6 .. 16-to-17 do.

Recognised by shape: `firewall name|ipv6-name`, `firewall all-ping ...`, `firewall
state-policy`, `interfaces ... firewall in|out|local`, `zone-policy`. Rule syntax inside the
old chains (`state { established enable }`, `log enable`, `tcp flags SYN,!ACK`, ICMP names,
`inbound-interface eth0`) is rewritten as it moves. A node whose meaning has no clear
counterpart is dropped and named in ``versions.warnings``.
"""
from __future__ import annotations

import re
from typing import Protocol

from .raw import RawNode, ensure, get, interface_blocks, put, remove, select, top_block


class Versions(Protocol):
    """What these migrations need of migrate.Versions: a place for warnings."""

    warnings: list[str]

    def before(self, component: str, version: int) -> bool: ...

_GLOBAL = ("all-ping", "broadcast-ping", "ip-src-route", "ipv6-receive-redirects",
           "ipv6-src-route", "log-martians", "receive-redirects", "resolver-cache",
           "resolver-internal", "send-redirects", "source-validation", "syn-cookies",
           "twa-hazards-protection")
_GONE = ("config-trap",)      # dropped by VyOS itself, without a counterpart

# (type, code) pairs or new names for the old ICMP type names (firewall 6-to-7)
_ICMP4: dict[str, str | tuple[int, int]] = {
    "ping": "echo-request", "pong": "echo-reply", "ttl-exceeded": "time-exceeded",
    "network-unreachable": (3, 0), "host-unreachable": (3, 1), "protocol-unreachable": (3, 2),
    "port-unreachable": (3, 3), "fragmentation-needed": (3, 4), "source-route-failed": (3, 5),
    "network-unknown": (3, 6), "host-unknown": (3, 7), "network-prohibited": (3, 9),
    "host-prohibited": (3, 10), "TOS-network-unreachable": (3, 11),
    "TOS-host-unreachable": (3, 12), "communication-prohibited": (3, 13),
    "host-precedence-violation": (3, 14), "precedence-cutoff": (3, 15),
    "network-redirect": (5, 0), "host-redirect": (5, 1), "TOS-network-redirect": (5, 2),
    "TOS-host-redirect": (5, 3), "ttl-zero-during-transit": (11, 0),
    "ttl-zero-during-reassembly": (11, 1), "ip-header-bad": (12, 0),
    "required-option-missing": (12, 1)}
_ICMP6: dict[str, str | tuple[int, int]] = {
    "ping": "echo-request", "pong": "echo-reply", "no-route": (1, 0),
    "communication-prohibited": (1, 1), "address-unreachble": (1, 3),
    "port-unreachable": (1, 4), "redirect": "nd-redirect",
    "router-solicitation": "nd-router-solicit", "router-advertisement": "nd-router-advert",
    "neighbour-solicitation": "nd-neighbor-solicit",
    "neighbor-solicitation": "nd-neighbor-solicit",
    "neighbour-advertisement": "nd-neighbor-advert",
    "neighbor-advertisement": "nd-neighbor-advert", "ttl-zero-during-transit": (3, 0),
    "ttl-zero-during-reassembly": (3, 1), "bad-header": (4, 0),
    "unknown-header-type": (4, 1), "unknown-option": (4, 2)}
_TYPE_CODE = re.compile(r"^(\d+)(?:/(\d+))?$")


def _leaf(node: RawNode, name: str) -> RawNode | None:
    return next((c for c in node.children or () if c.name == name and c.children is None), None)


def _drop(versions: Versions, path: str, node: RawNode) -> None:
    versions.warnings.append(f"{node.line}: {path} has no VyOS 1.4 counterpart; dropped")


# -- rules -------------------------------------------------------------------------------------
def _icmp(rule: RawNode, v6: bool) -> None:
    block = get(rule, "icmpv6" if v6 else "icmp")
    if block is None or block.children is None:
        return
    table = _ICMP6 if v6 else _ICMP4
    for child in list(block.children):
        if child.children is not None or child.value is None:
            continue
        if not v6 and child.name == "type-name" and child.value == "any":
            remove(block, child)
        elif not v6 and child.name == "type-name" and child.value in table:
            _icmp_set(block, child, table[child.value])
        elif v6 and child.name == "type":
            match = _TYPE_CODE.match(child.value)
            if match:
                child.value = match.group(1)
                if match.group(2):
                    put(block, "code", match.group(2))
            elif child.value in table:
                _icmp_set(block, child, table[child.value])
            else:
                child.name = "type-name"


def _icmp_set(block: RawNode, child: RawNode, new: str | tuple[int, int]) -> None:
    if isinstance(new, str):
        child.name, child.value = "type-name", new
        return
    remove(block, child)
    put(block, "type", str(new[0]))
    put(block, "code", str(new[1]))


def _interfaces_match(rule: RawNode) -> None:
    for side in ("inbound-interface", "outbound-interface"):
        node = get(rule, side)
        if node is None:
            continue
        if node.children is None:
            name, node.value, node.children = node.value, None, []
            put(node, "name", name)
        for child in node.children:
            child.name = {"interface-name": "name", "interface-group": "group"}.get(child.name, child.name)


def _flags_and_states(rule: RawNode) -> None:
    log = _leaf(rule, "log")
    if log is not None and log.value is not None:
        if log.value == "enable":
            log.value = None
        else:
            remove(rule, log)
    state = get(rule, "state")
    if state is not None and state.children is not None:
        index = rule.children.index(state)  # type: ignore[union-attr]
        on = [RawNode("state", c.name, None, None, c.line) for c in state.children
              if c.value == "enable" and c.name in ("established", "invalid", "new", "related")]
        rule.children[index:index + 1] = on  # type: ignore[index]
    tcp = get(rule, "tcp")
    flags = _leaf(tcp, "flags") if tcp is not None else None
    if tcp is not None and flags is not None and flags.value:
        remove(tcp, flags)
        block = ensure(tcp, "flags")
        for flag in flags.value.split(","):
            target = ensure(block, "not") if flag.startswith("!") else block
            put(target, flag.lstrip("!").lower(), None)
    ipsec = get(rule, "ipsec")
    for child in (ipsec.children or ()) if ipsec is not None else ():
        if child.name in ("match-ipsec", "match-none"):
            child.name += "-in"


def _rule(rule: RawNode, v6: bool) -> None:
    """One rule of an old chain, in 1.4 syntax (accept -> return: see _chain)."""
    description = _leaf(rule, "description")
    if description is not None and description.value:
        description.value = description.value[:255]
    _icmp(rule, v6)
    protocol = _leaf(rule, "protocol")
    if v6 and protocol is not None and protocol.value == "icmpv6":
        protocol.value = "ipv6-icmp"
    has_ports = any(select(rule.children, f"{side} group") and
                    any(_leaf(g, "port-group") for g in select(rule.children, f"{side} group"))
                    for side in ("source", "destination"))
    if has_ports and protocol is None:
        put(rule, "protocol", "tcp_udp")
    _interfaces_match(rule)
    level = _leaf(rule, "log-level")
    if level is not None:
        remove(rule, level)
        put(ensure(rule, "log-options"), "level", level.value)
    _flags_and_states(rule)
    action = _leaf(rule, "action")
    if action is not None and action.value == "accept":
        action.value = "return"


def _chain(chain: RawNode, v6: bool) -> None:
    """An old named chain: `accept` meant "return to the caller" there (firewall 10-to-11)."""
    for child in chain.children or ():
        if child.name == "enable-default-log":
            child.name = "default-log"
        elif child.name == "description" and child.value:
            child.value = child.value[:255]
    default = _leaf(chain, "default-action")
    if default is not None and default.value == "accept":
        default.value = "return"
    for rule in select(chain.children, "rule*"):
        _rule(rule, v6)


# -- chains, options, bindings -----------------------------------------------------------------
def firewall_names(nodes: list[RawNode], versions: Versions) -> None:
    """`firewall name|ipv6-name N` -> `firewall ipv4|ipv6 name N`; global options and
    `state-policy` -> `firewall global-options ...`."""
    for fw in select(nodes, "firewall"):
        for old, family in (("name", "ipv4"), ("ipv6-name", "ipv6")):
            for chain in list(select(fw.children, f"{old}*")):
                remove(fw, chain)
                _chain(chain, family == "ipv6")
                chain.name = "name"
                ensure(fw, family).children.append(chain)  # type: ignore[union-attr]
        policy = get(fw, "state-policy")
        if policy is not None and policy.children is not None:
            remove(fw, policy)
            target = ensure(ensure(fw, "global-options"), "state-policy")
            for state in policy.children:
                entry = ensure(target, state.name)
                for child in state.children or ():
                    if child.name == "action":
                        put(entry, "action", child.value)
                    elif child.name == "log" and child.value == "enable":
                        put(entry, "log", None)
        for child in list(fw.children or ()):
            if child.children is None and child.name in _GLOBAL:
                remove(fw, child)
                put(ensure(fw, "global-options"), child.name, child.value)
            elif child.children is None and child.name in _GONE:
                remove(fw, child)
                _drop(versions, f"firewall {child.name}", child)


def firewall_options(nodes: list[RawNode], versions: Versions) -> None:
    """`firewall options interface IF adjust-mss|adjust-mss6 N` -> the interface's
    `ip|ipv6 adjust-mss` (firewall 5-to-6)."""
    for fw in select(nodes, "firewall"):
        options = get(fw, "options")
        if options is None or options.children is None:
            continue
        remove(fw, options)
        blocks = dict(interface_blocks(nodes, svlan_first=True))
        for entry in select(options.children, "interface*"):
            block = blocks.get(entry.value or "")
            if block is None or get(entry, "disable") is not None:
                continue
            for leaf, family in (("adjust-mss", "ip"), ("adjust-mss6", "ipv6")):
                mss = _leaf(entry, leaf)
                if mss is not None:
                    put(ensure(block, family), "adjust-mss", mss.value)


def firewall_bindings(nodes: list[RawNode], versions: Versions) -> None:
    """`interfaces ... firewall in|out|local name|ipv6-name N` -> jump rules 5, 10, ... in
    `firewall ipv4|ipv6 forward|input filter` (default-action accept), as VyOS does. Only
    in a file whose footer predates firewall@8: the walk over every interface is not free."""
    if not versions.before("firewall", 8):
        return
    bound: list[tuple[str, RawNode]] = []
    for ifname, block in list(interface_blocks(nodes, svlan_first=True)):
        holder = get(block, "firewall")
        if holder is not None and holder.children is not None:
            remove(block, holder)
            bound.append((ifname, holder))
    if not bound:
        return
    fw = top_block(nodes, "firewall")
    numbers: dict[tuple[str, str], int] = {}
    for direction in ("in", "out", "local"):
        for ifname, holder in bound:
            spec = get(holder, direction)
            for old, family in (("name", "ipv4"), ("ipv6-name", "ipv6")):
                target = _leaf(spec, old) if spec is not None else None
                if target is None:
                    continue
                hook = "input" if direction == "local" else "forward"
                base = ensure(ensure(fw, family), hook)
                chain = ensure(base, "filter")
                put(chain, "default-action", "accept")
                number = numbers.get((family, hook), 5)
                numbers[(family, hook)] = number + 5
                rule = ensure(chain, "rule", str(number))
                side = "outbound-interface" if direction == "out" else "inbound-interface"
                put(ensure(rule, side), "name", ifname)
                put(rule, "action", "jump")
                put(rule, "jump-target", target.value)


def zone_policy(nodes: list[RawNode], versions: Versions) -> None:
    """`zone-policy zone Z { ... }` -> `firewall zone Z { ... }` (`eth+` -> `eth*`)."""
    for policy in [n for n in nodes if n.name == "zone-policy" and n.children is not None]:
        nodes.remove(policy)
        zones = list(select(policy.children, "zone*"))
        if not zones:
            continue
        fw = top_block(nodes, "firewall")
        for zone in zones:
            for child in zone.children or ():
                if child.name == "interface" and child.children is None and child.value:
                    child.value = child.value.replace("+", "*")
            fw.children.append(zone)  # type: ignore[union-attr]
        for other in policy.children or ():
            if other.name != "zone":
                _drop(versions, f"zone-policy {other.name}", other)

