"""Security review: each test demonstrates one problem found (and now fixed)."""
from __future__ import annotations

from nos_shell import Session
from nos_shell.store import Store


def _conf(root, **kwargs) -> Session:
    s = Session(root, apply=False, **kwargs)
    assert s.run("configure").ok
    return s


# -- comments cannot break out of /* ... */ -------------------------------------------------
def test_comment_cannot_close_itself_and_corrupt_the_archive(tmp_path):
    s = _conf(tmp_path)
    assert s.run("set interfaces ethernet eth0 address 192.0.2.1/24").ok
    evil = 'comment interfaces ethernet eth0 "x */ } system { host-name evil } interfaces { /* y"'
    result = s.run(evil)
    assert not result.ok
    assert "*/" in result.error.summary and "interfaces ethernet eth0" in result.error.summary
    assert s.candidate.node("interfaces", "ethernet", "eth0").comment is None
    assert s.run("commit").ok
    # the archive (the running configuration) is still readable by a fresh store
    assert Store(tmp_path).running().value("interfaces", "ethernet", "eth0", "address") == "192.0.2.1/24"


def test_comment_with_newline_and_slashes_round_trips(tmp_path):
    s = _conf(tmp_path)
    assert s.run(r'comment interfaces loopback lo "line1\nline2 // /* x"').ok
    assert s.run("commit").ok
    assert Store(tmp_path).running().node("interfaces", "loopback", "lo").comment == "line1\nline2 // /* x"
