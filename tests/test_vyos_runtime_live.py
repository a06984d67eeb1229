"""Live, in namespaces: a static route through a DHCP uplink comes up once the lease arrives,
and a bridge member that only the kernel has is accepted on a live router.

    ISP (its own networkd: DHCP server on isp0, 100.64.0.1/24)
      |  isp0 ---- eth0 (router: address dhcp; route 10.8.0.0/16 next-hop 100.64.0.1)
    router
      eth5: a link the router's kernel has (one end of a veth pair), not in the configuration
"""
from __future__ import annotations

import json

from netlab import lab, require_router, wait_for

ISP_UNIT = ("[Match]\nName=isp0\n\n[Network]\nAddress=100.64.0.1/24\nDHCPServer=yes\n\n"
            "[DHCPServer]\nPoolOffset=100\nPoolSize=20\n")


def route_via(router, prefix: str) -> tuple[str, str] | None:
    """(gateway, device) of ``prefix`` in the router's main table, or None."""
    out = router.ip("-j", "route", "show", prefix, check=False).stdout
    for entry in json.loads(out or "[]"):
        return entry.get("gateway"), entry.get("dev")
    return None


def test_dhcp_next_hop_and_kernel_member_live(tmp_path):
    require_router()
    with lab(tmp_path / "lab") as L:
        router = L.router("s19v4r")
        isp = L.networkd_host("s19v4i", {"10-isp0.network": ISP_UNIT})
        L.wire(router, "eth0", isp, "isp0")
        isp.start_networkd()
        out = router.commit("set interfaces ethernet eth0 address dhcp",
                            "set protocols static route 10.8.0.0/16 next-hop 100.64.0.1")
        assert "next hop 100.64.0.1 of [protocols static route 10.8.0.0/16] is not connected yet" in out
        wait_for("a lease on eth0", lambda: any(a.startswith("100.64.0.") for a in router.addresses("eth0")), 20)
        wait_for("the route through the DHCP uplink",
                 lambda: route_via(router, "10.8.0.0/16") == ("100.64.0.1", "eth0"), 15)

        # eth5 exists in the router's kernel only; VyOS accepts it as a bridge member
        router.ip("link", "add", "eth5", "type", "veth", "peer", "name", "eth6")
        out = router.commit("set interfaces bridge br0 member interface eth5")
        master = lambda: json.loads(router.ip("-j", "link", "show", "dev", "eth5").stdout)[0].get("master")
        wait_for("eth5 in br0", lambda: master() == "br0", 15)
