"""A one-line change on one link of a live router leaves the other links alone (no flap).

A lab router (tests/netlab.py: its own systemd-networkd and D-Bus in a network namespace)
has three veth links with addresses. While a commit changes one link's MTU, ``ip monitor
address`` watches the router's namespace: the untouched links lose no address (no
"Deleted" line for them), keep their ifindex, and their unit files keep their inodes. A
commit that touches no unit (a description) runs no networkctl at all (no reload note, no
deleted address anywhere).
"""
from __future__ import annotations

import json
import subprocess
import time

from lab import require_netns, require_networkd, require_tool
from netlab import lab, wait_for

LINKS = {"eth1": "192.0.2.1/28", "eth2": "192.0.2.17/28", "eth3": "192.0.2.33/28"}


def _addresses(router) -> dict[str, set[str]]:
    out = json.loads(router.run("ip", "-j", "address", "show").stdout or "[]")
    return {link["ifname"]: {f"{a['local']}/{a['prefixlen']}" for a in link.get("addr_info", ())
                             if a.get("family") == "inet"} for link in out}


def _ifindex(router) -> dict[str, int]:
    return {link["ifname"]: link["ifindex"] for link in json.loads(router.run("ip", "-j", "link", "show").stdout)}


def _inodes(router) -> dict[str, int]:
    units = router.root / "etc/systemd/network"
    return {p.name: p.stat().st_ino for p in units.iterdir()}


def _watch(ns: str) -> subprocess.Popen:
    proc = subprocess.Popen(["ip", "-n", ns, "monitor", "address"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    time.sleep(0.3)         # the monitor is subscribed before the commit starts
    return proc


def _stop(proc: subprocess.Popen) -> list[str]:
    time.sleep(1.0)         # networkd finishes what the reload started
    proc.terminate()
    return proc.communicate(timeout=10)[0].splitlines()


def test_one_line_change_on_one_link_does_not_touch_the_others(tmp_path):
    require_netns()
    require_networkd()
    for tool in ("dbus-daemon", "busctl", "networkctl", "nsenter", "unshare"):
        require_tool(tool)
    with lab(tmp_path / "lab") as L:
        router, far = L.router("nsh-m-r"), L.host("nsh-m-h")
        for n, name in enumerate(LINKS, start=1):
            L.wire(router, name, far, f"far{n}")
        router.commit(*(f"set interfaces ethernet {name} address {cidr}" for name, cidr in LINKS.items()))
        wait_for("the three addresses", lambda: all(cidr in _addresses(router).get(name, set())
                                                    for name, cidr in LINKS.items()), 10)
        index, inodes = _ifindex(router), _inodes(router)

        watch = _watch(router.ns)
        out = router.commit("set interfaces ethernet eth2 mtu 1400")
        events = _stop(watch)
        wait_for("eth2's new MTU", lambda: "mtu 1400" in router.run("ip", "link", "show", "eth2").stdout, 10)
        assert any(e.startswith("Deleted") and " eth2 " in e for e in events), events   # the monitor sees flaps
        assert not [e for e in events if e.startswith("Deleted") and (" eth1 " in e or " eth3 " in e)], events
        now = _addresses(router)
        assert all(cidr in now[name] for name, cidr in LINKS.items()), now
        assert {k: _ifindex(router)[k] for k in LINKS} == {k: index[k] for k in LINKS}
        changed = {name for name, ino in _inodes(router).items() if inodes.get(name) != ino}
        assert changed == {"10-nos-eth2.network"}, (changed, out)

        watch = _watch(router.ns)
        router.commit("set interfaces ethernet eth1 description uplink")
        events = _stop(watch)
        assert not [e for e in events if e.startswith("Deleted")], events
        assert _inodes(router) == {**inodes, "10-nos-eth2.network": _inodes(router)["10-nos-eth2.network"]}
