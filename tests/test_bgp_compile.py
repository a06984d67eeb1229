"""BGP compile/verify: golden files, the shared interpretation, verify rules, hostile text.

Golden cases live in tests/golden/bgp-*/ (commands + expected/<relative path>). Set
NOS_REGEN_BGP_GOLDEN=1 to rewrite their etc/bird and etc/gobgp expected files from the
current compilers (then review the diff).
"""
from __future__ import annotations

import os
import random
import re
import tomllib
from pathlib import Path, PurePosixPath

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.backends.bird import compiler as bird
from nos_shell.backends.gobgp import compiler as gobgp
from nos_shell.models import bgp as bgp_common

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.glob("bgp-*") if (p / "commands").is_file())
OWN_DIRS = ("etc/bird/", "etc/gobgp/")


BASE = """
set protocols bgp system-as '65001'
set protocols bgp parameters router-id '192.0.2.1'
"""


def tree(text: str, backend: str | None = None):
    t = tree_from_commands(text)
    if backend:
        t.set(["protocols", "bgp", "backend", backend])
    return t


def compile_bgp(t) -> dict[PurePosixPath, bytes]:
    return {**bird.compile(t), **gobgp.compile(t)}


def problems(t) -> list[tuple[tuple[str, ...], str]]:
    return [(p.path, p.message) for p in bird.verify(t) + gobgp.verify(t)]


# -- golden files ----------------------------------------------------------------------------
def test_there_are_golden_cases():
    assert len(CASES) >= 6


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden(case: Path):
    t = tree_from_commands((case / "commands").read_text())
    assert problems(t) == []
    got = compile_bgp(t)
    expected_dir = case / "expected"
    if os.environ.get("NOS_REGEN_BGP_GOLDEN"):
        for path, data in got.items():
            (expected_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / path).write_bytes(data)
    expected = {PurePosixPath(p.relative_to(expected_dir).as_posix()): p.read_bytes()
                for p in expected_dir.rglob("*") if p.is_file()}
    own = {p: d for p, d in expected.items() if str(p).startswith(OWN_DIRS)}
    assert sorted(got) == sorted(own)
    for path, data in got.items():
        assert data.decode() == own[path].decode(), path


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden_is_order_independent(case: Path):
    lines = [l for l in (case / "commands").read_text().splitlines() if l.startswith("set ")]
    first = compile_bgp(tree_from_commands("\n".join(lines)))
    random.Random(7).shuffle(lines)
    assert compile_bgp(tree_from_commands("\n".join(lines))) == first


# -- which backend is active -------------------------------------------------------------------
def test_bird_is_the_default_backend():
    t = tree(BASE + "set protocols bgp neighbor 192.0.2.2 remote-as 65002")
    assert bird.active(t) and not gobgp.active(t)
    assert list(bird.compile(t)) == [PurePosixPath("etc/bird/bird.conf")]
    assert gobgp.compile(t) == {}


def test_gobgp_backend_compiles_only_gobgp():
    t = tree(BASE + "set protocols bgp neighbor 192.0.2.2 remote-as 65002", "gobgp")
    assert gobgp.active(t) and not bird.active(t)
    assert list(gobgp.compile(t)) == [PurePosixPath("etc/gobgp/gobgpd.toml")]
    assert bird.compile(t) == {} and bird.verify(t) == []


@pytest.mark.parametrize("text", ["", "set protocols static route 10.0.0.0/8 blackhole",
                                  "set protocols bgp backend gobgp"])
def test_no_bgp_no_files(text):
    t = tree_from_commands(text)
    assert compile_bgp(t) == {} and problems(t) == []
    assert gobgp.announcements(t) == {"ipv4-unicast": [], "ipv6-unicast": []}


def test_problems_are_reported_once_by_the_active_backend():
    t = tree("set protocols bgp neighbor 192.0.2.2 remote-as 65002", "gobgp")
    assert bird.verify(t) == [] and len(gobgp.verify(t)) == 2


# -- verify ------------------------------------------------------------------------------------
def test_missing_system_as_and_router_id():
    t = tree("set protocols bgp neighbor 192.0.2.2 remote-as 65002")
    got = problems(t)
    assert got[0][0] == ("protocols", "bgp") and "system-as" in got[0][1]
    assert got[1][0] == ("protocols", "bgp") and "router id" in got[1][1]


def test_router_id_zero_refused():
    t = tree("set protocols bgp system-as 1\nset protocols bgp parameters router-id 0.0.0.0")
    assert problems(t) == [(("protocols", "bgp", "parameters", "router-id"), "Router id 0.0.0.0 is not valid")]


def test_router_id_derived_as_frr_highest_loopback_then_highest_address():
    """FRR's rule, which VyOS routers follow: the highest loopback address (127/8 left out),
    else the highest address of an enabled interface; both daemons get the same id."""
    common = "set protocols bgp system-as 1\n"
    t = tree(common + """
        set interfaces ethernet eth0 address 198.51.100.1/24
        set interfaces ethernet eth1 address 192.0.2.9/24
        set interfaces loopback lo address 127.0.0.1/8
        set interfaces loopback lo address 203.0.113.5/32
        set interfaces loopback lo address 203.0.113.9/32
        set interfaces loopback lo address 2001:db8::1/128""")
    assert problems(t) == []
    assert bgp_common.view(t).router_id == "203.0.113.9"
    assert b"router id 203.0.113.9;" in bird.compile(t)[bird.CONF]
    gobgp_tree = tree(common + "set interfaces loopback lo address 203.0.113.5/32\n"
                      "set interfaces loopback lo address 203.0.113.9/32", "gobgp")
    assert b'router-id = "203.0.113.9"' in gobgp.compile(gobgp_tree)[gobgp.CONF]
    t = tree(common + """
        set interfaces ethernet eth0 address 198.51.100.1/24
        set interfaces ethernet eth1 address 192.0.2.9/24
        set interfaces ethernet eth2 address 203.0.113.129/25
        set interfaces ethernet eth2 disable
        set interfaces ethernet eth2 vif 7 address 10.0.0.1/24
        set interfaces loopback lo address 127.0.0.1/8""")
    assert bgp_common.view(t).router_id == "198.51.100.1"
    t = tree(common + "set interfaces ethernet eth0 address 2001:db8::1/64\nset interfaces ethernet eth0 address dhcp")
    assert "router id" in problems(t)[0][1]
    t = tree(common + "set interfaces ethernet eth0 address 2001:db8::1/64\n"
             "set protocols bgp parameters router-id 192.0.2.1")
    assert problems(t) == [] and bgp_common.view(t).router_id == "192.0.2.1"


def test_neighbor_without_remote_as():
    t = tree(BASE + "set protocols bgp neighbor 192.0.2.2 description x\n"
             "set protocols bgp neighbor 192.0.2.3 peer-group PG\n"
             "set protocols bgp peer-group PG description y\n"
             "set protocols bgp neighbor 192.0.2.4 peer-group PG\n"
             "set protocols bgp neighbor 192.0.2.4 remote-as 5")
    assert problems(t) == [
        (("protocols", "bgp", "neighbor", "192.0.2.2"),
         "Neighbor 192.0.2.2 has no remote-as: set it on the neighbor"),
        (("protocols", "bgp", "neighbor", "192.0.2.3"),
         "Neighbor 192.0.2.3 has no remote-as: set it on the neighbor or on its peer group PG"),
    ]


def test_remote_as_through_peer_group_and_missing_group():
    t = tree(BASE + "set protocols bgp peer-group PG remote-as 65010\n"
             "set protocols bgp neighbor 192.0.2.3 peer-group PG\n"
             "set protocols bgp neighbor 192.0.2.4 peer-group NOPE\n"
             "set protocols bgp neighbor 192.0.2.4 remote-as 65011")
    assert problems(t) == [(("protocols", "bgp", "neighbor", "192.0.2.4", "peer-group"),
                            "Peer group NOPE does not exist: set protocols bgp peer-group NOPE")]
    assert bgp_common.neighbor(t, "192.0.2.3").remote_as == "65010"


@pytest.mark.parametrize("bad", ["abc", "65536x", "0", "4294967295", "-1", "externals"])
def test_remote_as_values_refused_by_the_schema(bad):
    from nos_shell.errors import NosError
    with pytest.raises(NosError):
        tree(f"set protocols bgp neighbor 192.0.2.2 remote-as {bad}")


@pytest.mark.parametrize("first,second", [("2001:db8::1", "2001:DB8::1"),
                                          ("2001:db8::1", "2001:db8:0:0::1"),
                                          ("2001:db8::a", "2001:0db8::000A")])
def test_neighbor_addresses_unique_whatever_the_spelling(first, second):
    t = tree(BASE + f"set protocols bgp neighbor {first} remote-as 2\n"
             f"set protocols bgp neighbor {second} remote-as 3")
    got = problems(t)
    assert len(got) == 1 and "same address" in got[0][1], got
    assert got[0][0][:3] == ("protocols", "bgp", "neighbor")


def test_networks_must_be_prefixes_of_their_family():
    from nos_shell.errors import NosError
    for bad in ("192.0.2.1/24", "192.0.2.0", "2001:db8::/32", "x"):
        with pytest.raises(NosError):
            tree(f"set protocols bgp address-family ipv4-unicast network {bad}")
    # a tree that bypassed the schema (e.g. an old file) is still caught by verify
    t = tree(BASE + "set protocols bgp address-family ipv4-unicast network 192.0.2.0/24")
    node = t.node("protocols", "bgp", "address-family", "ipv4-unicast", "network")
    node.children["192.0.2.1/24"] = node.children.pop("192.0.2.0/24")
    assert problems(t) == [(("protocols", "bgp", "address-family", "ipv4-unicast", "network", "192.0.2.1/24"),
                            "192.0.2.1/24 is not an IPv4 prefix")]


def test_update_source_must_exist():
    t = tree(BASE + """
        set interfaces ethernet eth0 address 198.51.100.1/24
        set protocols bgp neighbor 198.51.100.2 remote-as 2
        set protocols bgp neighbor 198.51.100.2 update-source 198.51.100.9
        set protocols bgp neighbor 198.51.100.3 remote-as 2
        set protocols bgp neighbor 198.51.100.3 update-source eth7
        set protocols bgp neighbor 198.51.100.4 remote-as 2
        set protocols bgp neighbor 198.51.100.4 update-source eth0
        set protocols bgp neighbor 2001:db8::4 remote-as 2
        set protocols bgp neighbor 2001:db8::4 update-source eth0
        set protocols bgp neighbor 2001:db8::5 remote-as 2
        set protocols bgp neighbor 2001:db8::5 update-source 198.51.100.1
        set protocols bgp peer-group PG update-source dum0""")
    got = problems(t)
    assert got == [
        (("protocols", "bgp", "neighbor", "198.51.100.2", "update-source"),
         "update-source 198.51.100.9 is not an address of any interface in the configuration"),
        (("protocols", "bgp", "neighbor", "198.51.100.3", "update-source"),
         "update-source eth7 is not an interface in the configuration"),
        (("protocols", "bgp", "peer-group", "PG", "update-source"),
         "update-source dum0 is not an interface in the configuration"),
        (("protocols", "bgp", "neighbor", "2001:db8::4"),
         "update-source interface eth0 has no IPv6 address in the configuration to reach neighbor 2001:db8::4 from"),
        (("protocols", "bgp", "neighbor", "2001:db8::5"),
         "update-source 198.51.100.1 is not an IPv6 address like the neighbor 2001:db8::5"),
    ]
    assert bgp_common.neighbor(t, "198.51.100.4").source_address == "198.51.100.1"


def test_neighbor_address_sanity():
    t = tree(BASE + """
        set interfaces ethernet eth0 address 198.51.100.1/24
        set protocols bgp neighbor 198.51.100.1 remote-as 2
        set protocols bgp neighbor fe80::1 remote-as 2
        set protocols bgp neighbor 0.0.0.0 remote-as 2""")
    assert [m for _, m in problems(t)] == [
        "0.0.0.0 cannot be a BGP neighbor address",
        "Neighbor 198.51.100.1 is an address of this router",
        "Link-local neighbor fe80::1 is not supported: use a global address",
    ]


def test_timers():
    from nos_shell.errors import NosError
    for bad in ("holdtime 1", "holdtime 2", "holdtime 65536", "keepalive 0", "connect 0"):
        with pytest.raises(NosError):
            tree(f"set protocols bgp neighbor 192.0.2.2 timers {bad}")
    t = tree(BASE + """
        set protocols bgp neighbor 192.0.2.2 remote-as 2
        set protocols bgp neighbor 192.0.2.2 timers holdtime 9
        set protocols bgp neighbor 192.0.2.2 timers keepalive 10
        set protocols bgp neighbor 192.0.2.3 remote-as 2
        set protocols bgp neighbor 192.0.2.3 timers holdtime 0
        set protocols bgp neighbor 192.0.2.3 timers keepalive 3
        set protocols bgp neighbor 192.0.2.4 remote-as 2
        set protocols bgp neighbor 192.0.2.4 timers keepalive 200""")
    assert problems(t) == [
        (("protocols", "bgp", "neighbor", "192.0.2.2", "timers"),
         "Keepalive interval 10 is longer than the hold time 9"),
        (("protocols", "bgp", "neighbor", "192.0.2.3", "timers"),
         "A keepalive interval needs a hold time other than 0"),
        (("protocols", "bgp", "neighbor", "192.0.2.4", "timers"),
         "Keepalive interval 200 is longer than the hold time 180"),
    ]


def test_ebgp_multihop_refused_for_internal_neighbors():
    t = tree(BASE + """
        set protocols bgp neighbor 192.0.2.2 remote-as internal
        set protocols bgp neighbor 192.0.2.2 ebgp-multihop 2
        set protocols bgp neighbor 192.0.2.3 remote-as 65001
        set protocols bgp peer-group PG ebgp-multihop 3
        set protocols bgp neighbor 192.0.2.3 peer-group PG
        set protocols bgp neighbor 192.0.2.4 remote-as external
        set protocols bgp neighbor 192.0.2.4 ebgp-multihop 2""")
    assert problems(t) == [
        (("protocols", "bgp", "neighbor", "192.0.2.2", "ebgp-multihop"),
         "ebgp-multihop applies to external neighbors only; 192.0.2.2 is internal"),
        (("protocols", "bgp", "neighbor", "192.0.2.3"),
         "ebgp-multihop applies to external neighbors only; 192.0.2.3 is internal"),
    ]


# -- the shared interpretation -----------------------------------------------------------------
def test_peer_group_inheritance_and_families():
    t = tree(BASE + """
        set protocols bgp peer-group PG remote-as 65010
        set protocols bgp peer-group PG description from-group
        set protocols bgp peer-group PG shutdown
        set protocols bgp peer-group PG timers holdtime 30
        set protocols bgp peer-group PG address-family ipv6-unicast
        set protocols bgp neighbor 192.0.2.3 peer-group PG
        set protocols bgp neighbor 192.0.2.3 remote-as 65011
        set protocols bgp neighbor 192.0.2.3 description own
        set protocols bgp neighbor 192.0.2.4 peer-group PG
        set protocols bgp neighbor 192.0.2.4 address-family ipv4-unicast
        set protocols bgp neighbor 2001:db8::5 remote-as 3""")
    n3, n4, n5 = bgp_common.view(t).neighbors
    assert (n3.remote_as, n3.description, n3.shutdown, n3.holdtime, n3.keepalive, n3.families) == \
        ("65011", "own", True, 30, 10, ("ipv6-unicast",))
    assert (n4.remote_as, n4.description, n4.families) == ("65010", "from-group", ("ipv4-unicast",))
    assert (n5.families, n5.holdtime, n5.keepalive) == (("ipv6-unicast",), 180, 60)


def test_redistribute_and_update_source():
    t = tree((GOLDEN / "bgp-bird-redistribute" / "commands").read_text())
    assert problems(t) == []
    v = bgp_common.view(t)
    assert v.router_id == "192.0.2.1"
    assert {n.address: n.source_address for n in v.neighbors} == {
        "192.0.2.9": "192.0.2.1", "198.51.100.2": "198.51.100.1", "2001:db8:1::2": "2001:db8:1::1"}
    assert gobgp.announcements(t) == {"ipv4-unicast": [], "ipv6-unicast": []}   # bird is active
    t.set(["protocols", "bgp", "backend", "gobgp"])
    assert gobgp.announcements(t) == {
        "ipv4-unicast": ["10.10.0.0/16", "10.20.0.0/16", "10.30.0.0/16", "10.40.0.0/16",
                         "192.0.2.0/24", "192.0.2.1/32", "198.51.100.0/24", "203.0.113.0/28"],
        "ipv6-unicast": ["2001:db8::1/128", "2001:db8:1::/64", "2001:db8:50::/48", "2001:db8:60::/48"],
    }
    t.delete(["protocols", "bgp", "backend"])
    conf = bird.compile(t)[bird.CONF].decode()
    assert 'if proto = "connected" && net ~ [ 192.0.2.1/32, 198.51.100.0/24, 203.0.113.0/28 ] then accept;' in conf
    assert 'if proto = "connected" && net ~ [ 2001:db8::1/128, 2001:db8:1::/64 ] then accept;' in conf
    for line in ("route 10.10.0.0/16 via 198.51.100.254;",
                 "route 10.20.0.0/16 via 198.51.100.252 via 198.51.100.253;",
                 'route 10.30.0.0/16 via "eth0.100";', "route 10.40.0.0/16 blackhole;",
                 "route 2001:db8:50::/48 via fe80::1%'eth0.100';", "route 2001:db8:60::/48 blackhole;",
                 "source address 192.0.2.1;", "source address 2001:db8:1::1;"):
        assert line in conf
    assert "10.50.0.0" not in conf and "198.51.100.128" not in conf
    # the kernel never gets the announced (unreachable/blackhole) routes: only BGP's
    assert conf.count("export where source = RTS_BGP;") == 2
    assert "export all" not in conf


def test_without_redistribute_nothing_but_networks_is_exported():
    t = tree(BASE + "set protocols bgp neighbor 192.0.2.2 remote-as 2\n"
             "set interfaces ethernet eth0 address 198.51.100.1/24\n"
             "set protocols static route 10.0.0.0/8 blackhole")
    conf = bird.compile(t)[bird.CONF].decode()
    assert "filter bgp_export4 {\n    reject;\n}" in conf
    assert "protocol static" not in conf


# -- hostile text ----------------------------------------------------------------------------
HOSTILE = ['"', "'", "{", "}", ";", "#", "/*", "*/", "\\", "[", "]", "=", "%", "$", "`", "\u00e4\u20ac"]


def _strip_bird_strings(conf: str) -> str:
    return re.sub(r'"[^"\n]*"', '""', conf)


@pytest.mark.parametrize("char", HOSTILE)
@pytest.mark.parametrize("leaf", ["description", "password"])
@pytest.mark.parametrize("where", ["neighbor 192.0.2.2", "peer-group PG"])
def test_hostile_character(char, leaf, where):
    value = f"a{char}b {char}"
    base = BASE + ("set protocols bgp neighbor 192.0.2.2 remote-as 2\n"
                   "set protocols bgp neighbor 192.0.2.2 peer-group PG\n"
                   "set protocols bgp peer-group PG remote-as 2\n")
    reference = bird.compile(tree(base))[bird.CONF].decode()
    for backend in ("bird", "gobgp"):
        t = tree(base, backend)
        t.set(["protocols", "bgp", *where.split(), leaf, value])
        got = problems(t)
        if char == '"':
            assert got == [(("protocols", "bgp", *where.split(), leaf),
                            f'The {leaf} must not contain a double quote (")')]
            with pytest.raises(ValueError):
                bird.quote(value)
            continue
        assert got == []
        if backend == "bird":
            conf = bird.compile(t)[bird.CONF].decode()
            keyword = leaf
            assert f'    {keyword} "{value}";\n' in conf
            # outside the string nothing changed but the one added statement
            assert _strip_bird_strings(conf).replace(f'    {keyword} "";\n', "", 1) == \
                _strip_bird_strings(reference)
        else:
            doc = tomllib.loads(gobgp.compile(t)[gobgp.CONF].decode())
            key = "description" if leaf == "description" else "auth-password"
            assert doc["neighbors"][0]["config"][key] == value
            assert len(doc["neighbors"]) == 1


def test_control_characters_never_reach_a_file():
    from nos_shell.errors import NosError
    for char in ("\n", "\r", "\t", "\x00", "\x7f"):
        with pytest.raises(NosError):
            t = tree(BASE)
            t.set(["protocols", "bgp", "neighbor", "192.0.2.2", "description", f"a{char}b"])
        with pytest.raises(ValueError):
            bird.quote(f"a{char}b")


def test_generated_header_and_determinism():
    t = tree(BASE + "set protocols bgp neighbor 192.0.2.2 remote-as 2")
    conf = bird.compile(t)[bird.CONF]
    assert conf.startswith(b"# Generated by nos-shell") and conf.endswith(b"}\n")
    assert bird.compile(t) == bird.compile(t.copy())
    t.set(["protocols", "bgp", "backend", "gobgp"])
    toml = gobgp.compile(t)[gobgp.CONF]
    assert toml.startswith(b"# Generated by nos-shell") and tomllib.loads(toml.decode())


def test_gobgp_refuses_hold_time_zero():
    text = BASE + ("set protocols bgp peer-group PG timers holdtime 0\n"
                   "set protocols bgp neighbor 192.0.2.2 remote-as 2\n"
                   "set protocols bgp neighbor 192.0.2.2 peer-group PG\n")
    assert problems(tree(text)) == []            # BIRD runs it
    got = problems(tree(text, "gobgp"))
    assert [p for p, _ in got] == [("protocols", "bgp", "neighbor", "192.0.2.2", "timers", "holdtime")]
    assert "hold time 0" in got[0][1]
