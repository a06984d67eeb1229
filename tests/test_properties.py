"""Round trips through every text form, for random trees drawn from the schema
(the diff's own properties: tests/test_diff_properties.py)."""
from __future__ import annotations

from hypothesis import given

from nos_shell.commands import CONF, parse
from nos_shell.config.bootfile import dump_boot, load_boot
from nos_shell.config.render import to_commands, to_json
from nos_shell.config.tree import ConfigTree
from nos_shell.session import Session
from propsettings import examples
from strategies import config_trees, set_lines

SETTINGS = examples(150)


def tree_from_set_output(text: str) -> ConfigTree:
    """Parse `show configuration commands` output back with the command grammar."""
    tree = ConfigTree()
    for line in text.splitlines():
        command = parse(line, CONF)
        assert command.name == "set"
        tree.set(command.words)
    return tree


@SETTINGS
@given(config_trees(comments=False))
def test_tree_to_set_commands_to_tree_is_identity(tree):
    assert tree_from_set_output(to_commands(tree)) == tree


@SETTINGS
@given(config_trees())
def test_tree_to_config_boot_to_tree_is_identity(tree):
    loaded, warnings = load_boot(dump_boot(tree))
    assert warnings == [] and loaded == tree


@SETTINGS
@given(set_lines())
def test_deleting_every_shown_line_empties_the_tree(lines):
    """Deleting what `show configuration commands` lists leaves nothing (presence
    containers such as `service ssh` show up as lines of their own in the next round)."""
    tree = ConfigTree()
    for words in lines:
        tree.set(words)
    for _ in range(10):
        shown = to_commands(tree).splitlines()
        if not shown:
            break
        for line in shown:
            command = parse(line.replace("set ", "delete ", 1), CONF)
            tree.delete(command.words)
    assert tree.is_empty(), to_commands(tree)


@SETTINGS
@given(config_trees(comments=False))
def test_json_output_is_deterministic(tree):
    assert to_json(tree) == to_json(tree.copy())


@examples(60)
@given(set_lines(max_size=6))
def test_session_commit_then_show_commands_reproduces_the_candidate(tmp_path_factory, lines):
    session = Session(tmp_path_factory.mktemp("prop"), apply=False)
    session.verifiers.clear()
    session.execute("configure")
    for words in lines:
        session.candidate.set(words)
    expected = session.candidate.copy()
    session.execute("commit")
    session.execute("exit discard")
    assert tree_from_set_output(session.execute("show configuration commands")) == expected
