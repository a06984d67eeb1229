"""`| strip-private` and `show system commit diff N` on a sandbox root (no daemon needed)."""
from __future__ import annotations

import pytest

from nos_shell.errors import NosError
from nos_shell.session import Session
from nos_shell.strip_private import strip_private

LINES = ("set system host-name 'edge1'", "set system domain-name 'example.net'",
         "set interfaces ethernet eth0 address '203.0.113.5/24'",
         "set interfaces ethernet eth0 address '2001:db8:1::5/64'",
         "set interfaces ethernet eth0 hw-id '52:54:00:12:34:56'",
         "set interfaces ethernet eth0 description 'uplink v1.4'",
         "set protocols bgp system-as 65001", "set protocols bgp neighbor 192.0.2.2 remote-as 65002",
         "set protocols bgp neighbor 192.0.2.2 password 'top secret'",
         "set system login user vyos authentication plaintext-password 'pw'",
         "set system login user vyos authentication public-keys me@laptop type ssh-ed25519",
         "set system login user vyos authentication public-keys me@laptop key AAAAC3NzaC1lZDI1NTE5")


@pytest.fixture
def session(tmp_path):
    s = Session(tmp_path)
    s.execute("configure")
    for line in LINES:
        s.execute(line)
    s.execute("commit")
    s.execute("set interfaces ethernet eth0 description 'second'")
    s.execute("commit")
    s.execute("exit")
    return s


@pytest.mark.parametrize("form", ["", " commands", " json"])
def test_strip_private_hides_secrets_names_and_addresses_in_every_format(session, form):
    plain = session.execute(f"show configuration{form}")
    out = session.execute(f"show configuration{form} | strip-private")
    if form != " json":          # JSON keeps public-key names (object keys): docs/user-guide.md
        assert "me@laptop" not in out
    for secret in ("top secret", "$6$", "AAAAC3Nz", "edge1", "example.net", "203.0.113",
                   "2001:db8", "52:54:00", "192.0.2.2"):
        assert secret not in out, (secret, out)
    for kept in ("xxx.xxx.113.5/24", "xxxx:xxxx:1::5/64", "XX:XX:XX:12:34:56", "xxx.xxx.2.2",
                 "65002", "vyos", "ssh-ed25519", "second"):
        assert kept in out, (kept, out)
    assert out.count("\n") == plain.count("\n")            # the same lines, only values hidden


def test_strip_private_leaves_look_alikes_alone():
    text = "disable-password-authentication\nversion 1.4 at 17:30:43\nname eth0.100\n"
    assert strip_private(text) == text


def test_commit_diff_shows_what_commit_n_changed(session):
    assert session.execute("show system commit diff 0") == \
        '[interfaces ethernet eth0]\n- description "uplink v1.4"\n+ description "second"\n'
    assert 'system-as "65001"' in session.execute("show system commit diff 1")
    oldest = len(session.store.revisions()) - 1
    with pytest.raises(NosError, match="oldest kept"):
        session.execute(f"show system commit diff {oldest}")
    with pytest.raises(NosError, match="Invalid revision number 99"):
        session.execute("show system commit diff 99")
