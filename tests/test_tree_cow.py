"""Copy-on-write trees (ConfigTree.copy): a copy shares its nodes with the original, and a
change through the tree API copies the nodes on its path first. Whatever the edits, on
either side, the other tree never changes, and comparing trees that share subtrees gives
what comparing unshared copies of them gives."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nos_shell.config.diff import compare_commands
from nos_shell.config.readback import changed_part
from nos_shell.config.tree import ConfigTree, Node
from nos_shell.errors import NosError
from nos_shell.models.changes import changed_paths
from propsettings import examples
from strategies import COMMENTS, config_trees, set_line

# one edit: (verb, index into the pool or the tree's nodes, text)
_OPS = st.tuples(st.sampled_from(["set", "delete", "delete value", "comment", "copy", "rename"]),
                 st.integers(0, 1000), st.one_of(st.just(""), COMMENTS))


def _apply(tree: ConfigTree, pool: list[list[str]], op: tuple[str, int, str]) -> None:
    """Apply one edit, chosen only from the tree's content (equal trees: the same edit)."""
    verb, index, text = op
    if verb == "set":
        tree.set(pool[index % len(pool)])
        return
    paths = [path for path, _, _ in tree.walk() if not tree.is_tag_name(path)]
    if verb in ("copy", "rename"):
        paths = [p for p in paths if len(p) > 1 and tree.is_tag_name(p[:-1])]
    if not paths:
        return
    path = paths[index % len(paths)]
    if verb == "comment":
        tree.comment(list(path), text)
    elif verb in ("copy", "rename"):
        tree.copy_tag(list(path), [path[-2], path[-1] + "9"], verb == "rename")
    elif verb == "delete value" and tree.values(*path):
        values = tree.values(*path)
        tree.delete(list(path) + [values[index % len(values)]])
    else:
        tree.delete(list(path))


def _edit(tree: ConfigTree, pool: list[list[str]], ops: list[tuple[str, int, str]]) -> None:
    for op in ops:
        try:
            _apply(tree, pool, op)
        except NosError:
            pass


def _shares(a: Node, b: Node) -> bool:
    """True when some node is in both trees."""
    ids = set()
    stack = [a]
    while stack:
        node = stack.pop()
        ids.add(id(node))
        stack.extend(node.children.values())
    stack = [b]
    while stack:
        node = stack.pop()
        if id(node) in ids:
            return True
        stack.extend(node.children.values())
    return False


# (a plaintext password is stored as a salted hash: two sets of it never give equal trees)
_REPEATABLE = set_line().filter(lambda words: "plaintext-password" not in words)


@given(config_trees(comments=True), st.lists(_REPEATABLE, min_size=1, max_size=6),
       st.lists(_OPS, max_size=8), st.lists(_OPS, max_size=8))
@examples(150)
def test_edits_on_a_copy_or_its_original_never_show_in_the_other(base, pool, mine, theirs):
    frozen = base.deep_copy()
    copy = base.copy()
    second = copy.copy()                      # a copy of a copy shares with both
    _edit(copy, pool, mine)
    expected = frozen.deep_copy()
    _edit(expected, pool, mine)
    assert copy == expected                   # the same result as editing an unshared copy
    assert base == frozen and second == frozen
    _edit(base, pool, theirs)                 # and the original edited afterwards
    assert copy == expected and second == frozen
    other = frozen.deep_copy()
    _edit(other, pool, theirs)
    assert base == other


@given(config_trees(comments=True), st.lists(set_line(), min_size=1, max_size=6),
       st.lists(_OPS, min_size=1, max_size=8))
@examples(150)
def test_comparing_shared_trees_gives_what_comparing_deep_copies_gives(base, pool, ops):
    new = base.copy()
    _edit(new, pool, ops)
    old_deep, new_deep = base.deep_copy(), new.deep_copy()
    assert changed_paths(base, new) == changed_paths(old_deep, new_deep)
    assert compare_commands(base, new) == compare_commands(old_deep, new_deep)
    part, part_deep = changed_part(base, new), changed_part(old_deep, new_deep)
    assert (part is None) == (part_deep is None) and (part is None or part == part_deep)


def test_a_copy_shares_its_nodes_until_written():
    base = ConfigTree()
    base.set(["interfaces", "ethernet", "eth0", "vif", "5", "description", "a"])
    base.set(["system", "host-name", "r1"])
    copy = base.copy()
    assert copy.root is base.root
    copy.set(["interfaces", "ethernet", "eth0", "vif", "5", "description", "b"])
    assert copy.node("system") is base.node("system")       # untouched subtree: shared
    assert copy.node("interfaces") is not base.node("interfaces")
    assert base.value("interfaces", "ethernet", "eth0", "vif", "5", "description") == "a"
    assert not _shares(base.deep_copy().root, base.root)
