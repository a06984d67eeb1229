"""`system sysctl parameter` and `system option` (VyOS 1.4 paths): what the schema refuses at
`set`, what verify refuses at commit (a key the firewall's global options or reboot-on-panic
also set: one owner per key), the notes a commit prints, and the real ``sysctl`` loading the
drop-in in a network namespace made for the test (never the host's own keys).

The drop-in's exact text is the golden case tests/golden/sysctl."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from lab import netns, require_tool, run
from nos_shell.api import tree_from_commands
from nos_shell.backends import registry
from nos_shell.backends.sysctl.compiler import PATH
from nos_shell.errors import PathError
from cfgsession import cli, commit  # noqa: F401 (cli: a fixture)
from nos_shell.session import Session

PARAM = "set system sysctl parameter"


@pytest.mark.parametrize("key", ["net/ipv4/ip_forward", "net..ipv4", "net.ipv4.", "net", "foo.bar",
                                 "-net.ipv4.ip_forward", ".net.ipv4", "net.ipv4.ip forward",
                                 "net.ipv4.conf.eth0/10.rp_filter", "net." + "a" * 260])
def test_a_key_that_is_not_a_proc_sys_name_is_refused_at_set(key):
    with pytest.raises(PathError, match="Sysctl key must be a dotted name under /proc/sys"):
        tree_from_commands(f"{PARAM} '{key}' value 1")


@pytest.mark.parametrize("value", ["1 # one", "1;2", "#1", " 1", "1 ", "1  2", "", "a\nb", "x" * 256, "~", "%p",
                                   "'1'", '"1"', "1\t2", "é"])
def test_a_value_sysctl_d_would_read_otherwise_is_refused_at_set(value):
    with pytest.raises(PathError, match="Sysctl value must be words|must not contain control|Value must be 1 to 255"):
        tree_from_commands(f"{PARAM} net.ipv4.ip_forward value {value!r}")


def test_keys_and_values_of_real_parameters_are_accepted():
    tree = tree_from_commands(f"{PARAM} net.ipv4.conf.all.rp_filter value 2\n"
                              f"{PARAM} kernel.printk value '4 4 1 7'\n"
                              f"{PARAM} net.bridge.bridge-nf-call-iptables value 0\n"
                              f"{PARAM} net.ipv4.ping_group_range value '0 2147483647'")
    assert registry.driver("sysctl").verify(tree) == []


def test_a_parameter_without_a_value_is_refused_at_commit(cli):
    ok, out = commit(cli, f"{PARAM} net.ipv4.ip_forward")
    assert not ok
    assert "[ system sysctl parameter net.ipv4.ip_forward ]" in out
    assert 'Sysctl parameter "net.ipv4.ip_forward" needs a value' in out


def test_a_key_the_firewall_global_options_set_is_refused_with_its_owner(cli):
    ok, out = commit(cli, "set firewall global-options source-validation strict",
                     f"{PARAM} net.ipv4.conf.all.rp_filter value 2")
    assert not ok
    assert ('Sysctl parameter "net.ipv4.conf.all.rp_filter" is also set by firewall global-options '
            "source-validation; set it in one place only") in out
    ok, out = commit(cli, "delete firewall global-options source-validation")
    assert ok, out
    assert (cli.store.root / PATH).read_text().splitlines()[1:] == ["net.ipv4.conf.all.rp_filter = 2"]


def test_kernel_panic_has_one_owner_too(cli):
    ok, out = commit(cli, "set system option reboot-on-panic", f"{PARAM} kernel.panic value 10")
    assert not ok and "is also set by system option reboot-on-panic" in out


def test_an_unrelated_firewall_option_does_not_conflict(cli):
    ok, out = commit(cli, "set firewall global-options syn-cookies enable",
                     f"{PARAM} net.ipv4.tcp_rfc1337 value 1")
    assert ok, out


def test_removing_the_last_parameter_removes_the_file(cli):
    ok, out = commit(cli, f"{PARAM} net.ipv4.tcp_rfc1337 value 1")
    assert ok and (cli.store.root / PATH).exists(), out
    ok, out = commit(cli, "delete system sysctl")
    assert ok and not (cli.store.root / PATH).exists(), out


# -- notes and loading on a target ----------------------------------------------------------

def _live_root(root: Path, *prefix: str) -> None:
    (root / "etc/nos-shell").mkdir(parents=True, exist_ok=True)
    settings = "live = true\n"
    if prefix:
        settings += "exec-prefix = [" + ", ".join(f'"{word}"' for word in prefix) + "]\n"
    (root / "etc/nos-shell/apply.toml").write_text(settings)


IGNORED_NOTE = "system option: ctrl-alt-delete, keyboard-layout accepted and ignored"


def test_ignored_options_are_named_once_by_the_commit_that_sets_them(tmp_path):
    _live_root(tmp_path)
    with registry.registered(registry.driver("sysctl"), alone=True):   # nothing else runs here
        session = Session(tmp_path)
        session.execute("configure")
        ok, out = commit(session, "set system option keyboard-layout de",
                         "set system option ctrl-alt-delete ignore")
        assert ok and out.count(IGNORED_NOTE) == 1, out
        ok, out = commit(session, "set system host-name r1")
        assert ok and "system option" not in out, out
        ok, out = commit(session, "set system option reboot-on-panic")
        assert ok and "system option" not in out, out      # compiled, not ignored
        assert (tmp_path / PATH).read_text().splitlines()[1:] == ["kernel.panic = 60"]


def _netns_value(ns: str, key: str) -> str:
    return run("ip", "netns", "exec", ns, "cat", "/proc/sys/" + key.replace(".", "/")).stdout.strip()


def _host_value(key: str) -> str:
    return Path("/proc/sys/" + key.replace(".", "/")).read_text().strip()


def test_a_commit_sets_the_routers_network_keys_and_leaves_the_hosts_alone(tmp_path):
    """Through an exec prefix into a namespace: the net.* keys reach that namespace's kernel,
    kernel.panic (host-wide) is named in a note and not set."""
    require_tool("sysctl")
    with netns("s19v6") as ns:
        _live_root(tmp_path, "ip", "netns", "exec", ns)
        forward, syncookies = _netns_value(ns, "net.ipv4.ip_forward"), _netns_value(ns, "net.ipv4.tcp_syncookies")
        host = (_host_value("net.ipv4.tcp_syncookies"), _host_value("kernel.panic"))
        wanted = "0" if syncookies == "1" else "1"
        with registry.registered(registry.driver("sysctl"), alone=True):
            session = Session(tmp_path)
            session.execute("configure")
            ok, out = commit(session, f"{PARAM} net.ipv4.ip_forward value {'0' if forward == '1' else '1'}",
                             f"{PARAM} net.ipv4.tcp_syncookies value {wanted}",
                             "set system option reboot-on-panic")
        assert ok, out
        assert _netns_value(ns, "net.ipv4.ip_forward") != forward
        assert _netns_value(ns, "net.ipv4.tcp_syncookies") == wanted
        assert "system sysctl: not set on this router's host: kernel.panic" in out
        assert (_host_value("net.ipv4.tcp_syncookies"), _host_value("kernel.panic")) == host


def test_a_value_the_kernel_refuses_is_reported_not_fatal(tmp_path):
    require_tool("sysctl")
    with netns("s19v6") as ns:
        _live_root(tmp_path, "ip", "netns", "exec", ns)
        with registry.registered(registry.driver("sysctl"), alone=True):
            session = Session(tmp_path)
            session.execute("configure")
            ok, out = commit(session, f"{PARAM} net.ipv4.tcp_syncookies value 1",
                             f"{PARAM} net.ipv4.ip_forward value banana")
        assert ok, out
        assert "Warning: system sysctl: the kernel refused a parameter" in out
        assert _netns_value(ns, "net.ipv4.tcp_syncookies") == "1"


def test_the_real_sysctl_p_loads_the_drop_in_in_a_namespace(tmp_path):
    """What the live host runs (``sysctl -e -q -p FILE``), on a file of per-namespace keys."""
    require_tool("sysctl")
    tree = tree_from_commands(f"{PARAM} net.ipv4.conf.all.rp_filter value 2\n"
                              f"{PARAM} net.ipv4.conf.default.rp_filter value 2\n"
                              f"{PARAM} net.ipv4.ip_forward value 1\n"
                              f"{PARAM} net.ipv4.conf.all.log_martians value 1")
    conf = tmp_path / "90.conf"
    conf.write_bytes(registry.driver("sysctl").compile(tree)[PATH])
    with netns("s19v6") as ns:
        before = [_netns_value(ns, k) for k in ("net.ipv4.ip_forward", "net.ipv4.conf.all.rp_filter")]
        assert before != ["1", "2"]
        result = subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-e", "-q", "-p", str(conf)],
                                capture_output=True, text=True, timeout=30)
        assert result.returncode == 0 and result.stderr == "", result.stderr
        for key, value in (("net.ipv4.conf.all.rp_filter", "2"), ("net.ipv4.conf.default.rp_filter", "2"),
                           ("net.ipv4.ip_forward", "1"), ("net.ipv4.conf.all.log_martians", "1")):
            assert _netns_value(ns, key) == value, key
