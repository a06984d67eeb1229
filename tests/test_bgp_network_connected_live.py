"""A `network` that is also an interface's own prefix is announced by either daemon.

In BIRD the connected route of such a prefix outranks the `network`'s own (direct 240,
static 200) and BGP exports only best routes, so backends/bird/compiler.py accepts the
connected route of exactly the configured networks too. The datacenter-node example's
routers announce their loopbacks and VLAN prefixes this way, the edge-router's transit
its loopback. The wiring and
the routers are tests/test_bgp_live.py's (two namespaces, 192.0.2.0/24 between them).
"""
from __future__ import annotations

import pytest

from test_bgp_live import A_ADDR, A_NET, pair, wait_for, wires  # noqa: F401 (fixtures)

LINK_NET = "192.0.2.0/24"       # a's own interface prefix (A_ADDR/24 on its eth0)


@pytest.mark.parametrize("backend", ["bird", "gobgp"])
def test_a_network_on_an_interface_is_announced(pair, backend):  # noqa: F811
    a, b = pair
    a.start_bgp(backend, f"set protocols bgp address-family ipv4-unicast network {LINK_NET}")
    b.start_bgp("bird")
    wait_for(lambda: a.established() and b.established(), "both sessions Established")

    def both_at_b():
        peer = b.established(A_ADDR)
        return peer is not None and peer.accepted["ipv4-unicast"] == 2

    wait_for(both_at_b, f"{A_NET} and {LINK_NET} from the {backend} router at the peer")
    routes = b.show("show ip bgp")
    assert LINK_NET in routes and A_NET in routes, routes
