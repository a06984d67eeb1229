"""The namespace router the everyday operational views are tested against.

    wan (opw…) wan0 203.0.113.2/24
      |
    eth0  router (opr…)  203.0.113.1/24 "WAN", source NAT (masquerade) for 192.0.2.0/25
    eth1                 192.0.2.1/25, DHCP server 192.0.2.100-120
      |  dh0: lan client (opl…), its own networkd with DHCP=ipv4
    eth2                 address dhcp
      |  up0: upstream (opu…), its own networkd serving DHCP on 198.51.100.128/25
    br0                  198.51.100.1/25 (a bridge without members)

The router runs its own systemd-networkd, D-Bus (tests/netlab.py) and, for `show log`, a
systemd-journald of its own: its mount namespace gets a private /run/log and a cgroup2
mount (journald needs one), so nothing on the host changes.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import subprocess
from collections.abc import Iterator

from lab import run
from netlab import Node, NetworkdNode, Router, lab, require_router, wait_for

CONFIG = [
    "set system host-name ops-lab",
    "set interfaces ethernet eth0 description 'WAN'",
    "set interfaces ethernet eth0 address 203.0.113.1/24",
    "set interfaces ethernet eth1 description 'LAN'",
    "set interfaces ethernet eth1 address 192.0.2.1/25",
    "set interfaces ethernet eth2 address dhcp",
    "set interfaces bridge br0 address 198.51.100.1/25",
    "set service dhcp-server shared-network-name LAN subnet 192.0.2.0/25 option default-router 192.0.2.1",
    "set service dhcp-server shared-network-name LAN subnet 192.0.2.0/25 range 0 start 192.0.2.100",
    "set service dhcp-server shared-network-name LAN subnet 192.0.2.0/25 range 0 stop 192.0.2.120",
    "set nat source rule 100 outbound-interface name eth0",
    "set nat source rule 100 source address 192.0.2.0/25",
    "set nat source rule 100 translation address masquerade",
    "set service ntp server 192.0.2.250",        # unreachable: timesyncd never sets a clock here
]

CLIENT_UNIT = "[Match]\nName=dh0\n\n[Network]\nDHCP=ipv4\n"
UPSTREAM_UNIT = ("[Match]\nName=up0\n\n[Network]\nAddress=198.51.100.129/25\nDHCPServer=yes\n\n"
                 "[DHCPServer]\nPoolOffset=10\nPoolSize=10\n")


@dataclasses.dataclass
class OpsLab:
    router: Router
    wan: Node
    client: NetworkdNode
    upstream: NetworkdNode
    journald: bool
    timesyncd: bool


def spawn_daemon(router: Router, program: str, logname: str) -> subprocess.Popen:
    """``program`` started inside the router, its output in the router's ``logname``; the
    router stops it at teardown."""
    with open(router.dir / logname, "wb") as log:
        proc = subprocess.Popen([*router.prefix, program], stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    router.procs.append(proc)
    return proc


def start_journald(router: Router) -> bool:
    """journald inside the router's mount namespace (private /run/log, cgroup2); False when
    this machine cannot run it there."""
    journald = "/lib/systemd/systemd-journald"
    if not os.access(journald, os.X_OK):
        return False
    mounted = router.run("sh", "-c", "mount -t tmpfs tmpfs /run/log && mount -t cgroup2 none /sys/fs/cgroup",
                         check=False)
    if mounted.returncode != 0:
        return False
    proc = spawn_daemon(router, journald, "journald.log")

    def up() -> bool:
        if proc.poll() is not None:
            return True
        return router.run("systemd-cat", "-t", "nos-shell", "echo", "lab journal ready", check=False).returncode == 0

    wait_for("the router's journald", up, 5)
    return proc.poll() is None


def start_timesyncd(router: Router) -> bool:
    """systemd-timesyncd inside the router, with the root's drop-in copied into the router's
    private /run/systemd and a private /var/lib/systemd/timesync; on the router's D-Bus."""
    import pwd

    timesyncd = "/lib/systemd/systemd-timesyncd"
    try:
        uid = pwd.getpwnam("systemd-timesync").pw_uid
    except KeyError:
        return False
    if not os.access(timesyncd, os.X_OK):
        return False
    dropins = router.rundir / "timesyncd.conf.d"
    dropins.mkdir()
    for conf in (router.root / "etc/systemd/timesyncd.conf.d").glob("*.conf"):
        (dropins / conf.name).write_bytes(conf.read_bytes())
    mounted = router.run("mount", "-t", "tmpfs", "-o", f"mode=755,uid={uid},gid={uid}", "tmpfs",
                         "/var/lib/systemd/timesync", check=False)
    if mounted.returncode != 0:
        return False
    proc = spawn_daemon(router, timesyncd, "timesyncd.log")
    ask = ["busctl", "get-property", "org.freedesktop.timesync1", "/org/freedesktop/timesync1",
           "org.freedesktop.timesync1.Manager", "SystemNTPServers"]
    wait_for("the router's timesyncd on D-Bus",
             lambda: proc.poll() is not None or router.run(*ask, check=False).returncode == 0, 5)
    return proc.poll() is None


@contextlib.contextmanager
def ops_lab(directory) -> Iterator[OpsLab]:
    require_router("nft")
    with lab(directory) as L:
        router = L.router("opr")
        wan = L.attach(router, "eth0", "opw", "wan0", "203.0.113.2/24")
        client = L.networkd_host("opl", {"10-dh0.network": CLIENT_UNIT})
        upstream = L.networkd_host("opu", {"10-up0.network": UPSTREAM_UNIT})
        L.wire(router, "eth1", client, "dh0")
        L.wire(router, "eth2", upstream, "up0")
        upstream.start_networkd()
        router.commit_with_cli(*CONFIG)
        client.start_networkd()
        journald = start_journald(router)
        yield OpsLab(router, wan, client, upstream, journald, start_timesyncd(router))


def client_address(net: OpsLab) -> str:
    """The address the lan client leased from the router (waits for it)."""
    def leased():
        return next((a.split("/")[0] for a in net.client.addresses("dh0") if a.startswith("192.0.2.1")), None)

    return wait_for("a DHCP lease on the lan client", leased, 20)


def router_dhcp_address(net: OpsLab) -> str:
    def leased():
        return next((a.split("/")[0] for a in net.router.addresses("eth2") if a.startswith("198.51.100.1")
                     and not a.startswith("198.51.100.129")), None)

    return wait_for("a DHCP lease on the router's eth2", leased, 20)


__all__ = ["CONFIG", "OpsLab", "client_address", "ops_lab", "router_dhcp_address", "run"]
