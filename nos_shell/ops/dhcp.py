"""`show dhcp server leases` and `show dhcp client leases`, from systemd-networkd.

Server leases: networkd's DHCP server publishes them on D-Bus (the ``Leases`` property of
``org.freedesktop.network1.DHCPServer`` on each link), read with ``busctl --json`` in the
router's context. networkd keeps no start time and no host name for a lease; a lease's
expiry is on the boot-time clock, which is the same for every namespace of the machine.

Client leases: networkd writes one file per link to ``/run/systemd/netif/leases/INDEX``
(KEY=VALUE lines) in the router's context; the file's time is when the lease was last
written (acquired or renewed).
"""
from __future__ import annotations

import ipaddress
import json
import time
from typing import TYPE_CHECKING, Any

from ..errors import NosError
from .command import KeywordHelp, OpCommand
from .context import router, run, simple_table
from .counters import read_links

if TYPE_CHECKING:
    from ..commands import Command
    from ..config.tree import ConfigTree
    from ..session import Session

BUS = ("org.freedesktop.network1", "org.freedesktop.network1.DHCPServer")
LEASES = "/run/systemd/netif/leases"


def link_path(index: int) -> str:
    """networkd's D-Bus object path of a link (its index, escaped as D-Bus requires)."""
    return "/org/freedesktop/network1/link/" + "".join(f"_{ord(c):02x}" if i == 0 else c
                                                        for i, c in enumerate(str(index)))


def _pools(tree: "ConfigTree") -> list[tuple[ipaddress.IPv4Network, str]]:
    found = []
    base = ("service", "dhcp-server", "shared-network-name")
    for shared in tree.keys(*base):
        for subnet in tree.keys(*base, shared, "subnet"):
            found.append((ipaddress.ip_network(subnet, strict=False), shared))
    return found


def _remaining(seconds: float) -> str:
    if seconds <= 0:
        return "expired"
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def server_leases(session: "Session") -> list[tuple[str, ...]]:
    target = router(session, "DHCP server")
    pools = _pools(session.running)
    now_boot, now = time.clock_gettime(time.CLOCK_BOOTTIME), time.time()
    rows = []
    for link in read_links(target):
        result = run(target, ["busctl", "--json=short", "get-property", BUS[0], link_path(link.index), BUS[1],
                              "Leases"], check=False)
        if result.returncode != 0:
            if "Failed to connect to bus" in result.stderr or "not found" in result.stderr:
                raise NosError("Cannot reach systemd-networkd on D-Bus in the router's context",
                               result.stderr.strip().splitlines()[-1])
            continue                               # no DHCP server on this link
        try:
            leases: list[Any] = json.loads(result.stdout)["data"]
        except (ValueError, KeyError, TypeError):
            raise NosError("busctl: unreadable DHCP server leases") from None
        for lease in leases:
            family, _client, address, _gateway, chaddr, expiration = lease
            if family != 2 or len(address) != 4:
                continue
            ip = ipaddress.IPv4Address(bytes(address))
            left = expiration / 1e6 - now_boot
            pool = next((name for net, name in pools if ip in net), "-")
            rows.append((str(ip), ":".join(f"{b:02x}" for b in chaddr[:6]), "active" if left > 0 else "expired",
                         time.strftime("%Y/%m/%d %H:%M:%S", time.localtime(now + left)), _remaining(left),
                         pool, link.name))
    return sorted(rows, key=lambda row: ipaddress.IPv4Address(row[0]))


def show_dhcp_server_leases(session: "Session", command: "Command") -> str:
    rows = server_leases(session)
    return simple_table(("IP Address", "MAC address", "State", "Lease expiration", "Remaining", "Pool",
                         "Interface"), rows)


def client_leases(session: "Session") -> list[tuple[str, ...]]:
    target = router(session, "DHCP client")
    names = {link.index: link.name for link in read_links(target)}
    listing = run(target, ["find", LEASES, "-maxdepth", "1", "-type", "f", "-printf", "%f %T@\n"], check=False)
    files = {}
    for line in listing.stdout.splitlines():
        name, _, stamp = line.partition(" ")
        if name.isdigit():
            files[int(name)] = float(stamp or 0)
    rows = []
    for index, written in sorted(files.items()):
        values = dict(line.partition("=")[::2] for line in
                      run(target, ["cat", f"{LEASES}/{index}"], check=False).stdout.splitlines()
                      if "=" in line and not line.startswith("#"))
        address = values.get("ADDRESS", "-")
        mask = values.get("NETMASK")
        if mask and address != "-":
            address = str(ipaddress.ip_interface(f"{address}/{mask}"))
        lifetime = int(values.get("LIFETIME", "0") or 0)
        expires = time.strftime("%Y/%m/%d %H:%M:%S", time.localtime(written + lifetime)) if lifetime else "-"
        rows.append((names.get(index, str(index)), address, values.get("ROUTER", "-"),
                     values.get("SERVER_ADDRESS", "-"), values.get("DNS", "-") or "-",
                     f"{lifetime}s" if lifetime else "-", expires))
    return rows


def show_dhcp_client_leases(session: "Session", command: "Command") -> str:
    rows = client_leases(session)
    if not rows:
        return "No DHCP client leases\n"
    return simple_table(("Interface", "IP Address", "Router", "DHCP Server", "Name Server", "Lease Time",
                         "Expires"), rows)


COMMANDS = (
    OpCommand("show_dhcp_server_leases", ("show dhcp server leases",), show_dhcp_server_leases,
              "The DHCP server's leases"),
    OpCommand("show_dhcp_client_leases", ("show dhcp client leases",), show_dhcp_client_leases,
              "The leases of DHCP client interfaces"),
)

KEYWORDS: KeywordHelp = {
    "client": "DHCP client information",
    "dhcp": "Show DHCP information",
    "leases": "Show the leases",
    "server": "DHCP server information",
}
