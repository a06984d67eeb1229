"""The spliced config.boot text (config/splice.py) is the whole rendering, whatever the
edits and comments (multi-line ones included), or the splice declines."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nos_shell.config.bootfile import dump_boot
from nos_shell.config.splice import spliced
from nos_shell.config.tree import ConfigTree
from propsettings import examples
from strategies import COMMENTS, config_trees, set_line
from test_tree_cow import _OPS, _edit


@given(config_trees(comments=True), st.lists(set_line(), min_size=1, max_size=6),
       st.lists(_OPS, min_size=1, max_size=4))
@examples(200)
def test_the_splice_is_the_whole_rendering_or_nothing(base, pool, ops):
    new = base.copy()
    _edit(new, pool, ops)
    text = spliced(dump_boot(base), base, new)
    assert text is None or text == dump_boot(new)


def _scale(vlans: int) -> ConfigTree:
    tree = ConfigTree()
    for vlan in range(1, vlans + 1):
        tree.set(["interfaces", "ethernet", "eth0", "vif", str(vlan), "address", f"10.{vlan // 250}.{vlan % 250}.1/24"])
    tree.set(["system", "host-name", "r1"])
    return tree


@given(st.integers(1, 30), st.sampled_from(["description", "mtu"]), COMMENTS)
@examples(60)
def test_a_one_line_change_is_spliced(vlan, leaf, comment):
    base = _scale(30)
    base.comment(["interfaces", "ethernet", "eth0", "vif", "3"], comment)
    new = base.copy()
    new.set(["interfaces", "ethernet", "eth0", "vif", str(vlan), leaf, "1400" if leaf == "mtu" else "x y"])
    text = spliced(dump_boot(base), base, new)
    if "\n" in comment.strip():
        assert text is None                      # a comment that may span lines: declined
    else:
        assert text == dump_boot(new)


def test_a_wrong_old_text_is_declined():
    base = _scale(5)
    new = base.copy()
    new.set(["interfaces", "ethernet", "eth0", "vif", "2", "mtu", "1400"])
    wrong = dump_boot(base).replace('"10.0.2.1/24"', '"10.0.2.9/24"')
    assert spliced(wrong, base, new) is None
    assert spliced(dump_boot(base), base, new) == dump_boot(new)


def test_a_comment_that_spans_lines_cannot_fake_a_block():
    """A comment holding a copy of a block's lines (header, inside, closing brace) comes
    before the real block; a splice that trusted lines would replace the copy."""
    base = _scale(5)
    pad = "        "
    fake = f"x\n{pad}vif 3 {{\n{pad}    address \"10.0.3.1/24\"\n{pad}}}\n{pad}y"
    base.comment(["interfaces", "ethernet", "eth0", "vif", "2"], fake)
    new = base.copy()
    new.set(["interfaces", "ethernet", "eth0", "vif", "3", "mtu", "1400"])
    text = spliced(dump_boot(base), base, new)
    assert text is None or text == dump_boot(new)
    assert fake in dump_boot(new)
