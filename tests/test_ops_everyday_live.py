"""The everyday operational views against a real router in namespaces (tests/opsa_lab.py):
its own systemd-networkd (DHCP server and client), nftables NAT, D-Bus, journald and
timesyncd, and real traffic from hosts around it."""
from __future__ import annotations

import re
import threading
import time

import pytest

from lab import missing, require_tool
from labtraffic import peer_server, ping, who_am_i
from netlab import wait_for
from nos_shell.errors import NosError
from opsa_lab import client_address, ops_lab, router_dhcp_address


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    with ops_lab(tmp_path_factory.mktemp("opsa")) as built:
        client_address(built)
        router_dhcp_address(built)
        yield built


@pytest.fixture
def s(net):
    return net.router.session()


def rows(text: str) -> dict[str, list[str]]:
    """First word -> the row's words, for the table lines below the dashes."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("---")) + 1
    return {line.split()[0]: line.split() for line in lines[start:] if line and not line.startswith(" ")}


# -- interfaces ---------------------------------------------------------------------------------

def test_interfaces_by_type(s):
    ethernet = rows(s.execute("show interfaces ethernet"))
    assert set(ethernet) == {"eth0", "eth1", "eth2"}
    assert ethernet["eth0"][1:] == ["203.0.113.1/24", "u/u", "WAN"]
    assert set(rows(s.execute("show interfaces bridge"))) == {"br0"}
    assert rows(s.execute("show interfaces bridge"))["br0"][1:] == ["198.51.100.1/25", "u/D"]  # no members
    assert set(rows(s.execute("show interfaces loopback"))) == {"lo"}
    assert rows(s.execute("show interfaces dummy")) == {}


def test_one_interface_in_detail_and_brief(s):
    out = s.execute("show interfaces ethernet eth0")
    assert re.match(r"eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP\n    link/ether ", out)
    assert "    inet 203.0.113.1/24\n" in out and "    Description: WAN\n" in out
    assert re.search(r"^    RX:\s+bytes\s+packets\s+errors\s+dropped\s+overrun\s+mcast$", out, re.M)
    assert set(rows(s.execute("show interfaces ethernet eth0 brief"))) == {"eth0"}
    with pytest.raises(NosError, match="Interface eth7 does not exist"):
        s.execute("show interfaces ethernet eth7")
    with pytest.raises(NosError, match=r"Interface br0 does not exist \(as ethernet\)"):
        s.execute("show interfaces ethernet br0")


def test_counters_count_real_packets_and_clear_keeps_a_baseline(net, s):
    headers = s.execute("show interfaces counters").splitlines()[0].split("  ")
    assert [h.strip() for h in headers if h.strip()] == [
        "Interface", "Rx Packets", "Rx Bytes", "Tx Packets", "Tx Bytes", "Rx Dropped", "Tx Dropped",
        "Rx Errors", "Tx Errors"]
    assert "br0" not in rows(s.execute("show interfaces counters"))       # down: not listed (as VyOS)
    s.execute("clear interfaces ethernet eth0 counters")
    assert (net.router.root / "var/lib/nos-shell/counters.json").exists()
    assert "    Last clear: " in s.execute("show interfaces ethernet eth0")
    before = int(rows(s.execute("show interfaces ethernet eth0 counters"))["eth0"][1])
    assert before < 5                                                       # from zero, not the link's total
    for _ in range(6):
        assert ping(net.wan.ns, "203.0.113.1")
    after = rows(s.execute("show interfaces ethernet counters"))["eth0"]
    assert int(after[1]) >= before + 6 and int(after[3]) >= 6             # echo requests in, replies out
    kernel = int(net.router.run("cat", "/sys/class/net/eth1/statistics/rx_packets").stdout)
    assert int(rows(s.execute("show interfaces counters"))["eth1"][1]) >= kernel   # eth1 was never cleared


def test_monitor_interfaces_streams_bounded_refreshes(s):
    import threading

    stream = s.execute("monitor interfaces count 600", stream=True)   # ten minutes if not stopped
    assert not isinstance(stream, str)
    with stream:
        first = next(stream)                                              # the first table at once
        assert re.match(r"\d\d:\d\d:\d\d\nInterface  Rx Packets", first) and "\neth0 " in first
        canceller = threading.Thread(target=stream.cancel)                # Ctrl-C, from another thread
        canceller.start()
        canceller.join()
        assert list(stream) == [] and stream.cancelled                    # no further table
    out = s.execute("monitor interfaces count 2")                          # collected: both tables
    assert out.count("Interface  Rx Packets") == 2 and re.match(r"\d\d:\d\d:\d\d\n", out)
    assert re.search(r"\n\n\d\d:\d\d:\d\d\nInterface", out)
    with pytest.raises(NosError, match="Count must be between 1 and 600"):
        s.execute("monitor interfaces count 0")


@pytest.fixture
def pings(net):
    """ICMP echo requests from the wan host to the router, every 0.2 s, while the test runs."""
    stop = threading.Event()

    def send():
        while not stop.is_set():
            ping(net.wan.ns, "203.0.113.1")
            stop.wait(0.2)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join()


def test_monitor_traffic_captures_real_packets(s, pings, tmp_path):
    require_tool("tcpdump")
    out = s.execute("monitor traffic interface eth0 count 2 filter 'icmp'")
    assert "listening on eth0" in out
    assert re.search(r"IP 203\.0\.113\.2 > 203\.0\.113\.1: ICMP echo request", out)
    assert "2 packets captured" in out
    # typed text never becomes a tcpdump option: the filter is an expression after --
    trap = tmp_path / "capture.pcap"
    out = s.execute(f"monitor traffic interface eth0 count 1 filter '-w {trap}'")
    assert not trap.exists() and "syntax error" in out
    with pytest.raises(NosError, match="Invalid interface name"):
        s.execute("monitor traffic interface -weth0")


# -- NAT and connection tracking ------------------------------------------------------------------

def test_monitor_traffic_streams_and_ctrl_c_shows_the_counts(s, pings):
    """Packets arrive while tcpdump runs; a cancel from another thread (Ctrl-C) interrupts
    it and its packet counts follow, long before its 1000 packets."""
    require_tool("tcpdump")
    stream = s.execute("monitor traffic interface eth0 count 1000 filter 'icmp'", stream=True)
    assert not isinstance(stream, str)
    with stream:
        seen = ""
        while seen.count("ICMP echo request") < 2:
            seen += next(stream)
        canceller = threading.Thread(target=stream.cancel)
        canceller.start()
        canceller.join()
        rest = "".join(stream)
    captured = re.search(r"(\d+) packets captured", rest)
    assert captured and 2 <= int(captured.group(1)) < 1000 and stream.cancelled, rest


def test_nat_rules_translations_and_conntrack(net, s):
    client = client_address(net)
    before = rows(s.execute("show nat source rules"))["100"]
    assert before[1:5] == ["192.0.2.0/25", "0.0.0.0/0", "all", "eth0"] and before[5] == "masquerade"
    with peer_server(net.wan.ns, "203.0.113.2", 7101):
        assert who_am_i(net.client.ns, "203.0.113.2", 7101) == "203.0.113.1"     # really translated
    after = rows(s.execute("show nat source rules"))["100"]
    assert int(after[6]) >= int(before[6]) + 1 and int(after[7]) > int(before[7])
    assert "No destination NAT rules are configured" in s.execute("show nat destination rules")

    translations = s.execute("show nat source translations")
    match = re.search(rf"^{re.escape(client)}:(\d+)\s+203\.0\.113\.2:7101\s+203\.0\.113\.1:(\d+)\s+"
                      r"203\.0\.113\.2:7101\s+tcp\s+\d+$", translations, re.M)
    assert match, translations
    assert "203.0.113.2:7101" not in s.execute("show nat destination translations")
    table = s.execute("show conntrack table ipv4")
    assert re.search(rf"^{re.escape(client)}:\d+\s+203\.0\.113\.2:7101\s+203\.0\.113\.2:7101\s+"
                     r"203\.0\.113\.1:\d+\s+tcp\s+(TIME_WAIT|CLOSE|ESTABLISHED|FIN_WAIT|LAST_ACK)", table, re.M)


# -- DHCP -----------------------------------------------------------------------------------------

def test_dhcp_server_leases_name_the_real_client(net, s):
    client = client_address(net)
    mac = net.client.run("cat", "/sys/class/net/dh0/address").stdout.strip()
    row = rows(s.execute("show dhcp server leases"))[client]
    assert row[1:3] == [mac, "active"] and row[-2:] == ["LAN", "eth1"]
    assert re.fullmatch(r"\d+:\d\d:\d\d", row[5])


def test_dhcp_client_leases_of_the_router(net, s):
    address = router_dhcp_address(net)
    row = rows(s.execute("show dhcp client leases"))["eth2"]
    assert row[1:4] == [f"{address}/25", "198.51.100.129", "198.51.100.129"]
    assert row[5] == "3600s"


# -- log, NTP, services ------------------------------------------------------------------------

def test_show_log_reads_the_routers_journal(net, s):
    if not net.journald:
        missing("systemd-journald cannot run in the router's namespace here")
    net.router.run("systemd-cat", "-t", "nos-shell", "echo", "opsa marker one")
    net.router.run("systemd-cat", "-t", "unrelated-daemon", "echo", "opsa marker other")
    wait_for("the entry in the journal", lambda: "opsa marker one" in s.execute("show log tail 3"))
    full = s.execute("show log")
    assert re.search(r"nos-shell\[\d+\]: opsa marker one$", full, re.M)
    assert "opsa marker other" not in full                                # not one of the router's services
    assert len(s.execute("show log tail 1").splitlines()) == 1


def test_monitor_log_follows_new_entries(net, s):
    if not net.journald:
        missing("systemd-journald cannot run in the router's namespace here")
    stop = threading.Event()

    def write():
        while not stop.is_set():
            net.router.run("systemd-cat", "-t", "systemd-networkd", "echo", "opsa live entry", check=False)
            stop.wait(0.3)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    try:
        out = s.execute("monitor log count 2")
    finally:
        stop.set()
        thread.join()
    assert out.count("opsa live entry") == 2 and len(out.splitlines()) == 2


def test_show_ntp_reads_the_routers_timesyncd(net, s):
    if not net.timesyncd:
        missing("systemd-timesyncd cannot run in the router's namespace here")
    out = s.execute("show ntp")
    assert re.search(r"^\s*System NTP servers: 192\.0\.2\.250$", out, re.M)   # from the committed config
    assert re.search(r"^\s*Server: 192\.0\.2\.250 \(192\.0\.2\.250\)$", out, re.M)


def test_restart_networkd_restarts_the_routers_networkd(net, s):
    pidfile = net.router.dir / "networkd.pid"
    old = pidfile.read_text().strip()
    out = s.execute("restart networkd")
    assert out.startswith("Restarted networkd (")
    new = pidfile.read_text().strip()
    assert new != old
    assert net.router.run("kill", "-0", new, check=False).returncode == 0
    wait_for("eth0's address after the restart", lambda: "203.0.113.1/24" in net.router.addresses("eth0"))
    # networkd's DHCP server keeps its leases in memory: the client asks again (its networkd
    # restarted too), so the lease table is whole again for whatever runs next
    net.client.start_networkd()
    wait_for("the client's lease in the restarted server", lambda: client_address(net) in server_leases(s), 20)


def server_leases(s) -> dict[str, list[str]]:
    """`show dhcp server leases` by address (empty when it lists none)."""
    text = s.execute("show dhcp server leases")
    return rows(text) if "\n---" in "\n" + text else {}


def test_storage_is_read_in_the_routers_context(s):
    out = s.execute("show system storage")
    assert out.splitlines()[0].split()[:2] == ["Filesystem", "Size"]
    assert out.rstrip().endswith(" /")


def test_version_all_names_the_real_components(s):
    out = s.execute("show version all")
    assert out.startswith("Version:          VyOS ")
    assert re.search(r"^  nftables:\s+nftables v\d", out, re.M)
    assert re.search(r"^  systemd-networkd:\s+systemd \d+", out, re.M)
    assert re.search(r"^  pyroute2:\s+\d", out, re.M)
