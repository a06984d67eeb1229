"""The backends' last check on values (backends/common/safety.py): checking all of an area's
words in one search says exactly what checking each word alone says, and an unsafe word is
still reported at its configuration path."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from propsettings import examples

from nos_shell.api import tree_from_commands
from nos_shell.backends.common.safety import PLAIN, all_plain, unsafe_words
from nos_shell.config.tree import Node

# plain characters, the space and separators a hostile value might carry
ALPHABET = st.sampled_from(list("aZ09_.:/@+,!=-") + [" ", "  ", "\n", "\t", "\"", "{", ";", "é", "\u2028", ""])
WORDS = st.lists(st.lists(ALPHABET, max_size=4).map("".join), max_size=6)


@examples(300)
@given(WORDS)
def test_one_search_agrees_with_a_search_per_word(words):
    assert all_plain(words) == all(PLAIN.fullmatch(word) for word in words)


def test_words_that_only_look_plain_when_joined_are_refused():
    assert all_plain(["eth0", "192.0.2.1/24"])
    assert not all_plain(["eth0", "a b"])         # a space inside a word: one more space than gaps
    assert not all_plain(["eth0", ""])            # an empty word: two spaces side by side
    assert not all_plain(["", "x"]) and not all_plain([""])
    assert all_plain([])


def test_an_unsafe_word_is_reported_at_its_path():
    tree = tree_from_commands("\n".join(
        f"set interfaces ethernet eth0 vif {n} address 192.0.2.{n}/24" for n in range(1, 80)))
    assert unsafe_words(tree, ("interfaces",)) == []
    # what the schema refuses can only come from a damaged or hand-edited archive
    vif = tree.node("interfaces", "ethernet", "eth0", "vif", "42")
    vif.children["address"] = Node()
    vif.children["address"].values = ["192.0.2.42/24 dhcp"]
    problems = unsafe_words(tree, ("interfaces",))
    assert [problem.path for problem in problems] == [("interfaces", "ethernet", "eth0", "vif", "42", "address")]
    assert "cannot be written safely" in problems[0].message
