"""Hostile values against every value-taking path the networkd, nftables and system backends read.

Each hostile string (newline, quotes, #, ;, braces, =, backslash at the end, surrounding
spaces) is set at every leaf and tag key of interfaces, nat, protocols static,
service dhcp-server and system identity/resolver, on top of a configuration that makes
every backend write something. Either the schema refuses it, or it reaches the output
only inside comment lines, and the structure systemd, nft and the resolver read is the
same as without it. test_realparsers runs the real parsers over the hostile-text case.
"""
from __future__ import annotations

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.backends.networkd import DRIVER as networkd
from nos_shell.backends.nftables import DRIVER as nftables
from nos_shell.backends.system import DRIVER as system
from nos_shell.errors import NosError
from nos_shell.schema import SCHEMA, Kind, SchemaNode

from test_realparsers import parse_unit

# "~" appears in no generated file, so it marks where a hostile value ended up.
HOSTILE = ["~\n~", '~"~', "~'~", "~#~", "~;~", "~{~", "~}~", "~=~", "~\\", "~\\~", " ~ ", "~\t~", "~\x00~",
           "~\n[Network]\nAddress=203.0.113.9/32", '~"; flush ruleset; #', "~ }\n}\ntable ip x {"]

BASE = """
set interfaces ethernet eth0 address 192.0.2.1/24
set interfaces ethernet eth0 vif 10 address 198.51.100.1/24
set interfaces ethernet eth1
set interfaces ethernet eth2
set interfaces bridge br0 member interface eth1
set interfaces bonding bond0 member interface eth2
set interfaces wireguard wg0 private-key yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
set interfaces wireguard wg0 peer p public-key xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
set interfaces wireguard wg0 peer p allowed-ips 10.0.0.0/8
set protocols static route 10.0.0.0/8 next-hop 192.0.2.254
set nat source rule 10 outbound-interface name eth0
set nat source rule 10 translation address masquerade
set nat destination rule 20 inbound-interface name eth0
set nat destination rule 20 protocol tcp
set nat destination rule 20 destination port 80
set nat destination rule 20 translation address 198.51.100.2
set service dhcp-server shared-network-name LAN subnet 192.0.2.0/24 range r start 192.0.2.100
set service dhcp-server shared-network-name LAN subnet 192.0.2.0/24 range r stop 192.0.2.110
set system host-name r1
set system domain-name example.net
set system name-server 192.0.2.53
"""

# A valid key for each tag node on the way to a leaf.
KEYS = {"ethernet": "eth0", "vif": "10", "vlan": "20", "bridge": "br0", "bonding": "bond0", "dummy": "dum0",
        "loopback": "lo", "pseudo-ethernet": "peth0", "vxlan": "vxlan0", "wireguard": "wg0", "peer": "p",
        "rule": "10", "shared-network-name": "LAN", "subnet": "192.0.2.0/24", "range": "r",
        "static-mapping": "h", "route": "10.0.0.0/8", "route6": "2001:db8::/32", "next-hop": "192.0.2.254",
        "interface": "eth1"}
AREAS = [("interfaces",), ("nat",), ("protocols", "static"), ("service", "dhcp-server"),
         ("system", "host-name"), ("system", "domain-name"), ("system", "name-server")]


def _targets() -> list[tuple[str, ...]]:
    """Config paths whose next word is a value or tag key (the hostile word goes there)."""
    out: list[tuple[str, ...]] = []

    def walk(node: SchemaNode, path: tuple[str, ...]) -> None:
        if node.kind is Kind.TAG:
            out.append(path)
            key = KEYS.get(node.name, "x")
            if node.name == "next-hop" and "route6" in path:
                key = "2001:db8::1"
            path = path + (key,)
        elif node.takes_value:
            out.append(path)
            return
        for child in node.children.values():
            walk(child, path + (child.name,))

    for area in AREAS:
        node = SCHEMA
        for word in area:
            node = node.children[word]
        walk(node, area)
    return out


TARGETS = _targets()


def _compile(tree) -> dict[str, bytes]:
    out = {}
    for backend in (networkd, nftables, system):
        out.update({str(p): bytes(d) for p, d in backend.compile(tree).items()})
    return out


def _structure(path: str, data: bytes):
    """What the consumer reads, comments ignored."""
    text = data.decode()
    if path.endswith((".network", ".netdev")):
        return parse_unit(text)
    return [line for line in text.splitlines() if not line.lstrip().startswith("#")]


def test_targets_cover_the_free_text_fields() -> None:
    names = {" ".join(t) for t in TARGETS}
    assert "interfaces ethernet eth0 description" in names
    assert "interfaces wireguard wg0 peer p description" in names
    assert "nat source rule 10 description" in names
    assert "service dhcp-server shared-network-name LAN subnet 192.0.2.0/24 description" in names
    assert len(TARGETS) > 100


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
def test_hostile_value_is_refused_or_harmless(value: str) -> None:
    base_tree = tree_from_commands(BASE)
    accepted = []
    for target in TARGETS:
        tree = base_tree.copy()
        try:
            tree.set(list(target) + [value])
        except NosError:
            continue
        accepted.append(" ".join(target))
        out = _compile(tree)
        for path, data in out.items():
            for line in data.decode().splitlines():
                if "~" in line:
                    assert line.lstrip().startswith("#"), f"{target}: {value!r} outside a comment in {path}: {line!r}"
        # With the value replaced by a harmless word the consumers see the same structure.
        plain = base_tree.copy()
        plain.set(list(target) + ["plain"])
        expected = _compile(plain)
        assert out.keys() == expected.keys(), target
        for path in out:
            assert _structure(path, out[path]) == _structure(path, expected[path]), f"{target}: {path}"
    if any(c in value for c in "\n\t\x00"):
        assert accepted == [], f"control characters accepted at {accepted}"
    else:   # free text exists (descriptions) and took the value
        assert any(a.endswith("description") for a in accepted), accepted
        assert all(a.endswith("description") for a in accepted), accepted
