"""Zone-based policy -> chains of nos-shell's filter table (pure), VyOS's zone model.

Forwarded traffic goes to the chain of the zone it leaves by (``oifname``); there, traffic
from the same zone is let through, traffic from a zone with a `from` entry goes through
that entry's named chain (per family) and is let through if the chain does not decide,
and everything else meets the zone's default action. The local zone (the router) is
checked on input (by the zone traffic comes from) and on output (by the zone it goes to,
through the `from LOCAL` entry of that zone). Loopback is always allowed.
"""
from __future__ import annotations

from nos_shell.config.tree import ConfigTree

from .fwrules import comment_line, ifname, log_prefix
from .fwtree import Chain

_FAMILIES = (("name", 4, "ipv4"), ("ipv6-name", 6, "ipv6"))


def _label(zone: str, suffix: str = "") -> str:
    Chain(4, (), name=zone).label          # checks the name
    return f"ZONE_{zone}{suffix}"


def _ifset(tree: ConfigTree, zone: str) -> str:
    names = [ifname(n) for n in tree.values("firewall", "zone", zone, "interface")]
    return names[0] if len(names) == 1 else "{ " + ", ".join(names) + " }"


def _default(tree: ConfigTree, zone: str, where: str) -> str:
    action = tree.value("firewall", "zone", zone, "default-action") or "drop"
    log = ""
    if tree.exists("firewall", "zone", zone, "default-log"):
        log = f" {log_prefix(Chain(4, (), name='zone-' + zone), 'default', action)}"
    return f'counter{log} {action} comment "zone {zone} default-action{where}"'


def _pair(tree: ConfigTree, zone: str, source: str, match: str, peer: str) -> list[str]:
    """Rules for traffic of zone pair (source -> zone), matched by ``match`` on ``peer``'s interfaces."""
    at = ("firewall", "zone", zone, "from", source, "firewall")
    out = []
    for leaf, family, word in _FAMILIES:
        chain = tree.value(*at, leaf)
        if chain:
            target = Chain(family, (), name=chain).label
            out.append(f"meta nfproto {word} {match} {_ifset(tree, peer)} counter jump {target} "
                       f'comment "zone {zone} from {source}"')
            out.append(f"meta nfproto {word} {match} {_ifset(tree, peer)} counter return")
    return out


def compile_zones(tree: ConfigTree) -> tuple[list[str], list[str], list[str], list[str]]:
    """(input dispatch, forward dispatch, output dispatch, zone chains), one tab deep."""
    zones = tree.keys("firewall", "zone")
    if not zones:
        return [], [], [], []
    local = next((z for z in zones if tree.exists("firewall", "zone", z, "local-zone")), None)
    others = [z for z in zones if z != local and tree.values("firewall", "zone", z, "interface")]
    forward = [f"oifname {_ifset(tree, z)} counter jump {_label(z)}" for z in others]
    chains: list[str] = []
    for zone in others:
        desc = tree.value("firewall", "zone", zone, "description")
        chains.append(f"\tchain {_label(zone)} {{")
        if desc:
            chains.append(f"\t\t{comment_line(f'zone {zone}: {desc}')}")
        chains.append(f"\t\tiifname {_ifset(tree, zone)} counter return")
        for source in tree.keys("firewall", "zone", zone, "from"):
            if source in others:
                chains += [f"\t\t{line}" for line in _pair(tree, zone, source, "iifname", source)]
        chains += [f"\t\t{_default(tree, zone, '')}", "\t}"]
    inbound, outbound = [], []
    if local is not None:
        inbound = [f"counter jump {_label(local, '_IN')}"]
        outbound = [f"counter jump {_label(local, '_OUT')}"]
        chains.append(f"\tchain {_label(local, '_IN')} {{")
        chains.append('\t\tiifname "lo" counter return')
        for source in tree.keys("firewall", "zone", local, "from"):
            if source in others:
                chains += [f"\t\t{line}" for line in _pair(tree, local, source, "iifname", source)]
        chains += [f"\t\t{_default(tree, local, ' in')}", "\t}"]
        chains.append(f"\tchain {_label(local, '_OUT')} {{")
        chains.append('\t\toifname "lo" counter return')
        for zone in others:
            if tree.exists("firewall", "zone", zone, "from", local):
                chains += [f"\t\t{line}" for line in _pair(tree, zone, local, "oifname", zone)]
        chains += [f"\t\t{_default(tree, local, ' out')}", "\t}"]
    return inbound, forward, outbound, chains
