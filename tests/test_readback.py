"""The archive proof that reads back only what changed (nos_shell/config/readback.py)
refuses exactly the trees the whole read-back refuses, with the same reason, and the store
uses it only from a running tree whose text is proven.

Trees: a base from tests/strategies.py (kept only when its own text reads back), then
edits by the commands and hostile changes made straight to the nodes, as a bug could
leave them (control characters, quotes, braces, comment ends, a version footer in a
comment, unknown names, values where none belong, emptied nodes), with unchanged subtrees
either copied or shared with the base.
"""
from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from nos_shell.config import snapshot
from nos_shell.config.bootfile import dump_boot
from nos_shell.config.readback import changed_part, part_refusal, refusal
from nos_shell.config.tree import ConfigTree, Node
from nos_shell.errors import CommitError
from nos_shell.store import SNAPSHOT, Store, archive_text
from bootreads import read_sizes
from propsettings import examples
from strategies import edited_trees

BITS = ["\n", "\r", "\x00", "\t", "\x85", "\u2028", " ", '"', "'", "{", "}", "\\", "//", "/*", "*/",
        "%x y", "#", ";", "eth0", "1", "x", 'vyos-config-version: "dhcp-server@1"', "ünï"]
HOSTILE = st.one_of(st.sampled_from(["x", "1", "eth1", "192.0.2.7/24"]),
                    st.lists(st.sampled_from(BITS), min_size=0, max_size=4).map("".join))
DAMAGE = ("comment", "value", "values", "key", "name", "empty", "container value")


def _nodes(node: Node) -> list[Node]:
    """``node`` and every node below it (no schema: damaged trees too)."""
    found = [node]
    for child in node.children.values():
        found += _nodes(child)
    return found


def _damage(draw, tree: ConfigTree) -> None:
    """One hostile change made directly to a node of ``tree`` (no schema check)."""
    what, text = draw(st.sampled_from(DAMAGE)), draw(HOSTILE)
    nodes = _nodes(tree.root)
    if what in ("key", "empty", "container value"):
        nodes = [node for node in nodes if node.children] or nodes
    node = draw(st.sampled_from(nodes))
    if what == "comment":
        node.comment = text
    elif what == "value" and node.values is not None:
        node.values = [text]
    elif what == "values" and node.values:
        node.values = draw(st.sampled_from([[], node.values * 2, node.values + [text]]))
    elif what == "key" and node.children:
        node.children[text] = Node()
    elif what == "name":
        node.children[text or "bogus"] = Node()
    elif what == "empty":
        node.children.clear()
    elif what == "container value" and node.children:
        node.values = [text]


def _share(base: Node, new: Node) -> None:
    """Put ``base``'s own subtree objects into ``new`` wherever they are equal."""
    for key, child in new.children.items():
        before = base.children.get(key)
        if before is not None and before is not child:
            if before == child:
                new.children[key] = before
            else:
                _share(before, child)


@st.composite
def changed_trees(draw) -> tuple[ConfigTree, ConfigTree]:
    base, new = draw(edited_trees())
    assume(refusal(base, dump_boot(base)) is None)
    new = new.deep_copy()      # damaged node by node below: nothing shared with base
    for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2, 3]))):
        _damage(draw, new)
    if draw(st.booleans()):
        _share(base.root, new.root)
    return base, new


@given(changed_trees())
@examples(200)
def test_the_short_proof_refuses_exactly_what_the_whole_read_back_refuses(trees):
    base, new = trees
    text = dump_boot(new)
    whole = refusal(new, text)
    assert (part_refusal(new, text, base) is None) == (whole is None)
    assert refusal(new, text, base) == whole


@given(edited_trees())
@examples(100)
def test_the_changed_part_holds_every_difference_but_removals(trees):
    """No part only when the new tree is the base with nodes removed (nothing there to read
    back); else every node of the part is the new tree's, with its values and comment."""
    base, new = trees
    part = changed_part(base, new)
    if base == new:
        assert part is None
    if part is None:
        for path, _, node in new.walk():
            old = base.node(*path)
            assert old is not None and (old.values, old.comment) == (node.values, node.comment)
    else:
        for path, _, node in part.walk():
            mine = new.node(*path)
            assert mine is not None and (mine.values, mine.comment) == (node.values, node.comment)


def test_a_footer_in_a_changed_comment_takes_the_long_way_and_both_agree():
    """A comment that looks like a VyOS version footer switches migrations on for the
    whole file: the short proof must not judge it from the changed part alone."""
    base = ConfigTree()
    base.set(["service", "dhcp-server", "shared-network-name", "LAN", "subnet", "192.0.2.0/24",
              "range", "r1", "start", "192.0.2.10"])
    base.set(["service", "dhcp-server", "shared-network-name", "LAN", "subnet", "192.0.2.0/24",
              "range", "r1", "stop", "192.0.2.20"])
    base.set(["system", "host-name", "r1"])
    assert refusal(base, dump_boot(base)) is None
    new = base.deep_copy()    # (a node changed directly)
    new.node("system").comment = 'vyos-config-version: "dhcp-server@1:system@1"'
    text = dump_boot(new)
    assert part_refusal(new, text, base) == refusal(new, text, base) == refusal(new, text)


def test_a_tag_emptied_of_its_entries_is_read_back_and_refused():
    """A tag node left with no entries writes no line: the whole text lacks it, and so must
    the proof (the node is read back although nothing below it changed)."""
    base = ConfigTree()
    base.set(["interfaces", "ethernet", "eth0", "mtu", "1400"])
    base.set(["system", "host-name", "r1"])
    new = base.deep_copy()    # (a node changed directly)
    new.node("interfaces", "ethernet").children.clear()
    text = dump_boot(new)
    assert part_refusal(new, text, base) == refusal(new, text) == "it reads back differently: set interfaces"


def _big(vlans: int) -> ConfigTree:
    tree = ConfigTree()
    for n in range(1, vlans + 1):
        tree.set(["interfaces", "ethernet", "eth0", "vif", str(n), "address", f"10.0.{n}.1/24"])
    return tree


def test_a_new_process_proves_a_one_line_change_from_the_proven_snapshot(tmp_path, monkeypatch):
    with Store(tmp_path).locked():
        Store(tmp_path).commit(_big(200), user="t", via="api")
    assert snapshot.header((tmp_path / SNAPSHOT).read_bytes()).proven
    store = Store(tmp_path)             # as a new process: the running tree from the snapshot
    new = store.running().copy()
    new.set(["interfaces", "ethernet", "eth0", "vif", "5", "description", "x"])
    sizes = read_sizes(monkeypatch)
    with store.locked():
        store.commit(new, user="t", via="api")
    assert sizes and max(sizes) < len(dump_boot(new)) // 20, sizes
    smuggled = store.running().deep_copy()    # (a node changed directly)
    smuggled.node("interfaces", "ethernet", "eth0", "vif", "7", "address").values = ["10.0.7.1/24\n}"]
    try:
        store.commit(smuggled, user="t", via="api")
    except CommitError as exc:
        assert "cannot be archived" in str(exc)
    else:
        raise AssertionError("a value that breaks config.boot was archived")


def test_a_running_tree_parsed_from_text_is_proven_the_long_way(tmp_path, monkeypatch):
    """A snapshot rebuilt from the archive text does not say proven: the next commit reads
    the whole text back (and then writes a proven snapshot)."""
    with Store(tmp_path).locked():
        Store(tmp_path).commit(_big(50), user="t", via="api")
    (tmp_path / SNAPSHOT).unlink()
    Store(tmp_path).running()           # parses the archive text, rewrites the snapshot
    assert not snapshot.header((tmp_path / SNAPSHOT).read_bytes()).proven
    store = Store(tmp_path)
    new = store.running().copy()
    new.set(["interfaces", "ethernet", "eth0", "vif", "5", "description", "x"])
    sizes = read_sizes(monkeypatch)
    with store.locked():
        store.commit(new, user="t", via="api")
    assert max(sizes) == len(dump_boot(new))
    assert snapshot.header((tmp_path / SNAPSHOT).read_bytes()).proven


def test_archive_text_with_a_base_is_the_same_text():
    base = _big(20)
    new = base.copy()
    new.set(["interfaces", "ethernet", "eth0", "vif", "3", "mtu", "1400"])
    assert archive_text(new, base) == archive_text(new) == dump_boot(new)
