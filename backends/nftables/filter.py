"""`firewall` -> the table ``inet nos_shell_filter`` (pure).

    table inet nos_shell_filter {
        set A_NAME { ... }                 one set per group (fwsets.py)
        chain input   { type filter hook input priority filter; policy accept;
                        jump state-policy; meta nfproto ipv4 jump ipv4-input; ... ipv6 ... }
        chain forward / output             the same for their hooks
        chain state-policy { ct state established counter accept ... }
        chain ipv4-input { rules...; the default action }          `firewall ipv4 input filter`
        chain NAME_X / NAME6_X { rules...; the default action }    `firewall ipv4|ipv6 name X`
        chain zone-input / zone-forward / zone-output (priority filter + 1), ZONE_Z ...
    }

The base chains' policy is accept; each family chain ends with its default action, so a
family with no filter is not filtered. Zones get base chains of their own one priority
step later: a packet must pass both. Every rule has a counter and a comment naming its
configuration path; the default action's rule says ``default-action``.
"""
from __future__ import annotations

from nos_shell.config.tree import ConfigTree

from .fwrules import comment_line, log_prefix, rule_lines
from .fwsets import compile_sets
from .fwtree import HOOKS, Chain, chains, rules
from .fwzones import compile_zones

TABLE = "inet nos_shell_filter"
_STATES = ("established", "related", "invalid")


def _default(tree: ConfigTree, chain: Chain) -> list[str]:
    action = tree.value(*chain.path, "default-action") or ("accept" if chain.hook else "drop")
    if action == "continue":
        return [comment_line(f"{chain.words} default-action continue")]
    log = ""
    if tree.exists(*chain.path, "default-log"):
        log = " " + log_prefix(chain, "default", action)
    return [f'counter{log} {action} comment "{chain.words} default-action {action}"']


def _chain(tree: ConfigTree, chain: Chain) -> list[str]:
    lines = [f"\tchain {chain.label} {{"]
    desc = tree.value(*chain.path, "description")
    if desc:
        lines.append(f"\t\t{comment_line(f'{chain.words}: {desc}')}")
    for number, at in rules(tree, chain):
        lines += [f"\t\t{line}" for line in rule_lines(tree, chain, number, at)]
    lines += [f"\t\t{line}" for line in _default(tree, chain)] + ["\t}"]
    return lines


def _state_policy(tree: ConfigTree) -> list[str]:
    lines = []
    for state in _STATES:
        action = tree.value("firewall", "global-options", "state-policy", state, "action")
        if action:
            log = ""
            if tree.exists("firewall", "global-options", "state-policy", state, "log"):
                log = f' log prefix "[STATE-POLICY-{state.upper()}-{action[:1].upper()}] "'
            lines.append(f'\t\tct state {state} counter{log} {action} comment "global-options state-policy '
                         f'{state}"')
    return ["\tchain state-policy {", *lines, "\t}"] if lines else []


def _base(hook: str, priority: str, body: list[str]) -> list[str]:
    return [f"\tchain {hook} {{", f"\t\ttype filter hook {hook.split('-')[-1]} priority {priority}; policy accept;",
            *(f"\t\t{line}" for line in body), "\t}"]


def compile_filter(tree: ConfigTree) -> list[str]:
    """The lines that replace the filter table (declare, delete, define when configured)."""
    lines = [f"table {TABLE}", f"delete table {TABLE}"]
    configured = list(chains(tree))
    policy = _state_policy(tree)
    zone_in, zone_fwd, zone_out, zone_chains = compile_zones(tree)
    sets = compile_sets(tree)
    if not (configured or policy or zone_chains or sets):
        return lines
    lines.append(f"table {TABLE} {{")
    lines += sets
    jump_policy = ["counter jump state-policy"] if policy else []
    for hook in HOOKS:
        dispatch = [f"meta nfproto ipv{c.family} counter jump {c.label}" for c in configured if c.hook == hook]
        if dispatch or (policy and not zone_chains):
            lines += _base(hook, "filter", jump_policy + dispatch)
    lines += policy
    for chain in configured:
        lines += _chain(tree, chain)
    for hook, body in zip(HOOKS, (zone_in, zone_fwd, zone_out)):
        if body:
            lines += _base(f"zone-{hook}", "filter + 1", jump_policy + body)
    lines += zone_chains
    lines.append("}")
    return lines
