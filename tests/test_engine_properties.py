"""Properties of the commit engine (nos_shell/engine/commit.py) on a sandbox root, archive
only (no target) and without the backends' verifiers, so any tree the strategies draw
can be committed:

- every commit of a sequence is archived exactly: a new process (a fresh Store) reads each
  revision back as the tree that was committed, comments and value order included, newest
  first, and nothing is archived for a commit without changes;
- a rollback (committing an archived revision again) makes exactly that tree running;
- a commit whose base moved (another commit came in between) either is refused for its
  conflicts and archives nothing, or archives what the rebase of its changes onto the new
  running configuration gives (tests/test_rebase.py: what that keeps of each side).
"""
from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from nos_shell.config.rebase import rebase
from nos_shell.config.tree import ConfigTree
from nos_shell.engine.commit import Change, Engine
from nos_shell.errors import CommitError
from nos_shell.store import Store
from propsettings import examples
from strategies import EDITS, config_trees, edited_trees


@contextlib.contextmanager
def _engine():
    with tempfile.TemporaryDirectory(prefix="nos-engine-prop-") as root:
        store = Store(Path(root))
        yield Path(root), store, Engine(store, None, verifiers=[])


def _commit(store: Store, engine: Engine, tree: ConfigTree, base: ConfigTree | None = None,
            serial: int | None = None):
    head_serial, running = store.head()
    return engine.commit(Change(tree.copy(), (running if base is None else base).copy(),
                                head_serial if serial is None else serial, "prop", "test"))


def _keeping_every_revision(tree: ConfigTree) -> ConfigTree:
    """``tree`` without a ``commit-revisions`` limit (the store would prune to it)."""
    if tree.exists("system", "config-management"):
        tree.delete(["system", "config-management"])
    return tree


@examples(100)
@given(st.lists(config_trees().map(_keeping_every_revision), min_size=1, max_size=4), st.data())
def test_every_commit_is_archived_exactly_and_a_rollback_restores_it(trees, data):
    with _engine() as (root, store, engine):
        expected = [store.running().copy()]
        for tree in trees:
            _commit(store, engine, tree)
            if tree != expected[-1]:
                expected.append(tree)
        fresh = Store(root)
        assert len(fresh.revisions()) == len(expected)
        assert [fresh.revision(n) for n in range(len(expected))] == expected[::-1]
        serials = [r.serial for r in fresh.revisions()]
        assert serials == sorted(serials, reverse=True) and len(set(serials)) == len(serials)

        back = data.draw(st.integers(0, len(expected) - 1), label="rollback to")
        _commit(store, engine, fresh.revision(back))
        assert Store(root).running() == expected[::-1][back]


@examples(150)
@given(edited_trees(EDITS, sides=2))
def test_a_commit_on_a_moved_base_archives_the_rebase_or_nothing(case):
    base, mine, theirs = case
    with _engine() as (root, store, engine):
        _commit(store, engine, base)
        base_serial, _ = store.head()
        _commit(store, engine, theirs)                 # another session commits first
        before = [r.serial for r in Store(root).revisions()]
        expected = rebase(base, mine, theirs)
        try:
            done = _commit(store, engine, mine, base, base_serial)
        except CommitError:
            assert expected.conflicts, "refused without a conflict"
            assert [r.serial for r in Store(root).revisions()] == before
            assert Store(root).running() == theirs
            return
        assert not expected.conflicts, expected.conflicts
        assert Store(root).running() == expected.tree == done.running


# -- what the runs found ----------------------------------------------------------------------
def _tree(*lines: str) -> ConfigTree:
    tree = ConfigTree()
    for line in lines:
        tree.set(line.split())
    return tree


def test_an_empty_container_set_on_purpose_is_carried_onto_a_moved_base():
    """Found by the bench run: `set service ntp` alone (shown by `show configuration
    commands`) was dropped when the running configuration had moved, so the commit archived
    theirs without it, while the same commit on an unmoved base kept it."""
    base = _tree("system host-name a")
    mine, theirs = _tree("system host-name a", "service ntp"), _tree("system host-name b")
    assert rebase(base, mine, base).tree == mine
    assert rebase(base, mine, theirs).tree == _tree("system host-name b", "service ntp")
    with _engine() as (root, store, engine):
        _commit(store, engine, base)
        serial, _ = store.head()
        _commit(store, engine, theirs)
        _commit(store, engine, mine, base, serial)
        assert Store(root).running().exists("service", "ntp")
        assert Store(root).running().value("system", "host-name") == "b"


def test_deleting_an_empty_container_keeps_what_the_other_side_put_in_it():
    base = _tree("service ntp")
    theirs = _tree("service ntp server 192.0.2.123")
    result = rebase(base, ConfigTree(), theirs)
    assert result.conflicts == [] and result.tree == theirs
    assert rebase(base, ConfigTree(), base).tree == ConfigTree()      # alone, the delete is carried


def test_clearing_the_comment_of_an_empty_container_keeps_the_container():
    """Found by the bench run: mine cleared the comment of a container it holds empty
    (`set interfaces` + `comment interfaces ''`); carrying that removed the container too."""
    base = _tree("interfaces")
    base.comment(["interfaces"], "0")
    mine = _tree("interfaces")
    theirs = base.copy()
    theirs.set(["system", "host-name", "b"])
    assert rebase(base, mine, base).tree == mine
    expected = mine.copy()
    expected.set(["system", "host-name", "b"])
    assert rebase(base, mine, theirs).tree == expected


def test_an_empty_container_the_other_side_kept_survives_my_comment_removal():
    """Found by the bench run: theirs emptied `interfaces` but kept it (`set interfaces`),
    mine only cleared its comment; carrying the clear pruned theirs' container."""
    base = _tree("interfaces bonding bond0 member interface eth0")
    base.comment(["interfaces"], "0")
    mine = _tree("interfaces bonding bond0 member interface eth0")
    theirs = _tree("interfaces")
    assert rebase(base, mine, theirs).tree == theirs
