"""`compare` and `compare commands` when only the order of a multi-value leaf changes.
The order means something: resolv.conf asks the first `system name-server` first."""
from __future__ import annotations

from nos_shell.api import tree_from_commands
from nos_shell.commands import CONF, parse
from nos_shell.config.diff import compare, compare_commands


def _replay(old, lines: str):
    tree = old.copy()
    for line in lines.splitlines():
        command = parse(line, CONF)
        (tree.set if command.name == "set" else tree.delete)(command.words)
    return tree


def test_a_new_first_name_server_is_first_after_replaying_compare_commands():
    """Was (found by the random run of tests/test_properties.py): old [::], new
    [0.0.0.0, ::] gave only `set ... '0.0.0.0'`, which appends: replayed, the old server
    stayed first, and `compare` showed the new one as an addition at the top."""
    old = tree_from_commands("set system name-server '192.0.2.53'\n")
    new = tree_from_commands("set system name-server '198.51.100.53'\nset system name-server '192.0.2.53'\n")
    assert _replay(old, compare_commands(old, new)) == new
    assert '- name-server "192.0.2.53"' in compare(old, new)


def test_swapped_name_servers_are_a_change():
    old = tree_from_commands("set system name-server '192.0.2.1'\nset system name-server '192.0.2.2'\n")
    new = tree_from_commands("set system name-server '192.0.2.2'\nset system name-server '192.0.2.1'\n")
    assert compare(old, new) != "" and _replay(old, compare_commands(old, new)) == new


def test_removing_and_appending_stays_value_by_value():
    old = tree_from_commands("set system name-server '192.0.2.1'\nset system name-server '192.0.2.2'\n")
    new = tree_from_commands("set system name-server '192.0.2.1'\nset system name-server '192.0.2.3'\n")
    assert compare_commands(old, new) == ("delete system name-server '192.0.2.2'\n"
                                         "set system name-server '192.0.2.3'\n")


def test_compare_commands_typed_into_another_session_rebuild_the_candidate(tmp_path):
    """The lines `compare commands` prints (deletes, sets and comments) are commands a
    session takes: typed on top of the running configuration they give the candidate."""
    from nos_shell.session import Session

    alice = Session(tmp_path, user="alice", apply=False)
    for line in ["configure", "set system name-server 192.0.2.1", "set system host-name r1",
                 "comment system 'resolvers first'", "commit",
                 "set system name-server 192.0.2.0", "delete system name-server 192.0.2.1",
                 "set system name-server 192.0.2.1", "comment system host-name 'the name'"]:
        assert alice.run(line).ok, line
    lines = alice.run("compare commands").output
    assert lines.startswith("delete system name-server\n")
    bob = Session(tmp_path, user="bob", apply=False)
    assert bob.run("configure").ok
    for line in lines.splitlines():
        assert bob.run(line).ok, line
    assert bob.candidate == alice.candidate
    assert bob.candidate.values("system", "name-server") == ["192.0.2.0", "192.0.2.1"]
