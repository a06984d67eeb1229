"""`show ip route` / `show ipv6 route` read the router's namespace (one the test builds)."""
from __future__ import annotations

import pytest

from lab import netns, run
from nos_shell.errors import NosError
from nos_shell.ops.route_line import CODES
from nos_shell.session import Session


@pytest.fixture(scope="module")
def router(tmp_path_factory):
    with netns("nosrt") as ns:
        run("ip", "-n", ns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
        run("ip", "-n", ns, "addr", "add", "192.0.2.1/24", "dev", "veth0")
        for dev in ("veth0", "veth1"):
            run("ip", "-n", ns, "link", "set", dev, "up")
        run("ip", "-n", ns, "-6", "addr", "add", "2001:db8::1/64", "dev", "veth0", "nodad")
        run("ip", "-n", ns, "route", "add", "198.51.100.0/24", "via", "192.0.2.2", "proto", "static",
            "metric", "20")
        run("ip", "-n", ns, "route", "add", "blackhole", "203.0.113.0/24", "proto", "static")
        root = tmp_path_factory.mktemp("rt")
        (root / "etc/nos-shell").mkdir(parents=True)
        (root / "etc/nos-shell/apply.toml").write_text(f'netns = "{ns}"\n')
        yield Session(root)


def test_ipv4_routes_in_frr_layout(router):
    out = router.execute("show ip route")
    assert out.startswith(CODES)
    assert "S>* 198.51.100.0/24 [1/20] via 192.0.2.2, veth0\n" in out
    assert "S>* 203.0.113.0/24 [1/0] blackhole\n" in out
    assert "C>* 192.0.2.0/24 is directly connected, veth0\n" in out


def test_filters(router):
    assert "198.51.100.0/24" in router.execute("show ip route static")
    assert "192.0.2.0/24" not in router.execute("show ip route static")
    assert router.execute("show ip route 198.51.100.7").splitlines()[3:] == [
        "S>* 198.51.100.0/24 [1/20] via 192.0.2.2, veth0"]
    with pytest.raises(NosError, match="Invalid filter"):
        router.execute("show ip route bogus")


def test_route_summary_counts_per_source(router):
    out = router.execute("show ip route summary").splitlines()
    assert out[0] == "Route Source         Routes               FIB  (vrf default)"
    assert out[1:] == ["connected            1                    1",
                       "static               2                    2",
                       "------",
                       "Totals               3                    3"]
    assert "Totals" in router.execute("show ipv6 route summary")


def test_ipv6_routes(router):
    assert "C>* 2001:db8::/64 is directly connected, veth0\n" in router.execute("show ipv6 route")


def test_show_interfaces_reads_the_router_namespace(router):
    out = router.execute("show interfaces")
    assert "veth0            192.0.2.1/24" in out
    assert "veth1" in out


def test_show_interfaces_detail_has_counters_napalm_can_read(router):
    import re

    out = router.execute("show interfaces detail")
    assert re.search(r"^veth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP$", out, re.M)
    assert "    inet 192.0.2.1/24\n" in out
    # napalm-vyos: interface names from "NAME: <", then pairs of six-number rows (RX, TX)
    names = re.findall(r"(\S+): <.*", out)
    rows = re.findall(r"(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", out)
    assert set(names) == {"lo", "veth0", "veth1"} and len(rows) == 2 * len(names)


def test_show_arp_and_ipv6_neighbors(router):
    ns = router.store.root.joinpath("etc/nos-shell/apply.toml").read_text().split('"')[1]
    run("ip", "-n", ns, "neigh", "replace", "192.0.2.9", "lladdr", "02:00:00:00:00:09", "dev", "veth0",
        "nud", "permanent")
    run("ip", "-n", ns, "-6", "neigh", "replace", "2001:db8::9", "lladdr", "02:00:00:00:00:0a", "dev", "veth0",
        "nud", "permanent")
    arp = router.execute("show arp")
    assert arp.splitlines()[0].split() == ["Address", "Interface", "Link", "layer", "address", "State"]
    assert "192.0.2.9  veth0      02:00:00:00:00:09   PERMANENT" in arp
    assert router.execute("show arp veth1").count("\n") == 2            # header lines only
    assert "2001:db8::9" in router.execute("show ipv6 neighbors")


def test_bgp_routes_show_the_daemons_distance_and_med_not_the_kernel_metric():
    from nos_shell.ops.route_line import BgpPath
    from nos_shell.ops.routes import KernelRoute, render

    routes = [KernelRoute("203.0.113.0/24", "B", 32, (("192.0.2.2", "eth0"),))]   # BIRD installs metric 32
    paths = {"203.0.113.0/24": BgpPath(200, 50, "00:01:00")}
    assert render(routes, 4, paths).endswith("B>* 203.0.113.0/24 [200/50] via 192.0.2.2, eth0, 00:01:00\n")
    # no daemon to ask: FRR's eBGP distance and no MED, still not the kernel's 32
    assert render(routes, 4).endswith("B>* 203.0.113.0/24 [20/0] via 192.0.2.2, eth0\n")
