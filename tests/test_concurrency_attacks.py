"""Holes found by attacking concurrent sessions after issue 8 (in-process sessions on one
root; each test failed before its fix)."""
from __future__ import annotations

from nos_shell.store import Store
from test_concurrency import conf, ok


def test_rollback_in_a_stale_session_makes_that_revision_effective(tmp_path):
    """`rollback 1` to the revision a stale session started from was a silent no-op: the
    candidate equalled the session's base, so `commit` carried "no change" onto bob's
    commit and answered `No configuration changes to commit`."""
    alice = conf(tmp_path, "alice")
    ok(alice, "set system host-name one", "commit")
    carol = conf(tmp_path, "carol")            # starts from the revision with `one`
    bob = conf(tmp_path, "bob")
    ok(bob, "set system host-name two", "set system domain-name example.com", "commit")
    ok(carol, "rollback 1")                    # revision 1 is now the one with `one`
    assert "host-name" in ok(carol, "compare")
    assert "No configuration changes" not in ok(carol, "commit")
    running = Store(tmp_path).running()
    assert running.value("system", "host-name") == "one"
    assert running.value("system", "domain-name") is None


def test_load_in_a_stale_session_replaces_the_running_configuration(tmp_path):
    """`load` replaces the configuration; in a session that another commit made stale it
    committed nothing (the file equalled the session's base)."""
    alice = conf(tmp_path, "alice")
    ok(alice, f"save {tmp_path / 'before.boot'}")
    bob = conf(tmp_path, "bob")
    ok(bob, "set system domain-name example.com", "commit")
    ok(alice, f"load {tmp_path / 'before.boot'}")
    assert "domain-name" in ok(alice, "compare")
    ok(alice, "commit")
    assert Store(tmp_path).running().value("system", "domain-name") is None


def test_reordering_the_values_of_a_multi_value_leaf_survives_another_commit(tmp_path):
    """Name servers are tried in order. Putting them in another order (delete one, set it
    again) was lost when another session had committed meanwhile: values were compared as
    a set, so `commit` said `No configuration changes to commit`."""
    alice = conf(tmp_path, "alice")
    ok(alice, "set system name-server 192.0.2.1", "set system name-server 192.0.2.2", "commit")
    bob = conf(tmp_path, "bob")
    ok(alice, "delete system name-server 192.0.2.1", "set system name-server 192.0.2.1")
    ok(bob, "set system name-server 192.0.2.3", "commit")
    assert "No configuration changes" not in ok(alice, "commit")
    servers = Store(tmp_path).running().node("system", "name-server").values
    assert servers == ["192.0.2.2", "192.0.2.1", "192.0.2.3"]


def test_two_different_reorderings_of_one_leaf_conflict(tmp_path):
    alice = conf(tmp_path, "alice")
    ok(alice, *(f"set system name-server 192.0.2.{n}" for n in (1, 2, 3)), "commit")
    bob = conf(tmp_path, "bob")
    ok(alice, "delete system name-server 192.0.2.1", "set system name-server 192.0.2.1")
    ok(bob, "delete system name-server 192.0.2.2", "set system name-server 192.0.2.2", "commit")
    result = alice.run("commit")
    assert not result.ok and "[ system name-server ]" in result.output
    assert Store(tmp_path).running().node("system", "name-server").values == \
        ["192.0.2.1", "192.0.2.3", "192.0.2.2"]


def test_update_keeps_the_other_commit_whole_where_it_conflicts(tmp_path):
    """alice deletes an interface while bob comments on its address. At the conflicting
    paths `update` carried half of alice's change (the address value removed, bob's
    comment kept): a leaf with a comment and no value, which `compare` showed as a change
    and `commit` refused as "cannot be archived"."""
    alice = conf(tmp_path, "alice")
    ok(alice, "set interfaces dummy dum0 address 198.51.100.1/32", "commit")
    bob = conf(tmp_path, "bob")
    ok(alice, "delete interfaces dummy dum0")
    ok(bob, 'comment interfaces dummy dum0 address "keep this"', "commit")
    assert not alice.run("commit").ok
    assert "[ interfaces dummy dum0 ]" in ok(alice, "update")
    assert alice.candidate == Store(tmp_path).running()
    assert ok(alice, "compare").startswith("No changes")
    ok(alice, "commit")


def test_a_commit_that_cannot_be_archived_says_commit_failed_once(tmp_path):
    """The archive check's error already ends with `Commit failed`; the commit added a
    second one. (A leaf left with a comment and no value, as `update` once made.)"""
    alice = conf(tmp_path, "alice")
    ok(alice, "set interfaces dummy dum0 address 198.51.100.1/32", "commit",
       'comment interfaces dummy dum0 address "half"')
    alice.candidate = alice.candidate.deep_copy()      # (a node changed directly)
    alice.candidate.node("interfaces", "dummy", "dum0", "address").values = []
    result = alice.run("commit")
    assert not result.ok and "cannot be archived" in result.output
    assert result.output.count("Commit failed") == 1, result.output


def test_compare_shows_a_new_order_of_name_servers(tmp_path):
    """Reordering name servers changes resolv.conf, and `commit` commits it, but `compare`
    and `compare commands` said `No changes`, and the commands they printed for a value
    inserted before others did not give the new order (found by the random run of
    tests/test_properties.py)."""
    from nos_shell.api import tree_from_commands
    from nos_shell.config.diff import compare_commands

    alice = conf(tmp_path, "alice")
    ok(alice, "set system name-server 192.0.2.1", "set system name-server 192.0.2.2", "commit",
       "delete system name-server 192.0.2.1", "set system name-server 192.0.2.1")
    assert "No changes" not in ok(alice, "compare")
    commands = ok(alice, "compare commands")
    assert commands.endswith("set system name-server '192.0.2.2'\nset system name-server '192.0.2.1'\n")
    old = tree_from_commands("set system name-server 10.0.0.1\n")
    new = tree_from_commands("set system name-server 10.0.0.2\nset system name-server 10.0.0.1\n")
    tree = old.copy()
    for line in compare_commands(old, new).splitlines():
        verb, *words = line.replace("'", "").split()
        getattr(tree, verb)(words)
    assert tree == new
