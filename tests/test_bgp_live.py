"""BGP end to end: real BIRD and gobgpd in network namespaces, configured only through nos-shell.

Two namespaces joined by a veth pair (``eth0`` in both, 192.0.2.1/24 and 192.0.2.2/24) are
the lab's wiring, set up here with ``ip``. Each router is a :class:`Session` on its own
root whose ``etc/nos-shell/apply.toml`` makes commits live in its namespace (exec prefix
``ip netns exec NS``, BIRD's socket and gobgpd's pid files under the root; no networkd
runs there, so its reload is skipped: ``skip-reload``). Everything
about BGP goes through configuration commands and commit; the checks read the kernel
tables with ``ip`` and the sessions through the operational commands.

Short timers (hold 9, keepalive 3, connect 1) bring sessions up in about a second; every
wait polls with a deadline. Teardown deletes BGP with a commit (which stops the daemons and
the GoBGP route installer) and then kills whatever is left in the namespaces.
Under CI=true missing bird/birdc/gobgpd/gobgp fail the tests; elsewhere they are skipped.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import time
from pathlib import Path

import pytest

from lab import require_netns, require_tool, run
from netlab import linked_pair
from nos_shell.backends.bird.state import BirdState
from nos_shell.backends.gobgp.state import GobgpState
from nos_shell.models.bgp_state import Peer
from nos_shell.session import Session

A_ADDR, B_ADDR = "192.0.2.1", "192.0.2.2"
A_AS, B_AS = 65001, 65002
A_NET, B_NET = "198.51.100.0/25", "203.0.113.0/24"
EXTRA_NET = "198.51.100.128/25"
TIMERS = ("timers holdtime 9", "timers keepalive 3", "timers connect 1")
SUMMARY_HEADER = ("Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd"
                  "   PfxSnt Desc")
KERNEL_PROTO = {"bird": "bird", "gobgp": "bgp"}


@pytest.fixture(scope="module")
def wires():
    """Two namespaces and the veth pair between them (module-wide: routers are per test)."""
    require_netns()
    for tool in ("bird", "birdc", "gobgpd", "gobgp"):
        require_tool(tool)
    with linked_pair("nbga", "nbgb", f"{A_ADDR}/24", f"{B_ADDR}/24") as pair:
        yield pair


class Router:
    def __init__(self, ns: str, root: Path, address: str, asn: int, peer: str, peer_as: int, network: str):
        self.ns, self.root, self.address, self.asn = ns, root, address, asn
        self.peer, self.peer_as, self.network = peer, peer_as, network
        settings = root / "etc/nos-shell/apply.toml"
        settings.parent.mkdir(parents=True)
        settings.write_text(
            "live = true\n"
            f'exec-prefix = ["ip", "netns", "exec", "{ns}"]\n'
            f'bird-socket = "{root}/run/bird.ctl"\n'
            'gobgp-api = "127.0.0.1:50051"\n'      # loopback of the router's own namespace
            'skip-reload = ["networkd"]\n')        # no networkd runs in these namespaces
        self.session = Session(root)

    def commit(self, *lines: str) -> str:
        """Configuration commands and a commit; returns the commit's output (notes)."""
        s = self.session
        s.execute("configure")
        try:
            for line in lines:
                s.execute(line)
            return s.execute("commit")
        finally:
            s.execute("discard") if s.modified else None
            s.execute("exit")

    def start_bgp(self, backend: str, *extra: str) -> str:
        n = f"set protocols bgp neighbor {self.peer}"
        return self.commit(
            f"set protocols bgp system-as {self.asn}",
            f"set protocols bgp backend {backend}",
            f"set protocols bgp parameters router-id {self.address}",
            f"{n} remote-as {self.peer_as}", *(f"{n} {t}" for t in TIMERS),
            f"set protocols bgp address-family ipv4-unicast network {self.network}", *extra)

    @property
    def backend(self) -> str:
        return self.session.running.value("protocols", "bgp", "backend")

    def peers(self) -> dict[str, Peer]:
        from nos_shell.apply import load_target

        cls = GobgpState if self.backend == "gobgp" else BirdState
        return {p.address: p for p in cls(load_target(self.root)).peers()}

    def established(self, address: str | None = None) -> Peer | None:
        try:
            peer = self.peers().get(address or self.peer)
        except Exception:
            return None
        return peer if peer is not None and peer.established else None

    def kernel(self, prefix: str) -> list[dict]:
        """The kernel's routes for exactly ``prefix`` in this router's namespace."""
        return json.loads(run("ip", "-n", self.ns, "-j", "route", "show", "exact", prefix).stdout or "[]")

    def has_learned(self, prefix: str, via: str) -> bool:
        """``prefix`` is in the kernel via ``via``, installed by this router's BGP daemon."""
        proto = KERNEL_PROTO[self.backend]
        routes = json.loads(run("ip", "-n", self.ns, "-j", "route", "show", "exact", prefix,
                                "proto", proto).stdout or "[]")
        return any(r.get("gateway") == via for r in routes)

    def show(self, line: str) -> str:
        return self.session.execute(line)

    def processes(self) -> list[str]:
        return run("ip", "netns", "pids", self.ns).stdout.split()

    def shutdown(self) -> None:
        """Delete BGP through nos-shell (stops its daemons), then kill anything left."""
        with contextlib.suppress(Exception):
            if self.session.running.exists("protocols", "bgp"):
                self.commit("delete protocols bgp")
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), 9)
        for proto in ("bird", "bgp"):
            run("ip", "-n", self.ns, "route", "flush", "proto", proto, check=False)


def wait_for(predicate, what: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def pair(wires, tmp_path):
    a_ns, b_ns = wires
    a = Router(a_ns, tmp_path / "a", A_ADDR, A_AS, B_ADDR, B_AS, A_NET)
    b = Router(b_ns, tmp_path / "b", B_ADDR, B_AS, A_ADDR, A_AS, B_NET)
    try:
        yield a, b
    finally:
        for router in (a, b):
            router.shutdown()


def _no_numbers(text: str) -> str:
    """``text`` with every run of digits one mark: its words and layout only."""
    return re.sub(r"\d+", "N", text)


def _up(a: Router, b: Router) -> tuple[Peer, Peer]:
    """Both sides established and each has the other's prefix in its kernel."""
    wait_for(lambda: a.established() and b.established(), "both sessions Established")
    wait_for(lambda: a.has_learned(B_NET, B_ADDR), f"{B_NET} in {a.backend} router's kernel")
    wait_for(lambda: b.has_learned(A_NET, A_ADDR), f"{A_NET} in {b.backend} router's kernel")
    return a.established(), b.established()   # type: ignore[return-value]


# -- the three pairs ------------------------------------------------------------------------
@pytest.mark.parametrize("a_backend,b_backend", [("bird", "gobgp"), ("bird", "bird"), ("gobgp", "gobgp")],
                         ids=["bird-gobgp", "bird-bird", "gobgp-gobgp"])
def test_sessions_come_up_and_routes_reach_the_kernel(pair, a_backend, b_backend):
    a, b = pair
    assert "started" in a.start_bgp(a_backend)
    assert "started" in b.start_bgp(b_backend)
    pa, pb = _up(a, b)
    assert (pa.remote_as, pb.remote_as) == (B_AS, A_AS)
    assert pa.accepted["ipv4-unicast"] == pb.accepted["ipv4-unicast"] == 1

    # the same operational tables whichever daemon runs
    for router, peer, peer_as in ((a, B_ADDR, B_AS), (b, A_ADDR, A_AS)):
        summary = router.show("show ip bgp summary").splitlines()
        assert summary[0] == "IPv4 Unicast Summary:"
        assert summary[1] == f"BGP router identifier {router.address}, local AS number {router.asn}"
        assert summary[2] == "Total number of neighbors 1, established 1"
        assert summary[4] == SUMMARY_HEADER
        cells = summary[5].split()
        assert cells[:3] == [peer, "4", str(peer_as)] and cells[5:8] == ["0", "0", "0"]
        assert cells[9:] == ["1", "1", "N/A"]
        assert router.show("show bgp summary").splitlines()[:5] == summary[:5]   # the same command
        detail = router.show(f"show bgp neighbors {peer}")
        assert f"BGP neighbor is {peer}, remote AS {peer_as}, local AS {router.asn}, external link" in detail
        assert "BGP state = Established, up for " in detail
        assert "Hold time is 9, keepalive interval is 3 seconds" in detail
        assert f"Local host: {router.address}, Remote host: {peer}" in detail
        assert "1 accepted prefixes" in detail and "1 announced prefixes" in detail
        # the same command (counters may move between the two reads: a keepalive every 3 s)
        assert _no_numbers(router.show("show ip bgp neighbors")) == _no_numbers(router.show("show bgp neighbors"))
        learned = B_NET if router is a else A_NET
        routes = router.show("show ip route bgp").splitlines()
        assert any(line.startswith(f"B>* {learned} [20/0] via {peer}, eth0, ") for line in routes), routes
        # the router's own announcement is not a learned route
        assert not any(router.network in line for line in routes)


def test_gobgp_router_id_change_restarts_gobgpd_and_says_so(pair):
    a, b = pair
    a.start_bgp("bird")
    b.start_bgp("gobgp")
    _up(a, b)
    output = b.commit("set protocols bgp parameters router-id 192.0.2.22")
    assert "restarted gobgpd" in output and "sessions were reset" in output
    wait_for(lambda: a.established() and (a.established().router_id == "192.0.2.22"),
             "the session with the new router id")
    _up(a, b)
    assert "BGP router identifier 192.0.2.22" in b.show("show ip bgp summary")


# -- live changes -----------------------------------------------------------------------------
def _since(router: Router) -> float:
    peer = router.established()
    assert peer is not None and peer.since is not None
    return peer.since


@pytest.mark.parametrize("backend,peer_backend", [("bird", "gobgp"), ("gobgp", "bird")])
def test_adding_a_neighbor_and_an_announcement_keeps_the_session(pair, backend, peer_backend):
    a, b = pair
    a.start_bgp(backend)
    b.start_bgp(peer_backend)
    _up(a, b)
    before = (_since(a), _since(b))
    time.sleep(1.1)      # a reset now would show as a later establishment time (1 s resolution)
    output = a.commit("set protocols bgp neighbor 192.0.2.3 remote-as 65003",
                      *(f"set protocols bgp neighbor 192.0.2.3 {t}" for t in TIMERS),
                      f"set protocols bgp address-family ipv4-unicast network {EXTRA_NET}")
    assert "restarted" not in output and "started" not in output
    wait_for(lambda: b.has_learned(EXTRA_NET, A_ADDR), f"the new announcement {EXTRA_NET} at the peer")
    peers = a.peers()
    assert set(peers) == {B_ADDR, "192.0.2.3"}
    assert not peers["192.0.2.3"].established
    assert "192.0.2.3" in a.show("show ip bgp summary")
    assert (_since(a), _since(b)) == before
    assert a.established().accepted["ipv4-unicast"] == 1        # type: ignore[union-attr]

    a.commit("delete protocols bgp neighbor 192.0.2.3")          # and removing it again
    wait_for(lambda: set(a.peers()) == {B_ADDR}, "neighbor 192.0.2.3 gone from the daemon")
    assert (_since(a), _since(b)) == before


@pytest.mark.parametrize("backend,peer_backend", [("bird", "gobgp"), ("gobgp", "bird")])
def test_deleting_an_announcement_withdraws_it_at_the_peer(pair, backend, peer_backend):
    a, b = pair
    a.start_bgp(backend, f"set protocols bgp address-family ipv4-unicast network {EXTRA_NET}")
    b.start_bgp(peer_backend)
    _up(a, b)
    wait_for(lambda: b.has_learned(EXTRA_NET, A_ADDR), f"{EXTRA_NET} at the peer")
    before = _since(b)
    a.commit(f"delete protocols bgp address-family ipv4-unicast network {EXTRA_NET}")
    wait_for(lambda: not b.kernel(EXTRA_NET), f"{EXTRA_NET} withdrawn from the peer's kernel")
    assert EXTRA_NET not in b.show("show ip route bgp")
    assert b.has_learned(A_NET, A_ADDR)          # the other announcement stays
    assert _since(b) == before


# -- switching the backend --------------------------------------------------------------------
def test_switching_backends_brings_back_the_same_sessions_and_prefixes(pair):
    a, b = pair
    a.start_bgp("bird")
    b.start_bgp("bird")
    _up(a, b)
    summary_bird = a.show("show ip bgp summary").splitlines()

    output = a.commit("set protocols bgp backend gobgp")
    assert "stopped BIRD" in output and "started gobgpd" in output
    assert not json.loads(run("ip", "-n", a.ns, "-j", "route", "show", "proto", "bird").stdout or "[]")
    _up(a, b)
    assert a.has_learned(B_NET, B_ADDR)          # now proto bgp: installed by the GoBGP side
    summary_gobgp = a.show("show ip bgp summary").splitlines()
    assert summary_gobgp[:5] == summary_bird[:5]
    assert summary_gobgp[5].split()[:3] == summary_bird[5].split()[:3]
    assert summary_gobgp[5].split()[9:] == ["1", "1", "N/A"]

    output = a.commit("set protocols bgp backend bird")
    assert "stopped gobgpd" in output and "started BIRD" in output
    _up(a, b)
    assert not json.loads(run("ip", "-n", a.ns, "-j", "route", "show", "proto", "bgp").stdout or "[]")


def test_a_gobgpd_that_died_is_started_again_by_the_next_commit(pair):
    a, b = pair
    a.start_bgp("gobgp")
    b.start_bgp("bird")
    _up(a, b)
    pid = (a.root / "run/nos-shell/gobgpd.pid").read_text().strip()
    os.kill(int(pid), 9)
    wait_for(lambda: not b.established(), "the peer noticing")
    output = a.commit(f"set protocols bgp neighbor {B_ADDR} description back")
    assert "started gobgpd" in output
    _up(a, b)       # the route installer reconnected to the new gobgpd and synced the kernel
    assert "back" in a.show("show ip bgp summary")


def test_deleting_bgp_stops_everything(pair):
    a, b = pair
    a.start_bgp("gobgp")
    b.start_bgp("bird")
    _up(a, b)
    assert "stopped gobgpd" in a.commit("delete protocols bgp")
    assert "stopped BIRD" in b.commit("delete protocols bgp")
    assert a.processes() == [] and b.processes() == []
    assert not a.kernel(B_NET) and not b.kernel(A_NET)


def test_boot_after_a_restart_brings_bgp_and_nat_back(pair):
    """As after a reboot: the daemons are gone and the NAT table flushed; `boot` restores both."""
    from nos_shell.engine.boot import boot

    a, b = pair
    a.start_bgp("bird", "set nat source rule 10 outbound-interface name 'eth0'",
                "set nat source rule 10 translation address 'masquerade'", "set interfaces ethernet eth0")
    b.start_bgp("bird")
    _up(a, b)
    for pid in a.processes():                      # the "reboot": BIRD dies, the table is flushed
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid), 9)
    run("ip", "netns", "exec", a.ns, "nft", "delete", "table", "ip", "nos_shell_nat")
    run("ip", "-n", a.ns, "route", "flush", "proto", "bird", check=False)
    wait_for(lambda: not a.processes(), "BIRD gone")
    out = boot(a.root)
    assert out.endswith("Applied revision 0 (live)\n")
    _up(a, b)
    tables = run("ip", "netns", "exec", a.ns, "nft", "list", "tables").stdout
    assert "table ip nos_shell_nat" in tables
