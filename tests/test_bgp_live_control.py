"""The daemon-control decisions of the BGP reloads, with a fake Context (no daemon, no namespace).

The real thing runs in tests/test_bgp_live.py; here each decision is pinned down by the
commands it runs: start vs. configure vs. stop for BIRD, SIGHUP vs. restart for gobgpd, the
announcement diff, and which daemon stops first when the backend is switched (decided by the
apply layer, :func:`nos_shell.apply.reload_all`, for the "bgp" area: no driver knows the other).
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path, PurePosixPath

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.apply import Target, files, reload_all
from nos_shell.backends.bird import DRIVER as BIRD_DRIVER
from nos_shell.backends.bird import compiler as bird
from nos_shell.backends.bird import control as bird_control
from nos_shell.backends.gobgp import DRIVER as GOBGP_DRIVER
from nos_shell.backends.gobgp import compiler as gobgp
from nos_shell.backends.gobgp import control as gobgp_control
from nos_shell.errors import CommitError

BASE = """set protocols bgp system-as 65001
set protocols bgp parameters router-id 192.0.2.1
set protocols bgp neighbor 192.0.2.2 remote-as 65002
set protocols bgp address-family ipv4-unicast network 198.51.100.0/24
"""
GOBGP = BASE + "set protocols bgp backend gobgp\n"
EMPTY = tree_from_commands("")


class FakeCtx:
    """A Context whose ``run`` answers from ``respond(argv) -> (rc, stdout)`` and records argv."""

    def __init__(self, root: Path, old, new, changed=(), removed=(), respond=None):
        self.target = Target(root, live=True, settings=(("bird-socket", str(root / "run/bird.ctl")),))
        self.old, self.new = old, new
        self.changed, self.removed = set(changed), set(removed)
        self.notes: list[str] = []
        self.calls: list[tuple[str, ...]] = []
        self.respond = respond or (lambda argv: (0, ""))

    def run(self, *argv: str, check: bool = True, timeout: float = 60, input=None):
        self.calls.append(argv)
        rc, out = self.respond(argv)
        if check and rc != 0:
            raise CommitError(f"{' '.join(argv)} failed (exit {rc})")
        return subprocess.CompletedProcess(argv, rc, out, "")

    def file(self, rel) -> Path:
        return self.target.path(rel)

    def ran(self, *prefix: str) -> list[tuple[str, ...]]:
        return [c for c in self.calls if c[:len(prefix)] == prefix]


class Engine:
    """The apply layer's reloads (every registered driver) with recording FakeCtx contexts."""

    def __init__(self, root: Path, respond):
        self.root, self.respond = root, respond
        self.calls: list[tuple[str, ...]] = []

    def reload(self, old, new, changed=(), removed=()) -> list[str]:
        owners = {bird.CONF: "bird", gobgp.CONF: "gobgp"}
        change = files.Plan(changed={rel: b"" for rel in changed}, removed=set(removed), owners=owners)

        def context(target, old, new, changed, removed):
            ctx = FakeCtx(self.root, old, new, changed, removed, respond=self.respond)
            ctx.calls = self.calls
            return ctx
        target = Target(self.root, live=True, settings=(("bird-socket", str(self.root / "run/bird.ctl")),))
        return reload_all(target, old, new, change, context=context)

    def ran(self, *prefix: str) -> list[tuple[str, ...]]:
        return [c for c in self.calls if c[:len(prefix)] == prefix]


def test_checks_run_the_daemons_own_checkers(tmp_path):
    staged = {bird.CONF: tmp_path / "b.conf", gobgp.CONF: tmp_path / "g.toml"}
    assert BIRD_DRIVER.checks(staged) == [["bird", "-p", "-c", str(tmp_path / "b.conf")]]
    assert GOBGP_DRIVER.checks(staged) == [["gobgpd", "-d", "-p", "-f", str(tmp_path / "g.toml")]]
    assert BIRD_DRIVER.checks({}) == GOBGP_DRIVER.checks({}) == []


# -- BIRD ---------------------------------------------------------------------------------
def _bird(running: bool):
    state = {"up": running}

    def respond(argv):
        if argv[0] == "birdc" and argv[3:] == ("show", "status"):
            return (0, "Daemon is up and running") if state["up"] else (1, "")
        if argv[0] == "bird":
            state["up"] = True
        if argv[0] == "birdc" and argv[3:] == ("down",):
            state["up"] = False
        return 0, ""
    return respond


def test_bird_is_started_when_it_does_not_answer(tmp_path):
    ctx = FakeCtx(tmp_path, EMPTY, tree_from_commands(BASE), changed={bird.CONF}, respond=_bird(False))
    BIRD_DRIVER.reload(ctx)
    sock = str(tmp_path / "run/bird.ctl")
    assert ctx.ran("bird") == [("bird", "-c", str(tmp_path / "etc/bird/bird.conf"), "-s", sock,
                                "-P", str(tmp_path / "run/bird.pid"))]
    assert ctx.notes == ["BGP: started BIRD"]


def test_a_running_bird_is_checked_then_reconfigured(tmp_path):
    tree = tree_from_commands(BASE)
    ctx = FakeCtx(tmp_path, tree, tree, changed={bird.CONF}, respond=_bird(True))
    BIRD_DRIVER.reload(ctx)
    conf = f'"{tmp_path}/etc/bird/bird.conf"'
    assert [c[3:] for c in ctx.ran("birdc") if c[3] == "configure"] == [
        ("configure", "check", conf), ("configure", conf)]
    assert ctx.ran("bird") == [] and ctx.notes == []
    # nothing changed: nothing to do
    ctx = FakeCtx(tmp_path, tree, tree, respond=_bird(True))
    BIRD_DRIVER.reload(ctx)
    assert [c for c in ctx.calls if "configure" in c] == []


def test_a_refused_configuration_fails_the_commit(tmp_path):
    def respond(argv):
        return (1, "bird.conf:3:1 syntax error") if "configure" in argv else (0, "")
    tree = tree_from_commands(BASE)
    with pytest.raises(CommitError):
        BIRD_DRIVER.reload(FakeCtx(tmp_path, tree, tree, changed={bird.CONF}, respond=respond))


def test_bird_stops_when_bgp_goes_away_and_is_left_alone_when_it_never_ran(tmp_path):
    engine = Engine(tmp_path, _bird(True))
    notes = engine.reload(tree_from_commands(BASE), EMPTY, removed={bird.CONF})
    assert [c[3:] for c in engine.ran("birdc")][-2:] == [("down",), ("show", "status")]
    assert notes == ["BGP: stopped BIRD"]
    engine = Engine(tmp_path, _bird(True))
    assert engine.reload(EMPTY, EMPTY) == []
    assert engine.calls == []          # no BGP before or after: not even birdc is asked


# -- GoBGP ---------------------------------------------------------------------------------
RIB = {"198.51.100.0/24": [{"nlri": {"prefix": "198.51.100.0/24"}, "best": True, "attrs": []}],
       "10.0.0.0/8": [{"nlri": {"prefix": "10.0.0.0/8"}, "best": True, "attrs": []}],
       "203.0.113.0/24": [{"nlri": {"prefix": "203.0.113.0/24"}, "best": True, "attrs": [],
                           "neighbor-ip": "192.0.2.2"}]}


def _gobgpd(tmp_path: Path, running: bool, asn=65001, router_id="192.0.2.1", rib=None):
    if running:
        pidfile = tmp_path / gobgp_control.PIDFILE
        pidfile.parent.mkdir(parents=True, exist_ok=True)
        pidfile.write_text("4242\n")
        (tmp_path / gobgp_control.ROUTES_PIDFILE).write_text("4343\n")
    state = {"up": running, "routes": running}

    def respond(argv):
        if argv[:2] == ("cat", "/proc/4242/cmdline"):
            return (0, "gobgpd\0-f\0x") if state["up"] else (1, "")
        if argv[:2] == ("cat", "/proc/4343/cmdline"):
            return (0, "python\0-m\0nos_shell.backends.gobgp.routes") if state["routes"] else (1, "")
        if argv[0] == "cat":
            return 1, ""
        if "nos_shell.live.daemon" in argv and "gobgpd" in argv:
            (tmp_path / gobgp_control.PIDFILE).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / gobgp_control.PIDFILE).write_text("4242\n")
            state["up"] = True
            state["asn"], state["rid"] = None, None
            return 0, "4242"
        if argv[:2] == ("kill", "-TERM"):
            state["up" if argv[2] == "4242" else "routes"] = False
        if argv[0] == "gobgp" and argv[5:] == ("global", "-j"):
            if not state["up"]:
                return 1, ""
            return 0, json.dumps({"asn": state.get("asn") or asn, "router_id": state.get("rid") or router_id})
        if argv[0] == "gobgp" and argv[5:8] == ("global", "rib", "-a"):
            return 0, json.dumps(rib if rib is not None and argv[8] == "ipv4" else {})
        return 0, ""
    return respond


def test_gobgpd_gets_sighup_and_announcements_are_synced(tmp_path):
    old, new = tree_from_commands(GOBGP), tree_from_commands(
        GOBGP.replace("198.51.100.0/24", "192.0.2.128/25") + "set protocols bgp neighbor 192.0.2.3 remote-as 65003\n")
    ctx = FakeCtx(tmp_path, old, new, changed={gobgp.CONF}, respond=_gobgpd(tmp_path, True, rib=RIB))
    GOBGP_DRIVER.reload(ctx)
    assert ctx.ran("kill") == [("kill", "-HUP", "4242")]
    rib_changes = [c[5:] for c in ctx.ran("gobgp") if c[7:8] in (("add",), ("del",))]
    # the locally originated paths follow the tree; the learned 203.0.113.0/24 is not touched
    assert rib_changes == [("global", "rib", "del", "-a", "ipv4", "10.0.0.0/8"),
                           ("global", "rib", "del", "-a", "ipv4", "198.51.100.0/24"),
                           ("global", "rib", "add", "-a", "ipv4", "192.0.2.128/25", "origin", "igp")]
    assert ctx.notes == [] and not [c for c in ctx.calls if "nos_shell.live.daemon" in c]


def test_a_new_router_id_restarts_gobgpd_and_says_so(tmp_path):
    old = tree_from_commands(GOBGP)
    new = tree_from_commands(GOBGP.replace("router-id 192.0.2.1", "router-id 192.0.2.9"))
    ctx = FakeCtx(tmp_path, old, new, changed={gobgp.CONF},
                  respond=_gobgpd(tmp_path, True, router_id="192.0.2.1", rib={}))
    GOBGP_DRIVER.reload(ctx)
    assert ("kill", "-TERM", "4242") in ctx.calls
    assert not ctx.ran("kill", "-HUP")
    started = [c for c in ctx.calls if "nos_shell.live.daemon" in c]
    assert len(started) == 1 and "gobgpd" in started[0]
    assert len(ctx.notes) == 1 and "restarted gobgpd" in ctx.notes[0] and "192.0.2.9" in ctx.notes[0]
    assert ctx.ran("gobgp", "-u", "127.0.0.1", "-p", "50051", "global", "rib", "add")


def test_switching_to_bird_stops_gobgp_first(tmp_path):
    old, new = tree_from_commands(GOBGP), tree_from_commands(BASE)
    gob = _gobgpd(tmp_path, True)
    birdd = _bird(False)

    def respond(argv):
        return birdd(argv) if argv[0] in ("bird", "birdc") else gob(argv)
    engine = Engine(tmp_path, respond)
    notes = engine.reload(old, new, changed={bird.CONF}, removed={gobgp.CONF})
    names = [c[0] if c[0] != "kill" else " ".join(c) for c in engine.calls if c[0] in ("kill", "bird")]
    assert names == ["kill -TERM 4343", "kill -TERM 4242", "bird"]     # installer, gobgpd, then BIRD
    assert engine.ran("ip", "-4", "route", "flush", "proto", "186")
    assert notes == ["BGP: stopped gobgpd", "BGP: started BIRD"]
    # stopping gobgp again (a later reload) finds nothing left to stop
    ctx2 = FakeCtx(tmp_path, old, new, removed={gobgp.CONF}, respond=respond)
    GOBGP_DRIVER.stop(ctx2)
    assert ctx2.notes == [] and not ctx2.ran("kill")


def test_switching_to_gobgp_stops_bird_before_gobgpd_starts(tmp_path):
    old, new = tree_from_commands(BASE), tree_from_commands(GOBGP)
    gob = _gobgpd(tmp_path, False, rib={})
    birdd = _bird(True)

    def respond(argv):
        return birdd(argv) if argv[0] in ("bird", "birdc") else gob(argv)
    engine = Engine(tmp_path, respond)
    notes = engine.reload(old, new, changed={gobgp.CONF}, removed={bird.CONF})
    down = engine.calls.index(("birdc", "-s", str(tmp_path / "run/bird.ctl"), "down"))
    started = next(i for i, c in enumerate(engine.calls) if "nos_shell.live.daemon" in c and "gobgpd" in c)
    assert down < started
    assert notes[:2] == ["BGP: stopped BIRD", "BGP: started gobgpd"]


def test_api_address_forms():
    assert gobgp_control.gobgp(Target(Path("/"), settings=(("gobgp-api", "[::1]:50052"),)), "neighbor") == \
        ("gobgp", "-u", "::1", "-p", "50052", "neighbor")
    assert bird_control.pid_path(Target(Path("/"))) == "/run/bird/bird.pid"
    assert PurePosixPath(gobgp_control.PIDFILE).is_absolute() is False
