"""nos_shell/config/rebase.py attacked with copy, rename and reordering as well as
set/delete/comment (the property tests in tests/test_rebase.py draw no copies or renames;
both draw their trees from tests/strategies.py's edited_trees): whatever the two sides did, the rebased tree is a configuration that reads back as itself,
and at a conflicting path the other side's commit stands whole (what `update` keeps)."""
from __future__ import annotations

from hypothesis import given

from nos_shell.config.bootfile import dump_boot, load_boot
from nos_shell.config.rebase import rebase
from propsettings import examples
from strategies import EDITS, edited_trees

SETTINGS = examples(200)


@SETTINGS
@given(edited_trees(EDITS, sides=2))
def test_a_rebased_tree_always_reads_back_and_conflicts_leave_theirs_whole(case):
    base, mine, theirs = case
    result = rebase(base, mine, theirs)
    text = dump_boot(result.tree)
    assert load_boot(text, "<rebased>")[0] == result.tree, text
    for path in result.conflicts:
        assert result.tree.node(*path) == theirs.node(*path), path
