"""Network namespaces of a lab and the processes in them: made, entered, emptied, removed.

Every program is started from an argv list (never a shell). A node that needs its own
``/etc/systemd/network`` and host name gets an *anchor*: ``ip netns exec NS unshare --uts``
running :mod:`nos_shell.lab.anchor`, which bind-mounts the node's directories in the
private mount namespace ``ip netns exec`` gives it, writes its pid and becomes ``sleep
infinity``. ``nsenter -t ANCHOR -n -m -u`` then runs programs in that node.
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from .state import LabError

T = TypeVar("T")


def run(*argv: str, check: bool = True, timeout: float = 60,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a program (argv, no shell), capturing text; LabError when it fails and ``check``."""
    try:
        result = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout,
                                stdin=subprocess.DEVNULL, env=env)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise LabError(f"{argv[0]}: {err}") from None
    if check and result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise LabError(f"{' '.join(argv)} failed: {detail}")
    return result


def wait_for(what: str, check: Callable[[], T | None], timeout: float = 10.0, interval: float = 0.03) -> T:
    """Poll ``check`` (every ``interval`` s) until it returns something true; LabError naming
    ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise LabError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


def add(netns: str) -> None:
    """A new network namespace with its loopback up."""
    run("ip", "netns", "add", netns)
    run("ip", "-n", netns, "link", "set", "lo", "up")


def exists(netns: str) -> bool:
    return Path("/run/netns", netns).exists()


def pids(netns: str) -> list[int]:
    """The processes in ``netns`` (none when it does not exist)."""
    if not exists(netns):
        return []
    out = run("ip", "netns", "pids", netns, check=False).stdout
    return [int(word) for word in out.split() if word.isdigit()]


def alive(pid: int) -> bool:
    """The process runs (a zombie does not count)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return False


def in_netns(pid: int, netns: str) -> bool:
    """The process runs in ``netns`` (a recorded pid may since have been reused)."""
    try:
        return os.stat(f"/proc/{pid}/ns/net").st_ino == os.stat(Path("/run/netns", netns)).st_ino
    except OSError:
        return False


def kill(pid_list: Sequence[int]) -> None:
    """SIGKILL each process and wait (briefly) until none runs."""
    for pid in pid_list:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in pid_list) and time.monotonic() < deadline:
        time.sleep(0.02)


def remove(netns: str) -> None:
    """Kill every process in ``netns`` (again, until none is left) and delete it."""
    for _ in range(5):
        found = pids(netns)
        if not found:
            break
        kill(found)
    if exists(netns):
        run("ip", "netns", "del", netns, check=False)


def anchor_argv(netns: str, pidfile: Path, mounts: Sequence[tuple[Path, str]]) -> list[str]:
    """The command line of a node's anchor (see module docstring)."""
    argv = ["ip", "netns", "exec", netns, "unshare", "--uts",
            sys.executable, "-m", "nos_shell.lab.anchor", "--pidfile", str(pidfile)]
    for source, target in mounts:
        argv += ["--bind", str(source), target]
    return argv


def start_anchor(netns: str, directory: Path, mounts: Sequence[tuple[Path, str]]) -> int:
    """Start a node's anchor and wait until its mounts are made; its pid."""
    pidfile = directory / "anchor.pid"
    with open(directory / "anchor.log", "wb") as log:
        proc = subprocess.Popen(anchor_argv(netns, pidfile, mounts), stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)

    def ready() -> int | None:
        if proc.poll() is not None:
            text = (directory / "anchor.log").read_text(errors="replace").strip()
            raise LabError(f"the namespace anchor of {netns} failed: {text}")
        with contextlib.suppress(OSError, ValueError):
            return int(pidfile.read_text())
        return None

    return wait_for(f"the namespace anchor of {netns}", ready, 10)


def detach(argv: Sequence[str], log: Path, env: dict[str, str] | None = None) -> int:
    """Start a program in a session of its own, output to ``log``; its pid (not waited for:
    the lab's processes are found again by ``ip netns pids``)."""
    with open(log, "ab") as out:
        proc = subprocess.Popen(list(argv), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, env=env)
    return proc.pid
