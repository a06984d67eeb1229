"""The operational commands' parsers and tables, on output recorded from BIRD 2.0.12 and GoBGP 3.10.

Recorded in the lab of tests/test_bgp_live.py (a BIRD router and a GoBGP router, each with
an established neighbor, one that does not answer, one shut down and an IPv6 one that is
not reachable); a BIRD ``Last error`` line and a second path were added in BIRD's format,
trailing blanks dropped, and GoBGP's capability lists left out. No daemon is needed.
"""
from __future__ import annotations

import time

from nos_shell.ops.route_line import CODES
from nos_shell.backends.bird.state import (bird_time, estimate_messages, parse_bird_protocols, parse_bird_routes,
                                          parse_bird_started, parse_bird_status)
from nos_shell.backends.gobgp.state import parse_gobgp_neighbor, parse_gobgp_rib
from nos_shell.models.bgp_state import Peer, frr_state
from nos_shell.ops.bgp.summary import duration, neighbor_block, route_lines, summary_table, up_down

BIRD_PROTOCOLS = """\
BIRD 2.0.12 ready.
Name       Proto      Table      State  Since         Info
device1    Device     ---        up     2026-11-25 17:30:42

connected  Direct     ---        up     2026-11-25 17:30:42
  Channel ipv4
    State:          UP
    Table:          master4
    Preference:     240
    Input filter:   ACCEPT
    Output filter:  REJECT
    Routes:         1 imported, 0 exported, 1 preferred
    Route change stats:     received   rejected   filtered    ignored   accepted
      Import updates:              1          0          0          0          1
      Import withdraws:            0          0        ---          0          0
      Export updates:              0          0          0        ---          0
      Export withdraws:            0        ---        ---        ---          0
  Channel ipv6
    State:          UP
    Table:          master6
    Preference:     240
    Input filter:   ACCEPT
    Output filter:  REJECT
    Routes:         0 imported, 0 exported, 0 preferred
    Route change stats:     received   rejected   filtered    ignored   accepted
      Import updates:              0          0          0          0          0
      Import withdraws:            0          0        ---          0          0
      Export updates:              0          0          0        ---          0
      Export withdraws:            0        ---        ---        ---          0

kernel4    Kernel     master4    up     2026-11-25 17:30:42
  Channel ipv4
    State:          UP
    Table:          master4
    Preference:     10
    Input filter:   ACCEPT
    Output filter:  (unnamed)
    Routes:         0 imported, 2 exported, 0 preferred
    Route change stats:     received   rejected   filtered    ignored   accepted
      Import updates:              0          0          0          0          0
      Import withdraws:            0          0        ---          0          0
      Export updates:              6          0          4        ---          2
      Export withdraws:            0        ---        ---        ---          0

kernel6    Kernel     master6    up     2026-11-25 17:30:42
  Channel ipv6
    State:          UP
    Table:          master6
    Preference:     10
    Input filter:   ACCEPT
    Output filter:  (unnamed)
    Routes:         0 imported, 0 exported, 0 preferred
    Route change stats:     received   rejected   filtered    ignored   accepted
      Import updates:              0          0          0          0          0
      Import withdraws:            0          0        ---          0          0
      Export updates:              0          0          0        ---          0
      Export withdraws:            0        ---        ---        ---          0

bgp_network4 Static     master4    up     2026-11-25 17:30:42
  Channel ipv4
    State:          UP
    Table:          master4
    Preference:     200
    Input filter:   ACCEPT
    Output filter:  REJECT
    Routes:         1 imported, 0 exported, 1 preferred
    Route change stats:     received   rejected   filtered    ignored   accepted
      Import updates:              1          0          0          0          1
      Import withdraws:            0          0        ---          0          0
      Export updates:              0          0          0        ---          0
      Export withdraws:            0        ---        ---        ---          0

bgp_192_0_2_2 BGP        ---        up     2026-11-25 17:30:43  Established
  Description:    uplink
  BGP state:          Established
    Neighbor address: 192.0.2.2
    Neighbor AS:      65002
    Local AS:         65001
    Neighbor ID:      192.0.2.2
    Local capabilities
      Multiprotocol
        AF announced: ipv4
      Route refresh
      Graceful restart
      4-octet AS numbers
      Enhanced refresh
      Long-lived graceful restart
    Neighbor capabilities
      Multiprotocol
        AF announced: ipv4
      Route refresh
      Extended next hop
        IPv6 nexthop: ipv4
      4-octet AS numbers
      Hostname: vm
    Session:          external AS4
    Source address:   192.0.2.1
    Hold timer:       7.753/9
    Keepalive timer:  1.216/3
  Channel ipv4
    State:          UP
    Table:          master4
    Preference:     100
    Input filter:   ACCEPT
    Output filter:  bgp_export4
    Routes:         2 imported, 1 exported, 2 preferred
    Route change stats:     received   rejected   filtered    ignored   accepted
      Import updates:              2          0          0          0          2
      Import withdraws:            0          0        ---          0          0
      Export updates:              4          2          1        ---          1
      Export withdraws:            0        ---        ---        ---          0
    BGP Next hop:   192.0.2.1

bgp_192_0_2_3 BGP        ---        start  2026-11-25 17:30:42  Active
  Description:    not there
  BGP state:          Active
    Neighbor address: 192.0.2.3
    Neighbor AS:      65003
    Local AS:         65001
    Last error:       Socket: Connection refused
    Connect delay:    2.224/5
  Channel ipv4
    State:          DOWN
    Table:          master4
    Preference:     100
    Input filter:   ACCEPT
    Output filter:  bgp_export4

bgp_192_0_2_4 BGP        ---        down   2026-11-25 17:30:42
  BGP state:          Down
    Neighbor address: 192.0.2.4
    Neighbor AS:      65004
    Local AS:         65001
  Channel ipv4
    State:          DOWN
    Table:          master4
    Preference:     100
    Input filter:   ACCEPT
    Output filter:  bgp_export4

bgp_2001_db8__2 BGP        ---        start  2026-11-25 17:30:42  Idle
  BGP state:          Idle
    Neighbor address: 2001:db8::2
    Neighbor AS:      65002
    Local AS:         65001
  Channel ipv6
    State:          DOWN
    Table:          master6
    Preference:     100
    Input filter:   ACCEPT
    Output filter:  bgp_export6

"""

BIRD_STATUS = """\
BIRD 2.0.12 ready.
BIRD 2.0.12
Router ID is 192.0.2.1
Hostname is vm
Current server time is 2026-11-25 17:30:44.724
Last reboot on 2026-11-25 17:30:42.828
Last reconfiguration on 2026-11-25 17:30:42.828
Daemon is up and running
"""

BIRD_ROUTES = """\
BIRD 2.0.12 ready.
Table master4:
203.0.113.0/24       unicast [bgp_192_0_2_2 2026-11-25 17:30:43] * (100) [AS65002i]
\tvia 192.0.2.2 on eth0
\tType: BGP univ
\tBGP.origin: IGP
\tBGP.as_path: 65002
\tBGP.next_hop: 192.0.2.2
\tBGP.local_pref: 100
                     unicast [bgp_192_0_2_3 2026-11-25 17:30:44] (100) [AS65003 65009i]
\tvia 192.0.2.3 on eth0
\tType: BGP univ
\tBGP.origin: IGP
\tBGP.as_path: 65003 65009
\tBGP.next_hop: 192.0.2.3
\tBGP.med: 50
\tBGP.local_pref: 100
203.0.114.0/24       unicast [bgp_192_0_2_2 2026-11-25 17:30:43] * (100) [AS65002i]
\tvia 192.0.2.2 on eth0
\tType: BGP univ
\tBGP.origin: IGP
\tBGP.as_path: 65002
\tBGP.next_hop: 192.0.2.2
\tBGP.local_pref: 100
"""

GOBGP_NEIGHBORS = [{"conf": {"local_asn": 65002, "neighbor_address": "2001:db8::2", "peer_asn": 65002},
  "state": {"messages": {"received": {}, "sent": {}},
            "neighbor_address": "2001:db8::2",
            "peer_asn": 65002,
            "queues": {},
            "session_state": 3},
  "timers": {"config": {"connect_retry": 120,
                        "hold_time": 180,
                        "keepalive_interval": 60,
                        "idle_hold_time_after_reset": 30},
             "state": {"downtime": {"seconds": 1795627842}}},
  "transport": {"local_address": "::"},
  "afi_safis": [{"config": {"family": {"afi": 2, "safi": 1}, "enabled": True},
                 "state": {"family": {"afi": 2, "safi": 1}, "enabled": True}}]},
 {"conf": {"description": "uplink",
           "local_asn": 65002,
           "neighbor_address": "192.0.2.1",
           "peer_asn": 65001,
           "type": 1},
  "state": {"messages": {"received": {"update": 2, "open": 1, "keepalive": 1, "total": 4},
                         "sent": {"update": 1, "open": 1, "keepalive": 1, "total": 3}},
            "neighbor_address": "192.0.2.1",
            "peer_asn": 65001,
            "type": 1,
            "queues": {},
            "session_state": 6,
            "router_id": "192.0.2.1"},
  "timers": {"config": {"connect_retry": 1,
                        "hold_time": 9,
                        "keepalive_interval": 3,
                        "idle_hold_time_after_reset": 30},
             "state": {"keepalive_interval": 3,
                       "negotiated_hold_time": 9,
                       "uptime": {"seconds": 1795627843},
                       "downtime": {"seconds": 1795627843}}},
  "transport": {"local_address": "192.0.2.2"},
  "afi_safis": [{"config": {"family": {"afi": 1, "safi": 1}, "enabled": True},
                 "state": {"family": {"afi": 1, "safi": 1},
                           "enabled": True,
                           "received": 1,
                           "accepted": 1}}]},
 {"conf": {"description": "not there",
           "local_asn": 65002,
           "neighbor_address": "192.0.2.3",
           "peer_asn": 65003,
           "type": 1},
  "state": {"messages": {"received": {}, "sent": {}},
            "neighbor_address": "192.0.2.3",
            "peer_asn": 65003,
            "type": 1,
            "queues": {},
            "session_state": 3},
  "timers": {"config": {"connect_retry": 120,
                        "hold_time": 180,
                        "keepalive_interval": 60,
                        "idle_hold_time_after_reset": 30},
             "state": {"downtime": {"seconds": 1795627842}}},
  "transport": {"local_address": "0.0.0.0"},
  "afi_safis": [{"config": {"family": {"afi": 1, "safi": 1}, "enabled": True},
                 "state": {"family": {"afi": 1, "safi": 1}, "enabled": True}}]},
 {"conf": {"local_asn": 65002,
           "neighbor_address": "192.0.2.4",
           "peer_asn": 65004,
           "type": 1,
           "admin_down": True},
  "state": {"messages": {"received": {}, "sent": {}},
            "neighbor_address": "192.0.2.4",
            "peer_asn": 65004,
            "type": 1,
            "queues": {},
            "session_state": 1,
            "admin_state": 1},
  "timers": {"config": {"connect_retry": 120,
                        "hold_time": 180,
                        "keepalive_interval": 60,
                        "idle_hold_time_after_reset": 30},
             "state": {"downtime": {"seconds": 1795627842}}},
  "transport": {"local_address": "0.0.0.0"},
  "afi_safis": [{"config": {"family": {"afi": 1, "safi": 1}, "enabled": True},
                 "state": {"family": {"afi": 1, "safi": 1}, "enabled": True}}]}]

GOBGP_NEIGHBOR = {"conf": {"description": "uplink",
          "local_asn": 65002,
          "neighbor_address": "192.0.2.1",
          "peer_asn": 65001,
          "type": 1},
 "state": {"messages": {"received": {"update": 2, "open": 1, "keepalive": 1, "total": 4},
                        "sent": {"update": 1, "open": 1, "keepalive": 1, "total": 3}},
           "neighbor_address": "192.0.2.1",
           "peer_asn": 65001,
           "type": 1,
           "queues": {},
           "session_state": 6,
           "router_id": "192.0.2.1"},
 "timers": {"config": {"connect_retry": 1,
                       "hold_time": 9,
                       "keepalive_interval": 3,
                       "idle_hold_time_after_reset": 30},
            "state": {"keepalive_interval": 3,
                      "negotiated_hold_time": 9,
                      "uptime": {"seconds": 1795627843},
                      "downtime": {"seconds": 1795627843}}},
 "transport": {"local_address": "192.0.2.2"},
 "afi_safis": [{"config": {"family": {"afi": 1, "safi": 1}, "enabled": True},
                "state": {"family": {"afi": 1, "safi": 1},
                          "enabled": True,
                          "received": 1,
                          "accepted": 1,
                          "advertised": 2}}]}

GOBGP_RIB = {"198.51.100.0/25": [{"nlri": {"prefix": "198.51.100.0/25"},
                      "age": 1795627843,
                      "best": True,
                      "attrs": [{"type": 1, "value": 0},
                                {"type": 2, "as_paths": [{"segment_type": 2, "num": 1, "asns": [65001]}]},
                                {"type": 3, "nexthop": "192.0.2.1"}],
                      "stale": False,
                      "source-id": "192.0.2.1",
                      "neighbor-ip": "192.0.2.1"}],
 "203.0.113.0/24": [{"nlri": {"prefix": "203.0.113.0/24"},
                     "age": 1795627843,
                     "best": True,
                     "attrs": [{"type": 1, "value": 0}, {"type": 3, "nexthop": "0.0.0.0"}],
                     "stale": False}],
 "203.0.114.0/24": [{"nlri": {"prefix": "203.0.114.0/24"},
                     "age": 1795627843,
                     "best": True,
                     "attrs": [{"type": 1, "value": 0}, {"type": 3, "nexthop": "0.0.0.0"}],
                     "stale": False}]}

T0 = bird_time("2026-11-25 17:30:43")


# -- BIRD ---------------------------------------------------------------------------------
def test_bird_protocols_give_the_bgp_neighbors_only():
    peers = {p.address: p for p in parse_bird_protocols(BIRD_PROTOCOLS)}
    assert list(peers) == ["192.0.2.2", "192.0.2.3", "192.0.2.4", "2001:db8::2"]
    up = peers["192.0.2.2"]
    assert (up.state, up.remote_as, up.local_as, up.router_id) == ("Established", 65002, 65001, "192.0.2.2")
    assert (up.description, up.local_address, up.hold_time, up.keepalive) == ("uplink", "192.0.2.1", 9, 3)
    assert up.since == T0
    assert (up.accepted, up.advertised) == ({"ipv4-unicast": 2}, {"ipv4-unicast": 1})
    assert peers["192.0.2.3"].state == "Active"
    assert peers["192.0.2.3"].last_error == "Socket: Connection refused"
    assert peers["192.0.2.3"].description == "not there"
    assert peers["192.0.2.4"].state == "Idle (Admin)"           # disabled: `shutdown`
    assert peers["2001:db8::2"].state == "Active"               # BIRD's Idle: FRR's word
    assert peers["2001:db8::2"].accepted == {"ipv6-unicast": 0}
    assert parse_bird_status(BIRD_STATUS) == "192.0.2.1"
    assert parse_bird_started(BIRD_STATUS) == (bird_time("2026-11-25 17:30:42"),) * 2


def test_bird_routes_with_a_second_path():
    routes = parse_bird_routes(BIRD_ROUTES)
    assert [(r.prefix, r.next_hop, r.best, r.as_path, r.med, r.peer) for r in routes] == [
        ("203.0.113.0/24", "192.0.2.2", True, [65002], None, "bgp_192_0_2_2"),
        ("203.0.113.0/24", "192.0.2.3", False, [65003, 65009], 50, "bgp_192_0_2_3"),
        ("203.0.114.0/24", "192.0.2.2", True, [65002], None, "bgp_192_0_2_2"),
    ]
    assert routes[0].since == T0


def test_bird_time_formats():
    assert bird_time("2026-11-25 17:30:43.123") == T0
    today = time.strftime("%Y-%m-%d")
    assert bird_time("17:30:43.250") == bird_time(f"{today} 17:30:43")   # BIRD's default format
    assert bird_time("soon") is None


# -- GoBGP ---------------------------------------------------------------------------------
def test_gobgp_neighbors():
    peers = {p.address: p for p in map(parse_gobgp_neighbor, GOBGP_NEIGHBORS)}
    assert sorted(peers) == ["192.0.2.1", "192.0.2.3", "192.0.2.4", "2001:db8::2"]
    up = peers["192.0.2.1"]
    assert (up.state, up.remote_as, up.local_as, up.router_id) == ("Established", 65001, 65002, "192.0.2.1")
    assert (up.description, up.local_address, up.hold_time, up.keepalive) == ("uplink", "192.0.2.2", 9, 3)
    assert up.since == 1795627843
    assert up.accepted == {"ipv4-unicast": 1} and up.advertised == {}      # the list does not count them
    assert peers["192.0.2.3"].state == "Active" and peers["192.0.2.3"].local_address is None
    assert peers["192.0.2.4"].state == "Idle (Admin)"
    assert peers["2001:db8::2"].accepted == {"ipv6-unicast": 0}
    assert parse_gobgp_neighbor(GOBGP_NEIGHBOR).advertised == {"ipv4-unicast": 2}


def test_gobgp_rib_gives_learned_paths_only():
    routes = parse_gobgp_rib(GOBGP_RIB)
    assert [(r.prefix, r.next_hop, r.best, r.as_path, r.peer) for r in routes] == [
        ("198.51.100.0/25", "192.0.2.1", True, [65001], "192.0.2.1")]


# -- one set of tables for both ----------------------------------------------------------------
def _summary(peers: list[Peer]) -> list[str]:
    return summary_table(sorted(peers, key=lambda p: (p.version, p.address)), "192.0.2.9", 65009,
                         T0 + 3723).splitlines()


FRR_HEADER = ("Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd"
              "   PfxSnt Desc")


def test_the_summary_has_every_frr_column_in_the_same_layout_for_both_backends():
    bird = _summary(parse_bird_protocols(BIRD_PROTOCOLS, (bird_time("2026-11-25 17:30:42"),), T0 + 3723))
    gobgp = _summary([parse_gobgp_neighbor(n) for n in GOBGP_NEIGHBORS])
    assert bird[:5] == gobgp[:5] == [
        "IPv4 Unicast Summary:",
        "BGP router identifier 192.0.2.9, local AS number 65009",
        "Total number of neighbors 3, established 1",
        "",
        FRR_HEADER]
    # BIRD: messages estimated (OPEN + KEEPALIVE, one keepalive per 3 s for 3723 s, 2 updates
    # received, 1 sent); GoBGP: its own counters
    assert bird[5] == "192.0.2.2       4      65002      1245      1244        0    0    0 01:02:03" \
                      "            2        1 uplink"
    assert gobgp[5] == "192.0.2.1       4      65001         4         3        0    0    0 01:02:03" \
                       "            1        0 uplink"
    # the same dead and shut-down neighbors read the same under both daemons
    assert bird[6].split()[1:] == gobgp[6].split()[1:] == [
        "4", "65003", "0", "0", "0", "0", "0", "never", "Active", "0", "not", "there"]
    assert bird[7].split()[1:] == gobgp[7].split()[1:] == [
        "4", "65004", "0", "0", "0", "0", "0", "never", "Idle", "(Admin)", "0", "N/A"]
    assert [len(line) for line in bird[4:8]] == [len(line) for line in gobgp[4:8]]
    assert bird.index("IPv6 Unicast Summary:") == gobgp.index("IPv6 Unicast Summary:") == 9
    assert bird[14].split()[8:10] == gobgp[14].split()[8:10] == ["never", "Active"]


def test_one_state_vocabulary():
    assert [frr_state(s) for s in ("Idle", "connect", "Active", "Close", "Down")] == ["Active"] * 5
    assert [frr_state(s) for s in ("OpenSent", "OpenConfirm", "Established")] == [
        "OpenSent", "OpenConfirm", "Established"]
    assert frr_state("Idle", admin_down=True) == "Idle (Admin)"
    bird = {p.address: p for p in parse_bird_protocols(BIRD_PROTOCOLS)}
    gobgp = {p.address: p for p in map(parse_gobgp_neighbor, GOBGP_NEIGHBORS)}
    assert bird["2001:db8::2"].daemon_state == "Idle" and gobgp["2001:db8::2"].daemon_state == "Active"
    assert bird["2001:db8::2"].state == gobgp["2001:db8::2"].state == "Active"


def test_up_down_is_never_only_for_sessions_that_never_came_up():
    started = (bird_time("2026-11-25 17:30:42"),)
    bird = {p.address: p for p in parse_bird_protocols(BIRD_PROTOCOLS, started)}
    assert up_down(bird["192.0.2.3"], T0 + 60) == "never"          # started with BIRD, never up
    dropped = parse_bird_protocols(BIRD_PROTOCOLS, (T0 - 600,))    # BIRD started long before
    assert up_down({p.address: p for p in dropped}["192.0.2.3"], T0 + 60) == "00:01:01"
    gobgp = {p.address: p for p in map(parse_gobgp_neighbor, GOBGP_NEIGHBORS)}
    assert up_down(gobgp["192.0.2.3"], T0) == "never"              # no uptime timer: never up
    assert up_down(gobgp["192.0.2.1"], 1795627843 + 5) == "00:00:05"


def test_bird_message_estimate():
    up = parse_bird_protocols(BIRD_PROTOCOLS)[0]
    assert (up.updates_rcvd, up.updates_sent) == (2, 1)
    assert estimate_messages(up, T0) == (4, 3)
    assert estimate_messages(up, T0 + 30) == (14, 13)
    assert estimate_messages(parse_bird_protocols(BIRD_PROTOCOLS)[1], T0 + 30) == (0, 0)


def test_summary_without_neighbors():
    assert summary_table([], "192.0.2.9", 65009, 0) == \
        "BGP router identifier 192.0.2.9, local AS number 65009\nNo BGP neighbors found\n"


def test_neighbor_block():
    up = parse_bird_protocols(BIRD_PROTOCOLS)[0]
    assert neighbor_block(up, T0 + 90061, 65001) == """\
BGP neighbor is 192.0.2.2, remote AS 65002, local AS 65001, external link
  Description: uplink
  BGP version 4, remote router ID 192.0.2.2
  BGP state = Established, up for 1d01h01m
  Hold time is 9, keepalive interval is 3 seconds
  Local host: 192.0.2.1, Remote host: 192.0.2.2

  For address family: IPv4 Unicast
    2 accepted prefixes
    1 announced prefixes
"""
    down = parse_bird_protocols(BIRD_PROTOCOLS)[1]
    block = neighbor_block(down, bird_time("2026-11-25 17:30:42") + 5, 65001)
    assert "  BGP state = Active, down for 00:00:05\n" in block
    assert "  Last error: Socket: Connection refused\n" in block
    assert "Hold time" not in block and "Local host" not in block


def test_route_lines_mark_best_and_installed_paths():
    kernel = {"203.0.113.0/24": {"dst": "203.0.113.0/24", "gateway": "192.0.2.2", "dev": "eth0"}}
    text = route_lines(parse_bird_routes(BIRD_ROUTES), kernel, {"bgp_192_0_2_3"}, T0 + 61)
    assert text.startswith(CODES)                     # the same Codes lines as show ip route
    assert text.splitlines()[3:] == [
        "B>* 203.0.113.0/24 [20/0] via 192.0.2.2, eth0, 00:01:01",
        "B   203.0.113.0/24 [200/50] via 192.0.2.3, 00:01:00",
        "B>  203.0.114.0/24 [20/0] via 192.0.2.2, 00:01:01",       # best, but not in the kernel
    ]
    assert route_lines([], {}, set(), 0) == ""


def test_durations_like_frr():
    assert [duration(s) for s in (None, -5, 59, 3723, 86400 + 3660, 8 * 86400 + 7200)] == [
        "never", "00:00:00", "00:00:59", "01:02:03", "1d01h01m", "01w1d02h"]


def test_bgp_table_lines_are_the_same_for_both_daemons():
    from nos_shell.ops.bgp.rib import HEADER, table

    bird = parse_bird_routes(BIRD_ROUTES)
    gobgp = parse_gobgp_rib(GOBGP_RIB, local=True)
    assert [r.peer for r in gobgp] == ["192.0.2.1", None, None]
    lines = table(bird, {"bgp_192_0_2_3"}, "192.0.2.1", 65001)
    assert lines[0] == "BGP table version is 0, local router ID is 192.0.2.1, vrf id 0"
    assert lines[5] == HEADER == "   Network          Next Hop            Metric LocPrf Weight Path"
    assert lines[6:] == [
        "*> 203.0.113.0/24   192.0.2.2                              0 65002 i",
        "* i203.0.113.0/24   192.0.2.3               50    100      0 65003 65009 i",
        "*> 203.0.114.0/24   192.0.2.2                              0 65002 i"]
    lines = table(gobgp, set(), "192.0.2.2", 65002)
    weight_end = HEADER.index("Weight") + len("Weight")
    assert {line[weight_end - 5:weight_end] for line in lines[6:]} == {"    0", "32768"}   # under Weight
    assert lines[6:] == [
        "*> 198.51.100.0/25  192.0.2.1                              0 65001 i",
        "*> 203.0.113.0/24   0.0.0.0                  0         32768 i",
        "*> 203.0.114.0/24   0.0.0.0                  0         32768 i"]
