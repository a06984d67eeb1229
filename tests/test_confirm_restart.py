"""commit-confirm across a restart, done as a reboot does it: the timer process is killed
with SIGKILL, then `nos-shell boot` or `nos-shell ssh-server` (real processes) must honour
the pending revert by themselves, without anybody typing a command."""
from __future__ import annotations

import configparser
import contextlib
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from confirm_lab import kill_timers, move_deadline, newest, running, timer_pids, wait_for
from nos_shell.engine import confirm, timer
from nos_shell.session import Session
from lab import terminate
from test_ssh_lab import require


def nos(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=120)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "root"
    yield path
    kill_timers(path)          # a test that fails must not leave a timer behind


def move_ssh_port_unconfirmed(root: Path, old: int, new: int) -> None:
    """Port `old` committed and confirmed; then `commit-confirm` moves SSH to `new` and the
    timer process dies (the machine loses power). Nothing was saved."""
    s = Session(root)
    for line in ("configure", "set service ssh listen-address 127.0.0.1", f"set service ssh port {old}",
                 "commit",
                 "delete service ssh port", f"set service ssh port {new}", "commit-confirm 1440"):
        assert s.run(line).ok, line
    wait_for(lambda: timer_pids(root), 30, "the timer process")
    kill_timers(root)
    assert running(root).values("service", "ssh", "port") == [str(new)]


def ssh_port(root: Path) -> list[str]:
    return running(root).values("service", "ssh", "port")


# -- nos-shell boot ------------------------------------------------------------------------
def test_boot_after_the_deadline_reverts_instead_of_applying_the_unconfirmed_port(root):
    move_ssh_port_unconfirmed(root, 2201, 2202)
    move_deadline(root, -60)                     # the machine stayed down past the deadline
    result = nos(root, "boot")
    assert result.returncode == 0, result.stderr
    assert "not confirmed" in result.stdout
    assert ssh_port(root) == ["2201"]
    revision = newest(root)
    assert revision.via == "commit-confirm" and "not confirmed" in revision.comment
    assert not (root / confirm.PENDING).exists()
    assert not timer_pids(root)


def test_boot_before_the_deadline_rearms_a_timer_that_reverts_by_itself(root):
    move_ssh_port_unconfirmed(root, 2211, 2212)
    result = nos(root, "boot")
    assert result.returncode == 0, result.stderr
    assert "commit-confirm pending" in result.stdout
    assert ssh_port(root) == ["2212"]            # not due yet: the unconfirmed port stays
    wait_for(lambda: timer_pids(root), 30, "a timer process started by boot")
    move_deadline(root, 0)                       # the deadline arrives; nobody types anything
    wait_for(lambda: ssh_port(root) == ["2211"], 60, "the re-armed timer to revert")
    assert newest(root).via == "commit-confirm"
    wait_for(lambda: not timer_pids(root), 30, "the timer to finish")


def test_boot_and_resume_never_start_a_second_timer(root):
    move_ssh_port_unconfirmed(root, 2221, 2222)
    for _ in range(2):
        assert nos(root, "boot").returncode == 0
    confirm.resume(root)
    wait_for(lambda: timer_pids(root), 30, "a timer process")
    assert len(timer_pids(root)) == 1
    assert timer.timer_pid(root) == timer_pids(root)[0]


def test_boot_reports_a_revert_that_fails_and_keeps_it_pending(root):
    s = Session(root)
    for line in ("configure", "set system host-name before", "commit",
                 "set system host-name unconfirmed", "commit-confirm 1440"):
        assert s.run(line).ok, line
    kill_timers(root)
    move_deadline(root, -60)
    # from now on every command run for the target fails: setting the host name back fails
    (root / "etc/nos-shell").mkdir(parents=True, exist_ok=True)
    (root / "etc/nos-shell/apply.toml").write_text(
        'live = true\nexec-prefix = ["false"]\nset-hostname = true\n'
        'skip-reload = ["networkd", "nftables", "bird", "gobgp", "timesyncd"]\n')
    result = nos(root, "boot")
    assert "reverting the unconfirmed commit failed" in result.stdout + result.stderr
    assert (root / confirm.PENDING).exists()
    assert running(root).value("system", "host-name") == "unconfirmed"
    wait_for(lambda: timer_pids(root), 30, "a timer process that retries")


# -- nos-shell ssh-server ------------------------------------------------------------------
@contextlib.contextmanager
def ssh_server(root: Path) -> Iterator[Path]:
    """`nos-shell ssh-server --listen 127.0.0.1`, following `service ssh port`."""
    require("asyncssh")
    log = root.parent / "ssh-server.log"
    with open(log, "wb") as handle:
        process = subprocess.Popen([sys.executable, "-m", "nos_shell", "--root", str(root), "ssh-server",
                                    "--listen", "127.0.0.1"],
                                   stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "listening on" in log.read_text() or process.poll() is not None, 60,
                 "the SSH server to listen")
        assert process.poll() is None, log.read_text()
        yield log
    finally:
        terminate(process)


def listening(log: Path) -> list[int]:
    return [int(p) for p in re.findall(r"listening on 127\.0\.0\.1:(\d+)", log.read_text())]


def test_ssh_server_start_after_the_deadline_reverts_before_listening(root):
    old, new = free_port(), free_port()
    move_ssh_port_unconfirmed(root, old, new)
    move_deadline(root, -60)
    with ssh_server(root) as log:
        assert listening(log) == [old]           # never on the unconfirmed port
        assert ssh_port(root) == [str(old)]
        assert "not confirmed" in newest(root).comment
        assert "not confirmed" in log.read_text()
        with socket.create_connection(("127.0.0.1", old), timeout=10) as sock:
            assert sock.recv(64).startswith(b"SSH-2.0-")


def test_ssh_server_start_before_the_deadline_rearms_the_timer(root):
    old, new = free_port(), free_port()
    move_ssh_port_unconfirmed(root, old, new)
    with ssh_server(root) as log:
        assert listening(log) == [new]
        wait_for(lambda: timer_pids(root), 30, "a timer process started by ssh-server")
        move_deadline(root, 0)
        wait_for(lambda: old in listening(log), 60, "the server to move back to the old port")
        assert ssh_port(root) == [str(old)]


# -- the shipped units -------------------------------------------------------------------
def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str              # type: ignore[assignment,method-assign]
    parser.read(Path(confirm.__file__).parents[1] / "data" / name)
    return parser


def test_ssh_unit_starts_after_the_boot_unit():
    ssh = unit("nos-shell-ssh.service")["Unit"]
    assert "nos-shell-boot.service" in ssh["After"].split()
    assert "nos-shell-boot.service" in ssh["Wants"].split()
    # and the boot unit does not wait for the SSH server (no ordering cycle)
    assert "nos-shell-ssh.service" not in unit("nos-shell-boot.service")["Unit"].get("After", "")
