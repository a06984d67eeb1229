"""nos_shell/config/rebase.py attacked with copy, rename and reordering as well as
set/delete/comment (the property tests in tests/test_rebase.py draw no copies or renames):
whatever the two sides did, the rebased tree is a configuration that reads back as itself,
and at a conflicting path the other side's commit stands whole (what `update` keeps)."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nos_shell.config.bootfile import dump_boot, load_boot
from nos_shell.config.rebase import rebase
from nos_shell.config.tree import ConfigTree
from nos_shell.errors import NosError
from strategies import COMMENTS, config_trees, set_line

IN_CI = os.environ.get("CI", "").lower() == "true"
SETTINGS = settings(max_examples=200, deadline=None, derandomize=IN_CI,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])


@st.composite
def scenario(draw):
    """A base tree and two trees edited from it (set, delete, comment, copy, rename,
    reordering a multi-value leaf), from a shared pool of paths."""
    base = draw(config_trees(comments=True))
    pool = draw(st.lists(set_line(), min_size=1, max_size=8))

    def edit() -> ConfigTree:
        tree = base.copy()
        for _ in range(draw(st.integers(0, 6))):
            action = draw(st.sampled_from(("set", "delete", "comment", "copy", "rename", "reorder")))
            try:
                if action == "set":
                    tree.set(draw(st.sampled_from(pool)))
                    continue
                if action in ("copy", "rename"):
                    entries = [p for p, _, _ in tree.walk() if len(p) > 1 and tree.is_tag_name(p[:-1])]
                    if entries:
                        path = draw(st.sampled_from(entries))
                        key = draw(st.sampled_from([path[-1] + "9", "x" + path[-1], *tree.node(*path[:-1]).children]))
                        tree.copy_tag(list(path), [path[-2], key], action == "rename")
                    continue
                nodes = [(p, n) for p, _, n in tree.walk() if not tree.is_tag_name(p)]
                if not nodes:
                    continue
                path, node = draw(st.sampled_from(nodes))
                if action == "comment":
                    tree.comment(list(path), draw(st.one_of(st.just(""), COMMENTS)))
                elif action == "reorder" and node.values and len(node.values) > 1:
                    first = node.values[0]
                    tree.delete(list(path) + [first])
                    tree.set(list(path) + [first])
                elif node.values and draw(st.booleans()):
                    tree.delete(list(path) + [draw(st.sampled_from(node.values))])
                else:
                    tree.delete(list(path))
            except NosError:
                pass
        return tree

    return base, edit(), edit()


@SETTINGS
@given(scenario())
def test_a_rebased_tree_always_reads_back_and_conflicts_leave_theirs_whole(case):
    base, mine, theirs = case
    result = rebase(base, mine, theirs)
    text = dump_boot(result.tree)
    assert load_boot(text, "<rebased>")[0] == result.tree, text
    for path in result.conflicts:
        assert result.tree.node(*path) == theirs.node(*path), path
