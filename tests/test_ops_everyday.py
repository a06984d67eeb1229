"""The everyday operational commands outside a router: sandbox answers, `show users`,
`generate ssh server-key`, the kernel-wide system views, grammar and help."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nos_shell.commands import next_keywords, parse
from nos_shell.errors import NosError
from nos_shell.session import Session


@pytest.fixture
def s(tmp_path):
    return Session(tmp_path)


@pytest.mark.parametrize("line", [
    "show interfaces counters", "show interfaces ethernet", "clear interfaces counters", "monitor interfaces",
    "monitor traffic interface eth0", "show log", "show log tail 5", "monitor log", "show dhcp server leases",
    "show dhcp client leases", "show nat source translations", "show conntrack table ipv4",
    "show system storage", "show ntp", "restart networkd", "restart ssh",
])
def test_a_sandbox_root_says_it_has_no_router(s, line):
    with pytest.raises(NosError, match=r"is a sandbox root \(not live\): it has no .* to (show|restart): Make it live"):
        s.execute(line)


def test_nat_rules_in_a_sandbox_come_from_the_config_without_counters(s):
    s.execute("configure")
    for line in ("set interfaces ethernet eth0", "set nat destination rule 10 inbound-interface name eth0",
                 "set nat destination rule 10 protocol tcp", "set nat destination rule 10 destination port 8080",
                 "set nat destination rule 10 translation address 192.0.2.10",
                 "set nat destination rule 10 translation port 80", "commit"):
        s.execute(line)
    out = s.execute("run show nat destination rules")
    assert out.splitlines()[0] == "Counters: none (sandbox root: nothing is applied)"
    assert out.splitlines()[1].split() == ["Rule", "Source", "Destination", "Proto", "In-Int", "Translation",
                                           "Packets", "Bytes"]
    assert out.splitlines()[3].split() == ["10", "0.0.0.0/0", "0.0.0.0/0", "tcp", "eth0", "192.0.2.10",
                                           "port", "80", "-", "-"]
    assert out.splitlines()[4].split() == ["sport", "any", "dport", "8080"]
    assert s.execute("run show nat source rules") == "No source NAT rules are configured\n"


# -- show users -------------------------------------------------------------------------------------

_HOLD = """
import sys, time
from nos_shell.logins import Login
held = Login.enter(sys.argv[1], "alice", "ssh", "pty", "198.51.100.7")
print("in", flush=True)
time.sleep(60)
"""


def test_show_users_lists_live_sessions_and_forgets_dead_ones(s, tmp_path):
    from nos_shell.logins import Login

    assert s.execute("show users") == "No users are logged in to nos-shell\n"
    mine = Login.enter(tmp_path, "bob", "cli", "/dev/pts/3")
    other = subprocess.Popen([sys.executable, "-c", _HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline() == "in\n"
        out = s.execute("show users")
        assert out.splitlines()[0].split() == ["User", "Via", "TTY", "From", "Login", "time", "PID"]
        table = {line.split()[0]: line.split() for line in out.splitlines()[2:]}
        assert table["bob"][1:4] == ["cli", "/dev/pts/3", "-"] and table["bob"][-1] == str(os.getpid())
        assert table["alice"][1:4] == ["ssh", "pty", "198.51.100.7"] and table["alice"][-1] == str(other.pid)
    finally:
        other.kill()
        other.wait()
    out = s.execute("show users")          # the killed process's entry is gone (its lock went with it)
    assert "alice" not in out and "bob" in out
    assert len(os.listdir(tmp_path / "var/lib/nos-shell/logins")) == 1
    mine.leave()
    assert s.execute("show users") == "No users are logged in to nos-shell\n"


# -- generate ssh server-key ---------------------------------------------------------------------------

def test_generate_ssh_server_key_replaces_the_key_the_server_loads(s, tmp_path):
    import asyncssh

    from nos_shell.shell.hostkey import host_key_path, load_host_key

    path = host_key_path(tmp_path)
    old = load_host_key(path)
    out = s.execute("generate ssh server-key")
    new = load_host_key(path)
    assert new.get_fingerprint() != old.get_fingerprint()
    assert path.stat().st_mode & 0o777 == 0o600
    assert asyncssh.import_public_key(path.with_name(path.name + ".pub").read_bytes()).get_fingerprint() \
        == new.get_fingerprint()
    assert f"ssh-ed25519 {new.get_fingerprint('sha256')}" in out
    assert "after a restart ('restart ssh')" in out


# -- kernel-wide system views -----------------------------------------------------------------------

def test_uptime_memory_cpu_and_date_read_the_kernel(s):
    uptime = s.execute("show system uptime")
    assert re.fullmatch(r"Uptime: (\d+d )?(\d+h )?(\d+m )?\d+s\n\nLoad averages:\n1  minute:   [\d.]+%\n"
                        r"5  minutes:  [\d.]+%\n15 minutes:  [\d.]+%\n", uptime)
    total_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    memory = s.execute("show system memory")
    value, unit = re.match(r"Total: ([\d.]+) (GB|MB)\n", memory).groups()
    assert abs(float(value) * (1024 if unit == "GB" else 1) - total_kib / 1024) / (total_kib / 1024) < 0.01
    assert f"CPU(s):            {os.cpu_count()}\n" in s.execute("show system cpu")
    shown = time.strptime(s.execute("show date").strip()[:-4], "%a %d %b %Y %H:%M:%S")
    assert shown.tm_year == time.localtime().tm_year


@pytest.mark.parametrize("line, what", [("restart ssh", "restart services"),
                                        ("generate ssh server-key", "generate keys"),
                                        ("clear interfaces counters", "clear counters")])
def test_operators_may_look_but_not_change(tmp_path, line, what):
    from nos_shell.shell.hostkey import host_key_path

    operator = Session(tmp_path, user="olga", via="ssh", level="operator")
    with pytest.raises(NosError, match=f"Permission denied: operator-level users cannot {what}"):
        operator.execute(line)
    assert not host_key_path(tmp_path).exists()
    assert operator.execute("show date")


STUB_JOURNAL = """\
import signal, sys, time
if "--follow" not in sys.argv:          # the probe: a journal exists, nothing to print
    sys.exit(0)
signal.signal(signal.SIGINT, lambda *_: sys.exit(130))
number = 0
while True:
    number += 1
    print(f"2026-12-01T12:00:00+0000 r1 systemd-networkd[7]: stub entry {number}", flush=True)
    time.sleep(0.1)
"""


def stub_journal(root: Path) -> str:
    """Make ROOT's router context a journalctl that writes an entry every 0.1 s until
    interrupted (the exec prefix runs it instead of journalctl); its path, to find it."""
    stub = root / "stub-journalctl.py"
    settings = root / "etc/nos-shell/apply.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    stub.write_text(STUB_JOURNAL)
    settings.write_text(f'exec-prefix = ["{sys.executable}", "{stub}"]\n')
    return str(stub)


def last_entry(text: str) -> int:
    return max(int(n) for n in re.findall(r"stub entry (\d+)(?=\D)", text))


def test_monitor_log_streams_and_cancel_stops_it(tmp_path):
    """The first entries arrive while journalctl still runs; a cancel from another thread
    (what Ctrl-C does) ends the stream and the program, long before its 1000 lines."""
    import threading

    from test_streams import processes_with

    stub = stub_journal(tmp_path)
    stream = Session(tmp_path).execute("monitor log count 1000", stream=True)
    assert not isinstance(stream, str)
    with stream:
        seen = ""
        while "stub entry 3\n" not in seen:
            seen += next(stream)
        assert processes_with(stub)                      # output came before the command's end
        canceller = threading.Thread(target=stream.cancel)
        canceller.start()
        canceller.join()
        rest = "".join(stream)
    assert stream.cancelled and not processes_with(stub)
    assert last_entry(seen + rest) < 1000 and "Traceback" not in rest


def test_monitor_log_keeps_its_bounds_when_collected(tmp_path, monkeypatch):
    from nos_shell.ops import log as ops_log
    from test_streams import processes_with

    stub = stub_journal(tmp_path)
    s = Session(tmp_path)
    out = s.execute("monitor log count 3")                # collected: one string, exactly N lines
    assert out == "".join(f"2026-12-01T12:00:00+0000 r1 systemd-networkd[7]: stub entry {n}\n"
                          for n in (1, 2, 3))
    assert not processes_with(stub)                       # stopped and reaped at the count
    monkeypatch.setattr(ops_log, "MONITOR_SECONDS", 0.5)
    result = s.run("monitor log count 1000")               # the time bound ends it quietly
    assert result.ok and 1 <= last_entry(result.output) < 1000, result.output
    with pytest.raises(NosError, match="Count must be between 1 and 10000"):
        s.execute("monitor log count 0")


def test_restart_names_only_known_services(s):
    with pytest.raises(NosError, match="Invalid command: restart \\[apache\\]"):
        s.execute("restart apache")


def test_restart_command_of_a_target(tmp_path):
    from nos_shell.apply.target import load_target

    settings = tmp_path / "etc/nos-shell/apply.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('live = true\nnetworkd-restart = ["nd-restart"]\nrestart = { ntp = ["ntp-restart", "now"] }\n')
    target = load_target(tmp_path)
    assert target.restart_command("ntp", "systemd-timesyncd.service") == ["ntp-restart", "now"]
    assert target.restart_command("networkd", "systemd-networkd.service") == ["nd-restart"]
    assert target.restart_command("ssh", "nos-shell-ssh.service") == ["systemctl", "restart", "nos-shell-ssh.service"]
    settings.write_text('restart = { apache = ["x"] }\n')
    with pytest.raises(NosError, match="'restart' maps networkd, bgp, ntp or ssh to a command"):
        load_target(tmp_path)


# -- grammar, help, streams ---------------------------------------------------------------------------

def _walk(prefix: str, depth: int):
    keywords, _, _ = next_keywords(prefix, "op")
    for word in keywords:
        if word == "|":
            continue
        yield prefix.split(), word
        if depth:
            yield from _walk(f"{prefix}{word} ", depth - 1)


def test_every_new_keyword_has_help():
    from nos_shell.shell.words import keyword_help

    new = {"clear", "monitor", "restart", "generate", "counters", "ethernet", "bridge", "leases", "nat",
           "conntrack", "translations", "rules", "uptime", "storage", "users", "ntp", "date", "log", "tail",
           "traffic", "interface", "server-key", "all", "brief"}
    seen = set()
    for before, word in _walk("", 3):
        if word in new:
            seen.add(word)
            assert keyword_help(word, "op", before[-1] if before else None), (before, word)
    assert seen == new


def test_long_commands_parse_their_bounds():
    assert parse("monitor traffic interface eth0 count 5 filter 'tcp port 22'", "op").opts == \
        {"count": 5, "filter": "tcp port 22"}
    assert parse("sh int eth eth0 co", "op").opts == {"type": "ethernet", "view": "counters"}


def test_help_offers_configured_interfaces_of_the_type(s):
    from nos_shell.shell.help import possible_completions
    from nos_shell.shell.state import ShellState

    s.execute("configure")
    for line in ("set interfaces ethernet eth0 address 192.0.2.1/24", "set interfaces ethernet eth1",
                 "set interfaces bridge br0", "commit", "exit"):
        s.execute(line)
    state = ShellState(s)
    ethernet = possible_completions(state, "show interfaces ethernet ")
    assert "  <name>    Interface name\n" in ethernet and "  eth1      ethernet interface\n" in ethernet
    assert "br0" not in ethernet
    assert "  br0     bridge interface\n" in possible_completions(state, "monitor traffic interface ")
    assert "eth0" not in possible_completions(state, "clear interfaces bridge ")


def test_command_reference_lists_every_operational_command():
    from nos_shell.docgen import reference
    from nos_shell.ops.docgen import command_lines
    from nos_shell.ops.registry import table

    text = reference()
    for syntax in ("`show interfaces counters`", "`monitor traffic interface <word> [count <N> \\| filter <word> ...]`",
                   "`show nat source\\|destination rules`", "`restart networkd\\|bgp\\|ntp\\|ssh`",
                   "`show log [tail [<N>]]`", "`ping <word> [count <N> \\| source-address <word> \\| interval <word> ...]`"):
        assert syntax in text
    assert all(command.help for command in table().values())
    assert len({line for line, _ in command_lines()}) == len(command_lines())


def test_monitor_traffic_says_when_tcpdump_is_missing(tmp_path):
    """A router context whose PATH has no tcpdump (an exec prefix that empties PATH)."""
    settings = tmp_path / "etc/nos-shell/apply.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('live = true\nexec-prefix = ["env", "PATH=/nonexistent"]\n')
    with pytest.raises(NosError, match="tcpdump is not installed in the router's context"):
        Session(tmp_path).execute("monitor traffic interface eth0 count 1")


def test_link_types_follow_config_then_kernel_kind_then_name():
    """Kinds this kernel cannot create (vlan, bond, wireguard, dummy) are classified the same way."""
    from nos_shell.config.tree import ConfigTree
    from nos_shell.ops.counters import LinkState, configured_types, link_type

    tree = ConfigTree()
    for words in (["interfaces", "ethernet", "eth1", "vif", "100"], ["interfaces", "vlan", "200", "source-interface",
                  "eth1"], ["interfaces", "bonding", "bond0"]):
        tree.set(words)
    config = configured_types(tree)
    assert config == {"eth1": "ethernet", "eth1.100": "ethernet", "eth1.200": "vlan", "bond0": "bonding"}

    def kind_of(name: str, kind: str | None, flags: int = 0) -> str | None:
        return link_type(LinkState(name, 1, kind, flags, "UP", 1500, ""), config)

    assert kind_of("eth1.100", "vlan") == "ethernet"           # a vif is its parent's type
    assert kind_of("eth1.200", "vlan") == "vlan"
    assert kind_of("eth1.300", "vlan") == "ethernet"           # a vif the config does not name yet
    assert kind_of("uplink.5", "vlan") == "vlan"
    assert kind_of("bond0", "bond") == "bonding" and kind_of("wg0", "wireguard") == "wireguard"
    assert kind_of("peth0", "macvlan") == "pseudo-ethernet" and kind_of("dum0", "dummy") == "dummy"
    assert kind_of("eth3", "veth") == "ethernet" and kind_of("veth9", "veth") is None
    assert kind_of("lo", None, 0x8) == "loopback"
