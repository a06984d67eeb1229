"""Where the firewall's parts are in the tree: chains, their rules, groups by family (pure)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from nos_shell.config.tree import ConfigTree

FAMILIES = (4, 6)
HOOKS = ("input", "forward", "output")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,62}", re.ASCII)
# kind of group a rule names -> the group node it means, per family
GROUP_NODES = {
    4: {"address-group": "address-group", "network-group": "network-group", "port-group": "port-group",
        "interface-group": "interface-group"},
    6: {"address-group": "ipv6-address-group", "network-group": "ipv6-network-group",
        "port-group": "port-group", "interface-group": "interface-group"},
}
MEMBER = {"address-group": "address", "ipv6-address-group": "address", "network-group": "network",
          "ipv6-network-group": "network", "port-group": "port", "interface-group": "interface"}


@dataclass(frozen=True)
class Chain:
    """One configured chain: a base chain (``hook`` set) or a named one (``name`` set)."""

    family: int
    path: tuple[str, ...]
    hook: str = ""
    name: str = ""

    @property
    def label(self) -> str:
        """The chain's name in the generated table."""
        if self.hook:
            return f"ipv{self.family}-{self.hook}"
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"invalid firewall name {self.name!r}")
        return f"NAME{'6' if self.family == 6 else ''}_{self.name}"

    @property
    def words(self) -> str:
        """The chain's configuration path without `firewall`, for comments and messages."""
        return " ".join(self.path[1:])


def family_node(family: int) -> str:
    return f"ipv{family}"


def chains(tree: ConfigTree) -> Iterator[Chain]:
    """Every configured chain: base chains by hook, then named chains by name, per family."""
    for family in FAMILIES:
        fam = family_node(family)
        for hook in HOOKS:
            if tree.exists("firewall", fam, hook, "filter"):
                yield Chain(family, ("firewall", fam, hook, "filter"), hook=hook)
        for name in tree.keys("firewall", fam, "name"):
            yield Chain(family, ("firewall", fam, "name", name), name=name)


def rules(tree: ConfigTree, chain: Chain) -> list[tuple[str, tuple[str, ...]]]:
    """(number, path) of each rule of ``chain``, in rule-number order."""
    return [(n, chain.path + ("rule", n)) for n in tree.keys(*chain.path, "rule")]


def group_names(tree: ConfigTree, node: str) -> list[str]:
    return tree.keys("firewall", "group", node)


def referenced_group(value: str) -> tuple[bool, str]:
    """(negated, name) of a group reference such as ``!LAN``."""
    return (True, value[1:]) if value.startswith("!") else (False, value)
