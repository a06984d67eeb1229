"""The VyOS neighbour options live (issue 13): a BIRD router and a GoBGP router peering
between their loopback addresses, configured only through nos-shell.

The lab of tests/test_bgp_live.py (two namespaces, a veth pair, 192.0.2.1/24 and
192.0.2.2/24 on `eth0`). Each router also gets a loopback address (10.255.0.1/32 on the
BIRD side, .2 on the GoBGP side) and a host route to the other's, put in by hand with
`ip` (no networkd runs in the lab); the configuration names the loopback addresses too,
since verify checks that an update-source is one of this router's addresses.

- with `update-source` (BIRD: the interface name `lo`, GoBGP: the address) and
  `ebgp-multihop 2` (and graceful restart, log-neighbor-changes, soft-reconfiguration
  inbound), the sessions come up between the loopbacks and each side accepts the
  other's prefix;
- with `local-as N no-prepend replace-as` on both sides the sessions come up between the
  local AS numbers, and the paths carry N alone;
- `shutdown` on one side takes the session down on both, `Idle (Admin)` on the side that
  shut it, and deleting it brings the session back;
- `redistribute static metric M` on either side reaches the other as the MED, and a
  changed metric on the GoBGP side replaces its path;
- `parameters distance` on the BIRD side: the learned route is in the kernel at the
  external or internal distance (an eBGP or an iBGP session), and a changed distance
  leaves it at the new metric alone;
- `maximum-prefix 1` on either side, with the other announcing two prefixes, takes the
  session down: BIRD reports "Route limit exceeded" when it is the limited side, and
  GoBGP's Cease ("Maximum number of prefixes reached") when GoBGP is.

Under CI=true missing tools or namespaces fail; elsewhere the tests are skipped.
"""
from __future__ import annotations

import pytest

from lab import run
from test_bgp_live import A_AS, A_NET, B_AS, B_NET, EXTRA_NET, TIMERS, Router, pair, wait_for, wires  # noqa: F401

A_LO, B_LO = "10.255.0.1", "10.255.0.2"


def _loopbacks(a: Router, b: Router) -> None:
    for router, own, other, via in ((a, A_LO, B_LO, "192.0.2.2"), (b, B_LO, A_LO, "192.0.2.1")):
        run("ip", "-n", router.ns, "link", "set", "lo", "up")
        run("ip", "-n", router.ns, "addr", "replace", f"{own}/32", "dev", "lo")
        run("ip", "-n", router.ns, "route", "replace", f"{other}/32", "via", via)


def _cleanup(a: Router, b: Router) -> None:
    for router, own, other in ((a, A_LO, B_LO), (b, B_LO, A_LO)):
        run("ip", "-n", router.ns, "addr", "del", f"{own}/32", "dev", "lo", check=False)
        run("ip", "-n", router.ns, "route", "del", f"{other}/32", check=False)


def _start(router: Router, backend: str, own: str, peer: str, peer_as: int | str, source: str, *extra: str,
           asn: int | None = None) -> str:
    n = f"set protocols bgp neighbor {peer}"
    multihop = [f"{n} ebgp-multihop 2"] if peer_as != "internal" else []
    return router.commit(
        f"set interfaces loopback lo address {own}/32",
        f"set protocols bgp system-as {asn or router.asn}",
        f"set protocols bgp backend {backend}",
        f"set protocols bgp parameters router-id {own}",
        f"{n} remote-as {peer_as}", f"{n} update-source {source}", *multihop,
        *(f"{n} {t}" for t in TIMERS),
        f"set protocols bgp address-family ipv4-unicast network {router.network}", *extra)


@pytest.fixture
def loopback_pair(pair):
    a, b = pair
    _loopbacks(a, b)
    try:
        yield a, b
    finally:
        _cleanup(a, b)


EVERYDAY = ("set protocols bgp parameters graceful-restart", "set protocols bgp parameters log-neighbor-changes")


def test_update_source_and_multihop_sessions_come_up_and_shutdown_takes_them_down(loopback_pair):
    a, b = loopback_pair
    soft = "address-family ipv4-unicast soft-reconfiguration inbound"
    assert "started" in _start(a, "bird", A_LO, B_LO, B_AS, "lo", *EVERYDAY,
                               f"set protocols bgp neighbor {B_LO} {soft}")
    assert "started" in _start(b, "gobgp", B_LO, A_LO, A_AS, B_LO, *EVERYDAY,
                               f"set protocols bgp neighbor {A_LO} {soft}")
    wait_for(lambda: a.established(B_LO) and b.established(A_LO), "the loopback sessions Established")
    wait_for(lambda: a.established(B_LO).accepted.get("ipv4-unicast") == 1
             and b.established(A_LO).accepted.get("ipv4-unicast") == 1, "each side's prefix accepted")
    detail = a.show(f"show bgp neighbors {B_LO}")
    assert f"Local host: {A_LO}, Remote host: {B_LO}" in detail      # update-source lo = 10.255.0.1
    assert f"{B_NET}" in a.show("show ip bgp")

    a.commit(f"set protocols bgp neighbor {B_LO} shutdown")
    wait_for(lambda: not b.established(A_LO), "the GoBGP side to see the session go down")
    assert a.peers()[B_LO].state == "Idle (Admin)"
    summary = [line for line in a.show("show ip bgp summary").splitlines() if line.startswith(B_LO)]
    assert summary and "Idle (Admin)" in summary[0]

    a.commit(f"delete protocols bgp neighbor {B_LO} shutdown")
    wait_for(lambda: a.established(B_LO) and b.established(A_LO), "the sessions back after shutdown is deleted")

    b.commit(f"set protocols bgp neighbor {A_LO} shutdown")
    wait_for(lambda: not a.established(B_LO), "the BIRD side to see the GoBGP shutdown")
    assert b.peers()[A_LO].state == "Idle (Admin)"


def _last_error(router: Router, peer: str) -> str:
    found = [line for line in router.show(f"show bgp neighbors {peer}").splitlines() if "Last error:" in line]
    return found[0].strip() if found else ""


@pytest.mark.parametrize("limited", ["bird", "gobgp"])
def test_maximum_prefix_tears_down_a_session_that_sends_more(loopback_pair, limited):
    """The limited side gets two prefixes where one is allowed: BIRD shuts the session down
    itself ("Route limit exceeded"), GoBGP sends a Cease that BIRD reports."""
    a, b = loopback_pair
    limit = "address-family ipv4-unicast maximum-prefix 1"
    more = f"set protocols bgp address-family ipv4-unicast network {EXTRA_NET}"
    if limited == "bird":
        _start(a, "bird", A_LO, B_LO, B_AS, "lo", f"set protocols bgp neighbor {B_LO} {limit}")
        _start(b, "gobgp", B_LO, A_LO, A_AS, B_LO, more)
    else:
        _start(a, "bird", A_LO, B_LO, B_AS, "lo", more)
        _start(b, "gobgp", B_LO, A_LO, A_AS, B_LO, f"set protocols bgp neighbor {A_LO} {limit}")
    # (an earlier attempt may have left "Connection refused" there: BIRD starts first)
    expected = "Route limit exceeded" if limited == "bird" else "Maximum number of prefixes reached"
    wait_for(lambda: expected in _last_error(a, B_LO), f"the BIRD side to report {expected!r}")
    assert not a.established(B_LO) and not b.established(A_LO)


def _bgp_line(router: Router, prefix: str) -> list[str]:
    return [line for line in router.show("show ip bgp").splitlines() if prefix in line]


def test_redistribute_metric_reaches_the_peer_as_the_med(loopback_pair):
    """Each side redistributes a blackhole static route with a metric; the other side
    shows it with that MED (BIRD: `bgp_med` in its export filter; GoBGP: `med` on the path
    nos-shell adds to its RIB, and a changed metric replaces the path)."""
    a, b = loopback_pair
    _start(a, "bird", A_LO, B_LO, B_AS, "lo", "set protocols static route 172.16.1.0/24 blackhole",
           "set protocols bgp address-family ipv4-unicast redistribute static metric 43")
    _start(b, "gobgp", B_LO, A_LO, A_AS, B_LO, "set protocols static route 172.16.2.0/24 blackhole",
           "set protocols bgp address-family ipv4-unicast redistribute static metric 42")
    def med(router: Router, prefix: str) -> str | None:
        lines = _bgp_line(router, prefix)
        return lines[0].split()[3] if lines and len(lines[0].split()) >= 7 else None

    wait_for(lambda: med(b, "172.16.1.0/24"), "BIRD's static route at the GoBGP side")
    wait_for(lambda: med(a, "172.16.2.0/24"), "GoBGP's static route at the BIRD side")
    assert (med(b, "172.16.1.0/24"), med(a, "172.16.2.0/24")) == ("43", "42")
    b.commit("set protocols bgp address-family ipv4-unicast redistribute static metric 44")
    wait_for(lambda: med(a, "172.16.2.0/24") == "44", "the new metric at the BIRD side")
    assert len(_bgp_line(a, "172.16.2.0/24")) == 1


def test_local_as_replaces_the_system_as_on_that_session(loopback_pair):
    """`local-as N no-prepend replace-as` on each side: the peer must expect AS N, and the
    paths it receives carry N alone."""
    a, b = loopback_pair
    _start(a, "bird", A_LO, B_LO, 64998, "lo", f"set protocols bgp neighbor {B_LO} local-as 64999 no-prepend replace-as")
    _start(b, "gobgp", B_LO, A_LO, 64999, B_LO, f"set protocols bgp neighbor {A_LO} local-as 64998 no-prepend replace-as")
    wait_for(lambda: a.established(B_LO) and b.established(A_LO), "the sessions between the local AS numbers")
    wait_for(lambda: _bgp_line(a, B_NET) and _bgp_line(b, A_NET), "each side's prefix")
    assert _bgp_line(a, B_NET)[0].split()[-2:] == ["64998", "i"]
    assert _bgp_line(b, A_NET)[0].split()[-2:] == ["64999", "i"]


@pytest.mark.parametrize("link", ["external", "internal"])
def test_distance_is_the_kernel_metric_of_learned_routes(loopback_pair, link):
    """BIRD installs the GoBGP side's prefix at the external or internal distance (over an
    eBGP or an iBGP session), and a new distance replaces the kernel route (none is left
    at the old metric)."""
    a, b = loopback_pair
    distance = "set protocols bgp parameters distance global"
    internal = link == "internal"
    _start(a, "bird", A_LO, B_LO, "internal" if internal else B_AS, "lo", f"{distance} external 30",
           f"{distance} internal 190", f"{distance} local 190")
    _start(b, "gobgp", B_LO, A_LO, "internal" if internal else A_AS, B_LO, asn=A_AS if internal else None)

    def metrics() -> list[int]:
        return sorted(r.get("metric", 0) for r in a.kernel(B_NET) if r.get("protocol") == "bird")

    first, then = ("internal 190", "internal 191") if internal else ("external 30", "external 31")
    wait_for(lambda: metrics() == [int(first.split()[1])], f"{B_NET} in the kernel at the {first} distance")
    a.commit(f"{distance} {then}")
    wait_for(lambda: metrics() == [int(then.split()[1])], f"{B_NET} in the kernel at {then} alone")
