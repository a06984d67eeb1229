"""`service ntp allow-client` (VyOS 1.4; in its default configuration): accepted, compiles to
nothing (systemd-timesyncd is a client only), and the commit that adds or changes it says
once that this router does not serve time."""
from __future__ import annotations

from nos_shell.api import tree_from_commands
from nos_shell.backends import registry
from nos_shell.backends.timesyncd.control import NOT_SERVED
from nos_shell.session import Session

ALLOW = "set service ntp allow-client address"


def test_allow_client_adds_nothing_to_the_drop_in():
    servers = "set service ntp server 192.0.2.123\n"
    with_clients = tree_from_commands(servers + f"{ALLOW} 192.168.0.0/16\n{ALLOW} fe80::/10\n{ALLOW} 10.0.0.1")
    driver = registry.driver("timesync")
    assert driver.compile(with_clients) == driver.compile(tree_from_commands(servers))
    assert driver.verify(with_clients) == []


def _commit(session: Session, *lines: str) -> str:
    for line in lines:
        result = session.run(line)
        assert result.ok, (line, result.output)
    result = session.run("commit")
    assert result.ok, result.output
    return result.output


def test_the_commit_that_adds_or_changes_it_says_time_is_not_served(tmp_path):
    (tmp_path / "etc/nos-shell").mkdir(parents=True)
    (tmp_path / "etc/nos-shell/apply.toml").write_text("live = true\n")
    with registry.registered(registry.driver("timesync"), alone=True):   # nothing else runs here
        session = Session(tmp_path)
        session.execute("configure")
        out = _commit(session, f"{ALLOW} 192.168.0.0/16", f"{ALLOW} 10.0.0.0/8",
                      "set service ntp server 192.0.2.123")
        assert out.count(NOT_SERVED) == 1, out
        assert "this router does not serve time" in NOT_SERVED
        assert NOT_SERVED not in _commit(session, "set service ntp server 192.0.2.124")
        assert NOT_SERVED not in _commit(session, "set system host-name r1")
        assert _commit(session, f"{ALLOW} 172.16.0.0/12").count(NOT_SERVED) == 1
        assert NOT_SERVED not in _commit(session, "delete service ntp allow-client")
