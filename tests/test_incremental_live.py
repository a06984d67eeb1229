"""A one-line change on one link of a live router leaves the other links alone (no flap).

A lab router (tests/netlab.py: its own systemd-networkd and D-Bus in a network namespace)
has three veth links with addresses. While a commit changes one link's MTU, ``ip monitor
address`` watches the router's namespace: the untouched links lose no address (no
"Deleted" line for them), keep their ifindex, and their unit files keep their inodes. A
commit that touches no unit (a description) runs no networkctl at all (no reload note, no
deleted address anywhere).
"""
from __future__ import annotations

from netlab import address_events, deleted, lab, require_router, wait_for

LINKS = {"eth1": "192.0.2.1/28", "eth2": "192.0.2.17/28", "eth3": "192.0.2.33/28"}


def _inodes(router) -> dict[str, int]:
    units = router.root / "etc/systemd/network"
    return {p.name: p.stat().st_ino for p in units.iterdir()}


def test_one_line_change_on_one_link_does_not_touch_the_others(tmp_path):
    require_router()
    with lab(tmp_path / "lab") as L:
        router, far = L.router("nsh-m-r"), L.host("nsh-m-h")
        for n, name in enumerate(LINKS, start=1):
            L.wire(router, name, far, f"far{n}")
        router.commit(*(f"set interfaces ethernet {name} address {cidr}" for name, cidr in LINKS.items()))
        wait_for("the three addresses", lambda: all(cidr in router.addresses(name) for name, cidr in LINKS.items()),
                 10)
        index, inodes = router.ifindex(), _inodes(router)

        with address_events(router.ns) as events:
            out = router.commit("set interfaces ethernet eth2 mtu 1400")
        wait_for("eth2's new MTU", lambda: "mtu 1400" in router.run("ip", "link", "show", "eth2").stdout, 10)
        assert deleted(events, "eth2"), events          # the monitor sees flaps
        assert not deleted(events, "eth1") + deleted(events, "eth3"), events
        assert all(cidr in router.addresses(name) for name, cidr in LINKS.items())
        assert {k: router.ifindex()[k] for k in LINKS} == {k: index[k] for k in LINKS}
        changed = {name for name, ino in _inodes(router).items() if inodes.get(name) != ino}
        assert changed == {"10-nos-eth2.network"}, (changed, out)

        with address_events(router.ns) as events:
            router.commit("set interfaces ethernet eth1 description uplink")
        assert not deleted(events), events
        assert _inodes(router) == {**inodes, "10-nos-eth2.network": _inodes(router)["10-nos-eth2.network"]}
