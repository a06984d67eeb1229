"""`show configuration nix` as an operational command: listed by `?`, secrets masked for
operator-level users as in `show configuration`, and the interfaces the module would
refuse (neither dhcp nor addresses) kept as lines. (Its round trip through the module is
in test_nix_examples.py and test_nix_module.py.)"""
from __future__ import annotations

from nos_shell import Session
from nos_shell.shell.plain import LineProtocol
from test_linehelp import listing_of


def test_question_mark_lists_nix(tmp_path):
    listing = listing_of(LineProtocol(Session(tmp_path, user="vyos", via="ssh")), "show configuration ")
    assert "  nix       Show as the equivalent nix-nos attribute set (NixOS)\n" in listing


def test_operators_see_secrets_masked(tmp_path):
    Session(tmp_path, user="vyos").execute("show configuration")       # (first start: user vyos)
    admin = Session(tmp_path, user="vyos").execute("show configuration nix")
    operator = Session(tmp_path, user="olga", via="ssh", level="operator").execute("show configuration nix")
    assert "encrypted-password '$6$" in admin
    assert "encrypted-password '$6$" not in operator
    assert "encrypted-password '****************'" in operator


def test_interfaces_the_module_would_refuse_stay_lines(tmp_path):
    session = Session(tmp_path, user="vyos")
    session.execute("configure")
    for line in ("set interfaces ethernet eth1 description 'port'",
                 "set interfaces ethernet eth2 address 'dhcp'", "set interfaces ethernet eth2 address '192.0.2.1/24'",
                 "set interfaces ethernet eth3 address '192.0.2.5/24'"):
        session.execute(line)
    session.execute("commit")
    session.execute("exit")
    text = session.execute("show configuration nix")
    assert "eth1 = {" not in text and "eth2 = {" not in text
    assert "\"set interfaces ethernet eth1 description 'port'\"" in text
    assert "\"set interfaces ethernet eth2 address 'dhcp'\"" in text
    assert 'eth3 = {\n      addresses = [\n        "192.0.2.5/24"\n      ];\n    };' in text
