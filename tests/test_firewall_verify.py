"""Firewall verify: each cross-node rule, with VyOS's message where VyOS has one."""
from __future__ import annotations

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.backends.nftables import compiler as nftables
from nos_shell.errors import NosError

NAMED = "set firewall ipv4 name A rule 10 "


def problems(text: str) -> list[tuple[str, str]]:
    return [(" ".join(p.path), p.message) for p in nftables.verify(tree_from_commands(text))]


def test_a_valid_firewall_has_no_problem() -> None:
    assert problems("set firewall ipv4 name A default-action drop\n" + NAMED + "action accept\n"
                    "set firewall ipv4 forward filter rule 1 action jump\n"
                    "set firewall ipv4 forward filter rule 1 jump-target A\n") == []


@pytest.mark.parametrize("lines,where,message", [
    (["action jump", "jump-target NOPE"], "jump-target",
     "Invalid jump-target. Firewall ipv4 name NOPE does not exist on the system"),
    (["action jump"], "jump-target", "Action set to jump, but no jump-target specified"),
    (["action accept", "jump-target A"], "jump-target",
     "jump-target defined, but action jump needed and it is not defined"),
    (["protocol tcp"], "action", "Rule action must be defined"),
    (["action accept", "destination port 22"], "destination port",
     "Protocol must be defined if specifying a port or port-group"),
    (["action accept", "protocol icmp", "source port 22"], "source port",
     "Protocol must be tcp, udp, or tcp_udp when specifying a port or port-group"),
    (["action accept", "protocol udp", "tcp flags syn"], "tcp flags", "Protocol must be tcp when specifying tcp flags"),
    (["action accept", "protocol tcp", "tcp flags syn", "tcp flags not syn"], "tcp flags not syn",
     "Cannot match a tcp flag as set and not set"),
    (["action accept", "protocol ipv6-icmp"], "protocol", "Cannot match IPv6 ICMP protocol on IPv4, use icmp"),
    (["action accept", "source group address-group NOPE"], "source group address-group",
     'Invalid address-group "NOPE" on firewall rule'),
    (["action accept", "inbound-interface group NOPE"], "inbound-interface group",
     'Invalid interface group "NOPE" on firewall rule'),
    (["action accept", "inbound-interface group G", "inbound-interface name eth0"], "inbound-interface",
     "Cannot specify both interface group and interface name for inbound-interface"),
    (["action accept", "limit burst 5"], "limit burst", "Limit burst needs a limit rate"),
])
def test_rule_problems(lines: list[str], where: str, message: str) -> None:
    text = ("set firewall group interface-group G interface eth0\n"
            + "".join(NAMED + line + "\n" for line in lines))
    assert (f"firewall ipv4 name A rule 10 {where}", message) in problems(text)


def test_a_group_of_the_other_family_is_refused() -> None:
    text = ("set firewall group ipv6-address-group V6 address 2001:db8::1\n"
            + NAMED + "action accept\n" + NAMED + "destination group address-group V6\n"
            "set firewall group address-group V4 address 192.0.2.1\n"
            "set firewall ipv6 name B rule 1 action accept\n"
            "set firewall ipv6 name B rule 1 source group address-group V4\n")
    assert problems(text) == [
        ("firewall ipv4 name A rule 10 destination group address-group",
         'address-group "V6" is an ipv6-address-group and cannot be used in an ipv4 rule (use an address-group)'),
        ("firewall ipv6 name B rule 1 source group address-group",
         'address-group "V4" is an address-group and cannot be used in an ipv6 rule (use an ipv6-address-group)')]


def test_icmp_on_ipv6_is_refused() -> None:
    assert problems("set firewall ipv6 name B rule 1 action accept\nset firewall ipv6 name B rule 1 protocol icmp\n") \
        == [("firewall ipv6 name B rule 1 protocol", "Cannot match IPv4 ICMP protocol on IPv6, use ipv6-icmp")]


def test_jump_loops_are_found_and_a_chain_jumped_twice_is_not_a_loop() -> None:
    def jump(src: str, number: int, dst: str) -> str:
        return (f"set firewall ipv4 name {src} rule {number} action jump\n"
                f"set firewall ipv4 name {src} rule {number} jump-target {dst}\n")
    loop = jump("A", 1, "B") + jump("B", 1, "C") + jump("C", 1, "A")
    assert problems(loop) == [("firewall ipv4 name C rule 1 jump-target",
                               "Loop detected in jump-targets, firewall ipv4 name C refers to previously "
                               "traversed ipv4 name A")]
    assert problems(jump("A", 1, "A")) == [("firewall ipv4 name A rule 1 jump-target",
                                            "Loop detected in jump-targets, firewall ipv4 name A refers to "
                                            "previously traversed ipv4 name A")]
    diamond = jump("A", 1, "B") + jump("A", 2, "C") + jump("B", 1, "D") + jump("C", 1, "D") + \
        "set firewall ipv4 name D rule 1 action accept\n"
    assert problems(diamond) == []


def test_group_includes() -> None:
    text = ("set firewall group port-group P include Q\nset firewall group port-group Q include P\n"
            "set firewall group port-group R include MISSING\n")
    assert problems(text) == [
        ("firewall group port-group P include", 'Group "P" has a circular reference'),
        ("firewall group port-group Q include", 'Group "Q" has a circular reference'),
        ("firewall group port-group R include", 'Nested group "MISSING" does not exist')]


def test_zone_rules() -> None:
    text = ("set firewall zone LAN interface eth1\nset firewall zone LAN from WAN firewall name NOPE\n"
            "set firewall zone LAN from GONE firewall name A\n"
            "set firewall zone WAN interface eth1\nset firewall zone WAN from LAN firewall ipv6-name NOPE6\n"
            "set firewall zone EMPTY default-action drop\n"
            "set firewall zone L1 local-zone\nset firewall zone L2 local-zone\nset firewall zone L2 interface eth2\n"
            "set firewall ipv4 name A default-action drop\n")
    assert problems(text) == [
        ("firewall zone", "There cannot be multiple local zones"),
        ("firewall zone EMPTY", 'Zone "EMPTY" has no interfaces and is not the local zone'),
        ("firewall zone L2 interface", "Local zone cannot have interfaces assigned"),
        ("firewall zone LAN from GONE", 'Zone "LAN" refers to a non-existent or deleted zone "GONE"'),
        ("firewall zone LAN from WAN firewall name", 'Firewall name "NOPE" does not exist'),
        ("firewall zone WAN from LAN firewall ipv6-name", 'Firewall ipv6-name "NOPE6" does not exist'),
        ("firewall zone WAN interface", "Interfaces cannot be assigned to multiple zones (eth1 is in zone LAN)")]


@pytest.mark.parametrize("line", [
    'set firewall ipv4 name "A;B" default-action drop',
    "set firewall ipv4 name A{ default-action drop",
    "set firewall group address-group 'G\"' address 192.0.2.1",
    "set firewall group port-group P port '22;drop'",
    "set firewall group port-group P port nosuchservice",
    "set firewall ipv4 name A rule 1 destination port '1-2}'",
    "set firewall ipv4 name A rule 1 protocol '6 accept'",
    "set firewall ipv4 name A rule 1 limit rate '0/second'",
    "set firewall ipv4 name A rule 1 inbound-interface name 'eth0\"'",
    "set firewall ipv4 name A rule 1 source address 2001:db8::1",
    "set firewall ipv6 name A rule 1 source address 192.0.2.1",
    "set firewall ipv4 name A rule 1 source address 192.0.2.9-192.0.2.1",
    "set firewall zone Z#1 interface eth0",
])
def test_schema_refuses_values_that_could_change_the_ruleset(line: str) -> None:
    with pytest.raises(NosError):
        tree_from_commands(line)
