"""What VyOS refuses, nos-shell refuses too, in VyOS's words (issue 13): a DHCP subnet with
nothing to hand out, interface names outside their kind's pattern, masquerade without an
outbound interface, a VLAN MTU above its parent's, and a commit over SSH that deletes the
committing user, the last admin or `service ssh`.

Each test drives a real Session on a sandbox root (files written, nothing applied to the
machine); the messages are the ones in vyos-1x (service_dhcp-server.py, nat.py of 1.3,
configverify.py, system_login.py and the interface-definitions regexes)."""
from __future__ import annotations

import pytest

from cfgsession import cli, commit  # noqa: F401 (cli: a fixture)
from nos_shell.session import Session


# -- DHCP server ------------------------------------------------------------------------------
SUBNET = "set service dhcp-server shared-network-name LAN subnet 192.168.1.0/24"
NO_POOL = ('No DHCP address range or active static-mapping configured within shared-network '
           '"LAN, 192.168.1.0/24"!')


def test_dhcp_subnet_without_range_or_mapping_is_refused(cli):
    ok, out = commit(cli, "set interfaces ethernet eth1 address 192.168.1.1/24",
                     f"{SUBNET} option default-router 192.168.1.1")
    assert not ok
    assert "[ service dhcp-server shared-network-name LAN subnet 192.168.1.0/24 ]" in out
    assert NO_POOL in out and "Commit failed" in out
    # a disabled static-mapping hands nothing out: still refused (VyOS: "active")
    ok, out = commit(cli, f"{SUBNET} static-mapping printer mac 02:00:00:00:00:01",
                     f"{SUBNET} static-mapping printer ip-address 192.168.1.5",
                     f"{SUBNET} static-mapping printer disable")
    assert not ok and NO_POOL in out
    ok, out = commit(cli, f"delete {SUBNET[4:]} static-mapping printer disable")
    assert ok, out
    ok, out = commit(cli, f"delete {SUBNET[4:]} static-mapping",
                     f"{SUBNET} range 0 start 192.168.1.100", f"{SUBNET} range 0 stop 192.168.1.199")
    assert ok, out


def test_disabled_shared_network_needs_no_pool(cli):
    ok, out = commit(cli, "set interfaces ethernet eth1 address 192.168.1.1/24",
                     f"{SUBNET} lease 600", "set service dhcp-server shared-network-name LAN disable")
    assert ok, out


# -- interface names ----------------------------------------------------------------------------
@pytest.mark.parametrize("kind, name, message", [
    ("ethernet", "eth2.10", "Invalid Ethernet interface name"),
    ("ethernet", "tun0", "Invalid Ethernet interface name"),
    ("ethernet", "en0", "Invalid Ethernet interface name"),
    ("ethernet", "wlan0", "Invalid Ethernet interface name"),
    ("bridge", "br0.5", "Bridge interface must be named brN"),
    ("bridge", "bridge0", "Bridge interface must be named brN"),
    ("bonding", "bond", "Bonding interface must be named bondN"),
    ("dummy", "dummy0", "Dummy interface must be named dumN"),
    ("loopback", "lo0", "Loopback interface must be named lo"),
    ("pseudo-ethernet", "peth0a", "Pseudo Ethernet interface must be named pethN"),
    ("vxlan", "vx0", "VXLAN interface must be named vxlanN"),
    ("wireguard", "wg-home", "WireGuard interface must be named wgN"),
])
def test_interface_names_follow_each_kinds_pattern(cli, kind, name, message):
    result = cli.run(f"set interfaces {kind} {name}")
    assert not result.ok
    assert result.output == (f"\n  Configuration path: [interfaces {kind} {name}] is not valid\n"
                             f"  {message}\n  Value validation failed\n  Set failed\n\n")
    assert cli.candidate.node("interfaces", kind, name) is None


@pytest.mark.parametrize("kind, name", [
    ("ethernet", "eth0"), ("ethernet", "eth12"), ("ethernet", "lan3"), ("ethernet", "eno1"),
    ("ethernet", "ens18"), ("ethernet", "enp3s0f0"), ("ethernet", "enx0123456789ab"),
    ("bridge", "br10"), ("bonding", "bond0"), ("dummy", "dum0"), ("loopback", "lo"),
    ("pseudo-ethernet", "peth1"), ("vxlan", "vxlan100"), ("wireguard", "wg0"),
])
def test_vyos_interface_names_are_accepted(cli, kind, name):
    assert cli.run(f"set interfaces {kind} {name} description x").ok


def test_completion_offers_only_names_of_the_kind(tmp_path, monkeypatch):
    pytest.importorskip("prompt_toolkit")
    from nos_shell.shell import interfaces
    from nos_shell.shell.completer import build_completer, completions
    from nos_shell.shell.state import ShellState

    kernel = ["br0", "eth0", "eth2.10", "enp3s0", "lo", "tun0", "wg0"]
    monkeypatch.setattr(interfaces, "_from_netlink", lambda target=None: list(kernel))
    interfaces.forget()
    try:
        state = ShellState(Session(tmp_path))
        assert state.run("configure").ok
        found = [c.text for c in completions(build_completer(state), "set interfaces ethernet ")]
        assert {"eth0", "enp3s0"} <= set(found) and not {"eth2.10", "tun0", "br0", "lo", "wg0"} & set(found)
        found = [c.text for c in completions(build_completer(state), "set interfaces wireguard ")]
        assert "wg0" in found and "tun0" not in found
    finally:
        interfaces.forget()


# -- NAT --------------------------------------------------------------------------------------
RULE = "set nat source rule 100"


def test_masquerade_without_outbound_interface_is_refused(cli):
    ok, out = commit(cli, "set interfaces ethernet eth0 address 203.0.113.2/24",
                     f"{RULE} source address 192.168.1.0/24", f"{RULE} translation address masquerade")
    assert not ok
    assert "[ nat source rule 100 outbound-interface ]" in out
    assert "Source NAT configuration error in rule 100: outbound-interface not specified" in out
    ok, out = commit(cli, f"{RULE} outbound-interface name eth0")
    assert ok, out


def test_only_masquerade_needs_the_outbound_interface(cli):
    ok, out = commit(cli, "set interfaces ethernet eth0 address 203.0.113.2/24",
                     f"{RULE} translation address 203.0.113.2",
                     "set nat source rule 110 translation address masquerade",
                     "set nat source rule 110 disable",
                     "set nat source rule 120 exclude",
                     "set nat source rule 120 translation address masquerade")
    assert ok, out


# -- VLAN MTU ---------------------------------------------------------------------------------
def test_vif_mtu_above_the_default_parent_mtu_is_refused(cli):
    ok, out = commit(cli, "set interfaces ethernet eth1 vif 10 mtu 9000")
    assert not ok
    assert "[ interfaces ethernet eth1 vif 10 mtu ]" in out
    assert 'Interface MTU "9000" too high, parent interface MTU is "1500"!' in out
    ok, out = commit(cli, "set interfaces ethernet eth1 mtu 9000")
    assert ok, out
    # lowering the parent below a committed VLAN's MTU (verified incrementally) is refused
    ok, out = commit(cli, "set interfaces ethernet eth1 mtu 1600")
    assert not ok and 'Interface MTU "9000" too high, parent interface MTU is "1600"!' in out
    ok, out = commit(cli, "set interfaces ethernet eth1 vif 10 mtu 1600")
    assert ok, out


@pytest.mark.parametrize("lines, path, numbers", [
    (["set interfaces bridge br0 vif 5 mtu 1501"], "interfaces bridge br0 vif 5 mtu", ("1501", "1500")),
    (["set interfaces bonding bond0 mtu 2000", "set interfaces bonding bond0 vif-s 100 mtu 2000",
      "set interfaces bonding bond0 vif-s 100 vif-c 20 mtu 2004"],
     "interfaces bonding bond0 vif-s 100 vif-c 20 mtu", ("2004", "2000")),
    (["set interfaces ethernet eth0 mtu 1400", "set interfaces vlan 7 source-interface eth0",
      "set interfaces vlan 7 mtu 1500"], "interfaces vlan 7 mtu", ("1500", "1400")),
])
def test_every_vlan_spelling_is_held_to_its_parent(cli, lines, path, numbers):
    ok, out = commit(cli, *lines)
    assert not ok
    assert f"[ {path} ]" in out
    assert f'Interface MTU "{numbers[0]}" too high, parent interface MTU is "{numbers[1]}"!' in out


# -- commits that lock the SSH session out ---------------------------------------------------
def ssh_session(root, user: str = "vyos") -> Session:
    session = Session(root, user=user, via="ssh")
    session.execute("configure")
    return session


def test_over_ssh_the_current_and_last_admin_user_stay(tmp_path):
    console = Session(tmp_path, user="vyos", via="cli")
    console.execute("configure")
    ok, out = commit(console, "set system login user alice authentication plaintext-password secret",
                     "set system login user noc authentication plaintext-password secret",
                     "set system login user noc level operator")
    assert ok, out
    alice = ssh_session(tmp_path, "alice")
    ok, out = commit(alice, "delete system login user alice")
    assert not ok and "[ system login user alice ]" in out
    assert "Attempting to delete current user: alice" in out
    assert "last admin" not in out                      # vyos is still an admin
    alice.execute("discard")
    # deleting the other admin is fine; the last one (over SSH) is not, even as someone else
    ok, out = commit(alice, "delete system login user vyos")
    assert ok, out
    alice = ssh_session(tmp_path, "alice")
    ok, out = commit(alice, "set system login user alice level operator")
    assert not ok and "[ system login ]" in out
    assert "Attempting to delete the last admin-level login user over SSH" in out
    ok, out = commit(ssh_session(tmp_path, "alice"), "delete system login")
    assert not ok and "Attempting to delete current user: alice" in out
    assert "last admin-level login user" in out
    assert Session(tmp_path).running.keys("system", "login", "user") == ["alice", "noc"]
    # the console may do it: it does not depend on SSH
    ok, out = commit(Session(tmp_path, user="vyos", via="cli"), "configure", "delete system login user alice")
    assert ok, out
    assert Session(tmp_path).running.keys("system", "login", "user") == ["noc"]


def test_over_ssh_service_ssh_stays(tmp_path):
    console = Session(tmp_path, user="vyos", via="cli")
    console.execute("configure")
    ok, out = commit(console, "set service ssh port 2222")
    assert ok, out
    ok, out = commit(ssh_session(tmp_path), "delete service ssh")
    assert not ok and "[ service ssh ]" in out
    assert "Attempting to delete service ssh over SSH" in out
    ok, out = commit(ssh_session(tmp_path), "set service ssh port 22", "delete service ssh port 2222")
    assert ok, out            # changing it is fine
    ok, out = commit(Session(tmp_path, user="vyos", via="cli"), "configure", "delete service ssh")
    assert ok, out
