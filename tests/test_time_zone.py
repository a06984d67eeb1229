"""`system time-zone`: a name from the time zone database, written to etc/timezone, and on a
live target etc/localtime made a link to the zone's file (Debian's layout)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from nos_shell.backends import registry
from nos_shell.backends.system import DRIVER, compiler
from nos_shell.config.bootfile import load_boot
from nos_shell.config.tree import ConfigTree
from nos_shell.errors import NosError
from nos_shell.schema import zones
from nos_shell.session import Session

from cfgsession import commit_round

MESSAGE = "Time zone must be a name from the time zone database, e.g. UTC or Europe/Berlin"


def _zone_tree(zone: str) -> ConfigTree:
    t = ConfigTree()
    t.set(["system", "time-zone", zone])
    return t


@pytest.mark.parametrize("zone", ["UTC", "Etc/UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires",
                                  "Etc/GMT+5", "America/Port-au-Prince"])
def test_database_names_are_accepted_and_written_alone(zone):
    t = _zone_tree(zone)
    assert compiler.verify(t) == []
    assert compiler.compile(t)[compiler.TIMEZONE] == f"{zone}\n".encode()


@pytest.mark.parametrize("zone", ["Europe/Nowhere", "../../etc/shadow", "/etc/passwd", "Europe/Berlin extra",
                                  "localtime", "posixrules", "posix/UTC", "right/UTC", "", "Europe/Berlin\n",
                                  "Europe//Berlin", "Europe/Berlin/", "europe/berlin"])
def test_anything_else_is_refused_when_set(zone):
    with pytest.raises(NosError) as refused:
        _zone_tree(zone)
    assert MESSAGE in str(refused.value)


def test_a_loaded_unknown_zone_loads_and_verify_refuses_it():
    """A file from a host with another tzdata still loads; the commit names the problem."""
    tree, warnings = load_boot("system {\n    time-zone Mars/Olympus\n}\n")
    assert warnings == []
    assert [(p.path, p.message) for p in compiler.verify(tree)] == [
        (("system", "time-zone"), 'Time zone "Mars/Olympus" is not in the time zone database')]
    with pytest.raises(NosError):
        load_boot("system {\n    time-zone ../../etc/shadow\n}\n")       # not even shaped like a name


def test_unset_leaves_the_host_zone_alone():
    assert compiler.TIMEZONE not in compiler.compile(ConfigTree())


def test_a_sandbox_root_gets_the_file_only(tmp_path):
    s = Session(tmp_path)
    commit_round(s, "set system time-zone Europe/Berlin")
    assert (tmp_path / "etc/timezone").read_text() == "Europe/Berlin\n"
    assert not os.path.lexists(tmp_path / "etc/localtime")


def test_a_live_target_links_localtime_to_the_zone_and_back_to_utc(tmp_path):
    (tmp_path / "etc/nos-shell").mkdir(parents=True)
    (tmp_path / "etc/nos-shell/apply.toml").write_text("live = true\n")
    link = tmp_path / "etc/localtime"
    with registry.registered(DRIVER, alone=True):                 # only the system driver runs here
        s = Session(tmp_path)
        commit_round(s, "set system time-zone Europe/Berlin")
        assert link.is_symlink() and os.readlink(link) == str(zones.zone_file("Europe/Berlin"))
        assert Path(os.readlink(link)).read_bytes()[:4] == b"TZif"
        commit_round(s, "set system time-zone Asia/Tokyo")
        assert os.readlink(link) == str(zones.zone_file("Asia/Tokyo"))
        assert (tmp_path / "etc/timezone").read_text() == "Asia/Tokyo\n"
        inode = link.lstat().st_ino
        commit_round(s, "set system host-name r2")                     # the zone unchanged: link untouched
        assert link.lstat().st_ino == inode
        commit_round(s, "delete system time-zone")
        assert os.readlink(link) == str(zones.zone_file("Etc/UTC"))
        assert not (tmp_path / "etc/timezone").exists()
        assert sorted(p.name for p in link.parent.iterdir() if "localtime" in p.name) == ["localtime"]
