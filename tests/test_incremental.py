"""Commits that cost what changed: one shared model, incremental compile, reload only what changed.

- a driver's delta applied to compile(old) is compile(new), byte for byte and mode for
  mode, for random trees and random edits of them (every registered driver; hypothesis,
  derandomised under CI=true);
- the same for networkd's address path with random address edits that move routes,
  multipath routes and a DHCP server between units;
- a one-line change on 4094 VLANs renders one VLAN's units, and a commit of it rewrites
  only the file whose bytes changed (inodes of the other 8,000 files untouched);
  a description rewrites nothing;
- after a sequence of incremental commits the files on disk are exactly a full compile
  of the running configuration, and the manifest names exactly those files;
- inside a sharing block verify and compile see one model per tree;
- on a live target a driver whose files did not change is not reloaded, unless it says
  it is stale.
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nos_shell.api import tree_from_commands
from nos_shell.apply.files import owned
from nos_shell.backends import registry
from nos_shell.backends.contract import file_mode
from nos_shell.backends.networkd import compiler as networkd
from nos_shell.backends.networkd import delta as networkd_delta
from nos_shell.backends.networkd.links import connected
from nos_shell.backends.networkd.spec import NetworkSpec
from nos_shell.models.changes import changed_paths
from nos_shell.models import shared
from nos_shell.session import Session

from drivers import fake_driver
from propsettings import examples
from strategies import apply_edits, set_line

SCHEMA_AREAS = ("interfaces", "protocols", "service", "nat", "system")
BASE = """
set interfaces ethernet eth0 address 192.0.2.1/24
set interfaces ethernet eth0 vif 10 address 198.51.100.1/24
set interfaces ethernet eth1 address 203.0.113.1/24
set protocols static route 10.0.0.0/8 next-hop 192.0.2.254
set protocols bgp system-as 64500
set protocols bgp neighbor 203.0.113.2 remote-as 64501
"""


@st.composite
def edits(draw) -> list[tuple[str, list[str]]]:
    """A few `set` lines in the areas drivers compile, and deletes of paths they set."""
    out: list[tuple[str, list[str]]] = []
    for _ in range(draw(st.integers(1, 6))):
        words = draw(set_line())
        if words and words[0] in SCHEMA_AREAS:
            out.append(("set", words))
            if draw(st.integers(0, 3)) == 0:
                out.append(("delete", words[:draw(st.integers(1, len(words)))]))
    return out


def _patched(old: dict, delta) -> dict:
    out = {path: data for path, data in old.items() if path not in delta.removed}
    out.update(delta.changed)
    return out


def _outcome(function, *args):
    try:
        return function(*args), None
    except Exception as exc:        # an unverified tree may not compile: both ways must agree
        return None, type(exc)


@examples(150)
@given(edits(), edits())
def test_every_drivers_delta_turns_the_old_files_into_the_new(first, second):
    old = apply_edits(tree_from_commands(BASE), first)
    new = apply_edits(old, second)
    for driver in registry.drivers():
        if not (driver.active(old) and driver.active(new)):
            continue
        before, failed_old = _outcome(driver.compile, old)
        after, failed_new = _outcome(driver.compile, new)
        delta, failed_delta = _outcome(driver.compile_delta, old, new, changed_paths(old, new))
        if failed_old:          # the old tree is a running configuration: it compiled
            continue
        if failed_new:
            assert failed_delta is not None, driver.name
            continue
        assert failed_delta is None, driver.name
        assert delta.before == set(before) and delta.after == set(after)
        patched = _patched(before, delta)
        assert patched == after, driver.name
        assert {p: file_mode(d) for p, d in patched.items()} == {p: file_mode(d) for p, d in after.items()}
        for path, data in delta.changed.items():       # only files whose bytes or mode change
            assert path not in before or (before[path], file_mode(before[path])) != (data, file_mode(data))


ONE_LINERS = ["interfaces ethernet eth0 mtu 1400", "interfaces ethernet eth0 vif 10 mtu 1400",
              "interfaces ethernet eth0 disable", "interfaces ethernet eth1 mac 02:00:00:00:00:01",
              "interfaces ethernet eth1 hw-id 02:00:00:00:00:02", "interfaces ethernet eth0 vif 10 description x",
              "interfaces ethernet eth0 vif 10 address 198.51.100.129/25",       # moves nothing, but not own
              "interfaces ethernet eth0 vif 11 address 192.0.2.130/25",          # a new VLAN, a new prefix
              "protocols static route 10.1.0.0/16 next-hop 198.51.100.2"]


@pytest.mark.parametrize("line", ONE_LINERS + ["interfaces ethernet eth0 vif 3 address 10.0.0.1/24",
                                               "interfaces ethernet eth1 disable"])
def test_bgp_delta_of_one_line_equals_two_full_compiles(line):
    """The router id is derived from the addresses (BASE sets none): a new VLAN with a lower
    address, or a disabled interface, changes BIRD's file; an MTU does not."""
    old = tree_from_commands(BASE)
    new = tree_from_commands(BASE + "set " + line + "\n")
    bird = registry.driver("bird")
    with shared.sharing():
        delta = bird.compile_delta(old, new, changed_paths(old, new))
    before, after = bird.compile(old), bird.compile(new)
    assert _patched(before, delta) == after
    assert bool(delta.changed) == (before != after)


@pytest.mark.parametrize("line", ONE_LINERS)
def test_networkd_delta_of_one_line_equals_two_full_compiles(line):
    old = tree_from_commands(BASE)
    new = tree_from_commands(BASE + "set " + line + "\n")
    with shared.sharing():
        delta = networkd_delta.compile_delta(old, new, changed_paths(old, new))
    before, after = networkd.compile(old), networkd.compile(new)
    assert _patched(before, delta) == after
    assert set(delta.changed) == {p for p in after if before.get(p) != after[p]}


ROUTED_BASE = BASE + """
set interfaces ethernet eth1 vif 20 address 10.20.0.1/24
set interfaces ethernet eth2 address 10.30.0.1/24
set protocols static route 10.2.0.0/16 next-hop 10.20.0.9
set protocols static route 10.3.0.0/16 next-hop 198.51.100.7
set protocols static route 10.3.0.0/16 next-hop 203.0.113.7
set protocols static route 10.4.0.0/16 next-hop 192.0.2.77 interface eth1
set protocols static route 10.5.0.0/16 next-hop 10.30.0.5 distance 5
set protocols static route 10.5.0.0/16 next-hop 198.51.100.5
set protocols static route 10.6.0.0/16 blackhole
set service dhcp-server shared-network-name LAN subnet 10.20.0.0/24 option default-router 10.20.0.1
set service dhcp-server shared-network-name LAN subnet 10.20.0.0/24 range 0 start 10.20.0.100
set service dhcp-server shared-network-name LAN subnet 10.20.0.0/24 range 0 stop 10.20.0.120
"""
ADDRESSED_IFACES = ["ethernet eth0", "ethernet eth0 vif 10", "ethernet eth1", "ethernet eth1 vif 20",
                    "ethernet eth2"]
ADDRESSES = ["192.0.2.1/24", "192.0.2.1/25", "192.0.2.129/25", "198.51.100.1/24", "198.51.100.130/25",
             "10.20.0.1/24", "10.20.0.2/28", "10.20.1.1/24", "203.0.113.1/24", "10.30.0.1/24",
             "10.0.0.1/8", "dhcp", "2001:db8::1/64"]


@st.composite
def address_edits(draw) -> list[tuple[str, list[str]]]:
    """Addresses (and an MTU now and then) set on or deleted from the interfaces that carry
    next hops and a DHCP server: what moves routes from one unit to another."""
    out: list[tuple[str, list[str]]] = []
    for _ in range(draw(st.integers(1, 4))):
        words = ["interfaces", *draw(st.sampled_from(ADDRESSED_IFACES)).split()]
        if draw(st.integers(0, 5)) == 0:
            out.append(("set", words + ["mtu", str(draw(st.sampled_from([1400, 1500])))]))
        else:
            out.append((draw(st.sampled_from(["set", "set", "delete"])),
                        words + ["address", draw(st.sampled_from(ADDRESSES))]))
    return out


@examples(150)
@given(address_edits(), address_edits())
def test_networkd_delta_of_address_changes_equals_two_full_compiles(first, second):
    """The address path of networkd/delta.py: only interface settings and addresses change,
    moving routes, multipath routes and a DHCP server between units (or dropping them)."""
    old = apply_edits(tree_from_commands(ROUTED_BASE), first)
    new = apply_edits(old, second)
    with shared.sharing():
        delta = networkd_delta.compile_delta(old, new, changed_paths(old, new))
    before, after = networkd.compile(old), networkd.compile(new)
    assert delta.before == set(before) and delta.after == set(after)
    assert _patched(before, delta) == after
    assert set(delta.changed) == {p for p in after if before.get(p) != after[p]}


def test_an_address_change_builds_only_the_units_it_reaches(monkeypatch):
    old = tree_from_commands(ROUTED_BASE)
    new = tree_from_commands(ROUTED_BASE.replace("198.51.100.1/24", "198.51.100.1/25"))
    rendered: list[object] = []
    real = NetworkSpec.render
    monkeypatch.setattr(NetworkSpec, "render", lambda spec: rendered.append(spec) or real(spec))
    with shared.sharing():
        delta = networkd_delta.compile_delta(old, new, changed_paths(old, new))
    # eth0.10's own address; the route via 198.51.100.7 stays, the one via .5 (the lower
    # distance of 10.5.0.0/16 is on eth2) too: only eth0.10's unit is built, old and new
    assert set(delta.changed) == {networkd.unit_path("eth0.10", "network")}
    assert len(rendered) == 2


def test_changed_paths_name_each_difference_once():
    old = tree_from_commands(BASE)
    new = old.copy()
    new.set(["interfaces", "ethernet", "eth0", "mtu", "1400"])
    new.delete(["protocols", "static"])
    new.comment(["interfaces", "ethernet", "eth1"], "uplink")
    assert sorted(changed_paths(old, new)) == [("interfaces", "ethernet", "eth0", "mtu"),
                                               ("interfaces", "ethernet", "eth1"), ("protocols", "static")]
    assert changed_paths(old, old.copy()) == []
    assert changed_paths(old, new, limit=1) is None


def _vlans(count: int) -> str:
    return "\n".join(f"set interfaces ethernet eth0 vif {n} address 10.{n // 256}.{n % 256}.1/24"
                     for n in range(1, count + 1))


def test_one_line_change_on_4094_vlans_renders_only_that_vlans_units(monkeypatch):
    old = tree_from_commands(_vlans(4094))
    new = old.copy()
    new.set(["interfaces", "ethernet", "eth0", "vif", "5", "mtu", "1400"])
    rendered: list[object] = []
    real = NetworkSpec.render
    monkeypatch.setattr(NetworkSpec, "render", lambda spec: rendered.append(spec) or real(spec))
    delta = networkd_delta.compile_delta(old, new, changed_paths(old, new))
    assert set(delta.changed) == {networkd.unit_path("eth0.5", "network")}
    assert len(rendered) == 2                   # eth0.5's .network, old and new; none of the 4093 others
    assert b"MTUBytes=1400" in delta.changed[networkd.unit_path("eth0.5", "network")]
    assert len(delta.after) == 2 * 4094 + 2    # every VLAN's .netdev and .network, eth0's, the drop-in


def _inodes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_ino for p in (root / "etc/systemd/network").iterdir()}


def _run(session: Session, line: str) -> str:
    result = session.run(line)
    assert result.ok, result.output
    return result.output


def test_a_one_line_commit_rewrites_only_the_changed_unit(tmp_path):
    session = Session(tmp_path)
    _run(session, "configure")
    for line in _vlans(4094).splitlines():
        _run(session, line)
    _run(session, "commit")
    before = _inodes(tmp_path)
    assert len(before) >= 2 * 4094
    _run(session, "set interfaces ethernet eth0 vif 5 description x")
    _run(session, "commit")
    assert _inodes(tmp_path) == before                          # a description is in no unit
    _run(session, "set interfaces ethernet eth0 vif 7 mtu 1400")
    _run(session, "commit")
    after = _inodes(tmp_path)
    moved = {name for name in before if after[name] != before[name]}
    assert moved == {"etc/systemd/network/10-nos-eth0.7.network"}


@examples(25)
@given(st.lists(edits(), min_size=1, max_size=4))
def test_incremental_commits_leave_exactly_a_full_compile_on_disk(tmp_path_factory, rounds):
    root = tmp_path_factory.mktemp("incremental")
    session = Session(root)
    _run(session, "configure")
    for line in BASE.strip().splitlines():
        _run(session, line)
    _run(session, "commit")
    for changes in rounds:
        candidate = apply_edits(session.candidate, changes)
        if candidate == session.candidate or registry.verify_all(candidate):
            continue
        try:
            registry.compile_all(candidate)
        except Exception:
            continue
        session.candidate = candidate
        _run(session, "commit")
    running = session.running
    wanted = registry.compile_all(running)
    assert set(owned(root)) == set(wanted)
    for path, data in wanted.items():
        assert (root / path).read_bytes() == bytes(data), path


def test_verify_and_compile_share_one_model_per_tree():
    tree = tree_from_commands(BASE)
    with shared.sharing():
        model = shared.of(tree)
        registry.verify_all(tree)
        registry.compile_all(tree)
        assert shared.of(tree) is model
        assert connected(tree) is connected(tree)              # networkd's index: built once
        assert shared.of(tree.copy()) is not model          # another tree object: its own model
    assert shared.of(tree) is not model                       # outside a block: never reused


def test_a_driver_with_unchanged_files_is_not_reloaded_unless_stale(tmp_path):
    (tmp_path / "etc/nos-shell").mkdir(parents=True)
    (tmp_path / "etc/nos-shell/apply.toml").write_text("live = true\n")
    events: list[str] = []
    stale = [False]
    path = PurePosixPath("etc/banner")
    banner = fake_driver("banner", compile=lambda tree: {path: (tree.value("system", "host-name") or "-").encode()},
                         reload=lambda ctx: events.append(f"reload {sorted(map(str, ctx.changed))}"),
                         stale=lambda old, new: stale[0])
    with registry.registered(banner, alone=True):
        session = Session(tmp_path)
        _run(session, "configure")
        _run(session, "set system host-name r1")
        _run(session, "commit")
        assert events == ["reload ['etc/banner']"]
        _run(session, "set system domain-name example.net")   # not in the banner's file
        _run(session, "commit")
        assert events == ["reload ['etc/banner']"]
        stale[0] = True
        _run(session, "set system domain-name example.org")
        _run(session, "commit")
        assert events == ["reload ['etc/banner']", "reload []"]


def test_a_command_file_models_its_committed_tree_once(tmp_path, monkeypatch):
    """Verify at the file's `commit` and apply at its end share the one model."""
    built: list[int] = []
    real = shared.Model.__init__

    def counting(self, tree):
        built.append(id(tree))
        real(self, tree)
    monkeypatch.setattr(shared.Model, "__init__", counting)
    session = Session(tmp_path)
    result = session.run_script(["configure", *BASE.strip().splitlines(), "commit"])
    assert result.ok, result.output
    assert built.count(id(session.running)) == 1
