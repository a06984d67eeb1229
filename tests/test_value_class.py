"""The schema's value types are frozen values (nos_shell/schema/types.py, ValueType): made
with keyword fields whose defaults come from the class, equal and hashed by class and
fields, and never changed after they are made."""
from __future__ import annotations

import pytest

from nos_shell.schema import types


def test_fields_default_from_the_class_and_are_inherited():
    number = types.Number(low=1, high=9)
    assert (number.low, number.high, number.what, number.placeholder) == (1, 9, "Value", "<text>")
    assert types.Number._fields == ("placeholder", "help", "low", "high", "what")


def test_equal_and_hashed_by_class_and_fields():
    assert types.Number(low=1) == types.Number(low=1) and hash(types.Number(low=1)) == hash(types.Number(low=1))
    assert types.Number(low=1) != types.Number(low=2)
    assert types.IPv4() != types.IPv6() and types.Text() != types.ValueType()
    assert len({types.Number(low=1), types.Number(low=1), types.Number(low=2)}) == 2


def test_frozen_and_keyword_only():
    number = types.Number(low=1)
    with pytest.raises(AttributeError):
        number.low = 5
    with pytest.raises(AttributeError):
        del number.low
    with pytest.raises(TypeError, match="unexpected keyword argument 'lo'"):
        types.Number(lo=1)
    with pytest.raises(TypeError):
        types.Number(1)


def test_post_init_derives_what_the_type_shows():
    assert types.Enum(values=("a", "b")).placeholder == "<a|b>"
    assert types.Union(members=(types.IPv4(),)).placeholder == types.IPv4().placeholder
    assert repr(types.Number(low=1)).startswith("Number(placeholder='<text>', help='Text', low=1,")
