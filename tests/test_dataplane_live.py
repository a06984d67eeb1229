"""End to end: a router namespace running its own systemd-networkd, D-Bus and nftables,
configured only through nos-shell commits (live target, tests/netlab.py), and host
namespaces around it that send real traffic.

    wan  (ndw…) wan0 203.0.113.2/24 2001:db8:ffff::2/64, lo 198.51.100.129 2001:db8:2::1
      |
    eth0  router (ndr…)  203.0.113.1/24 2001:db8:ffff::1/64
    br0 = eth1 + eth2    192.0.2.1/25 2001:db8:1::1/64, DHCP server 192.0.2.100-120
    eth3 -> peth0        pseudo-ethernet 198.51.100.1/25
      |  eth1: lan (ndl…) lan0 192.0.2.10/25 2001:db8:1::10/64, default via the router
      |  eth2: dhcp client (ndd…) running its own networkd with DHCP=ipv4
      |  eth3: pe (ndp…) pe0 198.51.100.2/25

The lab wiring (veth pairs, the hosts' addresses and routes, the DHCP client's unit) is done
with ``ip``; the router gets nothing but nos-shell commands. One router serves the whole
module; each test leaves the configuration as it found it (the ones that change or remove
interfaces put them back), so any of them runs alone or in any order.

Link kinds this kernel cannot create (VLAN, dummy, bond, WireGuard here) are detected once and
only their tests are skipped, with the reason (their units pass networkd's parser in
test_realparsers.py).
"""
from __future__ import annotations

import base64
import dataclasses
import ipaddress
import socket

import pytest

from lab import run
from labtraffic import peer_server, wait_ping, who_am_i
from netlab import Lab, Node, NetworkdNode, Router, ipaddr, lab, require_driver, require_router, wait_for

BASE = [
    "set system host-name lab-router",
    "set interfaces ethernet eth0 description 'WAN'",
    "set interfaces ethernet eth0 address 203.0.113.1/24",
    "set interfaces ethernet eth0 address 2001:db8:ffff::1/64",
    "set interfaces ethernet eth1 description 'LAN port'",
    "set interfaces ethernet eth2 description 'DHCP client port'",
    "set interfaces bridge br0 address 192.0.2.1/25",
    "set interfaces bridge br0 address 2001:db8:1::1/64",
    "set interfaces bridge br0 member interface eth1",
    "set interfaces bridge br0 member interface eth2",
    "set interfaces ethernet eth3",
    "set interfaces pseudo-ethernet peth0 source-interface eth3",
    "set interfaces pseudo-ethernet peth0 mode bridge",
    "set interfaces pseudo-ethernet peth0 address 198.51.100.1/25",
    "set protocols static route 198.51.100.128/25 next-hop 203.0.113.2",
    "set protocols static route6 2001:db8:2::/48 next-hop 2001:db8:ffff::2",
    "set service dhcp-server shared-network-name LAN subnet 192.0.2.0/25 option default-router 192.0.2.1",
    "set service dhcp-server shared-network-name LAN subnet 192.0.2.0/25 range 0 start 192.0.2.100",
    "set service dhcp-server shared-network-name LAN subnet 192.0.2.0/25 range 0 stop 192.0.2.120",
]

DHCP_CLIENT_UNIT = "[Match]\nName=dh0\n\n[Network]\nDHCP=ipv4\n"


@dataclasses.dataclass
class Net:
    lab: Lab
    router: Router
    wan: Node
    lan: Node
    pe: Node
    dhcp: NetworkdNode
    first_commit: str
    host_name: str


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    require_router("nft")
    host_name = socket.gethostname()
    with lab(tmp_path_factory.mktemp("dataplane")) as L:
        router = L.router()
        wan = L.attach(router, "eth0", "ndw", "wan0", "203.0.113.2/24", "2001:db8:ffff::2/64",
                       routes=("192.0.2.0/25 via 203.0.113.1", "2001:db8:1::/64 via 2001:db8:ffff::1"))
        ipaddr(wan.ns, "lo", "198.51.100.129/32", "2001:db8:2::1/128")
        lan = L.attach(router, "eth1", "ndl", "lan0", "192.0.2.10/25", "2001:db8:1::10/64",
                       routes=("default via 192.0.2.1", "default via 2001:db8:1::1"))
        dhcp = L.networkd_host("ndd", {"10-dh0.network": DHCP_CLIENT_UNIT})
        L.wire(router, "eth2", dhcp, "dh0")
        pe = L.attach(router, "eth3", "ndp", "pe0", "198.51.100.2/25")
        first = router.commit_with_cli(*BASE)
        dhcp.start_networkd()
        yield Net(L, router, wan, lan, pe, dhcp, first, host_name)


def links(ns: str) -> dict[str, dict]:
    """Name -> {index, kind, master, link, mode, addresses} read back with pyroute2."""
    from pyroute2 import NetNS

    out: dict[str, dict] = {}
    with NetNS(ns) as ipr:
        for msg in ipr.get_links():
            info = msg.get_attr("IFLA_LINKINFO")
            kind = info.get_attr("IFLA_INFO_KIND") if info else None
            data = info.get_attr("IFLA_INFO_DATA") if info else None
            mode = data.get_attr("IFLA_MACVLAN_MODE") if kind == "macvlan" and data else None
            out[msg.get_attr("IFLA_IFNAME")] = {"index": msg["index"], "kind": kind, "mode": mode,
                                                "master": msg.get_attr("IFLA_MASTER"),
                                                "link": msg.get_attr("IFLA_LINK"), "addresses": set()}
        names = {v["index"]: k for k, v in out.items()}
        for msg in ipr.get_addr():
            out[names[msg["index"]]]["addresses"].add(f"{msg.get_attr('IFA_ADDRESS')}/{msg['prefixlen']}")
    return out


def routes(ns: str) -> dict[str, tuple[str | None, str | None]]:
    """Destination prefix -> (gateway, device) of the main table's unicast routes (pyroute2)."""
    from pyroute2 import NetNS

    out = {}
    with NetNS(ns) as ipr:
        names = {msg["index"]: msg.get_attr("IFLA_IFNAME") for msg in ipr.get_links()}
        for family in (socket.AF_INET, socket.AF_INET6):
            for msg in ipr.get_routes(family=family, table=254):
                dst = msg.get_attr("RTA_DST")
                if dst:
                    out[f"{dst}/{msg['dst_len']}"] = (msg.get_attr("RTA_GATEWAY"), names.get(msg.get_attr("RTA_OIF")))
    return out


def configured(net: Net, link: str, *addresses: str) -> None:
    wait_for(f"{link} with {addresses} in the router",
             lambda: set(addresses) <= net.router.addresses(link))


# -- the first commit: networkd starts with nos-shell's files -----------------------------------

def test_first_commit_starts_networkd_with_its_drop_in(net: Net) -> None:
    # made with `nos-shell --root ROOT -f FILE`; the other commits use Session in this process
    assert "systemd-networkd restarted: its networkd.conf drop-in changed" in net.first_commit
    configured(net, "br0", "192.0.2.1/25")
    log = net.router.log
    assert "Enumeration completed" in log
    # the drop-in is read: networkd leaves a foreign route (BIRD's, on a real router) alone when
    # it reconfigures the link, here after an MTU change. Without the drop-in it deletes
    # it. (An IPv6 route: a reconfigure removes and re-adds the link's addresses, and when the
    # last IPv4 address goes the kernel itself flushes the link's IPv4 routes; docs/apply.md.)
    configured(net, "eth0", "2001:db8:ffff::1/64")
    net.router.ip("-6", "route", "add", "2001:db8:3::/48", "via", "2001:db8:ffff::2", "proto", "bird")
    net.router.commit("set interfaces ethernet eth0 mtu 1400")
    wait_for("eth0 reconfigured", lambda: "eth0: Reconfiguring" in net.router.log)
    configured(net, "eth0", "203.0.113.1/24", "2001:db8:ffff::1/64")
    net.router.commit("delete interfaces ethernet eth0 mtu")
    configured(net, "eth0", "203.0.113.1/24", "2001:db8:ffff::1/64")
    assert routes(net.router.ns).get("2001:db8:3::/48") == ("2001:db8:ffff::2", "eth0")
    net.router.ip("-6", "route", "del", "2001:db8:3::/48")


def test_links_addresses_routes_and_forwarding_read_back(net: Net) -> None:
    configured(net, "eth0", "203.0.113.1/24", "2001:db8:ffff::1/64")
    configured(net, "br0", "192.0.2.1/25", "2001:db8:1::1/64")
    configured(net, "peth0", "198.51.100.1/25")
    got = links(net.router.ns)
    assert got["br0"]["kind"] == "bridge"
    assert got["eth1"]["master"] == got["br0"]["index"] and got["eth2"]["master"] == got["br0"]["index"]
    assert got["eth1"]["addresses"] == set() and got["eth2"]["addresses"] == set()   # members: no IPv6LL
    assert got["peth0"]["kind"] == "macvlan" and got["peth0"]["link"] == got["eth3"]["index"]
    assert got["peth0"]["mode"] == "bridge"
    want = {"198.51.100.128/25": ("203.0.113.2", "eth0"), "2001:db8:2::/48": ("2001:db8:ffff::2", "eth0")}
    wait_for("the static routes", lambda: all(routes(net.router.ns).get(k) == v for k, v in want.items()))
    assert net.router.sysctl("net.ipv4.ip_forward") == "1"
    assert net.router.sysctl("net.ipv6.conf.eth0.forwarding") == "1"
    assert net.router.sysctl("net.ipv6.conf.br0.forwarding") == "1"


def test_show_ip_route_reads_the_routers_namespace(net: Net) -> None:
    out = net.router.session().execute("show ip route")
    assert "198.51.100.128/25" in out and "203.0.113.2" in out and "192.0.2.0/25" in out, out


def test_ping_across_the_router(net: Net) -> None:
    wait_ping(net.lan.ns, "192.0.2.1")                  # the bridge
    wait_ping(net.pe.ns, "198.51.100.1")                # the pseudo-ethernet
    wait_ping(net.lan.ns, "198.51.100.129")             # forwarded along the static route
    wait_ping(net.lan.ns, "2001:db8:2::1")              # IPv6 along route6 (after DAD)


def test_host_name_is_set_in_the_routers_uts_namespace_only(net: Net) -> None:
    assert net.router.run("hostname").stdout.strip() == "lab-router"
    assert socket.gethostname() == net.host_name
    net.router.commit("set system host-name lab-router2")
    assert net.router.run("hostname").stdout.strip() == "lab-router2"
    net.router.commit("set system host-name lab-router")
    assert socket.gethostname() == net.host_name


def test_dhcp_client_gets_a_lease_from_the_router(net: Net) -> None:
    pool = [ipaddress.ip_address(f"192.0.2.{n}") for n in range(100, 121)]

    def leased():
        return [a for a in net.dhcp.addresses("dh0") if a.endswith("/25")
                and ipaddress.ip_interface(a).ip in pool]

    wait_for("a DHCP lease in dh0", leased, 15)
    wait_for("the default route from the lease", lambda: "192.0.2.1" in default_gateways(net.dhcp.ns))
    wait_ping(net.dhcp.ns, "192.0.2.1")


def default_gateways(ns: str) -> list[str]:
    from pyroute2 import NetNS

    with NetNS(ns) as ipr:
        return [m.get_attr("RTA_GATEWAY") for m in ipr.get_routes(family=socket.AF_INET, table=254)
                if m["dst_len"] == 0]


def test_masquerade_rewrites_the_source_seen_on_the_far_side(net: Net) -> None:
    with peer_server(net.wan.ns, "203.0.113.2", 7001):
        assert who_am_i(net.lan.ns, "203.0.113.2", 7001) == "192.0.2.10"     # routed, not translated
        out = net.router.commit(
            "set nat source rule 100 outbound-interface name eth0",
            "set nat source rule 100 source address 192.0.2.0/25",
            "set nat source rule 100 translation address masquerade")
        assert "Warning" not in out
        assert who_am_i(net.lan.ns, "203.0.113.2", 7001) == "203.0.113.1"
        tables = net.router.run("nft", "list", "tables").stdout
        assert "table ip nos_shell_nat" in tables
        net.router.commit("delete nat source")
        assert who_am_i(net.lan.ns, "203.0.113.2", 7001) == "192.0.2.10"
        assert "nos_shell_nat" not in net.router.run("nft", "list", "tables").stdout


def test_destination_nat_port_forward_reaches_the_lan_service(net: Net) -> None:
    with peer_server(net.lan.ns, "192.0.2.10", 8081):
        assert who_am_i(net.wan.ns, "203.0.113.1", 8080) is None            # nothing listens there
        net.router.commit(
            "set nat destination rule 10 description 'LAN service'",
            "set nat destination rule 10 inbound-interface name eth0",
            "set nat destination rule 10 protocol tcp",
            "set nat destination rule 10 destination port 8080",
            "set nat destination rule 10 translation address 192.0.2.10",
            "set nat destination rule 10 translation port 8081")
        assert who_am_i(net.wan.ns, "203.0.113.1", 8080) == "203.0.113.2"
        net.router.commit("delete nat destination")
        assert who_am_i(net.wan.ns, "203.0.113.1", 8080) is None


def test_comment_only_netdev_change_keeps_the_link(net: Net) -> None:
    before = links(net.router.ns)["peth0"]["index"]
    out = net.router.commit("set interfaces pseudo-ethernet peth0 description 'towards pe'")
    assert "restarted" not in out
    assert links(net.router.ns)["peth0"]["index"] == before
    net.router.commit("delete interfaces pseudo-ethernet peth0 description")


def test_changed_netdevs_are_rebuilt_with_their_members(net: Net) -> None:
    out = net.router.commit("set interfaces pseudo-ethernet peth0 mode private",
                            "set interfaces bridge br0 aging 600")
    assert "netdev br0 changed" in out and "netdev peth0 changed" in out, out
    configured(net, "peth0", "198.51.100.1/25")
    configured(net, "br0", "192.0.2.1/25")
    got = links(net.router.ns)
    assert got["peth0"]["mode"] == "private"
    assert got["eth1"]["master"] == got["br0"]["index"] and got["eth2"]["master"] == got["br0"]["index"]
    wait_ping(net.lan.ns, "192.0.2.1")
    wait_ping(net.pe.ns, "198.51.100.1")
    net.router.commit("set interfaces pseudo-ethernet peth0 mode bridge", "delete interfaces bridge br0 aging")
    restored(net)


def restored(net: Net) -> None:
    """Wait until the base configuration's virtual links are back as the module set them up."""
    configured(net, "peth0", "198.51.100.1/25")
    configured(net, "br0", "192.0.2.1/25")
    wait_for("peth0 in bridge mode, eth2 in br0", lambda: _as_based(links(net.router.ns)))


def _as_based(got: dict[str, dict]) -> bool:
    return "peth0" in got and got["peth0"]["mode"] == "bridge" and got["eth2"]["master"] == got["br0"]["index"]


def test_new_virtual_interface_appears_on_reload(net: Net) -> None:
    out = net.router.commit("set interfaces bridge br9 address 192.0.2.129/26")
    assert "restarted" not in out
    configured(net, "br9", "192.0.2.129/26")
    assert links(net.router.ns)["br9"]["kind"] == "bridge"
    net.router.commit("delete interfaces bridge br9")


def test_removing_interfaces_from_the_config_removes_their_links(net: Net) -> None:
    net.router.commit("set interfaces bridge br9 address 192.0.2.129/26")
    configured(net, "br9", "192.0.2.129/26")
    assert net.router.has_link("peth0")
    net.router.commit("delete interfaces bridge br9")
    assert not net.router.has_link("br9")
    net.router.commit("delete interfaces pseudo-ethernet peth0")
    assert not net.router.has_link("peth0")
    assert net.router.has_link("eth3")
    # a member leaves its bridge when its interface goes from the configuration
    net.router.commit("delete interfaces bridge br0 member interface eth2", "delete interfaces ethernet eth2")
    wait_for("eth2 to leave br0", lambda: links(net.router.ns)["eth2"]["master"] is None)
    wait_ping(net.lan.ns, "192.0.2.1")
    net.router.commit(*[line for line in BASE if "eth2" in line or "peth0" in line])
    restored(net)


# -- link kinds this kernel may lack ------------------------------------------------------------

def test_vlan_live(net: Net) -> None:
    require_driver("vlan")
    run("ip", "-n", net.wan.ns, "link", "add", "link", "wan0", "name", "wan0.10", "type", "vlan", "id", "10")
    run("ip", "-n", net.wan.ns, "link", "set", "wan0.10", "up")
    ipaddr(net.wan.ns, "wan0.10", "192.0.2.242/28")
    net.router.commit("set interfaces ethernet eth0 vif 10 address 192.0.2.241/28")
    configured(net, "eth0.10", "192.0.2.241/28")
    wait_ping(net.wan.ns, "192.0.2.241")
    net.router.commit("delete interfaces ethernet eth0 vif 10")
    assert not net.router.has_link("eth0.10")


def test_dummy_live(net: Net) -> None:
    require_driver("dummy")
    run("ip", "-n", net.wan.ns, "route", "add", "192.0.2.250/32", "via", "203.0.113.1")
    net.router.commit("set interfaces dummy dum0 address 192.0.2.250/32")
    configured(net, "dum0", "192.0.2.250/32")
    wait_ping(net.wan.ns, "192.0.2.250")
    net.router.commit("delete interfaces dummy dum0")
    assert not net.router.has_link("dum0")


def test_bond_live(net: Net) -> None:
    require_driver("bond")
    far = net.lab.host("ndb")
    net.lab.wire(net.router, "eth4", far, "b0")
    net.lab.wire(net.router, "eth5", far, "b1")
    run("ip", "-n", far.ns, "link", "add", "bbr", "type", "bridge")
    for port in ("b0", "b1"):
        run("ip", "-n", far.ns, "link", "set", port, "master", "bbr")
    run("ip", "-n", far.ns, "link", "set", "bbr", "up")
    ipaddr(far.ns, "bbr", "192.0.2.226/29")
    net.router.commit("set interfaces ethernet eth4", "set interfaces ethernet eth5",
                      "set interfaces bonding bond0 mode active-backup",
                      "set interfaces bonding bond0 member interface eth4",
                      "set interfaces bonding bond0 member interface eth5",
                      "set interfaces bonding bond0 address 192.0.2.225/29")
    configured(net, "bond0", "192.0.2.225/29")
    got = links(net.router.ns)
    assert got["eth4"]["master"] == got["bond0"]["index"] == got["eth5"]["master"]
    wait_ping(far.ns, "192.0.2.225")
    net.router.commit("delete interfaces bonding bond0")
    assert not net.router.has_link("bond0")


def test_wireguard_live(net: Net) -> None:
    require_driver("wireguard")
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

    def keypair() -> tuple[str, str]:
        key = X25519PrivateKey.generate()
        private = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return base64.b64encode(private).decode(), base64.b64encode(public).decode()

    router_private, _ = keypair()
    _, peer_public = keypair()
    net.router.commit("set interfaces wireguard wg0 address 192.0.2.209/30",
                      "set interfaces wireguard wg0 port 51820",
                      f"set interfaces wireguard wg0 private-key '{router_private}'",
                      f"set interfaces wireguard wg0 peer far public-key '{peer_public}'",
                      "set interfaces wireguard wg0 peer far allowed-ips 192.0.2.210/32",
                      "set interfaces wireguard wg0 peer far address 203.0.113.2",
                      "set interfaces wireguard wg0 peer far port 51821")
    configured(net, "wg0", "192.0.2.209/30")
    assert links(net.router.ns)["wg0"]["kind"] == "wireguard"
    net.router.commit("delete interfaces wireguard wg0")
    assert not net.router.has_link("wg0")
