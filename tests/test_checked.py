"""Remembered value checks (nos_shell/config/checked.py) answer as the type's own check:
what it refuses is refused every time with the same message, what it accepts is accepted,
and `set`'s stricter check of a crypt hash is not answered by a load-time acceptance."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nos_shell.config import checked
from nos_shell.schema import types as t
from propsettings import examples

TYPES = [t.IPv4(), t.IPv6(), t.Prefix(), t.Number(low=1, high=4094), t.InterfaceName(prefixes=("eth",)),
         t.CRYPT_HASH]
WORDS = st.one_of(st.text("0123456789abcdef.:/$eth", max_size=12),
                  st.sampled_from(["192.0.2.1", "2001:db8::1", "10.0.0.0/8", "5", "eth0", "$1$salt$hash"]))


def _answer(call) -> str | None:
    try:
        call()
    except ValueError as exc:
        return str(exc)
    return None


@given(st.sampled_from(TYPES), WORDS, st.booleans())
@examples(300)
def test_a_remembered_check_answers_as_the_type_does(vt, value, on_set):
    own = getattr(vt, "check_set", None) if on_set else None
    expected = _answer(lambda: (own or vt.check)(value))
    for _ in range(2):          # the second answer may come from the memory
        assert _answer(lambda: checked.check(vt, value, on_set=on_set)) == expected


def test_a_hash_accepted_on_load_is_still_refused_on_set():
    weak = "$1$salt$hash"       # loadable (old files still load), refused when typed now
    checked.check(t.CRYPT_HASH, weak)
    with pytest.raises(ValueError):
        checked.check(t.CRYPT_HASH, weak, on_set=True)
