"""A group edit as a set-only update (backends/nftables/fwdelta.py): which file changes get
an nft script of their own and which reload the whole file. Live: test_firewall_traffic_live.py
shows the rule handles and counters surviving a group edit."""
from __future__ import annotations

from nos_shell.api import tree_from_commands
from nos_shell.backends.nftables import compiler as nftables
from nos_shell.backends.nftables.fwdelta import set_updates

BASE = """
set interfaces ethernet eth0 address 203.0.113.1/24
set firewall group address-group SERVERS address 192.0.2.10
set firewall group address-group MORE address 192.0.2.20
set firewall group address-group MORE include SERVERS
set firewall group port-group WEB port 80
set firewall ipv4 forward filter rule 10 action accept
set firewall ipv4 forward filter rule 10 destination group address-group MORE
set firewall ipv4 forward filter rule 10 destination group port-group WEB
set firewall ipv4 forward filter rule 10 protocol tcp
set nat source rule 10 outbound-interface name eth0
set nat source rule 10 translation address masquerade
"""


def nft(extra: str = "") -> str:
    return nftables.compile(tree_from_commands(BASE + extra))[nftables.PATH].decode()


def test_a_member_added_updates_its_set_and_the_sets_including_it():
    script = set_updates(nft(), nft("set firewall group address-group SERVERS address 192.0.2.11\n"))
    assert script == ("flush set inet nos_shell_filter A_MORE\n"
                      "add element inet nos_shell_filter A_MORE { 192.0.2.10, 192.0.2.11, 192.0.2.20 }\n"
                      "flush set inet nos_shell_filter A_SERVERS\n"
                      "add element inet nos_shell_filter A_SERVERS { 192.0.2.10, 192.0.2.11 }\n")


def test_a_set_emptied_is_only_flushed():
    old = nft("set firewall group port-group EMPTY port 22\n")
    new = nft("set firewall group port-group EMPTY\n")
    assert set_updates(old, new) == "flush set inet nos_shell_filter P_EMPTY\n"
    assert set_updates(new, old) == ("flush set inet nos_shell_filter P_EMPTY\n"
                                     "add element inet nos_shell_filter P_EMPTY { 22 }\n")


def test_anything_else_reloads_the_file():
    old = nft()
    assert set_updates(old, old) is None
    for change in ("set firewall ipv4 forward filter rule 10 log",                       # a rule
                   "set firewall group address-group NEW address 192.0.2.1",             # a new set
                   "set nat source rule 20 outbound-interface name eth0\n"
                   "set nat source rule 20 translation address 203.0.113.5",             # NAT
                   "set firewall ipv4 input filter default-action drop",                 # a chain
                   "set firewall group port-group WEB port 443\n"
                   "set firewall ipv4 forward filter rule 10 disable"):                  # a set and a rule
        assert set_updates(old, nft(change + "\n")) is None, change
    assert set_updates(old, nftables.compile(tree_from_commands(""))[nftables.PATH].decode()) is None
