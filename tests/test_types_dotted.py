"""IPv4 addresses read without the ipaddress parser (nos_shell/schema/types.py: the common
case of every address, prefix and neighbor a big configuration sets) accept exactly what
ipaddress accepts, and give the same address and prefix length."""
from __future__ import annotations

import ipaddress
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from propsettings import examples

from nos_shell.schema import ipwords, types

PIECES = st.sampled_from(["0", "00", "01", "1", "9", "10", "99", "100", "199", "200", "249", "250", "255",
                          "256", "299", "300", "999", "1000", ".", "/", "24", "32", "33", "", "a", "-1",
                          "\u0661", "\n", " ", "::1"])
TEXT = st.lists(PIECES, max_size=9).map("".join)
V4 = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}", re.ASCII)


def reference_address(text: str) -> ipaddress.IPv4Address | None:
    """What the ipaddress parser makes of an ASCII dotted text, or None."""
    if not V4.fullmatch(text):
        return None
    try:
        return ipaddress.IPv4Address(text)
    except ValueError:
        return None


@examples(500)
@given(TEXT)
@example("192.0.2.1")
@example("192.0.2.01")
@example("255.255.255.255")
@example("256.0.0.1")
def test_dotted_accepts_what_ipaddress_accepts(text):
    match = ipwords.DOTTED.fullmatch(text)
    expected = reference_address(text)
    assert (match is not None) == (expected is not None)
    if match is not None:
        assert ipwords.dotted(match) == int(expected)


@examples(500)
@given(TEXT, TEXT)
@example("192.0.2.1", "24")
@example("10.0.0.1", "024")
@example("10.0.0.1", "33")
@example("10.0.0.1", "100")
def test_address_and_length_is_unchanged_by_the_quick_reading(address, length):
    value = f"{address}/{length}"
    expected = reference_address(address)
    good = (expected is not None and re.fullmatch(r"0|[1-9][0-9]{0,2}", length, re.ASCII) is not None
            and int(length) <= 32)
    if good:
        assert ipwords.address_and_length(value, 4) == (4, int(expected), int(length))
        assert ipwords.address_and_length(value, 0) == (4, int(expected), int(length))
    elif expected is not None:
        with pytest.raises(ValueError):
            ipwords.address_and_length(value, 4)


@pytest.mark.parametrize("value", ["192.0.2.1", "0.0.0.0", "198.51.100.255"])
def test_ipv4_type_takes_plain_addresses(value):
    types.IPv4().check(value)


@pytest.mark.parametrize("value", ["192.0.2.01", "192.0.2.256", "192.0.2", "192.0.2.1\n", "\u0661.0.0.1", ""])
def test_ipv4_type_still_refuses_with_its_message(value):
    with pytest.raises(ValueError, match="Invalid IPv4 address|control characters"):
        types.IPv4().check(value)
