"""End to end: `service dns forwarding` on a router namespace configured only through
nos-shell commits (tests/netlab.py), with PowerDNS Recursor started by the commit.

    wan (s19v5-w…) wan0 203.0.113.2/24: a tiny authoritative server (tests/dnslab.py)
        port 5353: www.example.test -> 198.51.100.77    (the upstream `name-server`)
        port 5300: host.corp.example -> 198.51.100.88   (`domain corp.example`)
      |
    eth0  router (s19v5-r…) 203.0.113.1/24; eth1 192.0.2.1/24, the forwarder listens there
      |
    lan (s19v5-l…) lan0 192.0.2.10/24 (inside allow-from) and 192.0.2.200/24 (outside it)

The tests run in file order on one router and build on each other.
"""
from __future__ import annotations

import shutil
import tempfile
import tomllib
from pathlib import Path

import pytest
import tomli_w

from dnslab import ask, authoritative
from lab import require_networkd, require_netns, require_tool
from netlab import ipaddr, lab, wait_for

FWD = "set service dns forwarding "
INSIDE, OUTSIDE = "192.0.2.10", "192.0.2.200"
BASE = [
    "set interfaces ethernet eth0 address 203.0.113.1/24",
    "set interfaces ethernet eth1 address 192.0.2.1/24",
    FWD + "listen-address 192.0.2.1",
    FWD + "allow-from 192.0.2.0/25",
    FWD + "name-server 203.0.113.2 port 5353",
    FWD + "domain corp.example name-server 203.0.113.2 port 5300",
]


@pytest.fixture(scope="module")
def net():
    require_netns()
    require_networkd()
    for tool in ("pdns_recursor", "rec_control", "nsenter", "unshare", "dbus-daemon", "networkctl"):
        require_tool(tool)
    # the recursor re-reads its file as user pdns: the lab must not sit under pytest's
    # 0700 directory; the socket directory is short (a socket path has 108 bytes)
    sockets, top = tempfile.mkdtemp(prefix="s19v5-"), Path(tempfile.mkdtemp(prefix="s19v5-lab-"))
    top.chmod(0o755)
    try:
        with lab(top / "lab") as L:
            router = L.router("s19v5-r")
            lan, wan = L.host("s19v5-l"), L.host("s19v5-w")
            L.wire(router, "eth0", wan, "wan0")
            L.wire(router, "eth1", lan, "lan0")
            ipaddr(wan.ns, "wan0", "203.0.113.2/24")
            ipaddr(lan.ns, "lan0", f"{INSIDE}/24", f"{OUTSIDE}/24")
            settings = router.root / "etc/nos-shell/apply.toml"
            data = tomllib.loads(settings.read_text())
            data["pdns-socket-dir"] = sockets
            settings.write_text(tomli_w.dumps(data))
            tables = {5353: {"www.example.test": "198.51.100.77"}, 5300: {"host.corp.example": "198.51.100.88"}}
            with authoritative(wan.ns, "203.0.113.2", tables):
                yield router, lan, sockets
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
        shutil.rmtree(top, ignore_errors=True)


def _pid(router) -> str:
    return (router.root / "run/nos-shell/pdns-recursor.pid").read_text().strip()


def _rec(router, sockets: str, *args: str) -> str:
    return router.run("rec_control", f"--socket-dir={sockets}", "--config-name=nos-shell", *args,
                      check=False).stdout.strip()


def _serving(router, allow_from: list[str] | None = None) -> None:
    """DNS forwarding configured and the recursor running, as after the first test (each
    test stands alone: run by itself, it commits BASE first); ``allow_from``: exactly these."""
    running, at = router.session().running, ("service", "dns", "forwarding")
    ready = running.node(*at) is not None and (router.root / "run/nos-shell/pdns-recursor.pid").exists()
    if ready and allow_from is not None:
        ready = running.values(*at, "allow-from") == allow_from
    if not ready:       # from nothing: one commit changing a running recursor's ACL only reloads it
        if running.node(*at) is not None:
            router.commit("delete service dns forwarding")
        out = router.commit(*BASE)
        assert "started PowerDNS Recursor" in out, out


def _resolves(lan, source: str, name: str, address: str) -> None:
    wait_for(f"{name} -> {address} from {source}", lambda: ask(lan.ns, source, "192.0.2.1", name) == address, 15, 0.2)


def test_a_lan_host_resolves_through_the_router_to_the_wan_server(net):
    router, lan, sockets = net
    if router.session().running.node("service", "dns", "forwarding") is not None:     # a test before this one
        router.commit("delete service dns forwarding")
    out = router.commit(*BASE)
    assert "DNS forwarding: started PowerDNS Recursor" in out
    _resolves(lan, INSIDE, "www.example.test", "198.51.100.77")           # via name-server, port 5353
    _resolves(lan, INSIDE, "host.corp.example", "198.51.100.88")          # via domain corp.example, port 5300
    assert ask(lan.ns, INSIDE, "192.0.2.1", "host.corp.example") == "198.51.100.88"


def test_a_host_outside_allow_from_gets_no_answer(net):
    router, lan, sockets = net
    _serving(router, ["192.0.2.0/25"])
    before = int(_rec(router, sockets, "get", "unauthorized-udp") or 0)
    assert ask(lan.ns, OUTSIDE, "192.0.2.1", "www.example.test", wait=1.5) == "TIMEOUT"
    assert int(_rec(router, sockets, "get", "unauthorized-udp")) == before + 1   # dropped by the ACL


def test_widening_allow_from_reloads_the_acl_in_the_same_process(net):
    router, lan, sockets = net
    _serving(router, ["192.0.2.0/25"])
    pid = _pid(router)
    out = router.commit(FWD + "allow-from 192.0.2.128/25", FWD + "cache-size 500")
    assert "started PowerDNS Recursor" not in out and "restarting" not in out
    _resolves(lan, OUTSIDE, "www.example.test", "198.51.100.77")
    assert _pid(router) == pid and router.run("cat", f"/proc/{pid}/cmdline").stdout.startswith("pdns_recursor")
    assert _rec(router, sockets, "get", "max-cache-entries") == "500"


def test_a_new_listen_address_restarts_it(net):
    router, lan, sockets = net
    _serving(router)
    pid = _pid(router)
    out = router.commit("set interfaces ethernet eth1 address 192.0.2.2/24", FWD + "listen-address 192.0.2.2")
    assert "stopped PowerDNS Recursor" in out and "started PowerDNS Recursor" in out
    assert _pid(router) != pid
    wait_for("an answer on 192.0.2.2",
             lambda: ask(lan.ns, INSIDE, "192.0.2.2", "www.example.test") == "198.51.100.77", 15, 0.2)


def test_deleting_dns_forwarding_stops_the_recursor(net):
    router, lan, sockets = net
    _serving(router)
    pid = _pid(router)
    out = router.commit("delete service dns forwarding")
    assert "DNS forwarding: stopped PowerDNS Recursor" in out
    assert not (router.root / "etc/powerdns/recursor-nos-shell.conf").exists()
    assert "pdns_recursor" not in router.run("cat", f"/proc/{pid}/cmdline", check=False).stdout   # gone (or a zombie)
    assert ask(lan.ns, INSIDE, "192.0.2.1", "www.example.test", wait=1.0) == "TIMEOUT"
