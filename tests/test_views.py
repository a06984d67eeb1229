"""Issue 9, items 4-6 and the small ones of 9: operational views read the router's own
namespace (also interface-name completion, without an un-awaited coroutine), a sandbox root
says so once and shows the configured view, `interfaces vlan` is named like its link,
`-c configure` is refused, long values are elided in errors."""
from __future__ import annotations

import asyncio
import gc
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from lab import netns, run
from nos_shell import Session
from nos_shell.apply.target import Target
from nos_shell.host.netlink import namespace, namespace_of_prefix

NOTE = "not applied to any system; showing the configured view"


def configured(root: Path, *lines: str) -> Session:
    s = Session(root)
    assert s.run("configure").ok
    for line in lines:
        result = s.run(line)
        assert result.ok, (line, result.output)
    return s


# -- item 5: one naming of links -----------------------------------------------------------
def test_vlan_interfaces_are_named_like_their_links(tmp_path):
    s = configured(tmp_path, "set interfaces ethernet eth0 vif 100 description v100",
                   "set interfaces vlan 200 source-interface eth1",
                   "set interfaces vlan 200 description v200", "set interfaces ethernet eth1", "commit", "exit")
    out = s.execute("show interfaces")
    names = [line.split()[0] for line in out.splitlines()[4:]]
    assert "eth1.200" in names and "eth0.100" in names
    assert "200" not in names
    assert [line for line in out.splitlines() if line.startswith("eth1.200")][0].endswith("v200")


# -- item 6: a sandbox root -----------------------------------------------------------------
def test_sandbox_show_interfaces_is_the_configured_view(tmp_path):
    s = configured(tmp_path, "set interfaces ethernet eth0 address 192.0.2.1/24",
                   "set interfaces ethernet eth0 address 2001:db8::1/64",
                   "set interfaces ethernet eth0 description uplink",
                   "set interfaces ethernet eth3 disable", "commit", "exit")
    out = s.execute("show interfaces")
    assert out.count(NOTE) == 1 and out.startswith(f"sandbox root {tmp_path}: {NOTE}\n")
    lines = out.splitlines()
    assert lines[1].startswith("Codes:")
    assert "eth0             192.0.2.1/24                      u/D  uplink" in lines
    assert "                 2001:db8::1/64" in lines
    assert "eth3             -                                 A/D" in lines
    shown = {line.split()[0] for line in lines[4:] if not line.startswith(" ")}
    assert shown == {"eth0", "eth3", "lo"}          # nothing of the host's own links
    detail = s.execute("show interfaces detail")
    assert detail.count(NOTE) == 1 and "eth0: <UP> mtu 1500 state NOTPRESENT" in detail
    assert "    inet 192.0.2.1/24" in detail and "eth3: <> mtu" in detail


def test_sandbox_show_ip_route_lists_the_configured_routes(tmp_path):
    s = configured(tmp_path, "set interfaces ethernet eth0 address 192.0.2.1/24",
                   "set interfaces ethernet eth1 address 2001:db8:1::1/64",
                   "set protocols static route 0.0.0.0/0 next-hop 192.0.2.254",
                   "set protocols static route 203.0.113.0/24 blackhole distance 5",
                   "set protocols static route 198.51.100.0/24 interface eth0",
                   "set protocols static route6 2001:db8:9::/48 next-hop 2001:db8:1::2", "commit", "exit")
    static = s.execute("show ip route static")
    assert static.count(NOTE) == 1
    assert "S>* 0.0.0.0/0 [1/0] via 192.0.2.254, eth0\n" in static
    assert "S>* 203.0.113.0/24 [1/5] blackhole\n" in static
    assert "S>* 198.51.100.0/24 is directly connected, eth0\n" in static
    assert "C>*" not in static
    assert "C>* 192.0.2.0/24 is directly connected, eth0\n" in s.execute("show ip route")
    v6 = s.execute("show ipv6 route")
    assert "S>* 2001:db8:9::/48 [1/0] via 2001:db8:1::2, eth1\n" in v6
    assert NOTE in s.execute("show arp")


def test_sandbox_commit_says_nothing_was_applied_once(tmp_path):
    s = configured(tmp_path, "set system host-name r1")
    note = f"files written under {tmp_path}; not applied (sandbox)\n"
    assert s.execute("commit") == note
    assert s.execute("commit") == "No configuration changes to commit\n"
    script = tmp_path / "two-commits"
    script.write_text("configure\nset system host-name r2\ncommit\nset system domain-name example.net\n"
                      "commit\nexit\n")
    result = subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(tmp_path), "-f", str(script)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("not applied (sandbox)") == 1


def test_bgp_views_in_a_sandbox_say_how_to_make_the_root_live(tmp_path):
    s = configured(tmp_path, "set protocols bgp system-as 65000", "set protocols bgp parameters router-id 192.0.2.1",
                   "set protocols bgp neighbor 192.0.2.2 remote-as 65001", "commit", "exit")
    for command in ("show ip bgp summary", "show bgp neighbors", "show ip route bgp"):
        result = s.run(command)
        assert not result.ok
        text = result.error.summary
        assert f"sandbox root {tmp_path} is not applied to any system (it has no etc/nos-shell/apply.toml)" in text
        assert f"write {tmp_path}/etc/nos-shell/apply.toml with live = true" in text
        assert 'docs/apply.md, "Making a namespace router live"' in text
    (tmp_path / "etc/nos-shell").mkdir(parents=True, exist_ok=True)
    (tmp_path / "etc/nos-shell/apply.toml").write_text("live = false\n")
    assert "apply.toml sets live = false" in s.run("show ip bgp summary").error.summary


# -- the small ones of item 9 ---------------------------------------------------------------
@pytest.mark.parametrize("line", ["configure", "conf", "configure exclusive"])
def test_dash_c_configure_is_refused(tmp_path, line):
    result = subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(tmp_path), "-c", line],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == ("nos-shell: configure needs an interactive session (nos-shell without -c), "
                             "or a command file: nos-shell -f FILE\n")


def test_a_2000_character_value_is_elided_in_errors(tmp_path):
    value = "x" * 2000
    s = configured(tmp_path)
    for line in (f"set interfaces ethernet eth0 {value}", f"set {value}", f"run show {value}",
                 f"set system host-name {value}", f"run ping {value}"):
        result = s.run(line)
        assert not result.ok
        assert "(2000 characters)" in result.output, line[:30]
        assert all(len(text) < 160 for text in result.output.splitlines()), line[:30]
        assert "x" * 65 not in result.output
    assert "(2000 characters)] is not valid" in s.run(f"set {value}").output    # the bracket stays


def test_question_mark_refusal_is_elided(tmp_path):
    pytest.importorskip("prompt_toolkit")
    from nos_shell.shell.context import analyze
    from nos_shell.shell.help import refusal

    text = refusal(analyze(f"show {'y' * 2000} ", "op", ()))
    assert "(2000 characters)]" in text and len(text) < 160


# -- item 4: one netlink opener, the router's namespace --------------------------------------
def test_the_namespace_an_exec_prefix_enters():
    assert namespace_of_prefix(["ip", "netns", "exec", "r1"]) == "r1"
    assert namespace_of_prefix(["/usr/bin/nsenter", "-t", "4242", "-n", "-m", "-u"]) == "/proc/4242/ns/net"
    assert namespace_of_prefix(["nsenter", "--target=7", "--net"]) == "/proc/7/ns/net"
    assert namespace_of_prefix(["nsenter", "--net=/run/netns/x", "-m"]) == "/run/netns/x"
    assert namespace_of_prefix(["nsenter", "-t", "7", "-m", "-u"]) is None        # no network namespace
    assert namespace_of_prefix(["sudo"]) is None and namespace_of_prefix([]) is None
    root = Path("/r")
    assert namespace(Target(root, netns="given", exec_prefix=("ip", "netns", "exec", "other"))) == "given"
    assert namespace(Target(root, exec_prefix=("ip", "netns", "exec", "other"))) == "other"
    assert namespace(None) is None


def test_a_missing_namespace_is_an_error_not_created(tmp_path):
    pytest.importorskip("pyroute2")
    from nos_shell.host.netlink import read

    name = "nosvw-missing"
    with pytest.raises(FileNotFoundError):
        read(Target(tmp_path, netns=name), lambda nl: nl.get_links())
    assert not os.path.exists(f"/run/netns/{name}")


def test_completion_reads_the_router_namespace_inside_a_running_loop(tmp_path):
    """The shell and the SSH server complete in a thread that runs an event loop: pyroute2
    used to leave an un-awaited coroutine there (a RuntimeWarning on the user's line) and
    fall back to the host's /sys."""
    pytest.importorskip("pyroute2")
    from nos_shell.shell import interfaces

    with netns("nosvw") as ns:
        run("ip", "-n", ns, "link", "add", "vwlink0", "type", "veth", "peer", "name", "vwlink1")
        target = Target(tmp_path, netns=ns)

        async def complete() -> tuple[str, ...]:
            return interfaces.kernel_interfaces(target=target)

        interfaces.forget()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            names = asyncio.run(complete())
            gc.collect()
        interfaces.forget()
    assert names == ("lo", "vwlink0", "vwlink1")
    assert not [w for w in caught if "never awaited" in str(w.message)]


def test_no_warning_on_the_terminal_when_completing_interface_names(tmp_path):
    """The full-screen shell on a pty, `?` after `set interfaces ethernet `: the router
    namespace's links are listed and no Python warning reaches the terminal."""
    pytest.importorskip("prompt_toolkit")
    pytest.importorskip("pyroute2")
    from test_shell_interactive import CONF_PROMPT, OP_PROMPT, Terminal

    root = tmp_path / "root"
    with netns("nosvw") as ns:
        run("ip", "-n", ns, "link", "add", "eth5", "type", "veth", "peer", "name", "eth6")
        (root / "etc/nos-shell").mkdir(parents=True)
        (root / "etc/nos-shell/apply.toml").write_text(f'netns = "{ns}"\n')
        term = Terminal(root)       # Python's default warning filters: RuntimeWarning is shown
        try:
            term.expect(OP_PROMPT)
            term.send("configure\r")
            term.expect(CONF_PROMPT)
            term.send("set interfaces ethernet ?")
            term.expect(rb"Possible completions:")
            term.expect(rb"eth5 +kernel interface\r*\n")
            term.expect(rb"eth6 +kernel interface\r*\n")
            term.expect(CONF_PROMPT)
            term.send("\x15exit\r")
            term.expect(OP_PROMPT)
        finally:
            term.close()
    assert b"Warning" not in term.raw and b"never awaited" not in term.raw


def test_a_long_entered_line_stays_on_the_terminal_elided(tmp_path):
    """The full-screen shell on a pty: a line with a 2,000-character value, once entered,
    stays on the screen as its head and length, above its (elided) error."""
    pytest.importorskip("prompt_toolkit")
    from test_shell_interactive import CONF_PROMPT, CSI, OP_PROMPT, Terminal

    term = Terminal(tmp_path / "root")
    try:
        term.expect(OP_PROMPT)
        term.send("configure\r")
        term.expect(CONF_PROMPT)
        term.send(f"set system host-name {'h' * 2000}\r")
        term.expect(rb"Configuration path: \[system host-name h{64}\.\.\. \(2000 characters\)\] is not valid")
        term.expect(CONF_PROMPT)
    finally:
        term.close()
    screen = CSI.sub(b"", term.raw).replace(b"\r", b"").replace(b"\n", b"").decode()
    entered = screen[:screen.index("Configuration path:")]
    # once entered, the line is redrawn as its head and length
    assert entered.rstrip().endswith("vyos@vyos# set system host-name " + "h" * 79 + "... (2021 characters)")


def test_completion_offers_configured_links_by_their_names(tmp_path, monkeypatch):
    pytest.importorskip("prompt_toolkit")
    from nos_shell.shell import interfaces
    from nos_shell.shell.completer import build_completer, completions
    from nos_shell.shell.state import ShellState

    monkeypatch.setattr(interfaces, "_from_netlink", lambda target=None: [])
    interfaces.forget()
    state = ShellState(configured(tmp_path, "set interfaces ethernet eth0 vif 100",
                                  "set interfaces vlan 200 source-interface eth1"))
    found = {c.text: c.display_meta_text
             for c in completions(build_completer(state), "set protocols static route 192.0.2.0/24 next-hop 192.0.2.1 interface ")}
    interfaces.forget()
    assert {"eth0", "eth0.100", "eth1.200"} <= set(found) and "200" not in found
    assert found["eth1.200"] == "configured interface"
