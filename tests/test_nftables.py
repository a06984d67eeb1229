"""nftables backend: rule order, exclude/disable, verify rules, strict values."""
from __future__ import annotations

import re

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.backends.nftables import compiler as nftables
from nos_shell.errors import PathError


def nft(text: str) -> str:
    return nftables.compile(tree_from_commands(text))[nftables.PATH].decode()


def problems(text: str) -> list[tuple[str, str]]:
    return [(" ".join(p.path), p.message) for p in nftables.verify(tree_from_commands(text))]


BASE = "set interfaces ethernet eth0 address dhcp\nset interfaces ethernet eth1 address 192.0.2.1/24\n"


def rules(text: str) -> list[str]:
    """The rules' matches and actions, without the counter and number every rule carries."""
    return [re.sub(r' comment "(source|destination) rule \d+"$', "", line.strip()).replace(" counter ", " ")
            for line in nft(text).splitlines()
            if line.startswith("\t\t") and not line.strip().startswith(("#", "type "))]


def test_every_rule_counts_and_names_its_number() -> None:
    text = BASE + ("set nat source rule 7 outbound-interface name eth0\n"
                   "set nat source rule 7 translation address masquerade\n"
                   "set nat destination rule 12 exclude\nset nat destination rule 12 destination address 192.0.2.1\n")
    body = [line.strip() for line in nft(text).splitlines()
            if line.startswith("\t\t") and not line.strip().startswith(("#", "type "))]
    assert body == ['ip daddr 192.0.2.1 counter return comment "destination rule 12"',
                    'oifname "eth0" counter masquerade comment "source rule 7"']


def test_rules_follow_rule_numbers_numerically() -> None:
    text = BASE + "".join(f"set nat source rule {n} outbound-interface name eth0\n"
                          f"set nat source rule {n} source address 192.0.2.{n}\n"
                          f"set nat source rule {n} translation address masquerade\n" for n in (100, 9, 10))
    assert rules(text) == [f'oifname "eth0" ip saddr 192.0.2.{n} masquerade' for n in (9, 10, 100)]


def test_exclude_returns_and_disable_leaves_out() -> None:
    text = BASE + ("set nat source rule 5 source address 192.0.2.0/24\n"
                   "set nat source rule 5 destination address 198.51.100.0/24\n"
                   "set nat source rule 5 exclude\n"
                   "set nat source rule 6 outbound-interface name eth0\n"
                   "set nat source rule 6 translation address 203.0.113.1\nset nat source rule 6 disable\n"
                   "set nat source rule 7 outbound-interface name eth0\n"
                   "set nat source rule 7 translation address masquerade\n")
    assert rules(text) == ["ip saddr 192.0.2.0/24 ip daddr 198.51.100.0/24 return", 'oifname "eth0" masquerade']
    assert "# source rule 6 (disabled)" in nft(text)


def test_port_forwarding() -> None:
    text = BASE + ("set nat destination rule 10 inbound-interface name eth0\n"
                   "set nat destination rule 10 protocol tcp\nset nat destination rule 10 destination port 8443\n"
                   "set nat destination rule 10 translation address 192.0.2.10\n"
                   "set nat destination rule 10 translation port 443\n")
    assert rules(text) == ['iifname "eth0" meta l4proto tcp th dport 8443 dnat to 192.0.2.10:443']


def test_table_is_replaced_in_one_transaction_and_removed_when_empty() -> None:
    empty = nft("")
    assert empty.splitlines()[1:] == ["table ip nos_shell_nat", "delete table ip nos_shell_nat",
                                      "table inet nos_shell_filter", "delete table inet nos_shell_filter"]
    full = nft(BASE + "set nat source rule 1 outbound-interface name eth0\n"
                      "set nat source rule 1 translation address masquerade\n")
    assert full.splitlines()[1:4] == ["table ip nos_shell_nat", "delete table ip nos_shell_nat",
                                      "table ip nos_shell_nat {"]


def test_nat_interfaces_must_exist() -> None:
    assert problems("set nat source rule 10 outbound-interface name eth3\n"
                    "set nat source rule 10 translation address masquerade") == [
        ("nat source rule 10 outbound-interface name", "interface eth3 is not configured (NAT rule 10 names it)")]
    assert problems("set nat destination rule 10 inbound-interface name eth0.5\n"
                    "set nat destination rule 10 translation address 192.0.2.1") == [
        ("nat destination rule 10 inbound-interface name", "interface eth0.5 is not configured (NAT rule 10 names it)")]
    assert problems("set interfaces ethernet eth0 vif 5\nset nat destination rule 10 inbound-interface name eth0.5\n"
                    "set nat destination rule 10 translation address 192.0.2.1") == []


def test_translation_and_protocol_rules() -> None:
    assert problems(BASE + "set nat source rule 10 outbound-interface name eth0") == [
        ("nat source rule 10 translation", "translation address is required (an address, a range or "
                                           "masquerade), or set exclude")]
    assert ("nat destination rule 10 destination port", "matching a port needs protocol tcp, udp or tcp_udp") in \
        problems(BASE + "set nat destination rule 10 destination port 80\n"
                        "set nat destination rule 10 translation address 192.0.2.5")
    assert [p for p, _ in problems(BASE + "set nat destination rule 10 protocol tcp\n"
                                          "set nat destination rule 10 translation port 80,81")] == [
        "nat destination rule 10 translation port"]
    assert problems(BASE + "set nat source rule 10 translation address 192.0.2.1\nset nat source rule 10 disable") == []


@pytest.mark.parametrize("path, value", [
    ("nat source rule 10 source address", "192.0.2.300-192.0.2.301"),
    ("nat source rule 10 source address", "192.0.2.20-192.0.2.10"),
    ("nat source rule 10 source address", "192.0.2.1/24"),
    ("nat source rule 10 destination port", "70000"),
    ("nat source rule 10 destination port", "200-100"),
    ("nat source rule 10 destination port", "0"),
    ("nat source rule 10 destination port", "80,"),
    ("nat source rule 10 translation address", "masq"),
    ("nat destination rule 10 translation address", "masquerade"),
    ("nat source rule 10 protocol", "256"),
    ("nat source rule 10 outbound-interface name", 'eth0"'),
])
def test_schema_refuses_values_nft_cannot_take(path: str, value: str) -> None:
    with pytest.raises(PathError):
        tree_from_commands(f"set {path} '{value}'")
