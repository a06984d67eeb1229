"""The lab topology file: what it accepts, and one clear error naming the key for what it does not."""
from __future__ import annotations

import ipaddress

import pytest

from nos_shell.lab.topology import TopologyError, load, parse

HOME = """
name = "home"
[nodes.gw]
kind = "router"
config = "config.boot"
[nodes.isp]
kind = "router"
config = "isp.cmds"
bgp-backend = "gobgp"
[nodes.pc]
kind = "host"
routes = [{ to = "default", via = "198.51.100.1" }]
services = [{ port = 80 }, { port = 53, protocol = "udp" }]
[nodes.pc.interfaces.eth0]
dhcp = true
[nodes.pc.interfaces."eth0.10"]
parent = "eth0"
vlan = 10
addresses = ["203.0.113.10/24", "2001:db8::10/64"]
[[links]]
a = "gw:eth0"
b = "isp:eth1"
mtu = 9000
[[links]]
a = "gw:eth1"
b = "pc:eth0"
vlans = [10, 20]
"""


def test_a_whole_topology_reads_into_plain_data():
    topo = parse(HOME, "home.toml")
    assert topo.name == "home"
    assert [n.name for n in topo.routers()] == ["gw", "isp"]
    assert [n.name for n in topo.hosts()] == ["pc"]
    assert str(topo.nodes["gw"].config) == "config.boot"
    assert topo.nodes["isp"].bgp_backend == "gobgp"
    pc = topo.nodes["pc"]
    assert pc.interfaces["eth0"].dhcp and not pc.interfaces["eth0"].addresses
    assert pc.interfaces["eth0.10"].vlan == 10 and pc.interfaces["eth0.10"].parent == "eth0"
    assert pc.interfaces["eth0.10"].addresses[1] == ipaddress.ip_interface("2001:db8::10/64")
    assert pc.routes[0].to == ipaddress.ip_network("0.0.0.0/0")
    assert [(s.protocol, s.port) for s in pc.services] == [("tcp", 80), ("udp", 53)]
    assert topo.links[0].mtu == 9000 and topo.links[1].vlans == (10, 20)
    assert [(str(mine), str(far)) for mine, far, _ in topo.ends_of("gw")] == [
        ("gw:eth0", "isp:eth1"), ("gw:eth1", "pc:eth0")]
    assert topo.link_drivers() == {"veth", "vlan"}


def test_without_vlans_the_wiring_needs_only_veth():
    text = HOME.replace("vlans = [10, 20]", "").replace(
        '[nodes.pc.interfaces."eth0.10"]\nparent = "eth0"\nvlan = 10\n', '[nodes.pc.interfaces.eth1]\n').replace(
        "[[links]]\na = \"gw:eth0\"", "[[links]]\na = \"pc:eth1\"\nb = \"gw:eth2\"\n[[links]]\na = \"gw:eth0\"")
    assert parse(text).link_drivers() == {"veth"}


def test_the_default_name_is_the_directory_of_a_lab_toml(tmp_path):
    lab = tmp_path / "edge-lab"
    lab.mkdir()
    (lab / "lab.toml").write_text('[nodes.r1]\nkind = "router"\nconfig = "r1.cmds"\n')
    assert load(lab / "lab.toml").name == "edge-lab"
    (lab / "other.toml").write_text('[nodes.r1]\nkind = "router"\nconfig = "r1.cmds"\n')
    assert load(lab / "other.toml").name == "other"


@pytest.mark.parametrize("change, where", [
    (("kind = \"router\"\nconfig = \"config.boot\"", "kind = \"switch\""), "nodes.gw.kind"),
    (("config = \"config.boot\"\n", ""), "nodes.gw.config"),
    (("bgp-backend = \"gobgp\"", "bgp-backend = \"frr\""), "nodes.isp.bgp-backend"),
    (("mtu = 9000", "mtu = 70000"), "links[0].mtu"),
    (("mtu = 9000", "mtu = true"), "links[0].mtu"),
    (("vlans = [10, 20]", "vlans = [10, 10]"), "links[1].vlans"),
    (("vlans = [10, 20]", "vlans = [4095]"), "links[1].vlans[0]"),
    (("b = \"pc:eth0\"", "b = \"nobody:eth0\""), "links[1].b"),
    (("b = \"pc:eth0\"", "b = \"pc:eth0;reboot\""), "links[1].b"),
    (("b = \"isp:eth1\"", "b = \"gw:eth1\""), "links[1]"),
    (("vlan = 10", "vlan = 0"), "nodes.pc.interfaces.eth0.10.vlan"),
    (("parent = \"eth0\"\n", ""), "nodes.pc.interfaces.eth0.10"),
    (("\"203.0.113.10/24\"", "\"203.0.113.10\""), "nodes.pc.interfaces.eth0.10.addresses[0]"),
    (("to = \"default\", via = \"198.51.100.1\"", "to = \"0.0.0.0/0\", via = \"2001:db8::1\""),
     "nodes.pc.routes[0]"),
    (("via = \"198.51.100.1\"", "via = \"gateway\""), "nodes.pc.routes[0].via"),
    (("{ port = 80 }", "{ port = 0 }"), "nodes.pc.services[0].port"),
    (("{ port = 80 }", "{ port = 53, protocol = \"udp\" }"), "nodes.pc.services"),
    (("dhcp = true", "dhcp = \"yes\""), "nodes.pc.interfaces.eth0.dhcp"),
    (("[nodes.pc]", "[nodes.PC]"), "nodes.PC"),
    (("name = \"home\"", "name = \"home lab\""), "name"),
    (("name = \"home\"", "nmae = \"home\""), "nmae"),
    (("dhcp = true", "dhcp = true\ndchp = true"), "nodes.pc.interfaces.eth0.dchp"),
])
def test_each_mistake_is_one_error_naming_file_and_key(change, where):
    old, new = change
    assert old in HOME
    with pytest.raises(TopologyError) as caught:
        parse(HOME.replace(old, new, 1), "home.toml")
    assert str(caught.value).startswith(f"home.toml: {where}: "), str(caught.value)
    assert "\n" not in str(caught.value)


def test_an_interface_no_link_reaches_is_refused():
    text = HOME + '[nodes.pc.interfaces.eth7]\naddresses = ["192.0.2.7/24"]\n'
    with pytest.raises(TopologyError, match=r"nodes\.pc\.interfaces\.eth7: no link reaches"):
        parse(text, "home.toml")


def test_a_link_to_a_host_interface_it_does_not_declare_is_refused():
    with pytest.raises(TopologyError, match=r"links\[1\]: pc declares no interface 'eth3'"):
        parse(HOME.replace('b = "pc:eth0"', 'b = "pc:eth3"'), "home.toml")


def test_toml_syntax_errors_name_the_file_and_line():
    with pytest.raises(TopologyError, match=r"^home\.toml: .*line 3"):
        parse("[nodes.a]\nkind = \"host\"\n= oops\n", "home.toml")


def test_an_unreadable_file_is_one_error(tmp_path):
    with pytest.raises(TopologyError, match="cannot read"):
        load(tmp_path / "absent.toml")


@pytest.mark.parametrize("hostile", ["a\\u0000b", "a\\nb", "a\\u2028b", "a\\u0085b", ""])
def test_a_config_name_with_control_characters_is_refused_and_shown_escaped(hostile):
    text = HOME.replace('config = "config.boot"', f'config = "{hostile}"')
    with pytest.raises(TopologyError) as caught:
        parse(text, "home.toml")
    message = str(caught.value)
    assert message.startswith("home.toml: nodes.gw.config: "), message
    assert not any(c in message for c in "\0\n\u2028\u0085"), repr(message)
