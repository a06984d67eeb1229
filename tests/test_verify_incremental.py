"""Incremental verify (``registry.verify_all(new, since=old)``) says exactly what a whole
verify of ``new`` says, whenever ``old`` passed verify: random trees built from lines that
meet every rule's edges, random edits of them, and one example per rule and input."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nos_shell.api import tree_from_commands
from nos_shell.backends import registry
from nos_shell.config.tree import ConfigTree
from nos_shell.errors import NosError
from nos_shell.models.changes import interface_setting, scope
from nos_shell.models.shared import sharing

from propsettings import examples
from strategies import config_trees, edited, set_line

# A small world where the cross-node rules meet: few names and addresses, so duplicates,
# members with addresses, next hops in and out of connected prefixes, update-sources,
# router ids, DHCP subnets and NAT rules naming interfaces all come up.
POOL = [line.split() for line in """\
interfaces ethernet eth0 address 10.0.0.1/24
interfaces ethernet eth0 address 2001:db8::1/64
interfaces ethernet eth0 address dhcp
interfaces ethernet eth0 vif 5 address 10.0.5.1/24
interfaces ethernet eth0 vif 5 address 10.0.0.1/24
interfaces ethernet eth0 vif 5 description five
interfaces ethernet eth0 vif 5 mtu 1400
interfaces ethernet eth0 vif 5 disable
interfaces ethernet eth0 vif-s 7 vif-c 8 address 10.0.8.1/24
interfaces ethernet eth0 hw-id 00:11:22:33:44:55
interfaces ethernet eth0 disable
interfaces ethernet eth1 address 10.0.1.1/24
interfaces ethernet eth1 address 10.0.5.1/24
interfaces ethernet eth1 hw-id 00:11:22:33:44:55
interfaces ethernet eth1 description one
interfaces ethernet eth2
interfaces vlan 5 source-interface eth0
interfaces vlan 6 source-interface eth1
interfaces vlan 6 address 10.0.6.1/24
interfaces vlan 9 source-interface lo
interfaces bridge br0 member interface eth1
interfaces bridge br0 member interface eth2
interfaces bridge br0 address 10.0.9.1/24
interfaces bonding bond0 member interface eth2
interfaces loopback lo address 192.0.2.1/32
interfaces loopback lo address 10.0.0.1/24
interfaces dummy dum0 address 192.0.2.9/32
interfaces pseudo-ethernet peth0 source-interface eth0
interfaces pseudo-ethernet peth0 source-interface lo
interfaces vxlan vxlan0 vni 10
interfaces vxlan vxlan0 remote 192.0.2.50
interfaces vxlan vxlan0 group 239.0.0.1
interfaces vxlan vxlan0 source-interface eth1
interfaces wireguard wg0 private-key aGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8gd28=
interfaces wireguard wg0 address 10.0.7.1/24
protocols static route 172.16.0.0/24 next-hop 10.0.0.254
protocols static route 172.16.0.0/24 next-hop 10.0.5.254
protocols static route 172.16.1.0/24 next-hop 10.0.1.254
protocols static route 172.16.1.0/24 next-hop 10.0.1.254 interface eth1
protocols static route 172.16.2.0/24 blackhole
protocols static route 172.16.3.0/24 interface eth2
protocols static route6 2001:db8:1::/48 next-hop 2001:db8::fe
protocols bgp system-as 64500
protocols bgp parameters router-id 192.0.2.1
protocols bgp neighbor 10.0.0.2 remote-as 64501
protocols bgp neighbor 10.0.0.2 update-source eth0
protocols bgp neighbor 10.0.0.2 update-source 10.0.0.1
protocols bgp neighbor 10.0.0.2 peer-group pg
protocols bgp neighbor 10.0.1.2 remote-as internal
protocols bgp neighbor 10.0.1.2 update-source eth1
protocols bgp neighbor 10.0.0.1 remote-as 64502
protocols bgp peer-group pg remote-as 64503
protocols bgp peer-group pg local-as 64500 no-prepend replace-as
protocols bgp neighbor 10.0.0.2 local-as 64999
protocols bgp neighbor 10.0.0.2 local-as 64999 no-prepend replace-as
protocols bgp neighbor 10.0.0.2 address-family ipv4-unicast allowas-in number 2
protocols bgp neighbor 10.0.0.2 address-family ipv6-unicast allowas-in
protocols bgp parameters distance global external 20
protocols bgp address-family ipv4-unicast redistribute static metric 5
protocols bgp address-family ipv4-unicast network 10.0.0.0/24
protocols bgp backend gobgp
service dhcp-server shared-network-name lan subnet 10.0.1.0/24 range r start 10.0.1.100
service dhcp-server shared-network-name lan subnet 10.0.1.0/24 range r stop 10.0.1.200
service dhcp-server shared-network-name lan subnet 10.0.5.0/24 range r start 10.0.5.100
service dhcp-server shared-network-name lan subnet 10.0.5.0/24 range r stop 10.0.5.200
nat source rule 10 outbound-interface name eth1
nat source rule 10 translation address masquerade
nat source rule 20 outbound-interface name eth0.5
nat source rule 20 translation address masquerade
system host-name router
system name-server 192.0.2.53
service ntp server ntp.example.net
""".splitlines()]


def _verify(tree: ConfigTree, since: ConfigTree | None = None) -> list:
    """One verify in its own sharing block, as a commit runs it."""
    with sharing():
        return registry.verify_all(tree, since=since)


@st.composite
def passing_trees(draw) -> ConfigTree:
    """A tree built line by line from the pool, each line kept only when the tree still
    passes verify: every tree drawn passes."""
    tree = tree_from_commands(BASE) if draw(st.booleans()) else ConfigTree()
    # sorted: interfaces first, so the routes, neighbors and subnets that need them often stay
    for words in sorted(draw(st.lists(st.sampled_from(POOL), max_size=24))):
        trial = tree.copy()
        try:
            trial.set(words)
        except NosError:
            continue
        if not _verify(trial):
            tree = trial
    return tree


@st.composite
def changes_of_passing_trees(draw) -> tuple[ConfigTree, ConfigTree]:
    old = draw(passing_trees())
    if draw(st.booleans()):
        return old, draw(one_area_edits(old))
    return old, edited(draw, old, POOL, max_edits=4)


AREAS = sorted({tuple(words[:2]) for words in POOL})


@st.composite
def one_area_edits(draw, old: ConfigTree) -> ConfigTree:
    """One or two pool lines of one area set, or a node on their path deleted: the usual
    small commit. (Choices from a drawn Random: hypothesis's own choices favour the first
    entries of a list, and every area must come up.)"""
    rnd = draw(st.randoms(use_true_random=False))
    area = rnd.choice(AREAS)
    pool = [words for words in POOL if tuple(words[:2]) == area]
    new = old.copy()
    for _ in range(rnd.choice((1, 1, 2))):
        words = rnd.choice(pool)
        cut = rnd.choice([len(words) + 1] * 3 + list(range(2, len(words) + 1)))
        try:
            if cut > len(words):
                new.set(words)
            elif new.node(*words[:cut]) is not None:
                new.delete(words[:cut])
        except NosError:
            pass
    return new


@given(changes_of_passing_trees())
@examples(300)
def test_incremental_verify_says_what_full_verify_says(pair) -> None:
    old, new = pair
    assert _verify(new, since=old) == _verify(new)


@given(st.data())
@examples(100)
def test_incremental_verify_on_schema_random_trees(data) -> None:
    """Trees from anywhere in the schema (those that pass), edited from the same pool."""
    old = data.draw(config_trees(comments=True))
    if _verify(old):
        old = ConfigTree()
    pool = data.draw(st.lists(set_line(), min_size=1, max_size=8))
    new = edited(data.draw, old, pool)
    assert _verify(new, since=old) == _verify(new)


def _pair(before: str, *edits: str) -> tuple[ConfigTree, ConfigTree]:
    old = tree_from_commands(before)
    assert _verify(old) == [], _verify(old)
    new = old.copy()
    for line in edits:
        words = line.split()
        if words[0] == "delete":
            new.delete(words[1:])
        else:
            new.set(words[1:])
    return old, new


BASE = """\
set interfaces ethernet eth0 address 10.0.0.1/24
set interfaces ethernet eth0 vif 5 address 10.0.5.1/24
set interfaces ethernet eth1 address 10.0.1.1/24
set interfaces ethernet eth2
set interfaces bridge br0 member interface eth2
set interfaces loopback lo address 192.0.2.1/32
set interfaces pseudo-ethernet peth0 source-interface eth0
set protocols static route 172.16.0.0/24 next-hop 10.0.5.254
set protocols bgp system-as 64500
set protocols bgp neighbor 10.0.0.2 remote-as 64501
set protocols bgp neighbor 10.0.1.2 remote-as 64502
set protocols bgp neighbor 10.0.1.2 update-source eth1
set service dhcp-server shared-network-name lan subnet 10.0.1.0/24 range r start 10.0.1.100
set service dhcp-server shared-network-name lan subnet 10.0.1.0/24 range r stop 10.0.1.200
set nat source rule 10 outbound-interface name eth0.5
set nat source rule 10 translation address masquerade
"""

# One change per rule input, each making a problem that only that rule reports.
EDGES = {
    "vlan id twice (names)": ["set interfaces vlan 5 source-interface eth0"],
    "vlan renamed by source-interface (names)": ["set interfaces vlan 7 source-interface eth1",
                                                 "set interfaces ethernet eth1 vif 7"],
    "pseudo-ethernet source (kinds)": ["set interfaces pseudo-ethernet peth0 source-interface lo"],
    "hw-id twice (kinds)": ["set interfaces ethernet eth1 hw-id 00:11:22:33:44:55",
                            "set interfaces ethernet eth2 hw-id 00:11:22:33:44:55"],
    "member gets an address (members)": ["set interfaces ethernet eth2 address 10.0.2.1/24"],
    "address twice (addresses)": ["set interfaces ethernet eth1 address 10.0.5.1/24"],
    "unreachable route added (routes)": ["set protocols static route 172.16.9.0/24 next-hop 10.0.9.254"],
    "next hop names a missing interface (routes)": [
        "set protocols static route 172.16.0.0/24 next-hop 10.0.5.254 interface eth9"],
    "route6 next hop link-local (routes)": ["set protocols static route6 2001:db8:9::/48 next-hop fe80::1"],
    "next hop loses its prefix (routes)": ["delete interfaces ethernet eth0 vif 5 address"],
    "next hop's VLAN removed (routes)": ["delete interfaces ethernet eth0 vif 5"],
    "dhcp subnet loses its interface (dhcp)": ["delete interfaces ethernet eth1 address"],
    "router id interface disabled (bgp)": ["delete interfaces loopback lo",
                                           "set interfaces ethernet eth0 disable",
                                           "set interfaces ethernet eth1 disable"],
    "update-source interface without address (bgp)": ["delete interfaces ethernet eth1 address",
                                                       "delete service dhcp-server"],
    "neighbor is a local address (bgp)": ["set interfaces ethernet eth1 address 10.0.0.2/24"],
    "NAT names a removed interface (nftables)": ["delete interfaces ethernet eth0 vif 5",
                                                 "delete protocols static"],
    "vif MTU above its parent's default (vif mtu)": ["set interfaces ethernet eth0 vif 5 mtu 9000"],
    "QinQ inner MTU above its outer VLAN's (vif mtu)": ["set interfaces ethernet eth0 mtu 9000",
                                                        "set interfaces ethernet eth0 vif-s 7 vif-c 8 mtu 1600"],
    "gobgp hold time 0 (gobgp)": ["set protocols bgp backend gobgp",
                                  "set protocols bgp neighbor 10.0.0.2 timers holdtime 0"],
}


def test_each_rule_input_is_seen_by_incremental_verify() -> None:
    for label, edits in EDGES.items():
        old, new = _pair(BASE, *edits)
        full = _verify(new)
        assert full, label                                   # the edge is a problem
        assert _verify(new, since=old) == full, label


def test_disabling_the_interfaces_that_give_the_router_id_is_seen() -> None:
    """`disable` alone (no interface defined or removed) reaches the BGP rules."""
    old, new = _pair(BASE.replace("set interfaces loopback lo address 192.0.2.1/32\n", ""),
                     "set interfaces ethernet eth0 disable", "set interfaces ethernet eth1 disable")
    change = scope(old, new)
    assert change is not None and not change.defines and change.settings == {"disable"}
    full = _verify(new)
    assert [p.message.split(":")[0] for p in full] == ["BGP needs a router id"]
    assert _verify(new, since=old) == full


def test_settings_no_rule_reads_verify_nothing() -> None:
    old, new = _pair(BASE, "set interfaces ethernet eth0 vif 5 description x",
                     "set interfaces ethernet eth0 vif 5 mtu 1400")
    change = scope(old, new)
    assert change is not None and not change.defines and change.settings == {"description", "mtu"}
    assert _verify(new, since=old) == _verify(new) == []


def test_an_old_tree_that_did_not_pass_is_not_covered() -> None:
    """The precondition matters: incremental verify trusts ``since`` (which is why a commit
    passes it only for a running configuration this version verified)."""
    old = tree_from_commands(BASE + "set interfaces ethernet eth1 address 10.0.5.1/24\n")
    assert _verify(old)
    new = old.copy()
    new.set(["interfaces", "ethernet", "eth0", "vif", "5", "description", "x"])
    assert _verify(new) and _verify(new, since=old) == []


def test_unsafe_values_are_found_where_they_changed() -> None:
    """A value past the schema (a hand-edited archive) is refused by the incremental path
    too, and it hides the cross-node rules there as in a whole verify."""
    old = tree_from_commands(BASE)
    for path in (("interfaces", "ethernet", "eth0", "vif", "5", "address"),
                 ("protocols", "static", "route", "172.16.0.0/24", "next-hop", "10.0.5.254", "distance"),
                 ("protocols", "bgp", "neighbor", "10.0.0.2", "remote-as"),
                 ("nat", "source", "rule", "10", "outbound-interface", "name"),
                 ("service", "dhcp-server", "shared-network-name", "lan", "subnet", "10.0.1.0/24", "range", "r",
                  "start")):
        new = old.deep_copy()     # (nodes changed directly below)
        node = new.root
        for word in path:
            node = node.children.setdefault(word, type(node)())
        node.values = ["bad value"]
        full = _verify(new)
        assert any("cannot be written safely" in p.message for p in full), path
        assert _verify(new, since=old) == full, path


def test_interface_settings_are_told_from_definitions() -> None:
    assert interface_setting(("interfaces", "ethernet", "eth0", "vif", "5", "address")) == "address"
    assert interface_setting(("interfaces", "ethernet", "eth0", "vif-s", "7", "vif-c", "8", "mtu")) == "mtu"
    assert interface_setting(("interfaces", "ethernet", "eth0", "address")) == "address"
    assert interface_setting(("interfaces", "bonding", "bond0", "member", "interface")) == "member"
    assert interface_setting(("interfaces", "vlan", "5", "address")) == "address"
    for defining in (("interfaces",), ("interfaces", "ethernet"), ("interfaces", "ethernet", "eth0"),
                     ("interfaces", "ethernet", "eth0", "vif"), ("interfaces", "ethernet", "eth0", "vif", "5"),
                     ("interfaces", "ethernet", "eth0", "vif-s", "7", "vif-c", "8"),
                     ("interfaces", "vlan", "5", "source-interface")):
        assert interface_setting(defining) is None, defining


def test_a_parent_mtu_lowered_under_its_vlans_is_seen() -> None:
    """The vif MTU rule checks only the VLANs a change reaches: the parent's own `mtu`
    reaches every VLAN on it, and only those."""
    before = BASE + "set interfaces ethernet eth0 mtu 9000\nset interfaces ethernet eth0 vif 5 mtu 9000\n" \
                    "set interfaces ethernet eth1 mtu 9000\nset interfaces ethernet eth1 vif 6 mtu 9000\n"
    old, new = _pair(before, "set interfaces ethernet eth0 mtu 1500")
    full = _verify(new)
    assert [(" ".join(p.path), p.message) for p in full] == [
        ("interfaces ethernet eth0 vif 5 mtu", 'Interface MTU "9000" too high, parent interface MTU is "1500"!')]
    assert _verify(new, since=old) == full
    old, new = _pair(before, "delete interfaces ethernet eth1 mtu")
    full = _verify(new)
    assert [" ".join(p.path) for p in full] == ["interfaces ethernet eth1 vif 6 mtu"]
    assert _verify(new, since=old) == full
