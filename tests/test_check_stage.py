"""The check step writes a driver's changed files outside the live paths only when its check
reads them (nos_shell/apply/checkstage.py): thousands of networkd units, which no check
reads, are not written twice; a driver that checks one file sees all of its files."""
from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.apply import Target, apply
from nos_shell.apply.checkstage import OnDemand, Scratch
from nos_shell.backends.registry import registered
from nos_shell.fsutil import CHECK_NAME

from drivers import fake_driver

MAIN, SIDE = PurePosixPath("etc/fake/main.conf"), PurePosixPath("etc/fake/side.conf")


def test_names_are_known_without_writing_anything(tmp_path):
    scratch = Scratch(tmp_path)
    staged = OnDemand(scratch, {MAIN: b"a", SIDE: b"b"})
    assert MAIN in staged and PurePosixPath("etc/other") not in staged
    assert sorted(staged) == [MAIN, SIDE] and len(staged) == 2
    assert not staged.written and scratch._made is None
    scratch.close()


def test_reading_one_path_writes_all_of_the_drivers_files_and_close_removes_them(tmp_path):
    scratch = Scratch(tmp_path)
    staged = OnDemand(scratch, {MAIN: b"main text", SIDE: b"side text"})
    path = staged[MAIN]
    assert staged.written
    assert path.read_bytes() == b"main text"
    assert (path.parent / "side.conf").read_bytes() == b"side text"   # beside it, as on the router
    with pytest.raises(KeyError):
        staged[PurePosixPath("etc/absent")]
    base = scratch.path()
    assert base.parent == tmp_path / "var/lib/nos-shell" and CHECK_NAME.fullmatch(base.name)
    assert base.stat().st_mode & 0o777 == 0o700       # private, in the root's state folder
    scratch.close()
    assert not base.exists()


def _left_behind(root):
    """A scratch directory as a process killed during its checks leaves it: files written,
    never closed."""
    scratch = Scratch(root)
    OnDemand(scratch, {MAIN: b"main text", SIDE: b"side text"})[MAIN]
    return scratch.path()


def test_a_scratch_directory_a_killed_check_left_is_removed_by_the_next_start(tmp_path):
    from nos_shell.engine.journal import JOURNAL
    from nos_shell.engine.recovery import at_start
    from nos_shell.fsutil import CHECK_HOME

    assert Path(CHECK_HOME) == JOURNAL.parent        # the one folder the start reads for both

    left = _left_behind(tmp_path)
    assert at_start(tmp_path) == ["Recovery: removed 1 temporary file(s) left by an interrupted commit"]
    assert not left.exists()
    assert at_start(tmp_path) == []


def test_the_next_start_leaves_it_while_a_commit_runs(tmp_path):
    import threading

    from nos_shell.engine.recovery import at_start
    from nos_shell.store import Store

    left = _left_behind(tmp_path)
    holding, release = threading.Event(), threading.Event()

    def commit_running():
        with Store(tmp_path).locked():
            holding.set()
            release.wait(30)

    thread = threading.Thread(target=commit_running)
    thread.start()
    try:
        assert holding.wait(30)
        assert at_start(tmp_path) == [] and left.exists()     # it may be that commit's own
    finally:
        release.set()
        thread.join()
    assert at_start(tmp_path) != [] and not left.exists()


def test_the_next_commit_removes_one_too(tmp_path):
    from nos_shell.session import Session

    session = Session(tmp_path)
    left = _left_behind(tmp_path)
    session.run("configure")
    assert session.run("set system host-name swept").ok
    assert session.run("commit").ok
    assert not left.exists()
    assert [p.name for p in (tmp_path / "var/lib/nos-shell").iterdir() if CHECK_NAME.fullmatch(p.name)] == []


def _driver(name, seen, reads):
    def checks(staged):
        seen[name] = staged
        return [["true", str(staged[MAIN])]] if reads else []
    return fake_driver(name=name, compile=lambda tree: {MAIN if reads else SIDE: name.encode()}, checks=checks)


def test_a_driver_that_reads_nothing_gets_nothing_written(tmp_path, monkeypatch):
    made = []
    real = Scratch.path
    monkeypatch.setattr(Scratch, "path", lambda self: made.append(1) or real(self))
    seen: dict[str, OnDemand] = {}
    with registered(_driver("quiet", seen, reads=False), alone=True):
        apply(Target(tmp_path, live=True), tree_from_commands(""), tree_from_commands(""))
    assert not seen["quiet"].written and made == []
    assert (tmp_path / SIDE).read_bytes() == b"quiet"


def test_a_driver_that_reads_its_file_is_checked_on_that_file(tmp_path, monkeypatch):
    ran = []
    from nos_shell.apply import context

    def run(self, *argv, **kwargs):
        ran.append((argv, open(argv[-1], "rb").read()))

    monkeypatch.setattr(context.Context, "run", run)
    seen: dict[str, OnDemand] = {}
    with registered(_driver("loud", seen, reads=True), alone=True):
        apply(Target(tmp_path, live=True), tree_from_commands(""), tree_from_commands(""))
    assert seen["loud"].written
    assert [(argv[0], data) for argv, data in ran] == [("true", b"loud")]
    assert not os.path.exists(ran[0][0][1])       # the scratch copy is gone afterwards
