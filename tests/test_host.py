"""The host layer (issue 10): one netlink opener on the target's namespace, one runner of
programs in the router's context, one atomic writer."""
from __future__ import annotations

import ast
import os
import stat
import sys
import time
from pathlib import Path

import pytest

from lab import netns, run
from nos_shell import Session
from nos_shell.apply.target import Target
from nos_shell.fsutil import TEMP_NAME, atomic_write_held
from nos_shell.heldfile import read_held
from nos_shell.host.run import command_line, spawn
from nos_shell.host.run import run as run_in_router

PROJECT = Path(__file__).resolve().parent.parent


def kernel_offers(session: Session, line: str) -> set[str]:
    """What Tab offers after ``line`` as a kernel interface (the completer's source)."""
    pytest.importorskip("prompt_toolkit")
    from nos_shell.shell.completer import build_completer, completions
    from nos_shell.shell.state import ShellState

    state = ShellState(session)
    assert state.run("configure").ok
    return {c.text for c in completions(build_completer(state), line)
            if c.display_meta_text == "kernel interface"}


@pytest.mark.parametrize("settings", ['netns = "{ns}"\n', 'exec-prefix = ["ip", "netns", "exec", "{ns}"]\n'])
def test_completion_and_show_interfaces_read_the_namespace_the_target_names(tmp_path, settings):
    """Was (issue 10): completion opened a plain IPRoute(), so in a lab Tab offered this
    machine's interfaces while `show interfaces` read the router's namespace. Both now open
    their handle through nos_shell/host/netlink.py: Tab offers the namespace's links, never
    the host's, and they are the links `show interfaces` lists."""
    pytest.importorskip("pyroute2")
    from nos_shell.shell import interfaces

    host = {name for name in os.listdir("/sys/class/net") if name.startswith("eth")}
    with netns("nsh-d-") as ns:
        run("ip", "-n", ns, "link", "add", "eth47", "type", "veth", "peer", "name", "eth48")
        root = tmp_path / "root"
        (root / "etc/nos-shell").mkdir(parents=True)
        (root / "etc/nos-shell/apply.toml").write_text(settings.format(ns=ns))
        interfaces.forget()
        try:
            offered = kernel_offers(Session(root, user="vyos"), "set interfaces ethernet ")
        finally:
            interfaces.forget()
        shown = Session(root, user="vyos").run("show interfaces")
    assert offered == {"eth47", "eth48"}
    assert not (host - {"eth47", "eth48"}) & offered
    assert shown.ok, shown.output
    listed = {line.split()[0] for line in shown.output.splitlines() if line.startswith("eth")}
    assert listed == offered


def test_the_runner_puts_the_exec_prefix_before_every_program(tmp_path):
    """run (waits) and spawn (streams, daemons) build one command line: the target's exec
    prefix, then the program; a target of None runs it as it is."""
    target = Target(tmp_path, exec_prefix=("env", "NSH_D_MARK=router"))
    assert command_line(target, ["ping", "-c", "1"]) == ["env", "NSH_D_MARK=router", "ping", "-c", "1"]
    assert command_line(None, ("ping",)) == ["ping"]
    probe = ["sh", "-c", "echo ${NSH_D_MARK:-host}"]
    assert run_in_router(target, probe).stdout == "router\n"
    assert run_in_router(None, probe).stdout == "host\n"
    import subprocess

    proc = spawn(target, probe, stdout=subprocess.PIPE, process_group=0)
    out, _ = proc.communicate(timeout=10)
    assert out == b"router\n" and proc.returncode == 0


def test_streamed_programs_run_through_the_exec_prefix(tmp_path):
    """`ping` and friends (streams.program) start through the same runner, with the
    session's target (loaded once, Session.target): the prefix comes first."""
    from nos_shell.streams import program

    root = tmp_path / "root"
    (root / "etc/nos-shell").mkdir(parents=True)
    (root / "etc/nos-shell/apply.toml").write_text('exec-prefix = ["env", "NSH_D_MARK=router"]\n')
    session = Session(root, user="vyos")
    assert program(session, ["sh", "-c", "echo ${NSH_D_MARK:-host}"]).collect() == "router\n"


def test_the_daemon_helper_writes_its_pid_file_atomically(tmp_path):
    """live/daemon.py starts the program through the runner (a session of its own) and
    writes the pid file with the one atomic writer: whole, mode 0644, no temp file left."""
    from nos_shell.live.daemon import start

    pidfile, log = tmp_path / "run/x.pid", tmp_path / "log/x.log"
    pid = start([sys.executable, "-c", "print('up', flush=True); import time; time.sleep(30)"], pidfile, log)
    try:
        assert pidfile.read_text() == f"{pid}\n"
        assert stat.S_IMODE(pidfile.stat().st_mode) == 0o644
        assert not [n for n in os.listdir(pidfile.parent) if TEMP_NAME.fullmatch(n)]
        assert os.getsid(pid) == pid            # detached: its own session
        deadline = time.monotonic() + 10
        while b"up" not in log.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert log.read_bytes() == b"up\n"
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)


def test_a_held_entry_is_written_whole_and_lives_while_its_file_is_open(tmp_path):
    """atomic_write_held (logins.py's writer): the entry appears whole under its lock;
    once its owner closes it, a reader removes it."""
    path = tmp_path / "logins/1-ab.json"
    handle = atomic_write_held(path, b'{"user": "alice"}')
    try:
        assert read_held(path) == {"user": "alice"}
        assert os.listdir(path.parent) == ["1-ab.json"]
    finally:
        handle.close()
    assert read_held(path) is None and not path.exists()


def test_pyroute2_is_imported_only_by_the_netlink_opener():
    """Every netlink handle comes from nos_shell/host/netlink.py (so every reader honours
    the target's namespace)."""
    found = []
    for folder in ("nos_shell", "backends"):
        for path in (PROJECT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                if any(n.split(".")[0] == "pyroute2" for n in names):
                    found.append(path.relative_to(PROJECT).as_posix())
    assert sorted(set(found)) == ["nos_shell/host/netlink.py"]
