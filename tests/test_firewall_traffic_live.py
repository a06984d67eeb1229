"""The firewall with real traffic: a router namespace configured only through nos-shell
(tests/netlab.py) between a LAN, a WAN and a DMZ host, TCP and ICMP sent through it, and
`show firewall` / `reset firewall counters` read against the live table.

    wan (faw…) wan0 203.0.113.2/24 --- eth0 router (far…) 203.0.113.1/24
    lan (fal…) lan0 192.0.2.10/25  --- eth1            192.0.2.1/25
    dmz (fad…) dmz0 198.51.100.2/25 -- eth2            198.51.100.1/25

One router serves the module; each test commits the firewall it needs (deleting the
previous one) and the tests run in file order.
"""
from __future__ import annotations

import dataclasses
import re

import pytest

from labtraffic import peer_server, ping, wait_ping, who_am_i
from netlab import Node, Router, lab, require_router, wait_for

BASE = [
    "set interfaces ethernet eth0 address 203.0.113.1/24",
    "set interfaces ethernet eth1 address 192.0.2.1/25",
    "set interfaces ethernet eth2 address 198.51.100.1/25",
]

STATEFUL = [
    "set firewall global-options state-policy established action accept",
    "set firewall global-options state-policy related action accept",
    "set firewall global-options state-policy invalid action drop",
    "set firewall group network-group LAN network 192.0.2.0/25",
    "set firewall group address-group TRUSTED address 203.0.113.99",
    "set firewall ipv4 forward filter default-action drop",
    "set firewall ipv4 forward filter rule 10 action accept",
    "set firewall ipv4 forward filter rule 10 source group network-group LAN",
    "set firewall ipv4 forward filter rule 20 action accept",
    "set firewall ipv4 forward filter rule 20 connection-status nat destination",
    "set firewall ipv4 forward filter rule 30 action accept",
    "set firewall ipv4 forward filter rule 30 source group address-group TRUSTED",
    "set firewall ipv4 input filter default-action drop",
    "set firewall ipv4 input filter rule 10 action accept",
    "set firewall ipv4 input filter rule 10 inbound-interface name eth1",
    "set firewall ipv4 input filter rule 10 protocol tcp",
    "set firewall ipv4 input filter rule 10 destination port 22",
    "set firewall ipv4 input filter rule 20 action accept",
    "set firewall ipv4 input filter rule 20 protocol icmp",
    "set nat destination rule 10 inbound-interface name eth0",
    "set nat destination rule 10 protocol tcp",
    "set nat destination rule 10 destination port 8080",
    "set nat destination rule 10 translation address 192.0.2.10",
    "set nat destination rule 10 translation port 80",
]


@dataclasses.dataclass
class Net:
    router: Router
    wan: Node
    lan: Node
    dmz: Node


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    require_router("nft")
    with lab(tmp_path_factory.mktemp("fwtraffic")) as L:
        router = L.router("far")
        # the WAN host may address the inside directly: only the firewall stands in the way
        wan = L.attach(router, "eth0", "faw", "wan0", "203.0.113.2/24",
                       routes=("192.0.2.0/25 via 203.0.113.1", "198.51.100.0/25 via 203.0.113.1"))
        lan = L.attach(router, "eth1", "fal", "lan0", "192.0.2.10/25", routes=("default via 192.0.2.1",))
        dmz = L.attach(router, "eth2", "fad", "dmz0", "198.51.100.2/25", routes=("default via 198.51.100.1",))
        out = router.commit(*BASE)
        assert "rror" not in out, out
        wait_ping(lan.ns, "192.0.2.1")
        wait_ping(wan.ns, "203.0.113.1")
        wait_ping(dmz.ns, "198.51.100.1")
        yield Net(router, wan, lan, dmz)


def commit(net: Net, *lines: str) -> None:
    out = net.router.commit(*lines)
    assert "rror" not in out and "Warning" not in out, out


def reach(ns: str, address: str, port: int, caller: str) -> None:
    """A connection from ``ns`` gets through and is seen coming from ``caller`` (tried again
    for a while: a loaded machine may lose the first SYN; a dropped path never answers)."""
    wait_for(f"{address}:{port} from {ns} as {caller}", lambda: who_am_i(ns, address, port, 2) == caller, 30, 0)


def show(net: Net, line: str) -> str:
    return net.router.session().execute(line)


def counter(listing: str, title: str, rule: str) -> tuple[int, int]:
    """(packets, bytes) of ``rule`` in the ruleset ``title`` of a `show firewall` listing."""
    block = listing.split(f'"{title}"', 1)[1].split("\n---------------------------------\n", 1)[0]
    for line in block.splitlines():
        words = line.split()
        if words and words[0] == rule:
            return int(words[3]), int(words[4])
    raise AssertionError(f"no rule {rule} in {title}:\n{listing}")


def handles(net: Net, chain: str) -> dict[str, int]:
    import json

    listing = json.loads(net.router.run("nft", "-a", "-j", "list", "chain", "inet", "nos_shell_filter",
                                        chain).stdout)
    return {e["rule"]["comment"]: e["rule"]["handle"] for e in listing["nftables"] if "rule" in e}


def stateful(net: Net) -> None:
    """The STATEFUL firewall on the router (each test stands alone: run by itself, a test
    commits it; after another test it is usually there already)."""
    from nos_shell.api import tree_from_commands

    running, wanted = net.router.session().running, tree_from_commands("\n".join(STATEFUL))
    parts = [part for part in ("firewall", "nat") if running.node(part) != wanted.node(part)]
    if parts:
        commit(net, *(f"delete {part}" for part in parts if running.node(part) is not None), *STATEFUL)


def test_stateful_forwarding_port_forward_and_input_filter(net: Net) -> None:
    stateful(net)
    before = show(net, "show firewall")
    lan_out = counter(before, "forward filter", "10")
    dropped = counter(before, "forward filter", "default")
    # LAN -> WAN: TCP and ICMP out, and their replies back through the state policy only
    with peer_server(net.wan.ns, "203.0.113.2", 7001):
        reach(net.lan.ns, "203.0.113.2", 7001, "192.0.2.10")
    wait_ping(net.lan.ns, "203.0.113.2")
    # WAN -> LAN: a new connection is dropped, the port-forwarded service is reached
    with peer_server(net.lan.ns, "192.0.2.10", 7002):
        assert who_am_i(net.wan.ns, "192.0.2.10", 7002) is None
        reach(net.lan.ns, "192.0.2.10", 7002, "192.0.2.10")     # the server itself is up
    assert not ping(net.wan.ns, "192.0.2.10")
    with peer_server(net.lan.ns, "192.0.2.10", 80):
        reach(net.wan.ns, "203.0.113.1", 8080, "203.0.113.2")
    # the router's SSH-like port answers the LAN, not the WAN (input filter)
    with peer_server(net.router.ns, "0.0.0.0", 22):
        reach(net.lan.ns, "192.0.2.1", 22, "192.0.2.10")
        assert who_am_i(net.wan.ns, "203.0.113.1", 22) is None
    after = show(net, "show firewall")
    assert counter(after, "forward filter", "10")[0] >= lan_out[0] + 2          # a SYN and an echo request
    assert counter(after, "forward filter", "default")[0] >= dropped[0] + 2     # a SYN and an echo request
    assert counter(after, "forward filter", "20")[0] >= 1                       # the forwarded SYN
    assert counter(after, "input filter", "default")[0] >= 1                    # the WAN's SYN to port 22
    state = re.search(r"^established\s+accept\s+(\d+)\s+(\d+)$", after, re.M)
    assert state and int(state.group(1)) >= 2, after
    one = show(net, "show firewall ipv4 forward filter rule 10")
    assert "network-group LAN" in one and "default" not in one


def test_a_group_edit_changes_what_passes_and_nothing_else(net: Net) -> None:
    stateful(net)
    for _ in range(2):          # two new flows LAN -> WAN through rule 10 (alone, it has none yet)
        wait_ping(net.lan.ns, "203.0.113.2")
    with peer_server(net.lan.ns, "192.0.2.10", 7003):
        assert who_am_i(net.wan.ns, "192.0.2.10", 7003) is None
        rules, before = handles(net, "ipv4-forward"), show(net, "show firewall")
        commit(net, "set firewall group address-group TRUSTED address 203.0.113.2")
        reach(net.wan.ns, "192.0.2.10", 7003, "203.0.113.2")
        after = show(net, "show firewall")
        # only the set changed: the same rules (handles) kept counting from where they were
        assert handles(net, "ipv4-forward") == rules
        assert counter(after, "forward filter", "10")[0] >= counter(before, "forward filter", "10")[0] >= 2
        assert counter(after, "forward filter", "default")[0] >= counter(before, "forward filter", "default")[0]
        assert counter(after, "forward filter", "30")[0] >= 1
        commit(net, "delete firewall group address-group TRUSTED address 203.0.113.2")
        assert who_am_i(net.wan.ns, "192.0.2.10", 7003) is None
        assert handles(net, "ipv4-forward") == rules
    groups = show(net, "show firewall group")
    assert re.search(r"^TRUSTED\s+address_group\s+ipv4-forward-filter-30\s+203\.0\.113\.99$", groups, re.M), groups
    # any other change reloads the table: new rules, counters from zero
    commit(net, "set firewall ipv4 forward filter rule 40 action drop")
    assert handles(net, "ipv4-forward") != rules
    assert counter(show(net, "show firewall"), "forward filter", "10") == (0, 0)
    commit(net, "delete firewall ipv4 forward filter rule 40")


def test_reset_firewall_counters_zeroes_every_rule_at_once(net: Net) -> None:
    stateful(net)
    wait_ping(net.lan.ns, "203.0.113.2")
    assert counter(show(net, "show firewall"), "forward filter", "10")[0] >= 1
    before = handles(net, "ipv4-forward")
    assert show(net, "reset firewall counters") == ""
    listing = show(net, "show firewall")
    for rule in ("10", "20", "30", "default"):
        assert counter(listing, "forward filter", rule) == (0, 0), listing
    assert set(handles(net, "ipv4-forward")) == set(before)                      # the same rules
    with peer_server(net.wan.ns, "203.0.113.2", 7004):                          # and they still work
        reach(net.lan.ns, "203.0.113.2", 7004, "192.0.2.10")
    assert counter(show(net, "show firewall"), "forward filter", "10")[0] >= 1


def test_zones_lan_wan_dmz_and_local(net: Net) -> None:
    stateful(net)       # (what the zones replace: the same start alone as after the others)
    commit(net, "delete firewall", "delete nat",
           "set firewall global-options state-policy established action accept",
           "set firewall global-options state-policy related action accept",
           "set firewall ipv4 name LAN-WAN default-action accept",
           "set firewall ipv4 name LAN-DMZ default-action accept",
           "set firewall ipv4 name WAN-DMZ default-action drop",
           "set firewall ipv4 name WAN-DMZ rule 10 action accept",
           "set firewall ipv4 name WAN-DMZ rule 10 protocol tcp",
           "set firewall ipv4 name WAN-DMZ rule 10 destination port 7010",
           "set firewall ipv4 name LAN-LOCAL default-action accept",
           "set firewall zone LAN interface eth1",
           "set firewall zone WAN interface eth0",
           "set firewall zone DMZ interface eth2",
           "set firewall zone LOCAL local-zone",
           "set firewall zone WAN from LAN firewall name LAN-WAN",
           "set firewall zone DMZ from LAN firewall name LAN-DMZ",
           "set firewall zone DMZ from WAN firewall name WAN-DMZ",
           "set firewall zone LOCAL from LAN firewall name LAN-LOCAL")
    with peer_server(net.dmz.ns, "198.51.100.2", 7010), peer_server(net.dmz.ns, "198.51.100.2", 7011):
        reach(net.lan.ns, "198.51.100.2", 7011, "192.0.2.10")       # LAN -> DMZ: all
        reach(net.wan.ns, "198.51.100.2", 7010, "203.0.113.2")      # WAN -> DMZ: port 7010
        assert who_am_i(net.wan.ns, "198.51.100.2", 7011) is None               # ... only
    with peer_server(net.lan.ns, "192.0.2.10", 7012):
        assert who_am_i(net.dmz.ns, "192.0.2.10", 7012) is None                 # DMZ -> LAN: no entry
        assert who_am_i(net.wan.ns, "192.0.2.10", 7012) is None                 # WAN -> LAN: no entry
    with peer_server(net.wan.ns, "203.0.113.2", 7013):
        reach(net.lan.ns, "203.0.113.2", 7013, "192.0.2.10")       # LAN -> WAN
    wait_ping(net.lan.ns, "192.0.2.1")                                           # LAN -> LOCAL
    assert not ping(net.wan.ns, "203.0.113.1")                                   # WAN -> LOCAL: none
    listing = show(net, "show firewall")
    assert counter(listing, "name WAN-DMZ", "10")[0] >= 1
    assert re.search(r"^DMZ\s+from WAN\s+WAN-DMZ\s+[1-9]\d*\s+\d+$", listing, re.M), listing
