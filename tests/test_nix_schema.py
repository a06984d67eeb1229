"""nos_shell/nix/schema.nix (the tree's shape the Nix generators parse `set` lines with)
is generated from the schema and stays current; the Nix literals of `show configuration
nix` cannot be broken out of."""
from __future__ import annotations

import pytest

from nos_shell.nix import schemagen
from nos_shell.nix.nixlit import nix_name, nix_string


def test_schema_nix_is_current():
    assert schemagen.PATH.read_text(encoding="utf-8") == schemagen.schema_nix(), \
        "run: python3 -m nos_shell.nix.schemagen"


def test_schema_nix_marks_each_kind():
    text = schemagen.schema_nix()
    for line in ('"ethernet" = { t = {', '"interfaces" = { c = {', '"name-server" = "m";', '"host-name" = "l";',
                 '"local-zone" = "f";'):
        assert line in text


@pytest.mark.parametrize(("text", "literal"), [
    ("plain", '"plain"'), ('a "b"', '"a \\"b\\""'), ("back\\slash", '"back\\\\slash"'),
    ("${x}", '"\\${x}"'), ("$x {y}", '"$x {y}"'), ("a\nb\tc\r", '"a\\nb\\tc\\r"'), ("$${x}", '"$\\${x}"'),
])
def test_nix_strings_escape_what_nix_reads_specially(text, literal):
    assert nix_string(text) == literal


@pytest.mark.parametrize(("name", "written"), [
    ("eth0", "eth0"), ("ipv4-unicast", "ipv4-unicast"), ("0.0.0.0/0", '"0.0.0.0/0"'), ("in", '"in"'),
    ("rec", '"rec"'), ("a${b}", '"a\\${b}"'),
])
def test_attribute_names_are_bare_only_when_nix_reads_them_so(name, written):
    assert nix_name(name) == written
