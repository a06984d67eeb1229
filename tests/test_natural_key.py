"""natural_key's shortcut for plain numbers gives the key the general rule gives (the
renderers' output is held by the golden and bootfile tests)."""
from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from nos_shell.config.tree import natural_key
from propsettings import examples


def _general(key: str) -> tuple:
    """The documented rule: runs of digits compare as numbers, the rest as text."""
    parts = re.split(r"(\d+)", key)
    return tuple(int(part) if part.isdigit() else part for part in parts), key


@examples(300)
@given(st.one_of(st.integers(0, 10**6).map(str), st.from_regex(r"0*[0-9]{1,5}", fullmatch=True),
                 st.text("0123456789٣x", max_size=6)))
def test_the_number_shortcut_of_natural_key_is_the_general_rule(key):
    assert natural_key(key) == _general(key)
