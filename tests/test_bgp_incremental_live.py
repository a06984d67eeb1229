"""A live commit that does not concern BGP leaves the BGP daemon and its session alone;
one that does (a new neighbor) reloads the daemon in place, for BIRD and for GoBGP.

The router is a lab router (tests/netlab.py: its own systemd-networkd and D-Bus in a
network namespace) configured only by commits, with ``protocols bgp backend`` chosen per
test. eth1 leads to a peer namespace running a plain BIRD (tests/bgplab.py) with which the
router's daemon keeps a session; eth2 and eth3 lead to a far host. Every command nos-shell
runs in the router goes through a recorder in the exec prefix, so the test sees whether
``birdc configure``, ``kill -HUP`` or ``networkctl`` ran.

Three one-line commits that do not concern BGP (a description, an MTU on another link, an
address on another link) must not touch the daemon: its file keeps its inode and mtime,
no configure/HUP ran, BIRD's last reconfiguration time and gobgpd's pid are unchanged;
the session is the same TCP connection (socket inode and ports, seen from the peer) with
the same establishment time on both sides; and links other than the changed one lose no
address (``ip monitor address``) and keep their ifindex. Then a new neighbor is committed:
BIRD is reconfigured with ``configure`` (gobgpd gets a SIGHUP), the new neighbor appears,
and the established session still is the same connection.
"""
from __future__ import annotations

import os
import re
from datetime import datetime

import pytest

from bgplab import PeerBird, bgp_settings, bgp_sockets, commands, count, record_commands
from netlab import address_events, deleted, lab, require_router, wait_for

ROUTER, PEER = "192.0.2.1", "192.0.2.2"
ROUTER_AS, PEER_AS = 65001, 65002
LINKS = {"eth1": "192.0.2.1/28", "eth2": "192.0.2.17/28", "eth3": "192.0.2.33/28"}
NETWORK = "198.51.100.0/24"
NEW_NEIGHBOR = "192.0.2.3"
TIMERS = ("timers holdtime 9", "timers keepalive 3", "timers connect 1")
FILES = {"bird": "etc/bird/bird.conf", "gobgp": "etc/gobgp/gobgpd.toml"}
# one-line commits that do not concern BGP, and the link each one may touch
NOT_BGP = [("set interfaces ethernet eth3 description uplink", None),
           ("set interfaces ethernet eth2 mtu 1400", "eth2"),
           ("set interfaces ethernet eth3 address 192.0.2.49/28", "eth3")]


class Daemon:
    """What the router's BGP daemon looks like from outside: enough to tell a reload."""

    def __init__(self, router, backend: str):
        self.router, self.backend = router, backend

    def file(self) -> tuple[int, int]:
        st = (self.router.root / FILES[self.backend]).stat()
        return st.st_ino, st.st_mtime_ns

    def identity(self) -> str:
        """BIRD: its last reconfiguration time; gobgpd: its pid. Compare two with
        :func:`same_daemon`: BIRD shows its monotonic event times as wall-clock times
        converted at each show, so one time may read a millisecond apart."""
        if self.backend == "bird":
            out = self.router.run("birdc", "-s", str(self.router.root / "run/bird.ctl"), "show", "status").stdout
            m = re.search(r"Last reconfiguration on (.+)", out)
            assert m, out
            return m[1].strip()
        return (self.router.root / "run/nos-shell/gobgpd.pid").read_text().strip()

    def peers(self) -> dict:
        from nos_shell.apply import load_target
        from nos_shell.backends.bird.state import BirdState
        from nos_shell.backends.gobgp.state import GobgpState

        cls = GobgpState if self.backend == "gobgp" else BirdState
        return {p.address: p for p in cls(load_target(self.router.root)).peers()}

    def since(self) -> float | None:
        peer = self.peers().get(PEER)
        return peer.since if peer is not None and peer.established else None

    def reloads(self, recorded: list[list[str]]) -> list[list[str]]:
        """The recorded commands that reload it: ``birdc ... configure`` or ``kill -HUP``."""
        if self.backend == "bird":
            return [c for c in recorded if c[:1] == ["birdc"] and "configure" in c]
        return [c for c in recorded if c[:2] == ["kill", "-HUP"]]


def _session(peer: PeerBird, daemon: Daemon) -> tuple:
    """The established session as both sides and the kernel see it (None parts while not)."""
    return peer.session(), bgp_sockets(peer.node), daemon.since()


JITTER = 0.5
"""Seconds two readings of one state change's time may differ by: BIRD keeps event times
on its monotonic clock and converts them to wall-clock time when asked, so the same event
reads a millisecond apart from one `show` to the next. A session that went down and up
again differs by the seconds of its hold and connect timers and by its socket."""


def same_session(now: tuple, before: tuple) -> bool:
    """``now`` is the session ``before`` was (see :data:`JITTER`): the same state, the same
    TCP connection (addresses, ports and socket inode) and the same established times."""
    if now[0] is None:
        return False
    (state, peer_since), sockets, since = now
    (state0, peer_since0), sockets0, since0 = before
    peer_drift = abs(datetime.fromisoformat(peer_since) - datetime.fromisoformat(peer_since0)).total_seconds()
    return (state == state0 and sockets == sockets0 and peer_drift < JITTER
            and since is not None and since0 is not None and abs(since - since0) < JITTER)


def same_daemon(now: str, before: str) -> bool:
    """:meth:`Daemon.identity` ``now`` is ``before``: the same gobgpd pid, or BIRD's last
    reconfiguration time within :data:`JITTER` (a reconfiguration moves it to the present,
    seconds after the last one here)."""
    if ":" not in before:                   # (a pid)
        return now == before
    return abs(datetime.fromisoformat(now) - datetime.fromisoformat(before)).total_seconds() < JITTER


@pytest.mark.parametrize("backend", ["bird", "gobgp"])
def test_changes_beside_bgp_leave_the_daemon_and_session_alone(tmp_path, backend):
    require_router("ss", "bird", "birdc", "gobgpd", "gobgp")
    with lab(tmp_path / "lab") as L:
        router = L.router("l11r")
        peer_node = L.attach(router, "eth1", "l11p", "peer0", f"{PEER}/28")
        far = L.host("l11h")
        L.wire(router, "eth2", far, "far2")
        L.wire(router, "eth3", far, "far3")
        bgp_settings(router)
        log = record_commands(router)
        n = f"set protocols bgp neighbor {PEER}"
        router.commit(*(f"set interfaces ethernet {name} address {cidr}" for name, cidr in LINKS.items()),
                      f"set protocols bgp system-as {ROUTER_AS}", f"set protocols bgp backend {backend}",
                      f"set protocols bgp parameters router-id {ROUTER}", f"{n} remote-as {PEER_AS}",
                      *(f"{n} {t}" for t in TIMERS),
                      f"set protocols bgp address-family ipv4-unicast network {NETWORK}")
        peer = PeerBird(peer_node, PEER, PEER_AS, ROUTER, ROUTER_AS)
        daemon = Daemon(router, backend)
        wait_for("the session Established on both sides",
                 lambda: (peer.session() or ("",))[0] == "Established" and daemon.since(), 30)
        wait_for(f"{NETWORK} at the peer", lambda: NETWORK in peer.routes(), 20)
        session = wait_for("exactly one established TCP connection",
                           lambda: len((s := _session(peer, daemon))[1]) == 1 and s, 10)

        for line, touched in NOT_BGP:
            file, identity, index, mark = daemon.file(), daemon.identity(), router.ifindex(), count(log)
            with address_events(router.ns) as events:
                out = router.commit(line)
            recorded = commands(log, router, mark)
            assert "BGP" not in out, (line, out)
            assert daemon.file() == file, f"{line}: {FILES[backend]} was rewritten"
            assert daemon.reloads(recorded) == [], (line, recorded)
            assert same_daemon(daemon.identity(), identity), line
            assert same_session(_session(peer, daemon), session), (line, _session(peer, daemon), session)
            for link in LINKS:
                if link != touched:
                    assert deleted(events, link) == [], (line, events)
                    assert router.ifindex()[link] == index[link], line
            if touched is None:       # no unit changed: networkd was not even asked
                assert not [c for c in recorded if c[:1] == ["networkctl"]], (line, recorded)
            else:                     # the monitor does see the link that changed
                assert any(c[:1] == ["networkctl"] for c in recorded), (line, recorded)
        assert "192.0.2.49/28" in router.addresses("eth3")
        assert "mtu 1400" in router.ip("link", "show", "eth2").stdout

        # a change that concerns BGP: the daemon follows it in place
        identity, mark = daemon.identity(), count(log)
        new = f"set protocols bgp neighbor {NEW_NEIGHBOR}"
        out = router.commit(f"{new} remote-as 65003", *(f"{new} {t}" for t in TIMERS))
        recorded = commands(log, router, mark)
        assert "started" not in out and "restarted" not in out, out
        assert len(daemon.reloads(recorded)) == (2 if backend == "bird" else 1), recorded  # check + configure
        wait_for("the new neighbor in the daemon", lambda: NEW_NEIGHBOR in daemon.peers(), 10)
        if backend == "bird":
            assert not same_daemon(daemon.identity(), identity)      # BIRD did reconfigure
        else:
            assert same_daemon(daemon.identity(), identity)          # the same gobgpd
        assert same_session(_session(peer, daemon), session), (_session(peer, daemon), session)
        assert os.path.exists(router.root / FILES[backend])
