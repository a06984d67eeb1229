"""What the firewall views read from the running configuration: each ruleset (chain) with
its rules, the comment its compiled rules carry (backends/nftables/fwrules.py, filter.py)
and, for groups, the rules that use them. No live state here (that is ops/fwstate.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config.tree import ConfigTree, Node

FAMILIES = ("ipv4", "ipv6")
HOOKS = ("forward", "input", "output")
#: the rule fields shown elsewhere than under "Conditions"
NOT_CONDITIONS = ("action", "jump-target", "description", "disable", "log", "protocol")
#: a rule's group reference (kind under `group`) -> the group kind it names, per family
GROUP_KINDS = {("ipv4", "address-group"): "address-group", ("ipv4", "network-group"): "network-group",
               ("ipv6", "address-group"): "ipv6-address-group", ("ipv6", "network-group"): "ipv6-network-group"}


@dataclass(frozen=True)
class Rule:
    """One configured rule of a ruleset."""

    number: str
    action: str
    protocol: str
    conditions: tuple[str, ...]
    comment: str
    disabled: bool
    at: tuple[str, ...]


@dataclass(frozen=True)
class Ruleset:
    """A chain as `show firewall` lists it: a title, its rules, its default action."""

    family: str
    words: str                      # "forward filter", "name WAN-IN"
    rules: tuple[Rule, ...]
    default_action: str
    description: str = ""
    references: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:
        return f'{self.family} Firewall "{self.words}"'

    @property
    def default_comment(self) -> str | None:
        """The comment of the default action's rule; None for `continue` (no rule)."""
        if self.default_action == "continue":
            return None
        return f"{self.family} {self.words} default-action {self.default_action}"


def leaves(node: "Node", prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], list[str]]]:
    """Every (path, values) below ``node``, paths in the tree's order."""
    from ..config.tree import natural_key

    found = []
    if node.values is not None:
        found.append((prefix, list(node.values)))
    for name, child in sorted(node.children.items(), key=lambda kv: natural_key(kv[0])):
        found += leaves(child, prefix + (name,))
    return found


def conditions(tree: "ConfigTree", at: tuple[str, ...]) -> tuple[str, ...]:
    """A rule's matches as `path value` phrases, in the tree's order."""
    node = tree.node(*at)
    if node is None:
        return ()
    found = []
    for path, values in leaves(node):
        if path and path[0] in NOT_CONDITIONS:
            continue
        found.append(" ".join(path + ((",".join(values),) if values else ())))
    return tuple(found)


def _rules(tree: "ConfigTree", family: str, words: str, at: tuple[str, ...]) -> tuple[Rule, ...]:
    found = []
    for number in tree.keys(*at, "rule"):
        where = at + ("rule", number)
        action = tree.value(*where, "action") or "accept"
        if action == "jump":
            action = f"jump {tree.value(*where, 'jump-target') or '?'}"
        found.append(Rule(number, action, tree.value(*where, "protocol") or "all", conditions(tree, where),
                          f"{family} {words} rule {int(number)}", tree.exists(*where, "disable"), where))
    return tuple(found)


def rulesets(tree: "ConfigTree") -> list[Ruleset]:
    """Every configured ruleset: base filters (forward, input, output) then named chains, per family."""
    found = []
    for family in FAMILIES:
        for hook in HOOKS:
            at = ("firewall", family, hook, "filter")
            if tree.exists(*at):
                found.append(Ruleset(family, f"{hook} filter", _rules(tree, family, f"{hook} filter", at),
                                     tree.value(*at, "default-action") or "accept",
                                     tree.value(*at, "description", default=False) or ""))
        for name in tree.keys("firewall", family, "name"):
            at = ("firewall", family, "name", name)
            found.append(Ruleset(family, f"name {name}", _rules(tree, family, f"name {name}", at),
                                 tree.value(*at, "default-action") or "drop",
                                 tree.value(*at, "description", default=False) or ""))
    return found


def group_references(tree: "ConfigTree") -> dict[tuple[str, str], list[str]]:
    """(group kind, name) -> the rules using it, as VyOS names them (`ipv4-name-WAN-IN-10`),
    and the groups that include it (`include GROUP`)."""
    found: dict[tuple[str, str], list[str]] = {}
    for ruleset in rulesets(tree):
        for rule in ruleset.rules:
            label = f"{ruleset.family}-{ruleset.words.replace(' ', '-')}-{int(rule.number)}"
            for side in ("source", "destination"):
                for kind in tree.keys(*rule.at, side, "group"):
                    name = (tree.value(*rule.at, side, "group", kind) or "").lstrip("!")
                    group_kind = GROUP_KINDS.get((ruleset.family, kind), kind)
                    found.setdefault((group_kind, name), []).append(label)
            for side in ("inbound-interface", "outbound-interface"):
                name = (tree.value(*rule.at, side, "group") or "").lstrip("!")
                if name:
                    found.setdefault(("interface-group", name), []).append(label)
    for kind in tree.keys("firewall", "group"):
        for name in tree.keys("firewall", "group", kind):
            for included in tree.values("firewall", "group", kind, name, "include"):
                found.setdefault((kind, included), []).append(f"include {name}")
    return found
