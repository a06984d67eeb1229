"""The one-pass renderers (to_curly, to_commands) write exactly the lines of the line
generators (curly_lines, set_lines) that `compare` and `show` use, and natural_key's
shortcut for plain numbers gives the key the general rule gives."""
from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from nos_shell.config.tree import natural_key
from nos_shell.config.render import curly_lines, set_lines, to_commands, to_curly
from propsettings import examples
from strategies import config_trees


@given(config_trees())
@examples(150)
def test_one_pass_rendering_is_the_generators_text(tree):
    assert to_curly(tree) == "".join(line + "\n" for line in curly_lines(tree.root, tree.schema))
    assert to_commands(tree) == "".join(line + "\n" for line in set_lines(tree.root, tree.schema))


def _general(key: str) -> tuple:
    """The documented rule: runs of digits compare as numbers, the rest as text."""
    parts = re.split(r"(\d+)", key)
    return tuple(int(part) if part.isdigit() else part for part in parts), key


@examples(300)
@given(st.one_of(st.integers(0, 10**6).map(str), st.from_regex(r"0*[0-9]{1,5}", fullmatch=True),
                 st.text("0123456789٣x", max_size=6)))
def test_the_number_shortcut_of_natural_key_is_the_general_rule(key):
    assert natural_key(key) == _general(key)
