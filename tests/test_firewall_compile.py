"""Firewall compile: what a group edit changes, one transaction with NAT, and a property:
every firewall configuration verify accepts compiles to a ruleset the real ``nft -c`` takes."""
from __future__ import annotations

import difflib

from hypothesis import given
from hypothesis import strategies as st

from lab import netns, require_tool, run
from nos_shell.api import tree_from_commands
from nos_shell.backends.nftables import compiler as nftables
from nos_shell.backends.nftables import filter as fwfilter
from nos_shell.config.tree import ConfigTree
from nos_shell.schema import fwtypes
from nos_shell.schema import types as t
from propsettings import examples
from strategies import values

RULE = "set firewall ipv4 forward filter rule 10 "


def nft(text: str) -> str:
    return nftables.compile(tree_from_commands(text))[nftables.PATH].decode()


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(nft(before).splitlines(), nft(after).splitlines(), lineterm="",
                                                  n=0) if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_a_group_edit_changes_only_the_sets_elements() -> None:
    base = ("set firewall group address-group G address 192.0.2.1\n"
            "set firewall group port-group P port 80\n" + RULE + "action accept\n"
            + RULE + "protocol tcp\n" + RULE + "destination group address-group G\n"
            + RULE + "destination group port-group P\n")
    assert changed_lines(base, base + "set firewall group address-group G address 192.0.2.7\n") == [
        "-\t\telements = { 192.0.2.1 }", "+\t\telements = { 192.0.2.1, 192.0.2.7 }"]
    assert changed_lines(base, base + "set firewall group port-group P port 443\n") == [
        "-\t\telements = { 80 }", "+\t\telements = { 80, 443 }"]


def test_nat_and_filter_are_replaced_by_one_file() -> None:
    text = nft("set interfaces ethernet eth0 address dhcp\n"
               "set nat source rule 1 outbound-interface name eth0\n"
               "set nat source rule 1 translation address masquerade\n" + RULE + "action drop\n")
    tables = [line for line in text.splitlines() if line.startswith(("table", "delete table"))]
    assert tables == ["table ip nos_shell_nat", "delete table ip nos_shell_nat", "table ip nos_shell_nat {",
                      "table inet nos_shell_filter", "delete table inet nos_shell_filter",
                      "table inet nos_shell_filter {"]


def test_every_rule_has_a_counter_and_names_its_path() -> None:
    text = nft("set firewall ipv4 name N rule 7 action accept\nset firewall ipv4 name N rule 7 protocol udp\n"
               "set firewall ipv6 input filter rule 3 action drop\n")
    rules = [line.strip() for line in text.splitlines() if line.startswith("\t\t") and " comment " in line]
    assert rules == ['meta l4proto udp counter accept comment "ipv4 name N rule 7"',
                     'counter drop comment "ipv4 name N default-action drop"',
                     'counter drop comment "ipv6 input filter rule 3"',
                     'counter accept comment "ipv6 input filter default-action accept"']


def test_no_firewall_no_table_and_no_sysctl_file() -> None:
    files = nftables.compile(ConfigTree())
    assert list(files) == [nftables.PATH]
    assert fwfilter.compile_filter(ConfigTree()) == [f"table {fwfilter.TABLE}", f"delete table {fwfilter.TABLE}"]


def test_the_longest_names_fit_nft_limits(tmp_path) -> None:
    """Comments (128 bytes), log prefixes and chain and set names stay within nft's limits."""
    require_tool("nft")
    chain, group, zone = "c" * 63, "g" * 63, ("y" * 32, "z" * 32)
    text = (f"set firewall group address-group {group} address 192.0.2.1\n"
            f"set firewall ipv4 name {chain} default-log\n"
            f"set firewall ipv4 name {chain} rule 999999 action reject\n"
            f"set firewall ipv4 name {chain} rule 999999 log\n"
            f"set firewall ipv4 name {chain} rule 999999 source group address-group !{group}\n"
            f"set firewall zone {zone[0]} interface eth0\nset firewall zone {zone[0]} default-log\n"
            f"set firewall zone {zone[1]} interface eth1\n"
            f"set firewall zone {zone[0]} from {zone[1]} firewall name {chain}\n")
    path = tmp_path / "long.nft"
    path.write_text(nft(text))
    with netns("f12l") as ns:
        result = run("ip", "netns", "exec", ns, "nft", "-c", "-f", str(path), check=False)
    assert result.returncode == 0, result.stderr


# -- property: accepted configurations pass nft -c ----------------------------------------------

CHAINS = ("C1", "C2", "C3")


@st.composite
def firewalls(draw) -> ConfigTree:
    """A firewall configuration made to pass verify: groups defined before use, jumps only
    to later chains (no loops), ports and flags only with their protocols."""
    lines: list[list[str]] = []
    groups = {"address-group": ("address", fwtypes.SINGLE_ADDRESS_V4),
              "ipv6-address-group": ("address", fwtypes.SINGLE_ADDRESS_V6),
              "network-group": ("network", t.IPV4_PREFIX), "ipv6-network-group": ("network", t.IPV6_PREFIX),
              "port-group": ("port", fwtypes.PORT), "interface-group": ("interface", fwtypes.INTERFACE_NAME)}
    for node, (member, vt) in groups.items():
        for value in draw(st.lists(values(vt), max_size=3)):
            lines.append(["firewall", "group", node, "G", member, value])
        lines.append(["firewall", "group", node, "G", "description", draw(values(t.DESCRIPTION))])
    for family in (4, 6):
        fam = f"ipv{family}"
        chains = [(fam, "name", c) for c in CHAINS] + [(fam, hook, "filter") for hook in ("input", "forward")]
        for index, chain in enumerate(chains):
            later = [c for c in CHAINS[index + 1:]] if chain[1] == "name" else list(CHAINS)
            kind = fwtypes.NAME_DEFAULT if chain[1] == "name" else fwtypes.BASE_DEFAULT
            lines.append(["firewall", *chain, "default-action", draw(values(kind))])
            for number in draw(st.lists(st.integers(1, 999999), max_size=3, unique=True)):
                lines += [["firewall", *chain, "rule", str(number), *words]
                          for words in draw(rule(family, later))]
    zones = draw(st.booleans())
    if zones:
        lines += [["firewall", "zone", "A", "interface", "eth1"], ["firewall", "zone", "B", "interface", "eth2"],
                  ["firewall", "zone", "L", "local-zone"],
                  ["firewall", "zone", "A", "from", "B", "firewall", "name", "C1"],
                  ["firewall", "zone", "L", "from", "A", "firewall", "ipv6-name", "C2"],
                  ["firewall", "zone", "B", "from", "L", "firewall", "name", "C3"],
                  ["firewall", "zone", "B", "default-action", draw(values(fwtypes.ZONE_DEFAULT))]]
    for state in draw(st.lists(st.sampled_from(("established", "related", "invalid")), unique=True)):
        lines.append(["firewall", "global-options", "state-policy", state, "action",
                      draw(values(fwtypes.STATE_ACTION))])
    tree = ConfigTree()
    for words in lines:
        tree.set(words)
    return tree


@st.composite
def rule(draw, family: int, targets: list[str]) -> list[list[str]]:
    actions = ["accept", "drop", "reject", "return", "continue"] + (["jump"] if targets else [])
    action = draw(st.sampled_from(actions))
    out = [["action", action]]
    if action == "jump":
        out.append(["jump-target", draw(st.sampled_from(targets))])
    address = fwtypes.MATCH_V4 if family == 4 else fwtypes.MATCH_V6
    for side in ("source", "destination"):
        if draw(st.booleans()):
            out.append([side, "address", draw(values(address))])
        if draw(st.booleans()):
            out.append([side, "group", draw(st.sampled_from(("address-group", "network-group"))),
                        draw(st.sampled_from(("G", "!G")))])
    protocol = draw(st.sampled_from(("none", "tcp", "udp", "tcp_udp", "icmp", "other")))
    if protocol == "other":
        out.append(["protocol", draw(st.sampled_from(("gre", "!esp", "vrrp", "47", "!tcp", "all")))])
    elif protocol == "icmp":
        out.append(["protocol", "icmp" if family == 4 else "ipv6-icmp"])
        word, names = ("icmp", fwtypes.ICMP_TYPE_NAME) if family == 4 else ("icmpv6", fwtypes.ICMPV6_TYPE_NAME)
        out.append([word, "type-name", draw(values(names))] if draw(st.booleans())
                   else [word, "type", draw(values(fwtypes.ICMP_NUMBER))])
    elif protocol != "none":
        out.append(["protocol", protocol])
        side = draw(st.sampled_from(("source", "destination")))
        out.append([side, "port", draw(values(fwtypes.PORT))] if draw(st.booleans())
                   else [side, "group", "port-group", draw(st.sampled_from(("G", "!G")))])
        if protocol == "tcp":
            flags = draw(st.lists(st.sampled_from(("syn", "ack", "fin", "rst")), unique=True, max_size=3))
            for index, flag in enumerate(flags):
                out.append(["tcp", "flags", *(["not"] if index % 2 else []), flag])
    out += [["state", s] for s in draw(st.lists(values(fwtypes.STATE), unique=True, max_size=2))]
    if draw(st.booleans()):
        out.append([draw(st.sampled_from(("inbound-interface", "outbound-interface"))),
                    *draw(st.sampled_from((["name", "eth0"], ["name", "!eth3"], ["group", "G"], ["group", "!G"])))])
    for extra in draw(st.lists(st.sampled_from(("log", "disable", "nat", "limit", "description")), unique=True,
                               max_size=2)):
        if extra == "nat":
            out.append(["connection-status", "nat", draw(values(fwtypes.NAT_STATUS))])
        elif extra == "limit":
            out.append(["limit", "rate", draw(values(fwtypes.RATE))])
        elif extra == "description":
            out.append(["description", draw(values(t.DESCRIPTION))])
        else:
            out.append([extra])
    return out


def test_every_accepted_firewall_passes_nft_check(tmp_path) -> None:
    require_tool("nft")
    checked = []
    with netns("f12p") as ns:
        @examples(25)
        @given(firewalls())
        def check(tree: ConfigTree) -> None:
            assert nftables.verify(tree) == []
            path = tmp_path / "fw.nft"
            path.write_bytes(nftables.compile(tree)[nftables.PATH])
            result = run("ip", "netns", "exec", ns, "nft", "-c", "-f", str(path), check=False)
            assert result.returncode == 0, result.stderr + path.read_text()
            checked.append(tree)

        check()
    assert checked
