"""networkd's units built alone (backends/networkd/quickconn.py, routed.py ``routed_for``,
compiler.py ``units(only=..., alone=...)``): the quick paths of a one-line change.

- the connected index read from the address words answers every lookup (holders of an
  address, the interface of exactly a prefix) as the index of parsed addresses does, for
  random IPv4 and IPv6 addresses, host routes and DHCP (hypothesis);
- ``plain_v4`` reads exactly the texts ``ipaddress`` reads as IPv4 in dotted form, and
  declines the rest;
- the unit of any one interface built with ``only`` (resolving only the routes that may
  reach it) is the unit the full compile builds, and ``only`` lists every path of the
  full compile, for random routes: next hops on and off the interface, explicit
  interfaces (defined or not), multipath, distances, disabled hops, interface routes and
  blackholes (hypothesis);
- ``alone`` lists the named interfaces' units and nothing else;
- ``forwarding`` (IPForward=) reads as it did with sorted keys and every neighbor parsed.
"""
from __future__ import annotations

import ipaddress

from hypothesis import given
from hypothesis import strategies as st

from nos_shell.api import tree_from_commands
from nos_shell.backends.networkd import compiler as networkd
from nos_shell.backends.networkd.links import connected
from nos_shell.backends.networkd.quickconn import QuickConnected, plain_v4
from nos_shell.errors import NosError
from nos_shell.models import shared

from propsettings import examples
from strategies import apply_edits

IFACES = ["ethernet eth0", "ethernet eth0 vif 10", "ethernet eth1", "ethernet eth1 vif 20", "dummy dum0",
          "loopback lo"]
ADDRESSES = ["192.0.2.1/24", "192.0.2.129/25", "192.0.2.130/32", "10.0.0.1/8", "10.20.0.1/24", "10.20.0.2/28",
             "198.51.100.1/24", "0.0.0.1/0", "2001:db8::1/64", "2001:db8::2/48", "fe80::1/64", "dhcp"]
GATEWAYS = ["192.0.2.77", "192.0.2.200", "10.20.0.9", "10.20.0.3", "10.9.9.9", "198.51.100.7", "203.0.113.5",
            "2001:db8::9", "2001:db8:0:1::9", "fe80::9"]
PREFIXES = ["10.2.0.0/16", "10.3.0.0/16", "172.16.0.0/12", "2001:db8:100::/48"]
EXITS = ["eth0", "eth0.10", "eth1", "dum0", "lo", "eth7"]      # eth7: defined nowhere


@st.composite
def addressed(draw) -> list[tuple[str, list[str]]]:
    """Addresses set on the interfaces (several on one now and then)."""
    return [("set", ["interfaces", *draw(st.sampled_from(IFACES)).split(), "address", draw(st.sampled_from(ADDRESSES))])
            for _ in range(draw(st.integers(1, 8)))]


@st.composite
def routes(draw) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for _ in range(draw(st.integers(0, 6))):
        prefix = draw(st.sampled_from(PREFIXES))
        six = ":" in prefix
        base = ["protocols", "static", "route6" if six else "route", prefix]
        kind = draw(st.integers(0, 5))
        if kind == 0:
            out.append(("set", base + ["blackhole"]))
        elif kind == 1:
            out.append(("set", base + ["interface", draw(st.sampled_from(EXITS))]))
        else:
            hop = draw(st.sampled_from([g for g in GATEWAYS if (":" in g) == six]))
            out.append(("set", base + ["next-hop", hop]))
            extra = draw(st.integers(0, 3))
            if extra == 1:
                out.append(("set", base + ["next-hop", hop, "interface", draw(st.sampled_from(EXITS))]))
            elif extra == 2:
                out.append(("set", base + ["next-hop", hop, "distance", draw(st.sampled_from(["5", "10"]))]))
            elif extra == 3:
                out.append(("set", base + ["next-hop", hop, "disable"]))
    return out


def _tree(edits):
    return apply_edits(tree_from_commands("set interfaces ethernet eth0\nset interfaces ethernet eth1\n"), edits)


@examples(150)
@given(addressed(), st.lists(st.sampled_from(GATEWAYS + ["10.20.0.0", "0.0.0.0"]), max_size=6))
def test_the_quick_index_answers_as_the_parsed_one(edits, gateways):
    tree = _tree(edits)
    with shared.sharing():
        model = shared.of(tree)
        slow, quick, scanned = connected(tree), QuickConnected(model), QuickConnected(model)
        quick.exact(ipaddress.ip_network("192.0.2.0/24"))          # (builds its index)
        for text in gateways:
            address = ipaddress.ip_address(text)
            assert quick.holders(address) == slow.holders(address)
            scanned.scans = 0                                        # (answers each by a scan)
            assert scanned.holders(address) == slow.holders(address)
        assert scanned._index is None or any(":" in g for g in gateways)        # (IPv6: the index)
        for net, _ in slow:
            assert quick.exact(net) == slow.exact(net)
        for text in ["192.0.2.0/24", "10.0.0.0/8", "2001:db8::/64", "10.20.0.0/28", "203.0.113.0/24"]:
            net = ipaddress.ip_network(text)
            assert quick.exact(net) == slow.exact(net)


@given(st.one_of(st.sampled_from(["1.2.3.4", "01.2.3.4", "1.2.3", "256.1.1.1", "1.2.3.4 ", "::1", "1.2.3.4/8",
                                  "0.0.0.0", "255.255.255.255", "1.2.3.04", "١.2.3.4"]),
                 st.text(alphabet="0123456789.", max_size=16)))
@examples(300)
def test_plain_v4_reads_what_ipaddress_reads(text):
    try:
        parsed = ipaddress.ip_address(text)
        expected = int(parsed) if parsed.version == 4 and text.count(".") == 3 else None
    except ValueError:
        expected = None
    assert plain_v4(text) == expected


@examples(150)
@given(addressed(), routes())
def test_one_interface_built_alone_is_the_full_compiles_unit(address_edits, route_edits):
    tree = _tree(address_edits + route_edits)
    with shared.sharing():
        full = networkd.units(tree)
    names = {path.name[len(networkd.PREFIX):].rsplit(".", 1)[0] for path in full if path.parent == networkd.UNIT_DIR}
    for name in sorted(names):
        with shared.sharing():          # a model of its own: nothing the full compile derived
            only = networkd.units(tree, only={name})
        with shared.sharing():
            alone = networkd.units(tree, only={name}, alone=True)
        assert only.keys() == full.keys(), name
        mine = {path for path in full if path.name in (f"{networkd.PREFIX}{name}.network",
                                                        f"{networkd.PREFIX}{name}.netdev")}
        assert alone.keys() == mine, name
        for path in mine:
            assert only[path] == full[path] and alone[path] == full[path], (name, path)
            assert full[path].render() == alone[path].render()


def _forwarding_by_sorted_keys(tree) -> str | None:
    """``IPForward=`` as it was read before (sorted keys, every neighbor parsed)."""
    v4 = bool(tree.keys("protocols", "static", "route"))
    v6 = bool(tree.keys("protocols", "static", "route6"))
    for side in ("source", "destination"):
        v4 |= any(not tree.exists("nat", side, "rule", n, "disable") for n in tree.keys("nat", side, "rule"))
    if tree.exists("protocols", "bgp"):
        for addr in tree.keys("protocols", "bgp", "neighbor"):
            if ipaddress.ip_address(addr).version == 4:
                v4 = True
            else:
                v6 = True
        v4 |= tree.exists("protocols", "bgp", "address-family", "ipv4-unicast")
        v6 |= tree.exists("protocols", "bgp", "address-family", "ipv6-unicast")
    return "yes" if v4 and v6 else "ipv4" if v4 else "ipv6" if v6 else None


FORWARDING_LINES = [
    "set protocols static route 10.2.0.0/16 blackhole",
    "set protocols static route6 2001:db8:100::/48 blackhole",
    "set nat source rule 10 outbound-interface name eth0",
    "set nat source rule 10 translation address masquerade",
    "set nat source rule 10 disable",
    "set nat destination rule 20 inbound-interface name eth0",
    "set nat destination rule 20 translation address 192.0.2.9",
    "set protocols bgp system-as 65000",
    "set protocols bgp neighbor 192.0.2.2 remote-as 65001",
    "set protocols bgp neighbor 2001:db8::2 remote-as 65002",
]


@examples(100)
@given(st.lists(st.sampled_from(FORWARDING_LINES), max_size=6))
def test_forwarding_reads_as_with_sorted_keys(lines):
    text = "set interfaces ethernet eth0 address 192.0.2.1/24\n"
    try:
        tree = tree_from_commands(text + "".join(line + "\n" for line in lines))
    except NosError:            # a combination the schema refuses: nothing to compare
        return
    assert networkd.forwarding(tree) == _forwarding_by_sorted_keys(tree)
