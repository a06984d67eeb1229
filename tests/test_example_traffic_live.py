"""The example labs keep their promises with traffic (examples/*/README.md, docs/lab.md):

- home-router: the LAN host gets a DHCP lease and reaches the WAN host through masquerade
  (the WAN host's responder names the router's WAN address as the caller); the WAN host
  reaches the forwarded service (WAN port 8080 -> server:80) and nothing else;
- datacenter-node: both BGP sessions (BIRD and GoBGP ToRs) come up and routes go both ways
  over the VLAN interfaces; the server reaches both ToRs' loopbacks;
- edge-router: traffic crosses between the VLANs on connected and static routes, the
  blackholed part of the aggregate is dropped at the edge.

Each lab comes up with `nos_shell.lab.up.up` (the runtime of docs/lab.md) under a state
directory and router roots of this test's own, and is taken down even on failure. The
VLAN labs need the kernel's 8021q driver: skipped (also under CI) on a kernel without it.
"""
from __future__ import annotations

import contextlib
import ipaddress
import json
import subprocess
import sys
import uuid
from pathlib import Path

from lab import require_netns, require_networkd, require_tool
from netlab import require_driver, wait_for

PY = sys.executable
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CLIENT = r"""
import socket, sys
try:
    with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3) as c:
        print(c.recv(200).decode().strip())
except OSError as err:
    print(f"failed: {err}")
"""


def require_lab(*tools: str) -> None:
    require_netns()
    require_networkd()
    for tool in ("dbus-daemon", "busctl", "networkctl", "nsenter", "unshare", "hostname", "nft", *tools):
        require_tool(tool)


@contextlib.contextmanager
def example_lab(example: str, tmp: Path):
    """The example's lab, up under a fresh name, state directory and roots; down afterwards."""
    from nos_shell.lab import state as lab_state
    from nos_shell.lab.down import down
    from nos_shell.lab.up import up

    name = "ex" + uuid.uuid4().hex[:6]
    state_dir = tmp / "state"
    state_dir.mkdir()
    try:
        yield up(EXAMPLES / example / "lab.toml", name, tmp / "roots", state_dir)
    finally:
        if name in lab_state.names(state_dir):
            down(lab_state.load(name, state_dir))
    # lab down leaves nothing behind: no namespace of the lab, no router root
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert f"{name}_" not in listed, listed
    assert not (tmp / "roots").exists() and name not in lab_state.names(state_dir)


def run_in(state, node: str, *argv: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([*state.nodes[node].prefix, *argv], capture_output=True, text=True, timeout=timeout)


def call(state, node: str, address: str, port: int) -> str:
    """What the responder at address:port says to ``node`` ("failed: ..." when nothing)."""
    return run_in(state, node, PY, "-c", CLIENT, address, str(port)).stdout.strip()


def pings(state, node: str, address: str, source: str | None = None) -> bool:
    argv = ["ping", "-c", "1", "-W", "2", *(["-I", source] if source else []), address]
    return run_in(state, node, *argv).returncode == 0


def wait(what: str, check, timeout: float = 60.0):
    return wait_for(what, check, timeout, interval=0.5)


def address_in(state, node: str, link: str, network: str) -> str | None:
    out = run_in(state, node, "ip", "-4", "-j", "addr", "show", "dev", link).stdout or "[]"
    net = ipaddress.ip_network(network)
    for entry in json.loads(out):
        for info in entry.get("addr_info", []):
            if ipaddress.ip_address(info["local"]) in net:
                return info["local"]
    return None


def routes(state, node: str) -> list[dict]:
    return json.loads(run_in(state, node, "ip", "-4", "-j", "route", "show").stdout or "[]")


def has_route(state, node: str, prefix: str, dev: str | None = None) -> bool:
    want = prefix.removesuffix("/32")
    return any(r.get("dst") == want and (dev is None or r.get("dev") == dev) for r in routes(state, node))


def test_home_router(tmp_path):
    require_lab()
    with example_lab("home-router", tmp_path) as lab:
        wan_address = wait("gw's WAN lease from the ISP", lambda: address_in(lab, "gw", "eth0", "203.0.113.0/25"))
        lease = wait("pc's lease from gw", lambda: address_in(lab, "pc", "eth0", "198.51.100.0/24"))
        assert 100 <= int(lease.rsplit(".", 1)[1]) <= 199
        # the LAN reaches the WAN host, which sees the router's WAN address: the masquerade
        assert wait("pc reaching wan", lambda: (said := call(lab, "pc", "192.0.2.10", 80)).startswith("wan ")
                    and said) == f"wan {wan_address}"
        # the WAN host reaches the forwarded service, with its own address (no source NAT)
        assert call(lab, "wan", wan_address, 8080) == "server 192.0.2.10"
        # ... and nothing else
        for address, port in ((wan_address, 22), (wan_address, 80), ("198.51.100.10", 80), (lease, 80)):
            assert call(lab, "wan", address, port).startswith("failed"), (address, port)
        assert not pings(lab, "wan", wan_address)
        assert not pings(lab, "wan", lease)
        assert call(lab, "pc", "198.51.100.10", 80) == f"server {lease}"


def test_datacenter_node(tmp_path):
    require_driver("vlan")
    require_lab("bird", "birdc", "gobgpd", "gobgp")
    with example_lab("datacenter-node", tmp_path) as lab:
        wait("node1's routes from tor1 (BIRD) and tor2 (GoBGP) over the VLANs",
             lambda: has_route(lab, "node1", "192.0.2.1/32", "eth0.101")
             and has_route(lab, "node1", "192.0.2.2/32", "eth1.102"))
        for tor, dev in (("tor1", "eth0.101"), ("tor2", "eth0.102")):
            wait(f"node1's prefixes at {tor}",
                 lambda: all(has_route(lab, tor, p, dev) for p in ("192.0.2.11/32", "203.0.113.0/26",
                                                                    "203.0.113.64/26")))
        assert pings(lab, "server", "192.0.2.1", source="203.0.113.10")      # storage VLAN -> tor1
        assert pings(lab, "server", "192.0.2.2", source="203.0.113.70")      # management VLAN -> tor2


def test_edge_router(tmp_path):
    require_driver("vlan")
    require_lab("bird", "birdc", "gobgpd", "gobgp")
    with example_lab("edge-router", tmp_path) as lab:
        wait("web reachable from cust", lambda: call(lab, "cust", "203.0.113.70", 80) == "web 203.0.113.10")
        # static routes to the networks behind each host
        assert call(lab, "cust", "203.0.113.161", 80) == "web 203.0.113.10"
        assert pings(lab, "web", "203.0.113.129", source="203.0.113.161")
        # the part of the aggregate not in use is dropped at the edge, by the blackhole
        assert not pings(lab, "cust", "203.0.113.200")
        blackholes = json.loads(run_in(lab, "edge1", "ip", "-4", "-j", "route", "show", "type", "blackhole").stdout)
        assert [r["dst"] for r in blackholes] == ["203.0.113.0/24"]
        # (without it the default route to the transit would take the packet)
        assert run_in(lab, "edge1", "ip", "route", "get", "203.0.113.200").returncode != 0
        # the transit learns the aggregate by BGP and reaches the web server (WAN-LAN policy)
        wait("the aggregate at the transit", lambda: has_route(lab, "transit", "203.0.113.0/24", "eth0"))
        assert call(lab, "transit", "203.0.113.70", 80) == "web 192.0.2.1"


def test_a_vm_lab_batch_runs_its_commands_and_leaves_nothing(tmp_path):
    """What `lab up --vm` runs in the guest (nos_shell/lab/vmlab.py): up, each --then
    command, status, down; the exit status is the first failing command's (the ping to the
    blackholed address), and no namespace of the lab is left."""
    require_driver("vlan")
    require_lab("bird", "birdc", "gobgpd", "gobgp")
    name = "vb" + uuid.uuid4().hex[:6]
    result = subprocess.run([PY, "-m", "nos_shell.lab.vmlab", str(EXAMPLES / "edge-router" / "lab.toml"),
                             "--name", name, "--then", "exec cust -- ping -c 1 -W 3 203.0.113.70",
                             "--then", "exec cust -- ping -c 1 -W 2 203.0.113.200", "--then", "status"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "1 packets transmitted, 1 received" in out and "--- exit status 1" in out, out
    assert out.count(f"lab {name}: up") == 2 and "BGP of edge1:" in out, out     # --then status, and the last
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert f"{name}_" not in listed
