"""What VyOS leaves to run time: a static next hop reached through a DHCP interface, and
bond/bridge members that exist in the kernel but not in the configuration."""
from __future__ import annotations

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.apply import Target
from nos_shell.backends.networkd import DRIVER as networkd
from nos_shell.engine.commit import Engine
from nos_shell.errors import CommitError
from nos_shell.host.link_names import link_names
from nos_shell.models import host_facts
from nos_shell.models.host_facts import HostFacts
from nos_shell.models.ifnames import define_hint
from nos_shell.session import Session

from lab import netns, run

WAN_DHCP = "set interfaces ethernet eth0 address dhcp\nset interfaces ethernet eth1 address 192.168.10.1/24\n"
UNITS = "etc/systemd/network"


def problems(text: str) -> list[tuple[str, str]]:
    return [(" ".join(p.path), p.message) for p in networkd.verify(tree_from_commands(text))]


def unit(text: str, name: str) -> str:
    files = networkd.compile(tree_from_commands(text))
    return next(bytes(d).decode() for p, d in files.items() if p.name == f"10-nos-{name}.network")


def session(root) -> Session:
    s = Session(root)
    s.execute("configure")
    return s


# -- next hops through DHCP ------------------------------------------------------------------
def test_next_hop_through_the_one_dhcp_interface_is_accepted_and_placed_there():
    text = WAN_DHCP + "set protocols static route 10.8.0.0/16 next-hop 100.64.0.1\n"
    assert problems(text) == []
    assert "[Route]\nDestination=10.8.0.0/16\nGateway=100.64.0.1\n" in unit(text, "eth0")
    assert "Gateway" not in unit(text, "eth1")
    # not on-link: networkd installs it once the lease makes the gateway reachable
    assert "GatewayOnLink" not in unit(text, "eth0")


def test_next_hop_without_dhcp_or_with_two_dhcp_interfaces_is_still_refused():
    route = "set protocols static route 10.8.0.0/16 next-hop 100.64.0.1\n"
    where = "protocols static route 10.8.0.0/16 next-hop 100.64.0.1"
    for text in ("set interfaces ethernet eth1 address 192.168.10.1/24\n" + route,
                 WAN_DHCP + "set interfaces ethernet eth2 address dhcp\n" + route):
        found = problems(text)
        assert len(found) == 1 and found[0][0] == where and "not in a connected prefix" in found[0][1], found
    # an IPv6 next hop needs an interface that takes IPv6 by DHCP (dhcpv6)
    v6 = "set protocols static route6 2001:db8:100::/48 next-hop 2001:db8:ff::1\n"
    assert len(problems(WAN_DHCP + v6)) == 1
    assert problems(WAN_DHCP + "set interfaces ethernet eth0 address dhcpv6\n" + v6) == []


def test_commit_says_the_next_hop_is_not_connected_yet_once(tmp_path):
    s = session(tmp_path)
    for line in WAN_DHCP.splitlines():
        s.execute(line)
    s.execute("set protocols static route 10.8.0.0/16 next-hop 100.64.0.1")
    out = s.execute("commit")
    assert ("Note: next hop 100.64.0.1 of [protocols static route 10.8.0.0/16] is not connected yet: the "
            "route is installed through eth0 once its DHCP address makes 100.64.0.1 reachable") in out
    s.execute("set system host-name r2")
    assert "Note:" not in s.execute("commit")          # said once, when the route came
    # a next hop in a connected prefix gets no note
    s.execute("set protocols static route 10.9.0.0/16 next-hop 192.168.10.7")
    assert "Note:" not in s.execute("commit")


# -- members the kernel has ----------------------------------------------------------------------
MEMBERS = ("set interfaces bridge br0 member interface eth5\n"
           "set interfaces bonding bond0 member interface eth6\n")


def test_member_only_in_the_kernel_is_accepted_when_the_host_has_it():
    tree = tree_from_commands(MEMBERS)
    refused = [" ".join(p.path) for p in networkd.verify(tree)]
    assert refused == ["interfaces bonding bond0 member interface eth6",
                       "interfaces bridge br0 member interface eth5"]
    with host_facts.given(HostFacts({"lo", "eth5", "eth6"})):
        assert networkd.verify(tree) == []
    with host_facts.given(HostFacts({"eth5"})):
        assert [" ".join(p.path) for p in networkd.verify(tree)] == ["interfaces bonding bond0 member interface eth6"]
    # the member's unit joins it to its master although the configuration has no eth5
    assert "Bridge=br0" in unit(MEMBERS, "eth5") and "Bond=bond0" in unit(MEMBERS, "eth6")


def test_engine_hands_host_facts_to_verify_and_sandbox_has_none(tmp_path):
    s = session(tmp_path)
    s.execute("set interfaces bridge br0 member interface eth5")
    with pytest.raises(CommitError, match="eth5 is not configured"):
        s.execute("commit")                         # sandbox root: no links known
    with host_facts.given(HostFacts({"eth5"})):
        s.execute("commit")
    assert "Bridge=br0" in (tmp_path / UNITS / "10-nos-eth5.network").read_text()


def test_facts_are_read_only_when_a_rule_asks():
    asked = []

    def read():
        asked.append(1)
        return {"eth5"}

    facts = HostFacts(read)
    with host_facts.given(facts):
        networkd.verify(tree_from_commands("set interfaces ethernet eth1 address 192.0.2.1/24"))
        assert asked == []
        networkd.verify(tree_from_commands("set interfaces bridge br0 member interface eth5"))
        networkd.verify(tree_from_commands("set interfaces bridge br0 member interface eth7"))
    assert asked == [1]


def test_live_target_link_names_come_from_its_namespace(tmp_path):
    with netns("s19v4") as ns:
        run("ip", "-n", ns, "link", "add", "eth5", "type", "veth", "peer", "name", "eth6")
        target = Target(root=tmp_path, live=True, netns=ns)
        assert link_names(target) == {"lo", "eth5", "eth6"}
        assert link_names(Target(root=tmp_path, live=False, netns=ns)) == frozenset()
        tree = tree_from_commands("set interfaces bridge br0 member interface eth5")
        assert Engine(Session(tmp_path).store, target).verify(tree) == []
        other = tree_from_commands("set interfaces bridge br0 member interface eth7")
        assert [p.path[-1] for p in Engine(Session(tmp_path).store, target).verify(other)] == ["eth7"]


@pytest.mark.parametrize("name, hint", [
    ("eth9", "add it first, e.g. 'set interfaces ethernet eth9'"),
    ("br3", "add it first, e.g. 'set interfaces bridge br3'"),
    ("bond1", "add it first, e.g. 'set interfaces bonding bond1'"),
    ("eth1.20", "add it first, e.g. 'set interfaces ethernet eth1 vif 20'"),
    ("eth1.20.30", "add it first, e.g. 'set interfaces ethernet eth1 vif-s 20 vif-c 30'"),
    ("tun0", "tun0 is a VyOS tunnel interface, which nos-shell does not configure"),
    ("vtun0", "vtun0 is a VyOS openvpn interface, which nos-shell does not configure"),
    ("foo7", "add it first with 'set interfaces <type> foo7'"),
])
def test_hint_names_the_interface_type(name, hint):
    assert define_hint(name) == hint


def test_refused_member_hint_names_its_type():
    found = problems("set interfaces bridge br0 member interface tun0\n"
                     "set interfaces bridge br1 member interface dum4\n")
    assert found == [
        ("interfaces bridge br0 member interface tun0", "member of br0: interface tun0 is not configured "
         "(tun0 is a VyOS tunnel interface, which nos-shell does not configure)"),
        ("interfaces bridge br1 member interface dum4", "member of br1: interface dum4 is not configured "
         "(add it first, e.g. 'set interfaces dummy dum4')")]
