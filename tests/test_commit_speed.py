"""What the faster compile and write paths of issue 11 must still guarantee.

- a first commit (nothing generated before) compiles each driver once: no delta that
  compiles both trees and is then thrown away;
- inside one commit networkd builds the inputs of a tree's units once, shared by its
  delta and its full compile;
- the unit writer's one-search value check refuses exactly what the plain definition
  refuses (a control character, white space at either end, a trailing backslash);
- one path object per generated path, equal to the plain PurePosixPath;
- networkd's units come out in path order (the order the sort by path parts gave);
- the cyclic garbage collector is off while a commit compiles and plans, and on again after;
- verify and compile resolve each static route's next hops once per commit.
"""
from __future__ import annotations

import gc
import sys
from pathlib import PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nos_shell.api import tree_from_commands
from nos_shell import gcpause
from nos_shell.backends import registry
from nos_shell.backends.common.unitfile import check_value
from nos_shell.backends.contract import generated_path
from nos_shell.backends.networkd import compiler as networkd
from nos_shell.backends.networkd import delta as networkd_delta
from nos_shell.models import shared
from nos_shell.models.changes import changed_paths
from nos_shell.session import Session

from drivers import fake_driver
from propsettings import examples

BASE = """
set interfaces ethernet eth0 address 192.0.2.1/24
set interfaces ethernet eth0 vif 10 address 198.51.100.1/24
set interfaces ethernet eth2
set interfaces bridge br0 member interface eth2
set protocols static route 10.0.0.0/8 next-hop 192.0.2.254
set protocols static route 10.9.0.0/16 blackhole
"""


def _run(session: Session, line: str) -> None:
    result = session.run(line)
    assert result.ok, result.output


def test_a_first_commit_compiles_each_driver_once(tmp_path):
    calls: list[int] = []
    path = PurePosixPath("etc/banner")
    banner = fake_driver("banner", compile=lambda tree: calls.append(id(tree)) or {path: b"x\n"})
    with registry.registered(banner, alone=True):
        session = Session(tmp_path)
        _run(session, "configure")
        _run(session, "set system host-name r1")
        _run(session, "commit")
        assert calls == [id(session.running)]
        assert (tmp_path / "etc/banner").read_bytes() == b"x\n"
        calls.clear()
        _run(session, "set system host-name r2")      # now a delta: both trees, once each
        _run(session, "commit")
        assert len(calls) == 2 and calls[1] == id(session.running)


def test_a_first_commit_builds_networkds_units_once(tmp_path, monkeypatch):
    units: list[int] = []
    real = networkd._units
    monkeypatch.setattr(networkd, "_units",
                        lambda tree, only, own: (only is None and units.append(id(tree))) or real(tree, only, own))
    session = Session(tmp_path)
    _run(session, "configure")
    for line in BASE.strip().splitlines():
        _run(session, line)
    _run(session, "commit")
    assert units == [id(session.running)]
    assert (tmp_path / networkd.unit_path("eth0.10", "network")).is_file()


def test_networkd_builds_a_trees_units_once_per_commit(monkeypatch):
    old = tree_from_commands(BASE)
    new = tree_from_commands(BASE + "set interfaces ethernet eth0 vif 11 address 198.51.101.1/24\n")  # a new VLAN
    built: list[int] = []
    real = networkd._units
    monkeypatch.setattr(networkd, "_units", lambda tree, only, own: built.append(id(tree)) or real(tree, only, own))
    with shared.sharing():
        delta = networkd_delta.compile_delta(old, new, changed_paths(old, new))
        full = networkd.compile(new)
    assert sorted(built) == sorted([id(old), id(new)])
    assert delta.changed and all(full[path] == data for path, data in delta.changed.items())
    built.clear()
    networkd.compile(new)                        # outside a commit nothing is kept
    networkd.compile(new)
    assert built == [id(new), id(new)]


def _plainly_safe(value: str) -> bool:
    """The definition of a value systemd reads back as written (backends/common/unitfile.py)."""
    return not (any(ord(c) < 0x20 or c == "\x7f" for c in value) or value != value.strip()
                or value.endswith("\\"))


def _accepted(value: str) -> bool:
    try:
        check_value("Key", value)
    except ValueError:
        return False
    return True


@examples(500)
@given(st.text(st.characters(codec="utf-8"), max_size=12)
       | st.text(st.sampled_from(" \t\n\r\\\x00\x1f\x7f\x85\xa0\u2028\u3000ax/:"), max_size=6))
def test_the_value_check_refuses_exactly_the_unsafe_values(value):
    assert _accepted(value) == _plainly_safe(value)


def test_the_value_check_knows_every_white_space_character():
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isspace():
            assert not _accepted(f"{char}a") and not _accepted(f"a{char}"), hex(code)
    assert _accepted("a\u200bb") and _accepted("")             # inside, and not white space


def test_a_bad_key_is_refused_every_time():
    for _ in range(2):
        with pytest.raises(ValueError):
            check_value("Bad Key", "x")
    assert check_value("MTUBytes", "1400") == "1400"
    with pytest.raises(ValueError):
        check_value("MTUBytes", "1400\nAddress=1.2.3.4/8")


def test_one_path_object_per_generated_path():
    first = generated_path("etc/systemd/network/10-nos-eth0.network")
    assert first is generated_path("etc/systemd/network/10-nos-eth0.network")
    assert first == PurePosixPath("etc/systemd/network/10-nos-eth0.network")
    assert networkd.unit_path("eth0", "network") is first


def test_networkd_units_are_in_path_order():
    tree = tree_from_commands(BASE + "".join(f"set interfaces ethernet eth0 vif {n} mtu 1400\n"
                                             for n in (1, 2, 9, 10, 100)))
    paths = list(networkd.compile(tree))
    assert paths == sorted(paths, key=lambda p: p.parts)
    assert paths[-1] == networkd.CONF_DROPIN


def test_the_collector_is_paused_while_files_are_compiled_and_back_after(tmp_path):
    seen: list[bool] = []
    banner = fake_driver("banner", compile=lambda tree: seen.append(gc.isenabled()) or
                         {PurePosixPath("etc/banner"): b"x\n"})
    assert gc.isenabled()
    with registry.registered(banner, alone=True):
        session = Session(tmp_path)
        _run(session, "configure")
        _run(session, "set system host-name r1")
        _run(session, "commit")
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        with gcpause.paused():
            pass
        assert not gc.isenabled()                # off before: left off
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), gcpause.paused():
        raise RuntimeError("a failed compile")
    assert gc.isenabled()                        # and back on after an error


def test_verify_and_compile_resolve_each_routes_next_hops_once(monkeypatch):
    from nos_shell.backends.networkd import links

    tree = tree_from_commands(BASE + "set protocols static route 10.8.0.0/16 next-hop 198.51.100.9\n")
    resolved: list[tuple[str, ...]] = []
    real = links._next_hop_groups
    monkeypatch.setattr(links, "_next_hop_groups", lambda tree, at, conn: resolved.append(at) or real(tree, at, conn))
    with shared.sharing():
        assert registry.verify_all(tree) == []
        files = networkd.compile(tree)
    assert sorted(resolved) == [("protocols", "static", "route", "10.0.0.0/8"),
                                ("protocols", "static", "route", "10.8.0.0/16"),
                                ("protocols", "static", "route", "10.9.0.0/16")]
    assert b"Gateway=198.51.100.9" in files[networkd.unit_path("eth0.10", "network")]
    resolved.clear()
    networkd.compile(tree)                     # outside a commit: resolved afresh
    assert len(resolved) == 3
