"""The firewall's operational commands without a router: grammar, `?` help, the layouts
read from the configuration of a sandbox root, the reading of nft's JSON counters, and the
refusals (sandbox, operator level, unknown chains)."""
from __future__ import annotations

import json

import pytest

from nos_shell.commands import next_keywords, parse
from nos_shell.errors import NosError
from nos_shell.ops.fwstate import parse_counters
from nos_shell.session import Session

CONFIG = [
    "set firewall group address-group SERVERS address 192.0.2.10",
    "set firewall group address-group SERVERS include OTHERS",
    "set firewall group address-group OTHERS address 192.0.2.20",
    "set firewall group interface-group INSIDE interface eth1",
    "set firewall global-options state-policy established action accept",
    "set firewall ipv4 input filter default-action drop",
    "set firewall ipv4 input filter rule 10 action accept",
    "set firewall ipv4 input filter rule 10 protocol tcp",
    "set firewall ipv4 input filter rule 10 destination port 22",
    "set firewall ipv4 input filter rule 10 inbound-interface group INSIDE",
    "set firewall ipv4 name WAN-IN default-action drop",
    "set firewall ipv4 name WAN-IN description 'from the internet'",
    "set firewall ipv4 name WAN-IN rule 10 action accept",
    "set firewall ipv4 name WAN-IN rule 10 destination group address-group SERVERS",
    "set firewall ipv4 name WAN-IN rule 20 action jump",
    "set firewall ipv4 name WAN-IN rule 20 jump-target SVC",
    "set firewall ipv4 name WAN-IN rule 20 disable",
    "set firewall ipv4 name SVC default-action return",
    "set firewall ipv6 name SVC6 default-action continue",
]


@pytest.fixture
def s(tmp_path):
    session = Session(tmp_path)
    session.execute("configure")
    for line in CONFIG:
        session.execute(line)
    session.execute("commit")
    session.execute("exit")
    return session


@pytest.mark.parametrize("line, name, words, opts", [
    ("show firewall", "show_firewall", [], {}),
    ("show firewall group", "show_firewall_group", [], {}),
    ("show firewall group SERVERS", "show_firewall_group", ["SERVERS"], {}),
    ("show firewall statistics", "show_firewall_statistics", [], {}),
    ("show firewall ipv4 name WAN-IN", "show_firewall_name", ["WAN-IN"], {"family": "ipv4"}),
    ("show firewall ipv6 name rule rule 5", "show_firewall_name", ["rule", "5"], {"family": "ipv6"}),
    ("show firewall ipv4 output filter", "show_firewall_filter", [], {"family": "ipv4", "hook": "output"}),
    ("sh fi ipv6 fo fil ru 7", "show_firewall_filter", ["7"], {"family": "ipv6", "hook": "forward"}),
    ("reset firewall counters", "reset_firewall_counters", [], {}),
])
def test_the_grammar_reads_every_form(line, name, words, opts):
    command = parse(line, "op")
    assert (command.name, command.words, command.opts) == (name, words, opts)


def test_completion_and_help_come_from_the_registry():
    from nos_shell.shell.words import keyword_help

    assert next_keywords("show firewall ", "op")[0] == ["group", "ipv4", "ipv6", "statistics", "|"]
    assert next_keywords("show firewall ipv4 ", "op")[0] == ["forward", "input", "name", "output"]
    assert next_keywords("reset firewall ", "op")[0] == ["counters"]
    assert keyword_help("firewall", "op", "show") == "Show firewall information"
    assert keyword_help("name", "op", "ipv4") == "Show a named IPv4 chain"
    assert keyword_help("name", "op", "host") != keyword_help("name", "op", "ipv4")


def test_show_firewall_in_a_sandbox_lists_the_config_without_counters(s):
    out = s.execute("show firewall")
    lines = out.splitlines()
    assert lines[:2] == ["Rulesets Information", "Counters: none (sandbox root: nothing is applied)"]
    assert '---------------------------------\nipv4 Firewall "input filter"\n\n' in out
    assert "Rule     Action  Protocol  Packets  Bytes  Conditions" in lines
    assert ["10", "accept", "tcp", "-", "-", "destination", "port", "22"] in [l.split() for l in lines]
    assert ["inbound-interface", "group", "INSIDE"] in [l.split() for l in lines]
    assert ["20", "jump", "SVC", "(disabled)", "all", "-", "-"] in [l.split() for l in lines]
    assert "Description: from the internet" in lines
    # the order: base filters, then named chains, per family; `continue` has no default counter
    titles = [l for l in lines if " Firewall " in l]
    assert titles == ['ipv4 Firewall "input filter"', 'ipv4 Firewall "name SVC"', 'ipv4 Firewall "name WAN-IN"',
                      'ipv6 Firewall "name SVC6"']
    assert ["established", "accept", "-", "-"] in [l.split() for l in lines]


def test_one_chain_and_one_rule(s):
    out = s.execute("show firewall ipv4 name WAN-IN rule 10")
    rows = [l.split() for l in out.splitlines()]
    assert ["10", "accept", "all", "-", "-", "destination", "group", "address-group", "SERVERS"] in rows
    assert not any(r and r[0] in ("20", "default") for r in rows)
    assert any(r[:2] == ["default", "drop"] for r in (l.split() for l in s.execute(
        "show firewall ipv4 input filter").splitlines()) if r)
    with pytest.raises(NosError, match="Firewall ipv4 name NOPE is not configured"):
        s.execute("show firewall ipv4 name NOPE")
    with pytest.raises(NosError, match="Firewall ipv4 name WAN-IN has no rule 30"):
        s.execute("show firewall ipv4 name WAN-IN rule 30")
    with pytest.raises(NosError, match="Firewall ipv6 forward filter is not configured"):
        s.execute("show firewall ipv6 forward filter")


def test_groups_name_their_members_and_users(s):
    rows = {l.split()[0]: l.split() for l in s.execute("show firewall group").splitlines()[4:] if l[:1].strip()}
    assert rows["SERVERS"] == ["SERVERS", "address_group", "ipv4-name-WAN-IN-10", "192.0.2.10"]
    assert rows["OTHERS"] == ["OTHERS", "address_group", "include", "SERVERS", "192.0.2.20"]
    assert rows["INSIDE"] == ["INSIDE", "interface_group", "ipv4-input-filter-10", "eth1"]
    assert "include OTHERS" in s.execute("show firewall group SERVERS")
    with pytest.raises(NosError, match="Firewall group NONE is not configured"):
        s.execute("show firewall group NONE")


def test_statistics_and_an_empty_firewall(tmp_path, s):
    out = s.execute("show firewall statistics")
    assert ["10", "-", "-", "accept", "any", "any", "any", "any"] in [l.split() for l in out.splitlines()]
    empty = Session(tmp_path / "empty")
    assert empty.execute("show firewall") == "No firewall rulesets are configured\n"
    assert empty.execute("show firewall group") == "No firewall groups are configured\n"


def test_reset_needs_a_router_and_an_admin(tmp_path, s):
    with pytest.raises(NosError, match=r"is a sandbox root \(not live\): it has no firewall counters to reset"):
        s.execute("reset firewall counters")
    operator = Session(tmp_path, user="olga", via="ssh", level="operator")
    with pytest.raises(NosError, match="Permission denied: operator-level users cannot reset counters"):
        operator.execute("reset firewall counters")
    assert "Rulesets Information" in operator.execute("show firewall")


def test_counters_are_read_by_comment_and_a_repeated_comment_adds_up():
    def rule(comment, packets, octets):
        return {"rule": {"family": "inet", "table": "nos_shell_filter", "chain": "c", "handle": 4,
                         "comment": comment,
                         "expr": [{"match": {}}, {"counter": {"packets": packets, "bytes": octets}}, {"accept": None}]}}

    listing = {"nftables": [{"metainfo": {}}, {"table": {"name": "nos_shell_filter"}},
                            rule("ipv4 name X rule 10", 3, 180), rule("zone LAN from WAN", 1, 60),
                            rule("zone LAN from WAN", 2, 120),
                            {"rule": {"chain": "c", "expr": [{"counter": {"packets": 9, "bytes": 9}}]}}]}
    assert parse_counters(json.dumps(listing)) == {"ipv4 name X rule 10": (3, 180), "zone LAN from WAN": (3, 180)}
    with pytest.raises(NosError, match="unreadable answer"):
        parse_counters("not json")
