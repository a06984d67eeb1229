"""The BGP operational views against real BIRD and GoBGP: one lab per module, both daemons.

Router A (192.0.2.1, AS 65001) peers with router B (192.0.2.2, AS 65002) over a veth
pair; both also have a neighbor that never answers (192.0.2.3) and one that is shut down
(192.0.2.4). The module runs once with A on BIRD and B on GoBGP, so every view is read
from both daemons in the same session state, and each check compares the two.
Under CI=true missing daemons fail (tests/lab.py); elsewhere they skip.
"""
from __future__ import annotations

import re

import pytest

from lab import require_netns, require_tool
from netlab import linked_pair
from nos_shell.errors import NosError
from test_bgp_live import A_ADDR, A_AS, A_NET, B_ADDR, B_AS, B_NET, Router, wait_for

DEAD = ("set protocols bgp neighbor 192.0.2.3 remote-as 65003",
        "set protocols bgp neighbor 192.0.2.3 timers connect 1",
        "set protocols bgp neighbor 192.0.2.4 remote-as 65004",
        "set protocols bgp neighbor 192.0.2.4 shutdown")
HEADER = ("Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd"
          "   PfxSnt Desc")


@pytest.fixture(scope="module")
def routers(tmp_path_factory):
    """A on BIRD, B on GoBGP, established, each with the other's prefix in its kernel."""
    require_netns()
    for tool in ("bird", "birdc", "gobgpd", "gobgp"):
        require_tool(tool)
    tmp = tmp_path_factory.mktemp("bgpops")
    with linked_pair("opba", "opbb", f"{A_ADDR}/24", f"{B_ADDR}/24") as (a_ns, b_ns):
        a = Router(a_ns, tmp / "a", A_ADDR, A_AS, B_ADDR, B_AS, A_NET)
        b = Router(b_ns, tmp / "b", B_ADDR, B_AS, A_ADDR, A_AS, B_NET)
        for router in (a, b):        # show ip route reads the kernel of this namespace
            settings = router.root / "etc/nos-shell/apply.toml"
            settings.write_text(settings.read_text() + f'netns = "{router.ns}"\n')
        try:
            a.start_bgp("bird", *DEAD, f"set protocols bgp neighbor {B_ADDR} description uplink")
            b.start_bgp("gobgp", *DEAD, f"set protocols bgp neighbor {A_ADDR} description uplink")
            _wait_up(a, b)
            yield a, b
        finally:
            for router in (a, b):
                router.shutdown()


def _wait_up(a: Router, b: Router, timeout: float = 20.0) -> None:
    wait_for(lambda: a.established() and b.established(), "both sessions Established", timeout)
    wait_for(lambda: a.has_learned(B_NET, B_ADDR) and b.has_learned(A_NET, A_ADDR), "prefixes in the kernels",
             timeout)


@pytest.fixture
def up(routers):
    """The routers with both sessions Established and the prefixes learned: the reset test
    leaves them down (gobgpd holds a neighbor it reset idle for 30 s), so a test run after it
    waits for them to come back."""
    _wait_up(*routers, timeout=90)
    return routers


def _rows(text: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split() for line in text.splitlines() if re.match(r"\d+\.\d+\.\d+\.\d+ ", line)}


def test_summary_columns_and_states_are_the_same_under_both_daemons(up):
    a, b = up
    sa, sb = a.show("show ip bgp summary"), b.show("show ip bgp summary")
    assert HEADER in sa.splitlines() and HEADER in sb.splitlines()
    ra, rb = _rows(sa), _rows(sb)
    for rows, peer, peer_as in ((ra, B_ADDR, B_AS), (rb, A_ADDR, A_AS)):
        up = rows[peer]
        assert up[1:3] == ["4", str(peer_as)] and up[5:8] == ["0", "0", "0"]
        assert int(up[3]) >= 3 and int(up[4]) >= 3                 # OPEN, KEEPALIVE, UPDATE at least
        assert re.fullmatch(r"\d\d:\d\d:\d\d", up[8]) and up[9:] == ["1", "1", "uplink"]
    # the dead neighbor and the shut-down one: same words, same columns
    assert ra["192.0.2.3"][1:] == rb["192.0.2.3"][1:] == [
        "4", "65003", "0", "0", "0", "0", "0", "never", "Active", "0", "N/A"]
    assert ra["192.0.2.4"][1:] == rb["192.0.2.4"][1:] == [
        "4", "65004", "0", "0", "0", "0", "0", "never", "Idle", "(Admin)", "0", "N/A"]


def test_the_bgp_table(up):
    a, b = up
    for router, own, learned, peer, peer_as in ((a, A_NET, B_NET, B_ADDR, B_AS), (b, B_NET, A_NET, A_ADDR, A_AS)):
        lines = router.show("show ip bgp").splitlines()
        assert lines[0] == f"BGP table version is 0, local router ID is {router.address}, vrf id 0"
        assert "   Network          Next Hop            Metric LocPrf Weight Path" in lines
        assert f"*> {own:<16} 0.0.0.0                  0         32768 i" in lines, lines
        assert any(re.fullmatch(rf"\*> {re.escape(learned)}\s+{peer}\s+\d*\s+0 {peer_as} i", line)
                   for line in lines), lines
        assert lines[-1] == "Displayed  2 routes and 2 total paths"


def test_neighbor_routes_received_and_advertised(up):
    a, b = up
    for router, own, learned, peer in ((a, A_NET, B_NET, B_ADDR), (b, B_NET, A_NET, A_ADDR)):
        for view in ("routes", "received-routes"):
            text = router.show(f"show ip bgp neighbors {peer} {view}")
            assert f"*> {learned:<16} {peer}" in text and own not in text, (view, text)
            assert text.endswith("Displayed  1 routes and 1 total paths\n")
        sent = router.show(f"show ip bgp neighbors {peer} advertised-routes")
        assert f"*> {own:<16} 0.0.0.0" in sent and learned not in sent, sent
        assert sent.endswith("Total number of prefixes 1\n")
        assert "Total number of prefixes 0" in router.show("show ip bgp neighbors 192.0.2.3 advertised-routes")
        with pytest.raises(NosError, match="No such neighbor: 192.0.2.99"):
            router.show("show ip bgp neighbors 192.0.2.99 routes")


def test_route_views_agree_on_codes_and_distance_metric(up):
    a, b = up
    for router, learned, peer in ((a, B_NET, B_ADDR), (b, A_NET, A_ADDR)):
        full, bgp = router.show("show ip route"), router.show("show ip route bgp")
        assert full.splitlines()[:3] == bgp.splitlines()[:3]               # one Codes block
        wanted = re.compile(rf"B>\* {re.escape(learned)} \[20/0\] via {peer}, eth0, \d\d:\d\d:\d\d")
        assert wanted.search(full) and wanted.search(bgp), (full, bgp)
        static = router.show("show ip route static")
        assert static.splitlines()[:3] == full.splitlines()[:3]
        summary = router.show("show ip route summary").splitlines()
        assert summary[0] == "Route Source         Routes               FIB  (vrf default)"
        assert "bgp                  1                    1" in summary
        assert "connected            1                    1" in summary


def test_soft_reset_keeps_the_session_and_hard_reset_restarts_it(up):
    """gobgpd keeps a neighbor it reset idle for 30 s (its idle-hold-time-after-reset), so
    the GoBGP side is only seen going down (a test after this one waits: the ``up`` fixture)."""
    a, b = up
    for router, other in ((a, b), (b, a)):
        before = router.established().since                              # type: ignore[union-attr]
        updates = other.established().updates_rcvd                       # type: ignore[union-attr]
        assert router.show(f"reset ip bgp {router.peer} soft") == ""
        # the routes are sent again (the peer counts more updates), the session stays
        wait_for(lambda: other.established().updates_rcvd > updates,     # type: ignore[union-attr]
                 "the peer to receive the routes again", 10)
        assert router.established() and router.established().since == before   # type: ignore[union-attr]
    assert a.show("reset ip bgp all soft") == "" and b.show("reset ip bgp all soft") == ""
    with pytest.raises(NosError, match="No such neighbor"):
        a.show("reset ip bgp 192.0.2.99")

    before = a.established().since                                       # type: ignore[union-attr]
    assert a.show(f"reset ip bgp {B_ADDR}") == ""                         # BIRD: restart
    wait_for(lambda: a.established() and a.established().since != before,   # type: ignore[union-attr]
             "BIRD's session to come up again after the reset")
    _wait_up(a, b)
    assert b.show(f"reset ip bgp {A_ADDR}") == ""                         # GoBGP: neighbor reset
    wait_for(lambda: not a.established() and not b.established(), "GoBGP's reset to close the session", 10)
    assert _rows(b.show("show ip bgp summary"))[A_ADDR][9] == "Active"
