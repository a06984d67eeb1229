"""networkd backend: verify rules (each names its path), spelling equivalence, modes, forwarding."""
from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.backends.common.unitfile import Unit, check_value
from nos_shell.backends.contract import GeneratedFile, file_mode
from nos_shell.backends.networkd import DRIVER as networkd
from nos_shell.backends.networkd.compiler import CONF_DROPIN
from nos_shell.errors import PathError

UNITS = PurePosixPath("etc/systemd/network")


def problems(text: str) -> list[tuple[str, str]]:
    return [(" ".join(p.path), p.message) for p in networkd.verify(tree_from_commands(text))]


def files(text: str) -> dict[str, str]:
    return {str(p.relative_to(UNITS)): d.decode() for p, d in networkd.compile(tree_from_commands(text)).items()
            if p.is_relative_to(UNITS)}


def one(text: str, path: str, *words: str) -> None:
    """Exactly one problem, at ``path``, whose message holds every word."""
    found = problems(text)
    assert len(found) == 1, found
    assert found[0][0] == path, found
    for word in words:
        assert word in found[0][1], found


# -- VLANs ---------------------------------------------------------------------------------------

def test_vif_and_vlan_spellings_produce_the_same_units() -> None:
    vif = files("set interfaces ethernet eth0 vif 10 address 192.0.2.1/24\n"
                "set interfaces ethernet eth0 vif 30 mtu 1400\n"
                "set interfaces ethernet eth0 vif 20 description users\n")
    vlan = files("set interfaces ethernet eth0\n"
                 "set interfaces vlan 30 source-interface eth0\nset interfaces vlan 30 mtu 1400\n"
                 "set interfaces vlan 10 source-interface eth0\nset interfaces vlan 10 address 192.0.2.1/24\n"
                 "set interfaces ethernet eth0 vif 20 description users\n")
    assert vif == vlan
    assert "Kind=vlan" in vif["10-nos-eth0.10.netdev"] and "Id=10" in vif["10-nos-eth0.10.netdev"]
    assert vif["10-nos-eth0.network"].count("VLAN=") == 3


def test_vlan_parent_must_exist() -> None:
    one("set interfaces vlan 10 source-interface eth7",
        "interfaces vlan 10 source-interface", "eth7 is not configured")
    one("set interfaces vlan 10 address 192.0.2.1/24", "interfaces vlan 10", "source-interface")


def test_vlan_id_unique_per_parent_whichever_spelling() -> None:
    one("set interfaces ethernet eth0 vif 10\nset interfaces vlan 10 source-interface eth0",
        "interfaces vlan 10", "VLAN 10 on eth0", "[interfaces ethernet eth0 vif 10]")
    # the same id on another parent is fine
    assert problems("set interfaces ethernet eth0 vif 10\nset interfaces ethernet eth1\n"
                    "set interfaces vlan 10 source-interface eth1") == []


def test_vlan_name_too_long() -> None:
    one("set interfaces ethernet enx0123456789ab vif 4000", "interfaces ethernet enx0123456789ab vif 4000",
        "longer than 15")


def test_interface_defined_twice() -> None:
    # VyOS's ethernet names (eno|ens|enp|enx).+ take a dot: the one way left to spell it twice
    one("set interfaces ethernet enp1s0 vif 10\nset interfaces ethernet enp1s0.10",
        "interfaces ethernet enp1s0.10", "already defined by [interfaces ethernet enp1s0 vif 10]")


# -- members ---------------------------------------------------------------------------------------

def test_member_has_no_address() -> None:
    one("set interfaces ethernet eth1 address 192.0.2.1/24\nset interfaces bridge br0 member interface eth1",
        "interfaces ethernet eth1 address", "eth1 is a member of br0", "address of its own")
    one("set interfaces ethernet eth1 address dhcp\nset interfaces bonding bond0 member interface eth1",
        "interfaces ethernet eth1 address", "member of bond0")


def test_member_has_one_master() -> None:
    one("set interfaces ethernet eth1\nset interfaces bridge br0 member interface eth1\n"
        "set interfaces bridge br1 member interface eth1",
        "interfaces bridge br1 member interface eth1", "already a member of br0", "one master")
    one("set interfaces ethernet eth1\nset interfaces bridge br0 member interface eth1\n"
        "set interfaces bonding bond0 member interface eth1",
        "interfaces bonding bond0 member interface eth1", "already a member of br0")


def test_member_must_be_configured_and_suitable() -> None:
    one("set interfaces bridge br0 member interface eth9", "interfaces bridge br0 member interface eth9",
        "eth9 is not configured")
    one("set interfaces dummy dum0\nset interfaces bonding bond0 member interface dum0",
        "interfaces bonding bond0 member interface dum0", "ethernet")


def test_members_get_master_and_no_link_local() -> None:
    out = files("set interfaces ethernet eth1 mtu 9000\nset interfaces bridge br0 member interface eth1 cost 5\n"
                "set interfaces bridge br0 address 192.0.2.1/24\nset protocols static route 10.0.0.0/8 next-hop 192.0.2.9")
    member = out["10-nos-eth1.network"]
    assert "Bridge=br0" in member and "LinkLocalAddressing=no" in member and "Cost=5" in member
    assert "MTUBytes=9000" in member and "IPForward" not in member and "ConfigureWithoutCarrier" not in member


# -- addresses -----------------------------------------------------------------------------------

def test_address_not_repeated_across_interfaces() -> None:
    one("set interfaces ethernet eth0 address 192.0.2.1/24\nset interfaces ethernet eth1 address 192.0.2.1/25",
        "interfaces ethernet eth1 address 192.0.2.1/25", "192.0.2.1 is already configured on eth0",
        "[interfaces ethernet eth0 address 192.0.2.1/24]")
    one("set interfaces loopback lo address 2001:db8::1/128\nset interfaces dummy dum0 address 2001:DB8::1/64",
        "interfaces loopback lo address 2001:db8::1/128", "2001:db8::1 is already configured on dum0")


def test_addresses_are_canonical() -> None:
    out = files("set interfaces ethernet eth0 address 2001:DB8:0:0::1/64")
    assert "Address=2001:db8::1/64" in out["10-nos-eth0.network"]


# -- DHCP server ----------------------------------------------------------------------------------

DHCP = "set service dhcp-server shared-network-name LAN subnet 192.0.2.0/24 "
POOL = DHCP + "range a start 192.0.2.10\n" + DHCP + "range a stop 192.0.2.20\n"


def test_dhcp_subnet_sits_on_an_interface_address() -> None:
    one(POOL + DHCP + "lease 600", "service dhcp-server shared-network-name LAN subnet 192.0.2.0/24",
        "not on any interface", "192.0.2.1/24")
    # an address in the subnet with another prefix length does not count
    one("set interfaces ethernet eth0 address 192.0.2.1/25\n" + POOL + DHCP + "lease 600",
        "service dhcp-server shared-network-name LAN subnet 192.0.2.0/24", "not on any interface")
    assert problems("set interfaces ethernet eth0 address 192.0.2.1/24\n" + POOL + DHCP + "lease 600") == []
    # /31 and /32 subnets (ipaddress gives their hosts as a list, not an iterator: was a crash)
    for prefix, example in (("192.0.2.0/31", "192.0.2.0/31"), ("192.0.2.7/32", "192.0.2.7/32")):
        low = example.split("/")[0]
        one(f"set service dhcp-server shared-network-name LAN subnet {prefix} lease 600\n"
            f"set service dhcp-server shared-network-name LAN subnet {prefix} static-mapping h mac 02:00:00:00:00:01\n"
            f"set service dhcp-server shared-network-name LAN subnet {prefix} static-mapping h ip-address {low}",
            f"service dhcp-server shared-network-name LAN subnet {prefix}", "not on any interface", example)


def test_dhcp_pool_and_mappings() -> None:
    base = "set interfaces ethernet eth0 address 192.0.2.1/24\n"
    one(base + DHCP + "range a start 192.0.2.50\n" + DHCP + "range a stop 192.0.2.40",
        "service dhcp-server shared-network-name LAN subnet 192.0.2.0/24 range a", "above")
    one(base + DHCP + "range a start 192.0.2.50\n" + DHCP + "range a stop 198.51.100.4",
        "service dhcp-server shared-network-name LAN subnet 192.0.2.0/24 range a", "inside")
    one(base + DHCP + "range a start 192.0.2.5\n" + DHCP + "range a stop 192.0.2.6\n"
        + DHCP + "range b start 192.0.2.8\n" + DHCP + "range b stop 192.0.2.9",
        "service dhcp-server shared-network-name LAN subnet 192.0.2.0/24 range", "one contiguous pool")
    one(base + DHCP + "static-mapping a ip-address 192.0.2.5\n" + DHCP + "static-mapping a mac 02:00:00:00:00:01\n"
        + DHCP + "static-mapping b ip-address 192.0.2.6\n" + DHCP + "static-mapping b mac 02:00:00:00:00:01",
        "service dhcp-server shared-network-name LAN subnet 192.0.2.0/24 static-mapping b", "already mapped")
    out = files(base + DHCP + "range a start 192.0.2.100\n" + DHCP + "range a stop 192.0.2.109")
    assert "PoolOffset=100\nPoolSize=10\n" in out["10-nos-eth0.network"]


def test_one_dhcp_server_per_interface() -> None:
    one("set interfaces ethernet eth0 address 192.0.2.1/24\nset interfaces ethernet eth0 address 198.51.100.1/24\n"
        + POOL + DHCP + "lease 600\nset service dhcp-server shared-network-name B subnet 198.51.100.0/24 lease 600\n"
        "set service dhcp-server shared-network-name B subnet 198.51.100.0/24 range b start 198.51.100.10\n"
        "set service dhcp-server shared-network-name B subnet 198.51.100.0/24 range b stop 198.51.100.20",
        "service dhcp-server shared-network-name LAN subnet 192.0.2.0/24", "already runs a DHCP server")


# -- static routes -----------------------------------------------------------------------------

def test_next_hop_reachable_through_connected_prefix_or_named_interface() -> None:
    base = "set interfaces ethernet eth0 address 192.0.2.1/24\n"
    one(base + "set protocols static route 10.0.0.0/8 next-hop 198.51.100.1",
        "protocols static route 10.0.0.0/8 next-hop 198.51.100.1", "not in a connected prefix", "interface IF")
    assert problems(base + "set protocols static route 10.0.0.0/8 next-hop 198.51.100.1 interface eth0") == []
    one(base + "set protocols static route 10.0.0.0/8 next-hop 198.51.100.1 interface eth5",
        "protocols static route 10.0.0.0/8 next-hop 198.51.100.1 interface", "eth5 is not configured")
    one(base + "set protocols static route6 2001:db8::/32 next-hop fe80::1",
        "protocols static route6 2001:db8::/32 next-hop fe80::1", "link-local")
    one(base + "set protocols static route 10.0.0.0/8 interface eth3",
        "protocols static route 10.0.0.0/8 interface eth3", "eth3 is not configured")


def test_route_placement_metric_and_onlink() -> None:
    out = files("set interfaces ethernet eth0 address 192.0.2.1/24\nset interfaces ethernet eth1 address dhcp\n"
                "set protocols static route 0.0.0.0/0 next-hop 192.0.2.254 distance 5\n"
                "set protocols static route 10.0.0.0/8 next-hop 100.64.0.1 interface eth1\n"
                "set protocols static route 10.1.0.0/16 blackhole distance 9\n")
    assert "[Route]\nDestination=0.0.0.0/0\nGateway=192.0.2.254\nMetric=5\n" in out["10-nos-eth0.network"]
    assert "Gateway=100.64.0.1\nGatewayOnLink=yes\n" in out["10-nos-eth1.network"]
    assert "[Route]\nType=blackhole\nDestination=10.1.0.0/16\nMetric=9\n" in out["10-nos-lo.network"]


def test_ecmp_needs_connected_next_hops() -> None:
    one("set interfaces ethernet eth0 address 192.0.2.1/24\nset interfaces ethernet eth1\n"
        "set protocols static route 10.0.0.0/8 next-hop 192.0.2.2\n"
        "set protocols static route 10.0.0.0/8 next-hop 198.51.100.2 interface eth1",
        "protocols static route 10.0.0.0/8", "on-link")


# -- other kinds ---------------------------------------------------------------------------------

def test_pseudo_ethernet_vxlan_wireguard_requirements() -> None:
    one("set interfaces pseudo-ethernet peth0 mode bridge", "interfaces pseudo-ethernet peth0", "source-interface")
    one("set interfaces pseudo-ethernet peth0 source-interface eth4",
        "interfaces pseudo-ethernet peth0 source-interface", "eth4 is not configured")
    found = problems("set interfaces vxlan vxlan0 remote 192.0.2.1")
    assert ("interfaces vxlan vxlan0", "vni is required") in found
    one("set interfaces vxlan vxlan0 vni 5\nset interfaces vxlan vxlan0 group 239.1.1.1",
        "interfaces vxlan vxlan0 group", "source-interface")
    one("set interfaces wireguard wg0 address 10.0.0.1/24", "interfaces wireguard wg0", "private-key")
    found = problems("set interfaces wireguard wg0 private-key yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n"
                     "set interfaces wireguard wg0 peer a address 192.0.2.9")
    assert {m for _, m in found} >= {"public-key is required", "allowed-ips is required",
                                     "port is required with address (the peer's endpoint)"}
    with pytest.raises(PathError, match="Loopback interface must be named lo"):    # VyOS's words
        tree_from_commands("set interfaces loopback lo0")
    one("set interfaces ethernet eth0 hw-id 02:00:00:00:00:01\nset interfaces ethernet eth1 hw-id 02:00:00:00:00:01",
        "interfaces ethernet eth1 hw-id", "already used")


def test_wireguard_netdev_is_readable_by_root_and_systemd_network_only() -> None:
    out = networkd.compile(tree_from_commands(
        "set interfaces wireguard wg0 private-key yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n"
        "set interfaces wireguard wg0 address 10.0.0.1/24"))
    netdev = out[UNITS / "10-nos-wg0.netdev"]
    assert isinstance(netdev, GeneratedFile)
    assert file_mode(netdev) == (0o640, "root", "systemd-network")
    assert file_mode(out[UNITS / "10-nos-wg0.network"]) == (0o644, "root", "root")


def test_hw_id_matches_the_permanent_mac() -> None:
    out = files("set interfaces ethernet eth0 hw-id 02:AA:00:00:00:01\nset interfaces ethernet eth0 address dhcp")
    assert "[Match]\nPermanentMACAddress=02:aa:00:00:00:01\n" in out["10-nos-eth0.network"]
    assert "Name=" not in out["10-nos-eth0.network"]


# -- forwarding ----------------------------------------------------------------------------------

@pytest.mark.parametrize("extra, expected", [
    ("", None),
    ("set nat source rule 10 outbound-interface name eth0\nset nat source rule 10 translation address masquerade",
     "ipv4"),
    ("set nat source rule 10 translation address masquerade\nset nat source rule 10 disable", None),
    ("set protocols static route6 2001:db8::/32 blackhole", "ipv6"),
    ("set protocols static route 10.0.0.0/8 blackhole\nset protocols static route6 2001:db8::/32 blackhole", "yes"),
    ("set protocols bgp system-as 65001\nset protocols bgp neighbor 2001:db8::2 remote-as 65002", "ipv6"),
])
def test_forwarding_when_routing_or_nat(extra: str, expected: str | None) -> None:
    out = files("set interfaces ethernet eth0 address 192.0.2.1/24\n" + extra)
    network = out["10-nos-eth0.network"]
    if expected is None:
        assert "IPForward" not in network
    else:
        assert f"IPForward={expected}\n" in network


def test_empty_configuration_generates_no_units_only_global_settings() -> None:
    out = networkd.compile(tree_from_commands(""))
    assert list(out) == [CONF_DROPIN]
    assert "ManageForeignRoutes=no\n" in out[CONF_DROPIN].decode()


def test_every_file_name_shares_the_prefix() -> None:
    from test_golden import case_dirs, run_case

    for case in case_dirs():
        for rel in run_case(case).by_backend["networkd"]:
            assert rel.startswith("etc/systemd/network/10-nos-") or rel == str(CONF_DROPIN), rel


# -- unit writer ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["a\nb", "a\\", " a", "a ", "a\rb", "a\x00"])
def test_unit_writer_refuses_values_that_break_lines(value: str) -> None:
    with pytest.raises(ValueError):
        check_value("Description", value)


def test_unit_writer_comments_and_keys() -> None:
    unit = Unit()
    unit.comments.append("x \\")
    unit.add("Network", "Address", "192.0.2.1/24")
    assert unit.render().decode().splitlines()[1:] == ["# x \\", "", "[Network]", "Address=192.0.2.1/24"]
    with pytest.raises(ValueError):
        unit.add("Network", "Bad Key", "x")


def test_compile_all_merges_backends_and_verify_all_collects() -> None:
    from nos_shell.backends.registry import compile_all, verify_all

    tree = tree_from_commands("set interfaces ethernet eth0 address 192.0.2.1/24\n"
                              "set nat source rule 1 outbound-interface name eth9\n"
                              "set nat source rule 1 translation address masquerade")
    out = compile_all(tree)
    assert {str(p) for p in out} >= {"etc/hostname", "etc/nftables.d/nos-shell.nft",
                                      "etc/systemd/network/10-nos-eth0.network"}
    assert [" ".join(p.path) for p in verify_all(tree)] == ["nat source rule 1 outbound-interface name"]


def test_qinq_names_and_their_length_limit():
    from nos_shell.api import tree_from_commands
    from nos_shell.backends.networkd import DRIVER as networkd

    tree = tree_from_commands("set interfaces ethernet enp3s0f0 vif-s 4000 vif-c 4000 address 192.0.2.1/24\n")
    problems = networkd.verify(tree)
    assert any("enp3s0f0.4000.4000 is longer than 15 characters" in p.message for p in problems)
    clash = tree_from_commands("set interfaces ethernet eth0 vif 100\nset interfaces ethernet eth0 vif-s 100\n")
    assert any("VLAN 100 on eth0 is already defined" in p.message for p in networkd.verify(clash))
