"""The scale configuration of bench/scale.py, as a nos-shell command file and as netplan YAML.

Pure text generation, no I/O. Addresses come from private and documentation ranges only:
VLAN number ``i`` (counted from 0 over all parents) gets ``10.A.B.1/24`` with
``A, B = divmod(i, 256)``; static routes go to ``172.16.0.0/12``; BGP neighbors sit in
the VLAN subnets (``10.A.B.2`` and up), so every next hop and peer is on a connected link.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

#: VLAN ids run 1..4094 on each parent interface
VLAN_IDS = 4094
#: system AS and router id of the scale configuration
SYSTEM_AS = 64500
ROUTER_ID = "192.0.2.1"


@dataclass(frozen=True)
class Scale:
    """How big the configuration is."""

    vlans: int
    routes: int = 0
    neighbors: int = 0

    def __post_init__(self) -> None:
        if self.vlans < 1 or self.vlans > 256 * 256:
            raise ValueError(f"vlans must be 1..65536, not {self.vlans}")
        if self.routes < 0 or self.routes > 16 * 256:
            raise ValueError(f"routes must be 0..4096, not {self.routes}")
        if self.neighbors < 0 or self.neighbors > self.vlans * 250:
            raise ValueError(f"neighbors must be 0..{self.vlans * 250}, not {self.neighbors}")


def vlan(index: int) -> tuple[str, int, str]:
    """(parent interface, VLAN id, prefix of the subnet without the host part) of VLAN
    number ``index`` (0-based): parents eth0, eth1, ... take 4094 VLANs each."""
    parent, vid = divmod(index, VLAN_IDS)
    high, low = divmod(index, 256)
    return f"eth{parent}", vid + 1, f"10.{high}.{low}"


def vlans(count: int) -> Iterator[tuple[str, int, str]]:
    """:func:`vlan` for the first ``count`` VLANs."""
    return (vlan(index) for index in range(count))


def parents(count: int) -> list[str]:
    """The parent interfaces ``count`` VLANs need."""
    return [f"eth{n}" for n in range((count + VLAN_IDS - 1) // VLAN_IDS)]


def host(scale: Scale, number: int, first: int) -> str:
    """Address ``number`` of a series spread over the VLAN subnets, from host ``first`` up
    (one per subnet, then the next host number in each)."""
    rounds, index = divmod(number, scale.vlans)
    return f"{vlan(index)[2]}.{first + rounds}"


def set_lines(scale: Scale) -> list[str]:
    """The configuration as `set` lines (no `configure` / `commit`)."""
    lines = [f"set interfaces ethernet {parent} vif {vid} address '{net}.1/24'"
             for parent, vid, net in vlans(scale.vlans)]
    for number in range(scale.routes):
        high, low = divmod(number, 256)
        lines.append(f"set protocols static route 172.{16 + high}.{low}.0/24 "
                     f"next-hop {vlan(number % scale.vlans)[2]}.254")
    if scale.neighbors:
        lines.append(f"set protocols bgp system-as '{SYSTEM_AS}'")
        lines.append(f"set protocols bgp parameters router-id '{ROUTER_ID}'")
    for number in range(scale.neighbors):
        lines.append(f"set protocols bgp neighbor {host(scale, number, 2)} "
                     f"remote-as '{64512 + number % 1000}'")
    return lines


def command_file(lines: list[str], comment: str = "bench") -> str:
    """A `nos-shell -f` file that enters configuration mode, runs ``lines`` and commits."""
    return "\n".join(["configure", *lines, f"commit comment '{comment}'", "exit"]) + "\n"


def netplan_yaml(count: int) -> str:
    """The same ``count`` VLANs (ids, parents, addresses) as a netplan YAML file: the
    parents under `ethernets`, each VLAN under `vlans` with `id`, `link` and `addresses`."""
    out = ["network:", "  version: 2", "  renderer: networkd", "  ethernets:"]
    out += [f"    {parent}: {{}}" for parent in parents(count)]
    out.append("  vlans:")
    for parent, vid, net in vlans(count):
        out += [f"    {parent}.{vid}:", f"      id: {vid}", f"      link: {parent}",
                f"      addresses: [{net}.1/24]"]
    return "\n".join(out) + "\n"
