"""`system syslog` (VyOS 1.4 paths) through the rsyslog driver: rsyslog's own check accepts
what the compiler writes (and refuses a broken file, so the check can fail), verify refuses a
remote host with nothing to send, a commit on a live root runs the check, and a message
logged on a router namespace reaches a UDP listener in another namespace through rsyslogd
running the generated drop-in.

The drop-in's exact text is the golden case tests/golden/syslog."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path, PurePosixPath

import pytest

from lab import require_tool, run
from netlab import linked_pair
from nos_shell.api import tree_from_commands
from nos_shell.backends import registry
from nos_shell.backends.rsyslog.compiler import PATH
from nos_shell.session import Session

GOLDEN = Path(__file__).parent / "golden" / "syslog"


def _check(conf: Path) -> subprocess.CompletedProcess:
    """The driver's own check command on ``conf``."""
    argv = registry.driver("syslog").checks({PATH: conf})
    assert [a[:2] for a in argv] == [["rsyslogd", "-N1"]]
    return subprocess.run(argv[0], capture_output=True, text=True, timeout=30)


def test_rsyslog_accepts_the_golden_drop_in():
    require_tool("rsyslogd")
    result = _check(GOLDEN / "expected" / PATH)
    assert result.returncode == 0, result.stderr


def test_rsyslog_check_refuses_a_broken_file(tmp_path):
    require_tool("rsyslogd")
    broken = tmp_path / "broken.conf"
    broken.write_text("auth.loud @192.0.2.1:514\n")
    assert _check(broken).returncode != 0


def test_every_facility_and_level_word_is_one_rsyslog_knows(tmp_path):
    require_tool("rsyslogd")
    from nos_shell.schema.sysopts import FACILITIES, LEVELS
    lines = [f"set system syslog host 192.0.2.{1 + n} facility {f} level {LEVELS[n % len(LEVELS)]}"
             for n, f in enumerate(FACILITIES)]
    conf = tmp_path / "all.conf"
    conf.write_bytes(registry.driver("syslog").compile(tree_from_commands("\n".join(lines)))[PATH])
    assert len(conf.read_text().splitlines()) == 1 + len(FACILITIES)
    result = _check(conf)
    assert result.returncode == 0, result.stderr


def test_a_host_without_a_facility_is_refused():
    tree = tree_from_commands("set system syslog host 192.0.2.1 port 514")
    problems = registry.driver("syslog").verify(tree)
    assert [(p.path, p.message) for p in problems] == [
        (("system", "syslog", "host", "192.0.2.1"),
         'Syslog host "192.0.2.1" needs a facility (set system syslog host 192.0.2.1 facility all level info)')]


def test_no_syslog_no_file():
    assert registry.driver("syslog").compile(tree_from_commands("set system host-name r1")) == {}


def test_a_commit_on_a_live_root_runs_rsyslogs_check(tmp_path):
    require_tool("rsyslogd")
    (tmp_path / "etc/nos-shell").mkdir(parents=True)
    (tmp_path / "etc/nos-shell/apply.toml").write_text("live = true\n")
    with registry.registered(registry.driver("syslog"), alone=True):   # nothing else runs here
        session = Session(tmp_path)
        session.execute("configure")
        for line in ("set system syslog host 2001:db8::1 facility daemon level warning",
                     "set system syslog host 2001:db8::1 protocol tcp"):
            assert session.run(line).ok
        result = session.run("commit")
    assert result.ok, result.output
    assert (tmp_path / PATH).read_text().splitlines()[1:] == ["daemon.warning @@[2001:db8::1]:514"]


def _main_conf(work: Path, drop_in: Path) -> Path:
    """A whole rsyslog configuration for the lab: a local socket as input, the drop-in."""
    main = work / "rsyslog.conf"
    main.write_text(f'global(workDirectory="{work}")\n'
                    'module(load="imuxsock" SysSock.Use="off")\n'
                    f'input(type="imuxsock" Socket="{work / "log.sock"}" CreatePath="on")\n'
                    f'include(file="{drop_in}")\n')
    return main


def test_a_message_on_the_router_reaches_a_remote_udp_listener(tmp_path):
    require_tool("rsyslogd")
    require_tool("logger")
    tree = tree_from_commands("set system syslog host 198.51.100.2 port 5514\n"
                              "set system syslog host 198.51.100.2 facility local3 level info")
    drop_in = tmp_path / "00-nos-shell.conf"
    drop_in.write_bytes(registry.driver("syslog").compile(tree)[PATH])
    main = _main_conf(tmp_path, drop_in)
    marker = f"s19v6-{time.monotonic_ns()}"
    listen = ("import socket,sys; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); "
              "s.bind(('198.51.100.2',5514)); s.settimeout(20); print('ready',flush=True); "
              "print(s.recvfrom(4096)[0].decode(errors='replace'),flush=True)")
    with linked_pair("s19v6r", "s19v6h", "198.51.100.1/24", "198.51.100.2/24") as (router, far):
        listener = subprocess.Popen(["ip", "netns", "exec", far, "python3", "-c", listen],
                                    stdout=subprocess.PIPE, text=True)
        daemon = subprocess.Popen(["ip", "netns", "exec", router, "rsyslogd", "-n", "-f", str(main),
                                   "-i", str(tmp_path / "rsyslogd.pid")],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert listener.stdout is not None and listener.stdout.readline().strip() == "ready"
            sock = tmp_path / "log.sock"
            for _ in range(100):                     # rsyslogd creates its socket when it is up
                if sock.exists():
                    break
                time.sleep(0.1)
            run("ip", "netns", "exec", router, "logger", "-u", str(sock), "-p", "local4.err", "not-forwarded")  # first: the listener keeps only the first datagram
            run("ip", "netns", "exec", router, "logger", "-u", str(sock), "-p", "local3.notice", marker)
            out, _ = listener.communicate(timeout=30)
        finally:
            for proc in (listener, daemon):
                proc.kill()
                proc.wait(timeout=10)
    assert marker in out and "not-forwarded" not in out, out
    assert out.startswith("<157>"), out           # local3 (19) * 8 + notice (5)
