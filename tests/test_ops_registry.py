"""The operational registry: every op-mode grammar command has one registered handler with
help, every registered command is in the grammar, dispatch goes through it; and the BGP
views render one table from typed values, whichever reader gives them."""
from __future__ import annotations

import pytest

from nos_shell import Session
from nos_shell.commands import OP, parse, parser
from nos_shell.errors import NosError
from nos_shell.models.bgp_state import Peer, Route
from nos_shell.ops import registry
from nos_shell.ops.docgen import keywords


def _grammar_forms() -> dict[str, list[list[str]]]:
    """alias -> the leading keywords of each of its op_command alternatives."""
    literals = keywords()
    forms: dict[str, list[list[str]]] = {}
    for rule in parser().rules:
        if rule.origin.name != "op_command":
            continue
        lead = []
        for symbol in rule.expansion:
            if symbol.name not in literals:
                break
            lead.append(literals[symbol.name])
        forms.setdefault(rule.alias, []).append(lead)
    return forms


def test_every_grammar_command_has_one_registered_handler_with_help_and_back():
    forms = _grammar_forms()
    table = registry.table()
    assert set(forms) == set(table)
    for name, command in table.items():
        assert command.name == name and callable(command.handler) and command.help.strip()
        declared = [words.split() for words in command.words]
        for lead in forms[name]:         # each grammar form starts with a declared phrase
            assert any(lead[:len(d)] == d for d in declared), (name, lead)
        for d in declared:               # and each declared phrase is a grammar form's start
            assert any(lead[:len(d)] == d for lead in forms[name]), (name, d)


def test_a_command_registered_twice_is_refused(monkeypatch):
    from nos_shell.ops import system

    monkeypatch.setattr(system, "COMMANDS", system.COMMANDS + system.COMMANDS[:1])
    registry.reset()
    try:
        with pytest.raises(ValueError, match="registered twice"):
            registry.table()
    finally:
        monkeypatch.undo()
        registry.reset()


def test_every_keyword_of_an_op_command_has_help():
    from nos_shell.shell.words import keyword_help

    literals = keywords()
    for rule in parser().rules:
        if rule.origin.name != "op_command":
            continue
        words = [literals[s.name] for s in rule.expansion if s.name in literals]
        for before, word in zip([None, *words], words):
            assert keyword_help(word, "op", before), (rule.alias, before, word)


def test_a_one_shot_command_loads_only_the_areas_it_needs():
    import subprocess
    import sys

    code = ("import sys; from nos_shell.ops import registry; registry.find('show_configuration'); "
            "print(sorted(m for m in sys.modules if m.startswith('nos_shell.ops.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "nos_shell.ops.configuration" in loaded and "nos_shell.ops.bgp" not in loaded
    assert "nos_shell.ops.counters" not in loaded


def test_run_dispatches_through_the_registry(tmp_path, monkeypatch):

    table = registry.table()
    monkeypatch.setitem(table, "show_date", table["show_date"]._replace(handler=lambda s, c: "from the registry\n"))
    s = Session(tmp_path)
    assert s.run("show date").output == "from the registry\n"
    assert s.run("show host name").ok
    with pytest.raises(NosError, match="not available in this version"):
        registry.dispatch(s, parse("show date", OP).__class__("no_such_command"))


def test_admin_only_commands_refuse_operators(tmp_path):
    s = Session(tmp_path)
    s.level = "operator"
    for line, what in (("restart ssh", "restart services"), ("generate ssh server-key", "generate keys"),
                       ("clear interfaces counters", "clear counters")):
        result = s.run(line)
        assert not result.ok and f"operator-level users cannot {what}" in result.output


# -- BGP views: one table from typed values ------------------------------------------------
PEERS = [
    Peer("192.0.2.2", remote_as=65002, state="Established", daemon_state="Established", since=1000.0,
         ever_up=True, router_id="192.0.2.2", description="uplink", hold_time=90, keepalive=30,
         local_address="192.0.2.1", accepted={"ipv4-unicast": 1}, advertised={"ipv4-unicast": 1},
         msg_rcvd=5, msg_sent=6),
    Peer("192.0.2.3", remote_as=65001, accepted={"ipv4-unicast": 0}, advertised={"ipv4-unicast": 0}),
]
LEARNED = [Route("198.51.100.0/24", "192.0.2.2", True, 1100.0, [65002], med=5, peer="192.0.2.2")]
LOCAL = [Route("203.0.113.0/24", None, True, None, [], peer=None)]


class FakeState:
    """A reader giving fixed typed values (what BIRD's or GoBGP's reader would)."""

    def __init__(self):
        self.resets: list[tuple[str, bool]] = []

    def router_id(self):
        return "192.0.2.1"

    def peers(self, detail=False):
        return [Peer(**vars(p)) for p in PEERS]

    def routes(self, version):
        return [Route(**vars(r)) for r in LEARNED] if version == 4 else []

    def local_routes(self, version):
        return [Route(**vars(r)) for r in LOCAL] if version == 4 else []

    def received(self, address, version):
        return [r for r in self.routes(version) if r.peer == address]

    def advertised(self, address, version):
        return {"203.0.113.0/24"}

    def installed(self, version):
        return {"198.51.100.0/24": {"gateway": "192.0.2.2", "dev": "eth0"}}

    def reset(self, address, soft):
        self.resets.append((address, soft))


class BirdLike(FakeState):
    pass


class GobgpLike(FakeState):
    pass


@pytest.fixture
def bgp_session(tmp_path):
    s = Session(tmp_path)
    for line in ("configure", "set protocols bgp system-as 65001", "set protocols bgp parameters router-id 192.0.2.1",
                 "set protocols bgp neighbor 192.0.2.2 remote-as 65002",
                 "set protocols bgp neighbor 192.0.2.2 address-family ipv4-unicast",
                 "set protocols bgp neighbor 192.0.2.3 remote-as internal",
                 "set protocols bgp neighbor 192.0.2.3 address-family ipv4-unicast", "commit", "exit"):
        assert s.run(line).ok, line
    return s


VIEWS = ("show ip bgp summary", "show bgp neighbors", "show ip bgp", "show ip route bgp",
         "show ip bgp neighbors 192.0.2.2 routes", "show ip bgp neighbors 192.0.2.2 received-routes",
         "show ip bgp neighbors 192.0.2.2 advertised-routes")


def _use(monkeypatch, state) -> None:
    """The BGP views read ``state`` (instead of the running daemon's reader)."""
    from nos_shell.models import bgp as bgp_common
    from nos_shell.ops.bgp import rib, summary

    def reader(s):
        return state, bgp_common.view(s.running)

    monkeypatch.setattr(summary, "reader", reader)
    monkeypatch.setattr(rib, "reader", reader)


def _outputs(session, monkeypatch, state) -> dict[str, str]:
    _use(monkeypatch, state)
    monkeypatch.setattr("time.time", lambda: 2000.0)
    out = {}
    for line in VIEWS:
        result = session.run(line)
        assert result.ok, (line, result.output)
        out[line] = result.output
    return out


def test_bgp_views_render_the_same_table_from_either_readers_values(bgp_session, monkeypatch):
    bird, gobgp = BirdLike(), GobgpLike()
    first, second = _outputs(bgp_session, monkeypatch, bird), _outputs(bgp_session, monkeypatch, gobgp)
    assert first == second
    assert "192.0.2.2       4      65002         5         6        0    0    0 00:16:40            1" \
        in first["show ip bgp summary"]
    assert "*> 198.51.100.0/24  192.0.2.2" in first["show ip bgp"]
    assert "B>* 198.51.100.0/24 [20/5] via 192.0.2.2, eth0" in first["show ip route bgp"]
    assert "Total number of prefixes 1" in first["show ip bgp neighbors 192.0.2.2 advertised-routes"]
    for state in (bird, gobgp):
        _use(monkeypatch, state)
        assert bgp_session.run("reset ip bgp all soft").ok
        assert bgp_session.run("reset ip bgp 192.0.2.3").ok
        assert state.resets == [("192.0.2.2", True), ("192.0.2.3", True), ("192.0.2.3", False)]


def test_bird_protocol_names_become_neighbor_addresses():
    from nos_shell.backends.bird.state import peer_address

    assert peer_address("bgp_192_0_2_3") == "192.0.2.3"
    assert peer_address("bgp_2001_db8__1") == "2001:db8::1"
    assert peer_address("device1") is None


def test_the_ops_package_never_names_a_bgp_daemon_class():
    import pathlib

    import nos_shell.ops as ops

    for path in pathlib.Path(ops.__file__).parent.rglob("*.py"):
        text = path.read_text()
        assert "isinstance(state" not in text and "BirdState" not in text and "GobgpState" not in text, path


def test_each_bgp_driver_gives_its_state_reader(tmp_path):
    from nos_shell.apply.target import Target
    from nos_shell.backends.registry import in_area

    readers = {driver.name: driver.state(Target(tmp_path)) for driver in in_area("bgp")}
    assert set(readers) >= {"bird", "gobgp"}
    for state in readers.values():
        assert all(callable(getattr(state, m)) for m in ("router_id", "peers", "routes", "local_routes",
                                                         "received", "advertised", "installed", "reset"))
