"""(Re)start a lab node's own systemd-networkd: ``python -m nos_shell.lab.netd --dir D [--bus]``.

Run inside the node (a router's ``networkd-restart`` command in its apply.toml, through the
exec prefix; ``lab up`` for a DHCP host): stops the networkd whose pid is in ``D/networkd.pid``,
starts a new one in a session of its own with its log appended to ``D/networkd.log``, and
waits until it is up: on the node's private D-Bus with ``--bus``, else until its log says it
has enumerated the links. Exit status 1 with the log's tail when it does not come up.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

LOG_ENV = {"SYSTEMD_LOG_TARGET": "console", "SYSTEMD_LOG_LEVEL": "info", "SYSTEMD_LOG_COLOR": "0"}
PING = ["busctl", "call", "org.freedesktop.network1", "/org/freedesktop/network1",
        "org.freedesktop.DBus.Peer", "Ping"]


def networkd_path() -> str | None:
    """Where systemd-networkd is installed (it is not on PATH on most systems)."""
    for path in ("/lib/systemd/systemd-networkd", "/usr/lib/systemd/systemd-networkd"):
        if os.path.exists(path):
            return path
    return shutil.which("systemd-networkd")


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return False


def stop(pidfile: Path) -> None:
    """SIGTERM the networkd of ``pidfile``; SIGKILL when it has not ended within 5 s."""
    with contextlib.suppress(OSError, ValueError):
        pid = int(pidfile.read_text())
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        while _running(pid):
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)


def up(log: Path, offset: int, bus: bool) -> bool:
    if bus:
        return subprocess.run(PING, capture_output=True, stdin=subprocess.DEVNULL).returncode == 0
    with open(log, "rb") as text:
        text.seek(offset)
        return b"Enumeration completed" in text.read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nos_shell.lab.netd")
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--bus", action="store_true")
    args = parser.parse_args(argv)
    networkd = networkd_path()
    if networkd is None:
        print("systemd-networkd is not installed", file=sys.stderr)
        return 1
    pidfile, log = args.dir / "networkd.pid", args.dir / "networkd.log"
    stop(pidfile)
    with open(log, "ab") as out:
        offset = out.tell()
        proc = subprocess.Popen([networkd], stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, env={**os.environ, **LOG_ENV})
    temp = pidfile.with_suffix(".tmp")
    temp.write_text(f"{proc.pid}\n")
    os.replace(temp, pidfile)
    deadline = time.monotonic() + 10
    while not up(log, offset, args.bus):
        if proc.poll() is not None or time.monotonic() > deadline:
            tail = log.read_text(errors="replace").splitlines()[-5:]
            print("systemd-networkd did not come up; log:", *tail, sep="\n", file=sys.stderr)
            return 1
        time.sleep(0.02)
    return 0


if __name__ == "__main__":
    sys.exit(main())
