"""The firewall's operational commands (VyOS 1.4's layouts).

    show firewall                              every ruleset: its rules with packets and bytes
    show firewall ipv4|ipv6 name NAME [rule N] one named chain (one rule of it)
    show firewall ipv4|ipv6 forward|input|output filter [rule N]
    show firewall group [NAME]                 groups, their members and the rules using them
    show firewall statistics                   the counters with each rule's addresses and interfaces
    reset firewall counters                    every rule counter of the filter table to zero

Rules come from the running configuration (ops/fwconfig.py); packets and bytes from the
counter of the compiled rule with the same comment, read live in the router
(ops/fwstate.py). A sandbox root has no live ruleset and says so, as the NAT views do.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import NosError
from .command import KeywordHelp, OpCommand
from .context import has_router, router, simple_table
from .fwconfig import Rule, Ruleset, group_references, rulesets
from .fwstate import Counters

if TYPE_CHECKING:
    from ..commands import Command
    from ..config.tree import ConfigTree
    from ..session import Session

RULE_HEADERS = ("Rule", "Action", "Protocol", "Packets", "Bytes", "Conditions")
STAT_HEADERS = ("Rule", "Packets", "Bytes", "Action", "Source", "Destination", "Inbound-Interface",
                "Outbound-interface")
NO_TABLE = "Counters: none (the firewall table is not loaded in the router)"
SANDBOX = "Counters: none (sandbox root: nothing is applied)"


def live(session: "Session") -> tuple[Counters | None, tuple[str, ...]]:
    """The filter table's counters, and the note to print when there are none."""
    from .fwstate import counters

    target = session.target
    if not has_router(target):
        return None, (SANDBOX,)
    found = counters(target)
    return found, (() if found is not None else (NO_TABLE,))


def _count(counters: Counters | None, comment: str | None) -> tuple[str, str]:
    hit = (counters or {}).get(comment) if comment else None
    return (str(hit[0]), str(hit[1])) if hit else ("-", "-")


def _rule_row(rule: Rule, counters: Counters | None) -> tuple[str, ...]:
    action = rule.action + (" (disabled)" if rule.disabled else "")
    return (rule.number, action, rule.protocol, *_count(counters, rule.comment), "\n".join(rule.conditions))


def ruleset_block(ruleset: Ruleset, counters: Counters | None, only: str | None = None) -> str:
    """One ruleset: its title, then its rules (or only rule ``only``) and its default action."""
    rows = [_rule_row(rule, counters) for rule in ruleset.rules if only is None or rule.number == only]
    if only is None:
        rows.append(("default", ruleset.default_action, "all", *_count(counters, ruleset.default_comment), ""))
    head = ["---------------------------------", ruleset.title]
    if ruleset.description:
        head.append(f"Description: {ruleset.description}")
    return "\n".join(head) + "\n\n" + str(simple_table(RULE_HEADERS, rows))


def _state_policy(tree: "ConfigTree", counters: Counters | None) -> str:
    at = ("firewall", "global-options", "state-policy")
    rows = [(state, tree.value(*at, state, "action") or "", *_count(counters, f"global-options state-policy {state}"))
            for state in tree.keys(*at)]
    if not rows:
        return ""
    return ("---------------------------------\nGlobal state policy\n\n"
            + str(simple_table(("State", "Action", "Packets", "Bytes"), rows)))


def _zones(tree: "ConfigTree", counters: Counters | None) -> str:
    rows = []
    for zone in tree.keys("firewall", "zone"):
        at = ("firewall", "zone", zone)
        for source in tree.keys(*at, "from"):
            chains = [tree.value(*at, "from", source, "firewall", key) for key in ("name", "ipv6-name")]
            rows.append((zone, f"from {source}", ", ".join(c for c in chains if c),
                         *_count(counters, f"zone {zone} from {source}")))
        defaults = {k: v for k, v in (counters or {}).items() if k.startswith(f"zone {zone} default-action")}
        total = (str(sum(v[0] for v in defaults.values())), str(sum(v[1] for v in defaults.values()))) \
            if defaults else ("-", "-")
        rows.append((zone, "default-action", tree.value(*at, "default-action") or "drop", *total))
    if not rows:
        return ""
    return ("---------------------------------\nZones\n\n"
            + str(simple_table(("Zone", "Traffic", "Action / chain", "Packets", "Bytes"), rows)))


def show_firewall(session: "Session", command: "Command") -> str:
    tree = session.running
    sets = rulesets(tree)
    counters, note = live(session)
    blocks = [ruleset_block(ruleset, counters) for ruleset in sets]
    blocks += [text for text in (_state_policy(tree, counters), _zones(tree, counters)) if text]
    if not blocks:
        return "No firewall rulesets are configured\n"
    return "\n".join(("Rulesets Information", *note, "")) + "\n" + "\n".join(blocks)


def _one(tree: "ConfigTree", family: str, words: str) -> Ruleset:
    found = next((r for r in rulesets(tree) if r.family == family and r.words == words), None)
    if found is None:
        raise NosError(f"Firewall {family} {words} is not configured")
    return found


def _show_one(session: "Session", family: str, words: str, rule: str | None) -> str:
    ruleset = _one(session.running, family, words)
    if rule is not None and not any(r.number == rule for r in ruleset.rules):
        raise NosError(f"Firewall {family} {words} has no rule {rule}")
    counters, note = live(session)
    return "\n".join(("Rule Information", *note, "")) + "\n" + ruleset_block(ruleset, counters, rule)


def show_firewall_name(session: "Session", command: "Command") -> str:
    rule = str(int(command.words[1])) if len(command.words) > 1 else None
    return _show_one(session, command.opts["family"], f"name {command.words[0]}", rule)


def show_firewall_filter(session: "Session", command: "Command") -> str:
    rule = str(int(command.words[0])) if command.words else None
    return _show_one(session, command.opts["family"], f"{command.opts['hook']} filter", rule)


def show_firewall_group(session: "Session", command: "Command") -> str:
    tree = session.running
    wanted = command.words[0] if command.words else None
    used = group_references(tree)
    rows = []
    for kind in tree.keys("firewall", "group"):
        for name in tree.keys("firewall", "group", kind):
            if wanted is not None and name != wanted:
                continue
            at = ("firewall", "group", kind, name)
            member = next((k for k in tree.keys(*at) if k not in ("include", "description")), None)
            members = (tree.values(*at, member) if member else []) + \
                [f"include {g}" for g in tree.values(*at, "include")]
            rows.append((name, kind.replace("-", "_"), "\n".join(used.get((kind, name), [])) or "N/D",
                         "\n".join(members) or "N/D"))
    if not rows:
        if wanted is not None:
            raise NosError(f"Firewall group {wanted} is not configured")
        return "No firewall groups are configured\n"
    return "Firewall Groups\n\n" + str(simple_table(("Name", "Type", "References", "Members"), rows))


def show_firewall_statistics(session: "Session", command: "Command") -> str:
    tree = session.running
    counters, note = live(session)
    blocks = []
    for ruleset in rulesets(tree):
        rows = []
        for rule in ruleset.rules:
            def get(*path: str) -> str:
                return tree.value(*rule.at, *path) or "any"

            rows.append((rule.number, *_count(counters, rule.comment), rule.action,
                         get("source", "address"), get("destination", "address"),
                         get("inbound-interface", "name"), get("outbound-interface", "name")))
        rows.append(("default", *_count(counters, ruleset.default_comment), ruleset.default_action,
                     "any", "any", "any", "any"))
        blocks.append(f"---------------------------------\n{ruleset.title}\n\n"
                      + str(simple_table(STAT_HEADERS, rows)))
    if not blocks:
        return "No firewall rulesets are configured\n"
    return "\n".join(("Rulesets Statistics", *note, "")) + "\n" + "\n".join(blocks)


def reset_firewall_counters(session: "Session", command: "Command") -> str:
    from .fwstate import reset

    if not reset(router(session, "firewall counters", "reset")):
        raise NosError("The firewall table is not loaded in the router: there are no counters to reset")
    return ""


COMMANDS = (
    OpCommand("show_firewall", ("show firewall",), show_firewall,
              "Every firewall ruleset with the packets and bytes each rule matched"),
    OpCommand("show_firewall_group", ("show firewall group",), show_firewall_group,
              "Firewall groups, their members and the rules that use them"),
    OpCommand("show_firewall_statistics", ("show firewall statistics",), show_firewall_statistics,
              "Rule counters with each rule's addresses and interfaces"),
    OpCommand("show_firewall_name", ("show firewall",), show_firewall_name,
              "One named firewall chain, or one rule of it, with counters"),
    OpCommand("show_firewall_filter", ("show firewall",), show_firewall_filter,
              "One base filter (forward, input, output), or one rule of it, with counters"),
    OpCommand("reset_firewall_counters", ("reset firewall counters",), reset_firewall_counters,
              "Every firewall rule counter back to zero (one atomic nft transaction)",
              admin_only="reset counters"),
)

KEYWORDS: KeywordHelp = {
    ("show", "firewall"): "Show firewall information",
    ("reset", "firewall"): "Reset firewall counters",
    ("firewall", "group"): "Show firewall groups",
    ("firewall", "statistics"): "Show firewall rule counters",
    ("firewall", "ipv4"): "IPv4 firewall",
    ("firewall", "ipv6"): "IPv6 firewall",
    ("firewall", "counters"): "Reset every firewall rule counter",
    ("ipv4", "name"): "Show a named IPv4 chain",
    ("ipv6", "name"): "Show a named IPv6 chain",
    ("forward", "filter"): "Show the filter",
    ("input", "filter"): "Show the filter",
    ("output", "filter"): "Show the filter",
    "forward": "Forward filter",
    "input": "Input filter",
    "output": "Output filter",
    "rule": "Show one rule",
}
