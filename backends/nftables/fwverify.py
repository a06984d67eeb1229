"""verify for `firewall`: cross-node rules, with VyOS's messages where VyOS has one (pure)."""
from __future__ import annotations

from nos_shell.config.tree import ConfigTree
from nos_shell.problems import Problem

from .fwtree import GROUP_NODES, MEMBER, Chain, chains, family_node, group_names, referenced_group, rules

PORT_PROTOCOLS = ("tcp", "udp", "tcp_udp", "6", "17")


def verify(tree: ConfigTree) -> list[Problem]:
    """Every problem of the firewall configuration, sorted."""
    if not tree.exists("firewall"):
        return []
    problems: list[Problem] = []
    for chain in chains(tree):
        for _number, at in rules(tree, chain):
            problems += _rule(tree, chain, at)
    problems += _loops(tree)
    problems += _groups(tree)
    problems += _zones(tree)
    return sorted(problems)


def _rule(tree: ConfigTree, chain: Chain, at: tuple[str, ...]) -> list[Problem]:
    out: list[Problem] = []
    action = tree.value(*at, "action")
    target = tree.value(*at, "jump-target")
    fam = family_node(chain.family)
    if action is None and not tree.exists(*at, "disable"):
        out.append(Problem(at + ("action",), "Rule action must be defined"))
    if action == "jump" and target is None:
        out.append(Problem(at + ("jump-target",), "Action set to jump, but no jump-target specified"))
    if target is not None and action != "jump":
        out.append(Problem(at + ("jump-target",), "jump-target defined, but action jump needed and it is "
                                                  "not defined"))
    if target is not None and not tree.exists("firewall", fam, "name", target):
        out.append(Problem(at + ("jump-target",), f"Invalid jump-target. Firewall {fam} name {target} does "
                                                  "not exist on the system"))
    protocol = tree.value(*at, "protocol")
    bare = protocol.lstrip("!") if protocol else None
    for side in ("source", "destination"):
        port = tree.value(*at, side, "port")
        port_group = tree.value(*at, side, "group", "port-group")
        if port or port_group:
            where = at + (side, "port" if port else "group")
            if protocol is None:
                out.append(Problem(where, "Protocol must be defined if specifying a port or port-group"))
            elif bare not in PORT_PROTOCOLS or protocol.startswith("!"):
                out.append(Problem(where, "Protocol must be tcp, udp, or tcp_udp when specifying a port or "
                                          "port-group"))
        if port and port_group:
            out.append(Problem(at + (side, "group", "port-group"), f"{side} port-group and port cannot both "
                                                                   "be defined"))
        if tree.value(*at, side, "group", "address-group") and tree.value(*at, side, "group", "network-group"):
            out.append(Problem(at + (side, "group"), "Only one address-group, network-group or domain-group "
                                                     "can be specified"))
        for kind in ("address-group", "network-group", "port-group"):
            out += _group_ref(tree, chain.family, at + (side, "group", kind), kind)
    for direction in ("inbound-interface", "outbound-interface"):
        if tree.value(*at, direction, "name") and tree.value(*at, direction, "group"):
            out.append(Problem(at + (direction,), "Cannot specify both interface group and interface name "
                                                  f"for {direction}"))
        out += _group_ref(tree, chain.family, at + (direction, "group"), "interface-group")
    if tree.exists(*at, "tcp", "flags") and bare not in ("tcp", "6"):
        out.append(Problem(at + ("tcp", "flags"), "Protocol must be tcp when specifying tcp flags"))
    for flag in tree.keys(*at, "tcp", "flags", "not"):
        if tree.exists(*at, "tcp", "flags", flag):
            out.append(Problem(at + ("tcp", "flags", "not", flag), "Cannot match a tcp flag as set and not set"))
    if chain.family == 6 and bare in ("icmp", "1"):
        out.append(Problem(at + ("protocol",), "Cannot match IPv4 ICMP protocol on IPv6, use ipv6-icmp"))
    if chain.family == 4 and bare in ("ipv6-icmp", "icmpv6", "58"):
        out.append(Problem(at + ("protocol",), "Cannot match IPv6 ICMP protocol on IPv4, use icmp"))
    icmp = "icmp" if chain.family == 4 else "icmpv6"
    if tree.exists(*at, icmp) and bare not in (None, "icmp", "1", "ipv6-icmp", "icmpv6", "58"):
        out.append(Problem(at + (icmp,), f"Protocol must be {'icmp' if chain.family == 4 else 'ipv6-icmp'} "
                                         f"when matching {icmp} types"))
    if tree.exists(*at, icmp, "type-name") and tree.exists(*at, icmp, "type"):
        out.append(Problem(at + (icmp,), "Only one of type-name and type can be specified"))
    if tree.exists(*at, icmp, "code") and not tree.exists(*at, icmp, "type"):
        out.append(Problem(at + (icmp, "code"), f"{icmp} code needs an {icmp} type"))
    if tree.exists(*at, "limit", "burst") and not tree.exists(*at, "limit", "rate"):
        out.append(Problem(at + ("limit", "burst"), "Limit burst needs a limit rate"))
    return out


def _group_ref(tree: ConfigTree, family: int, at: tuple[str, ...], kind: str) -> list[Problem]:
    value = tree.value(*at)
    if value is None:
        return []
    _, name = referenced_group(value)
    node = GROUP_NODES[family][kind]
    if name in group_names(tree, node):
        return []
    other = GROUP_NODES[6 if family == 4 else 4][kind]
    if other != node and name in group_names(tree, other):
        return [Problem(at, f"{kind} \"{name}\" is an {other} and cannot be used in an "
                            f"ipv{family} rule (use an {node})")]
    what = "interface group" if kind == "interface-group" else kind
    return [Problem(at, f"Invalid {what} \"{name}\" on firewall rule")]


def _loops(tree: ConfigTree) -> list[Problem]:
    """Jump loops over the named chains of each family: one problem per chain on a cycle."""
    out: list[Problem] = []
    for family in (4, 6):
        fam = family_node(family)
        edges: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for name in tree.keys("firewall", fam, "name"):
            at = ("firewall", fam, "name", name)
            edges[name] = [(t, at + ("rule", n, "jump-target")) for n in tree.keys(*at, "rule")
                           if (t := tree.value(*at, "rule", n, "jump-target")) is not None
                           and tree.value(*at, "rule", n, "action") == "jump"
                           and not tree.exists(*at, "rule", n, "disable")]
        state: dict[str, int] = {}          # 1: on the current path, 2: done

        def visit(name: str) -> None:
            state[name] = 1
            for target, where in edges.get(name, ()):
                if target not in edges:
                    continue
                if state.get(target) == 1:
                    out.append(Problem(where, f"Loop detected in jump-targets, firewall {fam} name {name} "
                                              f"refers to previously traversed {fam} name {target}"))
                elif target not in state:
                    visit(target)
            state[name] = 2

        for name in edges:
            if name not in state:
                visit(name)
    return out


def _groups(tree: ConfigTree) -> list[Problem]:
    """`include` names an existing group of the same kind, and no group includes itself."""
    out: list[Problem] = []
    for node in MEMBER:
        names = group_names(tree, node)
        for name in names:
            at = ("firewall", "group", node, name, "include")
            for included in tree.values(*at):
                if included not in names:
                    out.append(Problem(at, f"Nested group \"{included}\" does not exist"))
            if name in included_closure(tree, node, name, strict=True):
                out.append(Problem(at, f"Group \"{name}\" has a circular reference"))
    return out


def included_closure(tree: ConfigTree, node: str, name: str, strict: bool = False) -> set[str]:
    """Every group ``name`` includes, directly or not (``strict``: not counting itself
    unless a cycle leads back to it)."""
    seen: set[str] = set()
    todo = list(tree.values("firewall", "group", node, name, "include"))
    if not strict:
        seen.add(name)
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo += tree.values("firewall", "group", node, current, "include")
    return seen


def _zones(tree: ConfigTree) -> list[Problem]:
    out: list[Problem] = []
    zones = tree.keys("firewall", "zone")
    owner: dict[str, str] = {}
    locals_ = [z for z in zones if tree.exists("firewall", "zone", z, "local-zone")]
    if len(locals_) > 1:
        out.append(Problem(("firewall", "zone"), "There cannot be multiple local zones"))
    for zone in zones:
        at = ("firewall", "zone", zone)
        interfaces = tree.values(*at, "interface")
        local = zone in locals_
        if local and interfaces:
            out.append(Problem(at + ("interface",), "Local zone cannot have interfaces assigned"))
        if not local and not interfaces:
            out.append(Problem(at, f"Zone \"{zone}\" has no interfaces and is not the local zone"))
        for name in interfaces:
            if name in owner:
                out.append(Problem(at + ("interface",), "Interfaces cannot be assigned to multiple zones "
                                                        f"({name} is in zone {owner[name]})"))
            owner.setdefault(name, zone)
        for source in tree.keys(*at, "from"):
            where = at + ("from", source)
            if source not in zones:
                out.append(Problem(where, f"Zone \"{zone}\" refers to a non-existent or deleted zone "
                                          f"\"{source}\""))
            if source == zone:
                out.append(Problem(where, f"Zone \"{zone}\" cannot name itself in from"))
            for leaf, fam, word in (("name", "ipv4", "name"), ("ipv6-name", "ipv6", "ipv6-name")):
                chain = tree.value(*where, "firewall", leaf)
                if chain is not None and not tree.exists("firewall", fam, "name", chain):
                    out.append(Problem(where + ("firewall", leaf), f"Firewall {word} \"{chain}\" does not exist"))
    return out
