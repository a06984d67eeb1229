"""A VyOS 1.1-1.3 router's config.boot moves over: old DHCP server syntax migrated as VyOS's
dhcp-server migrations do, nodes VyOS's migrations delete dropped with a warning."""
from __future__ import annotations

import pytest

from nos_shell.config.bootfile import load_boot
from nos_shell.config.render import to_commands
from nos_shell.errors import PathError
from nos_shell.session import Session

FOOTER_11 = ('/* Warning: Do not remove the following line. */\n'
             '/* === vyatta-config-version: "config-management@1:dhcp-server@4:firewall@5:nat@4:'
             'quagga@2:system@6:webgui@1" === */\n/* Release version: VyOS 1.1.8 */\n')

# A home router as VyOS 1.1 wrote it: WAN by DHCP, a LAN with a DHCP pool and a printer.
HOME_11 = """interfaces {
    ethernet eth0 {
        address dhcp
        description WAN
        duplex auto
        hw-id 52:54:00:12:34:01
        smp_affinity auto
        speed auto
    }
    ethernet eth1 {
        address 192.168.10.1/24
        description LAN
        duplex auto
        hw-id 52:54:00:12:34:02
        smp_affinity auto
        speed auto
    }
    loopback lo {
    }
}
service {
    dhcp-server {
        disabled false
        shared-network-name LAN {
            authoritative disable
            subnet 192.168.10.0/24 {
                default-router 192.168.10.1
                dns-server 192.168.10.1
                domain-name home.lan
                lease 86400
                start 192.168.10.100 {
                    stop 192.168.10.199
                }
                static-mapping printer_1 {
                    ip-address 192.168.10.20
                    mac-address 00:11:22:33:44:55
                }
            }
        }
    }
    ssh {
        allow-root
        port 22
    }
}
system {
    config-management {
        commit-revisions 20
    }
    host-name home-gw
    login {
        user vyos {
            authentication {
                encrypted-password $6$Ix9mD0e7$rK1p3jQ5o0aYyBHlPnd7XwLxkB9KkYgqZ7a3u3j9p7Qn1c1VbV4yQ3r0Gz0ovEo0jB8a3P2nW6c5JxkTt1oQ0/
            }
            level admin
        }
    }
    name-server 192.168.10.1
    package {
        auto-sync 1
        repository community {
            components main
            distribution helium
            url http://packages.vyos.net/vyos
        }
    }
}
""" + FOOTER_11

LAN = "set service dhcp-server shared-network-name LAN"
SUBNET = f"{LAN} subnet 192.168.10.0/24"


def load(text: str) -> tuple[list[str], list[str]]:
    tree, warnings = load_boot(text, "c.boot")
    return to_commands(tree).splitlines(), warnings


def dhcp(body: str, footer: str = FOOTER_11) -> str:
    return ("service {\n    dhcp-server {\n" + body + "    }\n}\n" + footer)


def test_vyos_11_home_router_loads_and_commits(tmp_path):
    (tmp_path / "home.boot").write_text(HOME_11)
    s = Session(tmp_path)
    s.execute("configure")
    out = s.execute(f"load {tmp_path}/home.boot")
    assert out.count("Warning:") == 4, out       # smp_affinity twice, system package, allow-root
    for dropped in ("interfaces ethernet eth0 smp_affinity auto", "interfaces ethernet eth1 smp_affinity auto",
                    "system package", "service ssh allow-root"):
        assert f"{dropped} was removed by VyOS's migrations; dropped" in out
    assert "service ssh allow-root" not in to_commands(s.candidate)
    commands = to_commands(s.candidate).splitlines()
    assert f"{SUBNET} range 0 start '192.168.10.100'" in commands
    assert f"{SUBNET} range 0 stop '192.168.10.199'" in commands
    assert f"{SUBNET} option name-server '192.168.10.1'" in commands
    assert f"{SUBNET} static-mapping printer-1 mac '00:11:22:33:44:55'" in commands
    assert not any("authoritative" in c or "disable" in c or "speed" in c or "duplex" in c for c in commands)
    s.execute("commit")
    lan = (tmp_path / "etc/systemd/network/10-nos-eth1.network").read_text()
    assert "DHCPServer=yes" in lan and "PoolOffset=100" in lan and "PoolSize=100" in lan, lan
    assert "MACAddress=00:11:22:33:44:55" in lan and "Address=192.168.10.20" in lan, lan


def test_old_range_syntax_numbers_ranges_and_keeps_new_ones():
    body = """        shared-network-name LAN {
            subnet 192.0.2.0/24 {
                range 0 {
                    start 192.0.2.10
                    stop 192.0.2.19
                }
                start 192.0.2.100 {
                    stop 192.0.2.149
                }
                start 192.0.2.200 {
                    stop 192.0.2.249
                }
            }
        }
"""
    commands, _ = load(dhcp(body))
    ranges = [c.split(" subnet 192.0.2.0/24 ")[1] for c in commands if " range " in c]
    assert ranges == ["range 0 start '192.0.2.10'", "range 0 stop '192.0.2.19'",
                      "range 1 start '192.0.2.100'", "range 1 stop '192.0.2.149'",
                      "range 2 start '192.0.2.200'", "range 2 stop '192.0.2.249'"]


@pytest.mark.parametrize("word, disabled", [("true", True), ("false", False)])
def test_disabled_true_or_false(word, disabled):
    body = f"""        disabled {word}
        shared-network-name A {{
            subnet 192.0.2.0/24 {{
                range 0 {{
                    start 192.0.2.10
                    stop 192.0.2.19
                }}
            }}
        }}
        shared-network-name B {{
            authoritative enable
        }}
"""
    commands, _ = load(dhcp(body))
    disables = [c for c in commands if c.endswith(" disable")]
    # VyOS: `service dhcp-server disable`; nos-shell has the switch per shared network
    assert disables == ([f"set service dhcp-server shared-network-name {n} disable" for n in "AB"]
                        if disabled else [])
    assert "set service dhcp-server shared-network-name B authoritative" in commands


def test_authoritative_disable_goes_and_enable_becomes_the_flag():
    base = "        shared-network-name LAN {{\n            authoritative {}\n        }}\n"
    assert load(dhcp(base.format("disable")))[0] == [LAN]
    assert load(dhcp(base.format("enable")))[0] == [f"{LAN} authoritative"]
    # the current form is left alone, with or without a footer
    assert load(dhcp("        shared-network-name LAN {\n            authoritative\n        }\n", ""))[0] == \
        [f"{LAN} authoritative"]


def test_shared_network_options_go_to_each_subnet_without_overriding():
    body = """        shared-network-name LAN {
            domain-name corp.example
            dns-server 192.0.2.53
            subnet 192.0.2.0/25 {
                default-router 192.0.2.1
                range 0 {
                    start 192.0.2.10
                    stop 192.0.2.19
                }
            }
            subnet 192.0.2.128/25 {
                domain-name lab.example
                range 0 {
                    start 192.0.2.140
                    stop 192.0.2.149
                }
            }
        }
"""
    commands, _ = load(dhcp(body, '// vyos-config-version: "dhcp-server@6"\n'))
    options = sorted(c.split(f"{LAN} ")[1] for c in commands if " option " in c)
    assert options == ["subnet 192.0.2.0/25 option default-router '192.0.2.1'",
                       "subnet 192.0.2.0/25 option domain-name 'corp.example'",
                       "subnet 192.0.2.0/25 option name-server '192.0.2.53'",
                       "subnet 192.0.2.128/25 option domain-name 'lab.example'",
                       "subnet 192.0.2.128/25 option name-server '192.0.2.53'"]


def test_options_nos_shell_lacks_are_reported_under_vyos_path():
    """`ip-forwarding enable true` and `static-route { destination-subnet, router }` are
    migrated as VyOS does; the loader then names the 1.4 path nos-shell does not have."""
    body = """        shared-network-name LAN {
            subnet 192.0.2.0/24 {
                ip-forwarding {
                    enable true
                }
                static-route {
                    destination-subnet 198.51.100.0/24
                    router 192.0.2.254
                }
            }
        }
"""
    with pytest.raises(PathError) as info:
        load_boot(dhcp(body), "c.boot")
    text = "\n".join(info.value.lines)
    assert "[service dhcp-server shared-network-name LAN subnet 192.0.2.0/24 option ip-forwarding]" in text
    assert "option static-route 198.51.100.0/24]" in text
    body_off = body.replace("enable true", "enable false").replace(
        "                static-route {\n                    destination-subnet 198.51.100.0/24\n"
        "                    router 192.0.2.254\n                }\n", "")
    assert load(dhcp(body_off))[0] == [f"{LAN} subnet 192.0.2.0/24 subnet-id '1'"]


def test_nodes_vyos_deletes_are_dropped_with_their_path():
    text = """interfaces {
    ethernet eth0 {
        offload {
            ufo
        }
        smp-affinity 2
        xdp
    }
}
service {
    ssh {
        allow-root
    }
}
system {
    ipv6 {
        blacklist
    }
    ntp {
        server 0.pool.ntp.org {
            dynamic
        }
    }
    package {
        auto-sync 1
    }
}
"""
    commands, warnings = load(text)
    assert commands == ["set interfaces ethernet eth0", "set service ntp server 0.pool.ntp.org",
                        "set service ssh", "set system"]
    assert warnings == [f"c.boot:{line}: {path} was removed by VyOS's migrations; dropped" for line, path in (
        (4, "interfaces ethernet eth0 offload ufo"), (6, "interfaces ethernet eth0 smp-affinity 2"),
        (7, "interfaces ethernet eth0 xdp"), (12, "service ssh allow-root"), (17, "system ipv6 blacklist"),
        (21, "system ntp server 0.pool.ntp.org dynamic"), (24, "system package"))]


def test_duplex_and_speed_auto_go_quietly_only_from_a_vyos_file():
    text = "interfaces {\n    ethernet eth0 {\n        duplex auto\n        speed auto\n    }\n}\n"
    assert load(text + FOOTER_11) == (["set interfaces ethernet eth0"], [])
    with pytest.raises(PathError):
        load(text)                          # not a VyOS file: nothing is guessed
    with pytest.raises(PathError, match=r"speed 1000\]"):
        load(text.replace("speed auto", "speed 1000") + FOOTER_11)


def test_gateway_address_becomes_a_default_route():
    text = ("interfaces {\n    ethernet eth0 {\n        address 192.0.2.2/24\n    }\n}\n"
            "system {\n    gateway-address 192.0.2.1\n}\n")
    commands, _ = load(text)
    assert "set protocols static route 0.0.0.0/0 next-hop 192.0.2.1" in commands
    assert not any("gateway-address" in c for c in commands)
