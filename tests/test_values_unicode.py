"""Free text with hostile Unicode (docs/guarantees.md, "Format characters are text"):
every free-text leaf of the schema, set to each value below that its type accepts, reads
back as the same tree from config.boot, from `set` lines and from JSON."""
from __future__ import annotations

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.config.bootfile import load_boot
from nos_shell.config.data import tree_from_json
from nos_shell.config.render import to_commands, to_curly, to_json
from nos_shell.config.tree import ConfigTree
from nos_shell.errors import PathError
from nos_shell.schema import SCHEMA, Kind
from nos_shell.schema.sysopts import SysctlValue
from nos_shell.schema.types import Text

HOSTILE = ["e\u0301\u0301\u0301", "\u202eabc\u202c", "\u2066x\u2069", "\u200b\u200c\u200d\u2060",
           "\ufeffx", "１２３", "ａｄｍｉｎ", "аdmin", "\U0001d54f\U0001d550", "\U0001F600" * 60,
           "'\"\\", "x\\", "\\'", "\\n", "/* x", "x */ y", "//", "#", ";", "{", "}", " lead",
           "trail ", "\u00a0", "\u3000", "\ufff9\ufffa\ufffb", "\U000e0041", "\ufffe",
           "\U0010ffff", "$x", "%s%n"]
# a tag key for each tag node on the way to a free-text leaf
KEYS = {"ethernet": "eth0", "vif": "10", "vif-s": "10", "vif-c": "20", "vlan": "5", "bridge": "br0",
        "interface": "eth1", "bonding": "bond0", "dummy": "dum0", "loopback": "lo",
        "pseudo-ethernet": "peth0", "vxlan": "vxlan0", "wireguard": "wg0", "peer": "p1",
        "rule": "10", "route": "192.0.2.0/24", "next-hop": "192.0.2.1", "route6": "2001:db8::/32",
        "neighbor": "192.0.2.2", "peer-group": "pg", "network": "192.0.2.0/24",
        "shared-network-name": "lan", "subnet": "192.0.2.0/24", "range": "r1",
        "static-mapping": "m1", "server": "192.0.2.3", "user": "bob", "public-keys": "k1",
        "name": "fw1", "zone": "z1", "from": "z2", "address-group": "g1", "ipv6-address-group": "g1",
        "network-group": "g1", "ipv6-network-group": "g1", "port-group": "g1", "interface-group": "g1",
        "parameter": "net.ipv4.ip_forward", "host": "192.0.2.4", "facility": "all",
        "name-server": "192.0.2.53", "domain": "corp.example", "local-as": "64999"}


def _text_leaves() -> list[list[str]]:
    found: list[list[str]] = []

    def walk(node, words: list[str]) -> None:
        for name, child in node.children.items():
            here = words + [name] + ([KEYS[name]] if child.kind is Kind.TAG else [])
            # a sysctl value is narrow text (plain words): tests/test_values_walk.py holds it to that
            if child.takes_value and isinstance(child.type, Text) and not child.hash_into \
                    and not isinstance(child.type, SysctlValue):
                found.append(here)
            walk(child, here)

    walk(SCHEMA, [])
    return found


LEAVES = _text_leaves()


def test_the_walk_finds_the_free_text_leaves():
    assert len(LEAVES) >= 20 and ["system", "login", "user", "bob", "full-name"] in LEAVES


@pytest.mark.parametrize("words", LEAVES, ids=" ".join)
def test_hostile_unicode_in_free_text_round_trips(words):
    accepted = 0
    for value in HOSTILE:
        tree = ConfigTree()
        try:
            tree.set(words + [value])
        except PathError:           # refused by its type (too long, ...)
            continue
        accepted += 1
        assert load_boot(to_curly(tree))[0] == tree, value
        assert tree_from_commands(to_commands(tree)) == tree, value
        assert tree_from_json(to_json(tree)) == tree, value
    assert accepted >= len(HOSTILE) // 2
