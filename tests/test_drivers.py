"""The driver contract, the registry and the apply layer's two rules about drivers.

- every registered driver satisfies backends/contract.py's Driver (names and signatures);
- no driver imports another driver (alternatives are switched by the apply layer);
- two drivers claiming one path fail the commit, naming both, and nothing is written;
- the "How to add a backend" walkthrough in docs/architecture.md, followed by a driver
  defined here: registered for the test, committed through with a real Session, on a
  sandbox root (files appear) and on a live target (its checks and reload run);
- alternatives: a driver that stopped being its area's choice is stopped before the new
  choice reloads.
"""
from __future__ import annotations

import ast
import inspect
from pathlib import Path, PurePosixPath

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.apply.files import MANIFEST, owned
from nos_shell.backends import registry
from nos_shell.backends.registry import registered
from nos_shell.backends.contract import HEADER, Context, Driver, Files, FunctionDriver, Staged
from nos_shell.config.tree import ConfigTree
from nos_shell.errors import CommitError
from nos_shell.problems import Problem
from nos_shell.session import Session

from cfgsession import commit_round
from drivers import fake_driver

BACKENDS = Path(__file__).resolve().parent.parent / "backends"
CONTRACT = ("active", "verify", "compile", "compile_delta", "stale", "checks", "reload", "stop", "state")


# -- the contract ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", registry.names())
def test_every_registered_driver_satisfies_the_contract(name):
    driver = registry.driver(name)
    assert isinstance(driver, Driver)
    assert driver.name == name
    assert driver.area is None or isinstance(driver.area, str)
    for method in CONTRACT:
        want = inspect.signature(getattr(Driver, method))
        got = inspect.signature(getattr(driver, method))
        assert list(got.parameters) == list(want.parameters)[1:], f"{name}.{method}{got}"
    empty = ConfigTree()
    assert isinstance(driver.active(empty), bool)
    if driver.active(empty):
        assert all(isinstance(p, PurePosixPath) and not p.is_absolute() for p in driver.compile(empty))
        assert isinstance(driver.verify(empty), list)
    assert driver.checks({}) == []


def test_each_folder_is_one_registered_driver_and_imports_no_other():
    folders = {p.name for p in BACKENDS.iterdir() if (p / "__init__.py").exists()} - {"common"}
    assert folders == set(registry.DRIVERS.values())
    for folder in folders:
        for source in (BACKENDS / folder).glob("*.py"):
            for node in ast.walk(ast.parse(source.read_text())):
                if isinstance(node, ast.ImportFrom):
                    module = node.module or ""
                    outside = node.level == 2 or (node.level == 0 and module.startswith("nos_shell.backends"))
                    named = set(module.split(".")) | {a.name for a in node.names} if outside else set()
                    assert not named & (folders - {folder}), f"{source} imports another driver: {module}"
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        parts = set(alias.name.split(".")) if alias.name.startswith("nos_shell.backends") else set()
                        assert not parts & (folders - {folder}), f"{source} imports another driver: {alias.name}"


def test_an_area_has_at_most_one_active_driver():
    assert [d.name for d in registry.in_area("bgp")] == ["bird", "gobgp"]
    bgp = "set protocols bgp system-as 65001\n"
    assert registry.active("bgp", tree_from_commands("")) is None
    assert registry.active("bgp", tree_from_commands(bgp)).name == "bird"
    assert registry.active("bgp", tree_from_commands(bgp + "set protocols bgp backend gobgp\n")).name == "gobgp"


def test_a_throwaway_driver_is_registered_only_inside_the_block():
    extra = fake_driver("extra")
    with registry.registered(extra):
        assert registry.names()[-1] == "extra" and registry.driver("extra") is extra
        with registry.registered(alone=True):
            assert registry.names() == ["extra"]
        assert "networkd" in registry.names()
    assert "extra" not in registry.names()
    with pytest.raises(AttributeError, match="no 'reloads'"):
        fake_driver(reloads=lambda ctx: None)


# -- one owner per path ---------------------------------------------------------------------
def test_two_drivers_claiming_one_path_fail_the_commit_and_write_nothing(tmp_path):
    path = PurePosixPath("etc/shared.conf")
    one = fake_driver("one", compile=lambda tree: {path: b"one\n"})
    two = fake_driver("two", compile=lambda tree: {path: b"two\n"})
    s = Session(tmp_path)
    revisions = len(s.store.revisions())
    with registry.registered(one, two):
        s.execute("configure")
        s.execute("set system host-name r1")
        with pytest.raises(CommitError) as failed:
            s.execute("commit")
    assert failed.value.lines == ["Backends one and two both generate etc/shared.conf; "
                                  "a generated file must have one owner", "Nothing was written.",
                                  "Commit failed"]
    assert not (tmp_path / path).exists() and not (tmp_path / "etc/hostname").exists()
    assert not (tmp_path / MANIFEST).exists()
    assert len(s.store.revisions()) == revisions


# -- the walkthrough: a new backend ----------------------------------------------------------
MOTD = PurePosixPath("etc/motd.d/10-nos-shell")


def motd(check: str = "true") -> tuple[FunctionDriver, list]:
    """The walkthrough's new backend, a login banner naming the host: its compiler's and
    control's functions, assembled as a folder's __init__.py would; and what it saw."""
    events: list = []

    def compile(tree: ConfigTree) -> Files:
        host = tree.value("system", "host-name") or "vyos"
        return {MOTD: f"# {HEADER}\nWelcome to {host}\n".encode()}

    def verify(tree: ConfigTree) -> list[Problem]:
        if (tree.value("system", "host-name") or "").startswith("x"):
            return [Problem(("system", "host-name"), "The banner refuses host names starting with x")]
        return []

    def checks(staged: Staged) -> list[list[str]]:
        events.append(("checks", sorted(map(str, staged))))
        return [[check, str(staged[MOTD])]] if MOTD in staged else []

    def reload(ctx: Context) -> None:
        events.append(("reload", sorted(map(str, ctx.changed))))
        ctx.notes.append(f"motd: now welcomes {ctx.new.value('system', 'host-name')}")

    return FunctionDriver("motd", compile, verify, checks=checks, reload=reload), events


def test_a_new_backend_on_a_sandbox_root_writes_its_files_next_to_the_others(tmp_path):
    driver, events = motd()
    with registry.registered(driver):
        s = Session(tmp_path)
        commit_round(s, "set system host-name r1")
        assert (tmp_path / MOTD).read_text() == f"# {HEADER}\nWelcome to r1\n"
        assert (tmp_path / "etc/hostname").exists()             # the built-in drivers still run
        assert owned(tmp_path)[MOTD] == "motd"
        with pytest.raises(CommitError) as refused:             # its verify takes part in commit
            commit_round(s, "set system host-name xr1")
        assert refused.value.lines[:2] == ["[ system host-name ]", "The banner refuses host names starting with x"]
    assert events == []                                         # sandbox: no check, no reload
    assert "motd" not in registry.names()


def test_a_new_backend_on_a_live_target_is_checked_and_reloaded(tmp_path):
    (tmp_path / "etc/nos-shell").mkdir(parents=True)
    (tmp_path / "etc/nos-shell/apply.toml").write_text("live = true\n")
    driver, events = motd()
    with registry.registered(driver, alone=True):              # nothing else touches this host
        s = Session(tmp_path)
        out = commit_round(s, "set system host-name r1")
        assert "motd: now welcomes r1" in out
        assert events == [("checks", [str(MOTD)]), ("reload", [str(MOTD)])]
        failing, failing_events = motd(check="false")
        with registry.registered(failing, alone=True):
            with pytest.raises(CommitError, match="false .* failed"):
                commit_round(s, "set system host-name r2")
        assert failing_events == [("checks", [str(MOTD)])]   # refused before any write or reload
        assert (tmp_path / MOTD).read_text().endswith("Welcome to r1\n")


def test_an_area_stops_the_driver_it_no_longer_chooses_before_the_new_one_reloads(tmp_path):
    (tmp_path / "etc/nos-shell").mkdir(parents=True)
    (tmp_path / "etc/nos-shell/apply.toml").write_text("live = true\n")
    events: list[str] = []

    def choice(name: str, path: str):
        return fake_driver(name, area="demo",
                           active=lambda tree: (tree.value("system", "host-name") or "").startswith(name[0]),
                           compile=lambda tree: {PurePosixPath(path): b"x\n"},
                           reload=lambda ctx: events.append(f"reload {name}"),
                           stop=lambda ctx: events.append(f"stop {name}"))
    # "beta" comes first in the order: its stop must still precede alpha's reload
    with registry.registered(choice("beta", "etc/beta.conf"), choice("alpha", "etc/alpha.conf"), alone=True):
        s = Session(tmp_path)
        commit_round(s, "set system host-name a1")
        assert events == ["reload alpha"] and (tmp_path / "etc/alpha.conf").exists()
        commit_round(s, "set system host-name b1")
        assert events[1:] == ["stop alpha", "reload beta"]
        assert not (tmp_path / "etc/alpha.conf").exists() and (tmp_path / "etc/beta.conf").exists()
        commit_round(s, "set system host-name c1")                 # neither chosen: the last one stops
        assert events[3:] == ["stop beta"]
        commit_round(s, "set system host-name c2")                 # nothing ran: nothing to stop
        assert events[4:] == []


def test_a_driver_brings_its_own_apply_toml_keys(tmp_path):
    """Driver settings: apply.toml accepts a key only while a driver declares it, checks
    its type against the declared default, and the driver reads it back from the target."""
    from nos_shell.apply.target import SETTINGS, load_target
    from nos_shell.errors import NosError

    motd = fake_driver("motd", settings={"motd-banner": "hello"})
    (tmp_path / SETTINGS).parent.mkdir(parents=True)
    (tmp_path / SETTINGS).write_text('motd-banner = "welcome"\n')
    with pytest.raises(NosError, match="unknown setting 'motd-banner'"):
        load_target(tmp_path)
    with registered(motd):
        assert load_target(tmp_path).setting("motd-banner", "hello") == "welcome"
        (tmp_path / SETTINGS).write_text('motd-banner = 7\n')
        with pytest.raises(NosError, match="'motd-banner' must be a str"):
            load_target(tmp_path)
        (tmp_path / SETTINGS).write_text('live = false\n')
        assert load_target(tmp_path).setting("motd-banner", "hello") == "hello"


def test_the_bgp_drivers_read_their_own_keys(tmp_path):
    from nos_shell.apply.target import SETTINGS, load_target

    (tmp_path / SETTINGS).parent.mkdir(parents=True)
    (tmp_path / SETTINGS).write_text('bird-socket = "/run/lab/bird.ctl"\ngobgp-api = "[::1]:50052"\n')
    target = load_target(tmp_path)
    bird, gobgp = registry.driver("bird"), registry.driver("gobgp")
    assert bird.state(target) is not None and bird.unit == "bird.service"
    from nos_shell.backends.bird import control as bird_control
    from nos_shell.backends.gobgp import control as gobgp_control

    assert bird_control.birdc(target, "show", "status")[:3] == ("birdc", "-s", "/run/lab/bird.ctl")
    assert gobgp_control.api_host_port(target) == ("::1", "50052")
    assert gobgp.unit == "gobgpd.service"
