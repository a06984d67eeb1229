"""VyOS 1.3 firewall syntax in config.boot -> the exact 1.4 set-lines VyOS's own migrations give
(the corpus-wide check is in test_corpus.py, which reads the third-party corpus in place)."""
from __future__ import annotations

import pytest

from nos_shell.config.bootfile import load_boot
from nos_shell.config.render import to_commands

FOOTER = '// vyos-config-version: "firewall@5:interfaces@18:zone-policy@1"\n'


def _lines(text: str) -> tuple[list[str], list[str]]:
    tree, warnings = load_boot(text + FOOTER, "old.boot")
    return to_commands(tree).splitlines(), warnings


def test_named_chains_move_and_accept_becomes_return() -> None:
    lines, warnings = _lines("""firewall {
    name WAN-IN {
        default-action accept
        enable-default-log
        rule 10 {
            action accept
            state {
                established enable
                related enable
                new disable
            }
            log enable
        }
        rule 20 {
            action drop
            inbound-interface eth0
            log disable
            tcp {
                flags SYN,!ACK
            }
        }
    }
    ipv6-name WAN6-IN {
        default-action drop
        rule 5 {
            action accept
            protocol icmpv6
            icmpv6 {
                type 1/3
            }
        }
        rule 6 {
            action accept
            icmpv6 {
                type neighbour-solicitation
            }
        }
    }
}
""")
    assert warnings == []
    assert lines == [
        "set firewall ipv4 name WAN-IN default-action 'return'",
        "set firewall ipv4 name WAN-IN default-log",
        "set firewall ipv4 name WAN-IN rule 10 action 'return'",
        "set firewall ipv4 name WAN-IN rule 10 log",
        "set firewall ipv4 name WAN-IN rule 10 state 'established'",
        "set firewall ipv4 name WAN-IN rule 10 state 'related'",
        "set firewall ipv4 name WAN-IN rule 20 action 'drop'",
        "set firewall ipv4 name WAN-IN rule 20 inbound-interface name 'eth0'",
        "set firewall ipv4 name WAN-IN rule 20 tcp flags not ack",
        "set firewall ipv4 name WAN-IN rule 20 tcp flags syn",
        "set firewall ipv6 name WAN6-IN default-action 'drop'",
        "set firewall ipv6 name WAN6-IN rule 5 action 'return'",
        "set firewall ipv6 name WAN6-IN rule 5 icmpv6 code '3'",
        "set firewall ipv6 name WAN6-IN rule 5 icmpv6 type '1'",
        "set firewall ipv6 name WAN6-IN rule 5 protocol 'ipv6-icmp'",
        "set firewall ipv6 name WAN6-IN rule 6 action 'return'",
        "set firewall ipv6 name WAN6-IN rule 6 icmpv6 type-name 'nd-neighbor-solicit'",
    ]


def test_icmp_names_and_port_groups() -> None:
    lines, _ = _lines("""firewall {
    group {
        port-group WEB {
            port 80
        }
    }
    name LAN {
        rule 1 {
            action drop
            icmp {
                type-name host-unreachable
            }
        }
        rule 2 {
            action drop
            icmp {
                type-name ping
            }
        }
        rule 3 {
            action drop
            destination {
                group {
                    port-group WEB
                }
            }
        }
    }
}
""")
    assert [line for line in lines if "name LAN" in line] == [
        "set firewall ipv4 name LAN rule 1 action 'drop'",
        "set firewall ipv4 name LAN rule 1 icmp code '1'",
        "set firewall ipv4 name LAN rule 1 icmp type '3'",
        "set firewall ipv4 name LAN rule 2 action 'drop'",
        "set firewall ipv4 name LAN rule 2 icmp type-name 'echo-request'",
        "set firewall ipv4 name LAN rule 3 action 'drop'",
        "set firewall ipv4 name LAN rule 3 destination group port-group 'WEB'",
        "set firewall ipv4 name LAN rule 3 protocol 'tcp_udp'",
    ]


def test_global_options_state_policy_and_config_trap() -> None:
    lines, warnings = _lines("""firewall {
    all-ping enable
    config-trap disable
    state-policy {
        established {
            action accept
        }
        invalid {
            action drop
            log enable
        }
    }
    syn-cookies enable
}
""")
    assert lines == [
        "set firewall global-options all-ping 'enable'",
        "set firewall global-options state-policy established action 'accept'",
        "set firewall global-options state-policy invalid action 'drop'",
        "set firewall global-options state-policy invalid log",
        "set firewall global-options syn-cookies 'enable'",
    ]
    assert warnings == ["old.boot:3: firewall config-trap has no VyOS 1.4 counterpart; dropped"]


def test_interface_bindings_become_base_chain_jumps() -> None:
    lines, _ = _lines("""firewall {
    name A {
        default-action drop
    }
    name B {
        default-action drop
    }
    ipv6-name C {
        default-action drop
    }
}
interfaces {
    ethernet eth0 {
        firewall {
            in {
                name A
                ipv6-name C
            }
            local {
                name B
            }
        }
        vif 10 {
            firewall {
                out {
                    name B
                }
            }
        }
    }
}
""")
    assert [line for line in lines if "filter" in line or "interfaces" in line] == [
        "set firewall ipv4 forward filter default-action 'accept'",
        "set firewall ipv4 forward filter rule 5 action 'jump'",
        "set firewall ipv4 forward filter rule 5 inbound-interface name 'eth0'",
        "set firewall ipv4 forward filter rule 5 jump-target 'A'",
        "set firewall ipv4 forward filter rule 10 action 'jump'",
        "set firewall ipv4 forward filter rule 10 jump-target 'B'",
        "set firewall ipv4 forward filter rule 10 outbound-interface name 'eth0.10'",
        "set firewall ipv4 input filter default-action 'accept'",
        "set firewall ipv4 input filter rule 5 action 'jump'",
        "set firewall ipv4 input filter rule 5 inbound-interface name 'eth0'",
        "set firewall ipv4 input filter rule 5 jump-target 'B'",
        "set firewall ipv6 forward filter default-action 'accept'",
        "set firewall ipv6 forward filter rule 5 action 'jump'",
        "set firewall ipv6 forward filter rule 5 inbound-interface name 'eth0'",
        "set firewall ipv6 forward filter rule 5 jump-target 'C'",
        "set interfaces ethernet eth0 vif 10",
    ]


def test_zone_policy_becomes_firewall_zone() -> None:
    lines, warnings = _lines("""firewall {
    name LAN-WAN {
        default-action accept
    }
}
zone-policy {
    zone LAN {
        default-action drop
        interface eth1
    }
    zone WAN {
        default-action drop
        from LAN {
            firewall {
                name LAN-WAN
            }
        }
        interface eth0
    }
}
""")
    assert warnings == []
    assert [line for line in lines if "zone" in line] == [
        "set firewall zone LAN default-action 'drop'",
        "set firewall zone LAN interface 'eth1'",
        "set firewall zone WAN default-action 'drop'",
        "set firewall zone WAN from LAN firewall name 'LAN-WAN'",
        "set firewall zone WAN interface 'eth0'",
    ]


@pytest.mark.parametrize("text", [
    "firewall {\n    ipv4 {\n        name X {\n            default-action accept\n"
    "            rule 1 {\n                action accept\n            }\n        }\n    }\n}\n",
])
def test_current_syntax_is_untouched(text: str) -> None:
    lines, warnings = _lines(text)
    assert warnings == []
    assert lines == ["set firewall ipv4 name X default-action 'accept'",
                     "set firewall ipv4 name X rule 1 action 'accept'"]


def test_options_adjust_mss_moves_to_the_interface() -> None:
    """VyOS moves it to `interfaces ... ip adjust-mss`, outside our schema: the loader
    names that path, as for other nodes moved outside it (migrate.py)."""
    _tree, warnings = load_boot("""firewall {
    options {
        interface eth0 {
            adjust-mss 1452
        }
    }
}
interfaces {
    ethernet eth0 {
    }
}
""" + FOOTER, "old.boot", ignore_unknown=True)
    assert warnings == ["old.boot:9: Configuration path: [interfaces ethernet eth0 ip] is not valid"]
