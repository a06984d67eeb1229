"""nixosModules.default evaluated with nixpkgs' lib.evalModules (tests/nixlab.py): the
design's assertions fire with their messages (the shell's own where the shell has the
rule), and the generated `set` lines are exactly the expected text, quoted as
`show configuration commands` quotes."""
from __future__ import annotations

import functools
import subprocess
import sys

import pytest

import nixlab
from nos_shell.config.quoting import quote_single

HOSTILE = "it's a \\ \"quoted\" ${x} value"

# case -> (nix-nos options, the failing assertions' messages)
ASSERTIONS = {
    "dhcp and addresses": ('interfaces.eth0 = { dhcp = true; addresses = [ "192.0.2.1/24" ]; };',
                           ["nix-nos.interfaces.eth0: set dhcp or addresses, not both"]),
    "neither": ('interfaces.eth0.description = "x";',
                ["nix-nos.interfaces.eth0: set dhcp or addresses (neither is set)"]),
    "vlan 0": ('vlans.v = { id = 0; interface = "eth0"; };',
               ["nix-nos.vlans.v.id: VLAN ID must be between 1 and 4094"]),
    "vlan 4095": ('vlans.v = { id = 4095; interface = "eth0"; };',
                  ["nix-nos.vlans.v.id: VLAN ID must be between 1 and 4094"]),
    "vlan 1 and 4094": ('vlans = { a = { id = 1; interface = "eth0"; }; b = { id = 4094; interface = "eth0"; }; };', []),
    "unknown backend": ('bgp = { enable = true; asn = 65000; backend = "quagga"; };',
                        ["nix-nos.bgp.backend: Value must be one of: bird, gobgp"]),
    "gobgp backend": ('bgp = { enable = true; asn = 65000; backend = "gobgp"; };', []),
    "peer without AS": ('bgp = { enable = true; asn = 65000; peers."192.0.2.1".description = "x"; };',
                        ['nix-nos.bgp.peers."192.0.2.1": Neighbor 192.0.2.1 has no remote-as: set it on the neighbor']),
    "bgp without AS": ("bgp.enable = true;",
                       ["nix-nos.bgp.asn: BGP needs the AS number of this router: set protocols bgp system-as"]),
    "address without length": ('interfaces.eth0.addresses = [ "192.0.2.1" ];',
                               ["nix-nos.interfaces.eth0.addresses: Address 192.0.2.1 needs a prefix length, "
                                "e.g. 192.0.2.1/24"]),
    "route without target": ('routing.static."10.0.0.0/8".distance = 10;',
                             ['nix-nos.routing.static."10.0.0.0/8": set via (a next hop) or blackhole, one of them']),
    "nat without interface": ("nat.enable = true;",
                              ["nix-nos.nat.externalInterface: masquerading needs the interface traffic leaves by"]),
    "two at once": ('interfaces.eth0 = { }; vlans.v = { id = 5000; interface = "eth0"; };',
                    ["nix-nos.interfaces.eth0: set dhcp or addresses (neither is set)",
                     "nix-nos.vlans.v.id: VLAN ID must be between 1 and 4094"]),
}
# The same rule in the shell: the configuration as `set` lines, and the shell's message.
SHELL_SAYS = {
    "unknown backend": ("set protocols bgp backend 'quagga'", "Value must be one of: bird, gobgp"),
    "peer without AS": ("set protocols bgp system-as '65000'\nset protocols bgp parameters router-id '192.0.2.9'\n"
                        "set protocols bgp neighbor 192.0.2.1 description 'x'",
                        "Neighbor 192.0.2.1 has no remote-as: set it on the neighbor"),
    "bgp without AS": ("set protocols bgp neighbor 192.0.2.1 remote-as '65001'\n"
                       "set protocols bgp parameters router-id '192.0.2.9'",
                       "BGP needs the AS number of this router: set protocols bgp system-as"),
    "address without length": ("set interfaces ethernet eth0 address '192.0.2.1'",
                               "Address 192.0.2.1 needs a prefix length, e.g. 192.0.2.1/24"),
}

FULL = f"""{{ nix-nos = {{
  enable = true;
  interfaces.eth0 = {{ dhcp = true; dns = [ "192.0.2.53" "192.0.2.54" ]; description = "WAN"; }};
  interfaces.lo.addresses = [ "192.0.2.1/32" ];
  interfaces.br0 = {{ addresses = [ "198.51.100.1/24" "2001:db8::1/64" ]; mtu = 9000; dns = [ "192.0.2.53" ]; }};
  interfaces.dum0 = {{ type = "dummy"; addresses = [ "10.9.0.1/24" ]; gateway = "10.9.0.254"; }};
  vlans.servers = {{ id = 100; interface = "eth0"; addresses = [ "203.0.113.1/26" ];
                    description = {nixlab.nix_string(HOSTILE)}; gateway = "2001:db8::ff"; }};
  routing.static = {{ "203.0.113.0/24".blackhole = true; "10.0.0.0/8" = {{ via = "192.0.2.9"; distance = 20; }};
                     "2001:db8:1::/48" = {{ blackhole = true; distance = 250; }}; }};
  bgp = {{ enable = true; asn = 65000; routerId = "192.0.2.1"; backend = "bird";
          peers."192.0.2.2" = {{ asn = 65001; description = "upstream"; }}; peers."2001:db8::2".asn = 65002;
          announcements = [ "203.0.113.0/24" "2001:db8::/32" ]; }};
  nat = {{ enable = true; externalInterface = "eth0"; internalNetworks = [ "198.51.100.0/24" "10.0.0.0/8" ]; }};
  extraCommands = [ "  set system host-name 'gw'  " ''
    # a comment and a blank line are skipped

    set service ssh port '22'
  '' ];
}}; }}"""
FULL_LINES = f"""\
set interfaces bridge br0 address '198.51.100.1/24'
set interfaces bridge br0 address '2001:db8::1/64'
set interfaces bridge br0 mtu '9000'
set interfaces dummy dum0 address '10.9.0.1/24'
set interfaces ethernet eth0 address 'dhcp'
set interfaces ethernet eth0 description 'WAN'
set interfaces loopback lo address '192.0.2.1/32'
set interfaces vlan 100 source-interface 'eth0'
set interfaces vlan 100 address '203.0.113.1/26'
set interfaces vlan 100 description {quote_single(HOSTILE)}
set system name-server '192.0.2.53'
set system name-server '192.0.2.54'
set protocols static route 0.0.0.0/0 next-hop 10.9.0.254
set protocols static route6 ::/0 next-hop 2001:db8::ff
set protocols static route 10.0.0.0/8 next-hop 192.0.2.9 distance '20'
set protocols static route6 2001:db8:1::/48 blackhole distance '250'
set protocols static route 203.0.113.0/24 blackhole
set protocols bgp backend 'bird'
set protocols bgp system-as '65000'
set protocols bgp parameters router-id '192.0.2.1'
set protocols bgp neighbor 192.0.2.2 remote-as '65001'
set protocols bgp neighbor 192.0.2.2 description 'upstream'
set protocols bgp neighbor 2001:db8::2 remote-as '65002'
set protocols bgp address-family ipv4-unicast network 203.0.113.0/24
set protocols bgp address-family ipv6-unicast network 2001:db8::/32
set nat source rule 100 outbound-interface name 'eth0'
set nat source rule 100 source address '198.51.100.0/24'
set nat source rule 100 translation address 'masquerade'
set nat source rule 101 outbound-interface name 'eth0'
set nat source rule 101 source address '10.0.0.0/8'
set nat source rule 101 translation address 'masquerade'
set system host-name 'gw'
set service ssh port '22'
"""


@functools.lru_cache(maxsize=1)
def results() -> dict:
    """Every case of this file, evaluated in one nix run."""
    cases = {name: f"{{ nix-nos = {{ enable = true; {options} }}; }}" for name, (options, _) in ASSERTIONS.items()}
    cases["disabled"] = '{ nix-nos = { enable = false; vlans.v = { id = 0; interface = "eth0"; }; }; }'
    cases["full"] = FULL
    return nixlab.module_eval(cases)


@pytest.mark.parametrize("case", sorted(ASSERTIONS))
def test_assertions_fire_with_their_messages(case):
    assert results()[case]["failed"] == ASSERTIONS[case][1]


def test_a_disabled_module_checks_nothing():
    assert results()["disabled"]["failed"] == []


def test_generated_set_lines_are_the_expected_text():
    assert results()["full"]["commands"] == FULL_LINES


@pytest.mark.parametrize("case", sorted(SHELL_SAYS))
def test_messages_shared_with_the_shell_are_the_shells(case, tmp_path):
    """Where nos-shell has the rule too, its message is the module's after the option path."""
    lines, message = SHELL_SAYS[case]
    assert ASSERTIONS[case][1][0].endswith(": " + message)
    script = tmp_path / "case.cmds"
    script.write_text(f"configure\n{lines}\ncommit\nexit\n")
    done = subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(tmp_path / "root"), "-f", str(script)],
                          capture_output=True, text=True, timeout=120)
    assert message in done.stdout + done.stderr


def test_generated_lines_are_what_the_shell_shows(tmp_path):
    """Committed through nos-shell, every generated line reads back byte for byte in
    `show configuration commands` (same quoting, the hostile description included), and
    the generated config.boot boots to the same configuration."""
    full = results()["full"]
    script = tmp_path / "full.cmds"
    script.write_text("configure\n" + full["commands"] + "commit\nexit\n")
    shell = [sys.executable, "-m", "nos_shell", "--root"]
    done = subprocess.run([*shell, str(tmp_path / "a"), "-f", str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    shown = subprocess.run([*shell, str(tmp_path / "a"), "-c", "show configuration commands"],
                           capture_output=True, text=True, timeout=60, check=True).stdout.splitlines()
    assert set(full["commands"].splitlines()) <= set(shown)
    saved = tmp_path / "b" / "etc" / "nos-shell" / "config.boot"
    saved.parent.mkdir(parents=True)
    saved.write_text(full["boot"])
    subprocess.run([*shell, str(tmp_path / "b"), "boot"], capture_output=True, text=True, timeout=120, check=True)
    booted = subprocess.run([*shell, str(tmp_path / "b"), "-c", "show configuration commands"],
                            capture_output=True, text=True, timeout=60, check=True).stdout
    assert sorted(booted.splitlines()) == sorted(set(full["commands"].splitlines()))


def test_show_configuration_nix_round_trips_every_option(tmp_path):
    """The configuration of FULL (every option used) exported by `show configuration nix`
    evaluates back through the module to the same lines, and uses the options for them."""
    script = tmp_path / "full.cmds"
    script.write_text("configure\n" + results()["full"]["commands"] + "commit\nexit\n")
    shell = [sys.executable, "-m", "nos_shell", "--root", str(tmp_path / "root")]
    subprocess.run([*shell, "-f", str(script)], capture_output=True, text=True, timeout=120, check=True)
    shown = subprocess.run([*shell, "-c", "show configuration commands"],
                           capture_output=True, text=True, timeout=60, check=True).stdout
    exported = tmp_path / "exported.nix"
    exported.write_text(subprocess.run([*shell, "-c", "show configuration nix"],
                                       capture_output=True, text=True, timeout=60, check=True).stdout)
    back = nixlab.module_eval({"back": f"{{ nix-nos = import {exported}; }}"})["back"]
    assert back["failed"] == []
    assert sorted(back["commands"].splitlines()) == sorted(shown.splitlines())
    text = exported.read_text()
    for used in ("dum0 = {", 'type = "dummy";', "vlan100 = {", '"2001:db8:1::/48" = {', "distance = 250;",
                 '"2001:db8::2" = {', "internalNetworks = [", 'routerId = "192.0.2.1";', "mtu = 9000;"):
        assert used in text, used
    assert "set system name-server '192.0.2.54'" in text    # (dns of interfaces: kept as lines)
