"""The diff is exact: `compare commands` replayed on the old tree gives the new tree
(values in order, comments, tag keys, empty entries), and `compare` and the marked `show`
agree with the trees they compare. Trees come from tests/strategies.py: two unrelated
trees, and a tree with edits made to it (copy, rename, reorder, comment, delete)."""
from __future__ import annotations

from collections import Counter

from hypothesis import example, given

from nos_shell.api import tree_from_commands
from nos_shell.commands import CONF, parse
from nos_shell.config.diff import compare, compare_commands, show_marked
from nos_shell.config.render import to_curly
from nos_shell.config.tree import ConfigTree
from propsettings import examples
from strategies import config_trees, edited_trees


def replay(old: ConfigTree, lines: str) -> ConfigTree:
    """``old`` changed by `compare commands` output, each line read by the command grammar."""
    tree = old.copy()
    for line in lines.splitlines():
        command = parse(line, CONF)
        if command.name == "comment":
            *path, text = command.words
            tree.comment(path, text)
        else:
            assert command.name in ("set", "delete"), line
            (tree.set if command.name == "set" else tree.delete)(command.words)
    return tree


def net_changes(text: str) -> dict[str, tuple[Counter, Counter]]:
    """`compare` output as {section header: (lines added, lines removed)}, a line both
    removed and added (a value of a reordered leaf) counting as neither."""
    plus: dict[str, Counter] = {}
    minus: dict[str, Counter] = {}
    header = ""
    for line in text.splitlines():
        if line.startswith("["):
            header = line
        elif line:                            # a blank line parts two sections
            assert line[:2] in ("+ ", "- "), line
            (plus if line[0] == "+" else minus).setdefault(header, Counter())[line[2:]] += 1
    out = {}
    for header in plus.keys() | minus.keys():
        added, removed = plus.get(header, Counter()), minus.get(header, Counter())
        if added - removed or removed - added:
            out[header] = (added - removed, removed - added)
    return out


def tree(text: str, comments: dict[tuple[str, ...], str] | None = None) -> ConfigTree:
    out = tree_from_commands(text)
    for path, note in (comments or {}).items():
        out.comment(list(path), note)
    return out


def check_exact(old: ConfigTree, new: ConfigTree) -> None:
    commands = compare_commands(old, new)
    assert replay(old, commands) == new, commands
    assert (commands == "") == (old == new)
    curly = compare(old, new)
    assert (curly == "") == (old == new), curly
    # seen from the other side, what was added is removed and the other way round
    back = net_changes(compare(new, old))
    assert back == {header: (removed, added) for header, (added, removed) in net_changes(curly).items()}
    # the marked `show`: without the lines marked `-`, it is the new tree's config.boot
    marked = show_marked(old.root, new.root, new.schema).splitlines()
    assert [line[1:] for line in marked if line[:1] != "-"] == to_curly(new).splitlines()
    assert all(line[:1] in " +->" for line in marked)
    assert (old == new) == all(line[:1] == " " for line in marked)


NS = "set system name-server '{}'\n"


@examples(300)
@given(config_trees(), config_trees())
# the random find of issue 11: a new first name server was only `set`, which appends
@example(tree(NS.format("0.0.0.1")), tree(NS.format("0.0.0.0") + NS.format("0.0.0.1")))
# a reorder deletes the leaf whole: the container the delete prunes keeps its comment
@example(tree(NS.format("192.0.2.1") + NS.format("192.0.2.2"), {("system",): "resolvers"}),
         tree(NS.format("192.0.2.2") + NS.format("192.0.2.1"), {("system",): "resolvers",
                                                                 ("system", "name-server"): "order!"}))
# the last value of a multi-value leaf deleted; a comment cleared
@example(tree(NS.format("192.0.2.1") + "set system host-name 'r1'\n", {("system", "host-name"): "x"}),
         tree("set system host-name 'r1'\n"))
# a tag entry renamed, its comment going with it; an entry emptied but kept
@example(tree("set interfaces ethernet eth0 description 'up'\nset interfaces ethernet eth1 mtu 1400\n",
              {("interfaces", "ethernet", "eth0"): "uplink"}),
         tree("set interfaces ethernet eth2 description 'up'\nset interfaces ethernet eth1\n",
              {("interfaces", "ethernet", "eth2"): "uplink"}))
# keys that sort alike (bond0, bond00) stay in the order the renderer gives them
@example(tree("set interfaces bonding bond0 address '::/0'\nset interfaces bonding bond00 mtu 1500\n"),
         tree("set interfaces bonding bond00 mtu 1500\nset interfaces bonding bond0 address '::/0'\n",
              {("interfaces", "bonding", "bond00"): "0"}))
def test_compare_commands_turn_the_old_tree_into_the_new(old, new):
    check_exact(old, new)


@examples(300)
@given(edited_trees())
def test_compare_commands_carry_every_edit(case):
    """Edits (set, delete, comment, copy, rename, reorder) of one tree: nearby trees,
    where the diff has to be exact about small changes."""
    base, new = case
    check_exact(base, new)
    check_exact(new, base)
