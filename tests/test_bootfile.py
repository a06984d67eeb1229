"""config.boot: parsing, loading against the schema, migration of old syntax, round trips."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nos_shell.config.bootfile import dump_boot, load_boot, parse_boot
from nos_shell.config.migrate import footer_versions, migrate
from nos_shell.config.raw import RawNode
from nos_shell.config.render import to_commands
from nos_shell.config.tree import ConfigTree
from nos_shell.errors import NosError, ParseError, PathError

from propsettings import examples
from strategies import config_trees

FAST = examples(60)


def commands(text: str, **kw) -> list[str]:
    tree, _ = load_boot(text, "t", **kw)
    return to_commands(tree).splitlines()


def syntax_error(text: str) -> str:
    with pytest.raises(ParseError) as info:
        parse_boot(text, "cfg")
    assert "\n" not in str(info.value)
    return str(info.value)


# -- parsing ----------------------------------------------------------------------------------
def test_raw_structure() -> None:
    raws = parse_boot("interfaces {\n    ethernet eth0 {\n        disable\n        mtu 1500\n    }\n"
                      "    loopback lo {\n    }\n}\n")
    assert raws == [RawNode("interfaces", None, [
        RawNode("ethernet", "eth0", [RawNode("disable", None, None, None, 3),
                                     RawNode("mtu", "1500", None, None, 4)], None, 2),
        RawNode("loopback", "lo", [], None, 6)], None, 1)]


@pytest.mark.parametrize("written, value", [
    ("bare", "bare"),
    ('"double quoted"', "double quoted"),
    ("'single quoted'", "single quoted"),
    (r'"say \"hi\""', 'say "hi"'),
    (r"'it\'s'", "it's"),
    (r'"back\\slash"', "back\\slash"),
    (r'"tab\there\nnew line"', "tab\there\nnew line"),
    (r'"unknown \q escape"', r"unknown \q escape"),
    ('""', ""),
    ('"{braces} // and /* not comments */"', "{braces} // and /* not comments */"),
    ("http://example.com/x", "http://example.com/x"),
])
def test_values(written: str, value: str) -> None:
    assert parse_boot(f"description {written}\n")[0].value == value


def test_comments_attach_to_the_next_node() -> None:
    raws = parse_boot("/* top */\ninterfaces {\n    /* the uplink */\n    ethernet eth0 {\n"
                      "        /* first */\n        /* second */\n        mtu 1500\n"
                      "        /* dangling */\n    }\n}\n")
    interfaces = raws[0]
    assert interfaces.comment == "top"
    eth0 = interfaces.children[0]
    assert eth0.comment == "the uplink"
    assert eth0.children == [RawNode("mtu", "1500", None, "first\nsecond", 7)]


def test_line_comments_and_footers_are_ignored() -> None:
    text = ('system {\n    host-name r1 // trailing note\n}\n// Warning: Do not remove the following line.\n'
            '// vyos-config-version: "system@27"\n// Release version: 1.4.0\n')
    assert parse_boot(text) == [RawNode("system", None, [RawNode("host-name", "r1", None, None, 2)], None, 1)]
    old = ('system {\n    host-name r1\n}\n/* Warning: Do not remove the following line. */\n'
           '/* === vyatta-config-version: "system@9" === */\n/* Release version: 1.2.6 */\n')
    assert parse_boot(old) == parse_boot(text)
    assert footer_versions(old).of == {"system": 9}
    assert not footer_versions("system {\n}\n").known


def test_crlf_blank_lines_and_no_final_newline() -> None:
    text = "\r\n\r\ninterfaces {\r\n\r\n    loopback lo {\r\n    }\r\n}"
    assert parse_boot(text) == [RawNode("interfaces", None, [RawNode("loopback", "lo", [], None, 5)], None, 3)]


def test_empty_input() -> None:
    assert parse_boot("") == [] and parse_boot("\n\n// nothing\n") == []


@pytest.mark.parametrize("text, message", [
    ("interfaces {\n    loopback lo {\n    }\n", "cfg:4:1: unexpected end of file, expected '}' to close "
                                              "the block opened at line 1"),
    ("interfaces {\n}\n}\n", "cfg:3:1: unexpected '}' (no block is open)"),
    ("system {\n    host-name r1 r2\n}\n", "cfg:2:18: unexpected 'r2', expected '{' or end of line"),
    ('system {\n    host-name "r1\n}\n', "cfg:2:15: unterminated quoted value"),
    ("system {\n/* open\n}\n", "cfg:2:1: unterminated comment (missing '*/')"),
    ("system {\n    host\x00name\n}\n", "cfg:2:9: unexpected character '\\x00'"),
    ("{\n", "cfg:1:1: unexpected '{', expected a name or end of line"),
])
def test_syntax_errors(text: str, message: str) -> None:
    assert syntax_error(text).startswith(message)


def test_huge_nesting() -> None:
    depth = 10000
    raws = parse_boot("a {\n" * depth + "}\n" * depth)
    assert raws[0].name == "a"
    assert syntax_error("a {\n" * depth).endswith(f"block opened at line {depth}")
    with pytest.raises(PathError):
        load_boot("interfaces {\n" + "x {\n" * depth + "}\n" * (depth + 1))


# -- loading ----------------------------------------------------------------------------------
BOOT = """\
interfaces {
    ethernet eth0 {
        address "192.0.2.1/24"
        address 2001:db8::1/64
        description 'WAN "uplink"'
        vif 100 {
            address "100.100.0.1/24"
        }
    }
    ethernet eth2 {
        disable
    }
    loopback lo {
    }
}
/* a comment attached to the next node */
protocols {
    bgp {
        neighbor 192.0.2.10 {
            remote-as "65010"
        }
        system-as "65001"
    }
}
"""


def test_load_reference_example() -> None:
    tree, warnings = load_boot(BOOT, "config.boot")
    assert warnings == []
    assert to_commands(tree).splitlines() == [
        "set interfaces ethernet eth0 address '192.0.2.1/24'",
        "set interfaces ethernet eth0 address '2001:db8::1/64'",
        "set interfaces ethernet eth0 description 'WAN \"uplink\"'",
        "set interfaces ethernet eth0 vif 100 address '100.100.0.1/24'",
        "set interfaces ethernet eth2 disable",
        "set interfaces loopback lo",
        "set protocols bgp neighbor 192.0.2.10 remote-as '65010'",
        "set protocols bgp system-as '65001'",
    ]
    assert tree.node("protocols").comment == "a comment attached to the next node"
    assert load_boot(dump_boot(tree))[0] == tree


def test_tag_entry_comment_and_repeated_blocks_merge() -> None:
    tree, _ = load_boot("interfaces {\n    /* lan */\n    ethernet eth1 {\n        mtu 1500\n    }\n}\n"
                        "interfaces {\n    ethernet eth1 {\n        disable\n    }\n}\n")
    assert tree.node("interfaces", "ethernet", "eth1").comment == "lan"
    assert to_commands(tree).splitlines() == ["set interfaces ethernet eth1 disable",
                                              "set interfaces ethernet eth1 mtu '1500'"]


BAD = """\
interfaces {
    ethernet eth0 {
        mtu 20
        speed auto
        offload {
            gro
        }
    }
    ethernet wlan0 {
    }
    loopback lo {
        disable extra
    }
    dummy dum0 {
    }
}
firewall {
    flowtable X {
    }
}
service {
    ssh
}
"""


def test_unknown_paths_are_all_listed_and_nothing_loads() -> None:
    with pytest.raises(PathError) as info:
        load_boot(BAD, "bad.boot")
    assert info.value.lines == [
        "bad.boot:3: Configuration path: [interfaces ethernet eth0 mtu 20] is not valid: "
        "MTU must be between 68 and 16000",
        "bad.boot:4: Configuration path: [interfaces ethernet eth0 speed auto] is not valid",
        "bad.boot:5: Configuration path: [interfaces ethernet eth0 offload] is not valid",
        "bad.boot:9: Configuration path: [interfaces ethernet wlan0] is not valid: "
        "Invalid Ethernet interface name",
        "bad.boot:12: Configuration path: [interfaces loopback lo disable extra] is not valid",
        "bad.boot:18: Configuration path: [firewall flowtable X] is not valid",   # not in our schema
    ]


def test_ignore_unknown_warns_path_by_path_and_keeps_the_rest() -> None:
    tree, warnings = load_boot(BAD, "bad.boot", ignore_unknown=True)
    assert len(warnings) == 6 and warnings[1].startswith("bad.boot:4: ")
    # eth0 and lo lost everything they had and go with it; dum0 was empty in the file
    # and stays; `service ssh` written as a bare word is an empty container.
    assert to_commands(tree).splitlines() == ["set interfaces dummy dum0", "set service ssh"]


def test_values_are_checked_by_type_and_names_are_exact() -> None:
    with pytest.raises(PathError, match=r"\[interfaces ethernet eth0 address 192.0.2.0/24\]"):
        load_boot("interfaces {\n ethernet eth0 {\n  address 192.0.2.0/24\n }\n}\n")
    with pytest.raises(PathError, match=r"\[interfaces eth eth0\] is not valid"):
        load_boot("interfaces {\n eth eth0 {\n }\n}\n")          # no abbreviations in files
    with pytest.raises(PathError, match="a value is required"):
        load_boot("system {\n host-name\n}\n")


def test_plaintext_password_is_hashed_on_load() -> None:
    tree, _ = load_boot("system {\n login {\n  user bob {\n   authentication {\n"
                        "    plaintext-password \"s3cret\"\n   }\n  }\n }\n}\n")
    auth = ("system", "login", "user", "bob", "authentication")
    assert tree.value(*auth, "plaintext-password") == ""
    assert tree.value(*auth, "encrypted-password").startswith("$6$")


# -- migration --------------------------------------------------------------------------------
def test_old_bgp_asn_form() -> None:
    old = ("protocols {\n    bgp 65001 {\n        neighbor 192.0.2.10 {\n            remote-as 65010\n"
           "        }\n        parameters {\n            router-id 192.0.2.1\n        }\n    }\n}\n")
    assert commands(old) == [
        "set protocols bgp neighbor 192.0.2.10 address-family ipv4-unicast",
        "set protocols bgp neighbor 192.0.2.10 remote-as '65010'",
        "set protocols bgp parameters router-id '192.0.2.1'",
        "set protocols bgp system-as '65001'",
    ]


def test_old_dhcp_server_syntax() -> None:
    old = """service {
    dhcp-server {
        shared-network-name LAN {
            subnet 192.168.0.0/24 {
                default-router 192.168.0.1
                dns-server 192.168.0.1
                domain-name vyos.net
                static-mapping one {
                    ip-address 192.168.0.11
                    mac-address 00:01:02:03:04:05
                }
                static-mapping two_b {
                    ip-address 192.168.0.12
                    mac-address 00:01:02:03:04:05
                }
            }
            subnet 192.168.1.0/24 {
            }
        }
    }
}
/* === vyatta-config-version: "dhcp-server@5" === */
"""
    base = "set service dhcp-server shared-network-name LAN subnet"
    assert commands(old) == [
        f"{base} 192.168.0.0/24 option default-router '192.168.0.1'",
        f"{base} 192.168.0.0/24 option domain-name 'vyos.net'",
        f"{base} 192.168.0.0/24 option name-server '192.168.0.1'",
        f"{base} 192.168.0.0/24 static-mapping one ip-address '192.168.0.11'",
        f"{base} 192.168.0.0/24 static-mapping one mac '00:01:02:03:04:05'",
        f"{base} 192.168.0.0/24 static-mapping two-b disable",
        f"{base} 192.168.0.0/24 static-mapping two-b ip-address '192.168.0.12'",
        f"{base} 192.168.0.0/24 static-mapping two-b mac '00:01:02:03:04:05'",
        f"{base} 192.168.0.0/24 subnet-id '1'",
        f"{base} 192.168.1.0/24 subnet-id '2'",
    ]


def test_old_nat_and_static_syntax() -> None:
    old = """nat {
    source {
        rule 10 {
            outbound-interface eth0
            translation {
                address masquerade
            }
        }
        rule 20 {
            outbound-interface any
        }
    }
}
protocols {
    static {
        interface-route 192.0.2.0/24 {
            next-hop-interface eth1 {
                distance 10
            }
        }
        route-map STATIC-IN
    }
}
"""
    assert commands(old, ignore_unknown=True) == [
        "set nat source rule 10 outbound-interface name 'eth0'",
        "set nat source rule 10 translation address 'masquerade'",
        "set nat source rule 20",
        "set protocols static route 192.0.2.0/24 interface eth1 distance '10'",
    ]


def test_old_wireguard_peer_syntax() -> None:
    key = "ALGWvMJCKpHF2tVH3hEIHqUe9iFfAmZATUUok/WQzks="
    old = ("interfaces {\n wireguard wg0 {\n  peer red {\n   endpoint 192.0.2.45:1200\n"
           f"   pubkey {key}\n  }}\n }}\n}}\n")
    assert commands(old) == [
        "set interfaces wireguard wg0 peer red address '192.0.2.45'",
        "set interfaces wireguard wg0 peer red port '1200'",
        f"set interfaces wireguard wg0 peer red public-key '{key}'",
    ]


def test_migrations_leave_current_files_alone() -> None:
    raws = parse_boot(BOOT)
    assert migrate(parse_boot(BOOT)) == raws


# -- properties -------------------------------------------------------------------------------
@FAST
@given(config_trees())
def test_dump_load_round_trip(tree: ConfigTree) -> None:
    text = dump_boot(tree)
    loaded, warnings = load_boot(text, "dump")
    assert warnings == []
    assert loaded == tree, text


@FAST
@given(st.text(max_size=300))
def test_random_text_only_raises_nos_errors(text: str) -> None:
    for call in (parse_boot, load_boot):
        try:
            call(text, "junk")
        except NosError:
            pass


_NOISE = st.sampled_from(["{", "}", '"', "'", "\n", "/*", "*/", "//", " ", "\\", "x", "\r\n", "\x00",
                          "interfaces", "eth0", "65001"])


@FAST
@given(config_trees(), st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 3), _NOISE), max_size=6))
def test_garbled_files_only_raise_nos_errors(tree: ConfigTree, edits) -> None:
    text = dump_boot(tree) or BOOT
    for position, cut, noise in edits:
        at = position % (len(text) + 1)
        text = text[:at] + noise + text[at + cut:]
    for call in (parse_boot, load_boot):
        try:
            call(text, "garbled")
        except NosError:
            pass


def test_system_ntp_moves_to_service_ntp() -> None:
    text = ("service {\n    ssh {\n    }\n}\nsystem {\n    host-name r1\n    ntp {\n"
            "        server 192.0.2.123 {\n            prefer\n        }\n    }\n}\n")
    tree, warnings = load_boot(text)
    assert warnings == []
    assert to_commands(tree).splitlines() == [
        "set service ntp server 192.0.2.123 prefer", "set service ssh", "set system host-name 'r1'"]
