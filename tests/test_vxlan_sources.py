"""VXLAN as VyOS accepts it: any one of group, remote, source-address or source-interface
is enough (vyos-1x interfaces_vxlan.py), and none of them is refused with VyOS's message.
A tunnel with only `source-address` compiles to systemd.netdev(5) `[VXLAN] Local=`, which
systemd-networkd itself reads and turns into a link with that local address."""
from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from lab import run_networkd
from nos_shell.api import tree_from_commands
from nos_shell.backends.networkd import DRIVER as networkd

UNITS = PurePosixPath("etc/systemd/network")
MISSING = "Group, remote, source-address or source-interface must be configured"


def problems(text: str) -> list[tuple[str, str]]:
    return [(" ".join(p.path), p.message) for p in networkd.verify(tree_from_commands(text))]


@pytest.mark.parametrize("line", [
    "set interfaces vxlan vxlan0 source-address 192.0.2.1",
    "set interfaces vxlan vxlan0 source-address 2001:db8::1",
    "set interfaces vxlan vxlan0 remote 192.0.2.9",
    "set interfaces vxlan vxlan0 source-interface eth0",
])
def test_any_one_of_the_four_is_enough(line):
    assert problems(f"set interfaces ethernet eth0\nset interfaces vxlan vxlan0 vni 10\n{line}") == []


def test_none_of_them_is_refused_with_vyos_message():
    assert problems("set interfaces vxlan vxlan0 vni 10\nset interfaces vxlan vxlan0 mtu 1450") == [
        ("interfaces vxlan vxlan0", MISSING)]


def test_the_other_vxlan_rules_still_hold():
    found = problems("set interfaces vxlan vxlan0 vni 10\nset interfaces vxlan vxlan0 source-address 192.0.2.1\n"
                     "set interfaces vxlan vxlan0 remote 2001:db8::9")
    assert found == [("interfaces vxlan vxlan0 source-address",
                      "source-address and remote/group must be of the same IP version")]
    assert ("interfaces vxlan vxlan0 group", "a multicast group needs source-interface") in problems(
        "set interfaces vxlan vxlan0 vni 10\nset interfaces vxlan vxlan0 group 239.1.1.1\n"
        "set interfaces vxlan vxlan0 source-address 192.0.2.1")


def compiled(text: str) -> dict[str, bytes]:
    out = networkd.compile(tree_from_commands(text))
    return {str(p.relative_to(UNITS)): (d if isinstance(d, bytes) else d.data) for p, d in out.items()
            if p.is_relative_to(UNITS)}


def test_source_address_alone_compiles_to_local():
    units = compiled("set interfaces vxlan vxlan30 vni 30\nset interfaces vxlan vxlan30 source-address 192.0.2.1")
    netdev = units["10-nos-vxlan30.netdev"].decode()
    assert "[VXLAN]\nVNI=30\nLocal=192.0.2.1\nDestinationPort=4789\nIndependent=yes\n" in netdev
    assert "Remote=" not in netdev and "Group=" not in netdev


def test_networkd_creates_the_tunnel_with_its_local_address(tmp_path):
    """systemd-networkd reads the units without a complaint and makes the link: the
    tunnel's address appears on it (only a created, configured link gets one)."""
    units = compiled("set interfaces vxlan vxlan30 vni 30\nset interfaces vxlan vxlan30 source-address 192.0.2.1\n"
                     "set interfaces vxlan vxlan30 address 203.0.113.30/24\n"
                     "set interfaces vxlan vxlan31 vni 31\nset interfaces vxlan vxlan31 source-address 2001:db8::1\n"
                     "set interfaces vxlan vxlan31 address 198.51.100.31/24")
    folder = tmp_path / "units"
    folder.mkdir()
    for name, data in units.items():
        (folder / name).write_bytes(data)
        (folder / name).chmod(0o644)
    result = run_networkd({"vx": folder}, {"vx": {"vxlan30": {"203.0.113.30/24"},
                                                  "vxlan31": {"198.51.100.31/24"}}})["vx"]
    assert any("Enumeration completed" in line for line in result.log), "\n".join(result.log)
    assert not result.diagnostics, "networkd complained:\n" + "\n".join(result.diagnostics)
    assert "203.0.113.30/24" in result.addresses.get("vxlan30", set()), result.addresses
    assert "198.51.100.31/24" in result.addresses.get("vxlan31", set()), result.addresses

