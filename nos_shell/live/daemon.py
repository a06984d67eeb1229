"""Start a program detached: ``python -m nos_shell.live.daemon --pidfile P --log L -- PROG ARGS``.

The program runs in a new session (no controlling terminal, its own process group, so a
shell's or test runner's group signals do not reach it), with stdin from /dev/null and
stdout/stderr appended to the log file (started by the one runner, nos_shell/host/run.py); its
pid is written to the pid file by the one atomic writer (nos_shell/fsutil.py).
This process exits as soon as the program has been started: exit status 0, or 127 with
the reason on stderr when the program cannot be executed. Nothing here waits for the
program to become ready; the caller checks that in its own terms (an API answering).

Used by the apply layer through ``Context.run`` (which waits for its command to finish and
captures its output), so daemons that stay in the foreground, like gobgpd, can be started
in the router's context through the exec prefix.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from ..fsutil import atomic_write
from ..host.run import spawn


def start(argv: list[str], pidfile: Path, log: Path) -> int:
    """Start ``argv`` detached; returns its pid (raises OSError when it cannot run)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab", buffering=0) as out:
        # this helper already runs in the router's context: the program is started as it is
        proc = spawn(None, argv, stdout=out, stderr=subprocess.STDOUT, new_session=True, cwd="/")
    atomic_write(pidfile, f"{proc.pid}\n".encode())
    return proc.pid


def main(args: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nos_shell.live.daemon", description=__doc__.splitlines()[0])
    parser.add_argument("--pidfile", required=True, type=Path)
    parser.add_argument("--log", required=True, type=Path)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    opts = parser.parse_args(args)
    command = opts.command[1:] if opts.command[:1] == ["--"] else opts.command
    if not command:
        parser.error("no program given")
    try:
        pid = start(command, opts.pidfile, opts.log)
    except OSError as exc:
        print(f"cannot start {command[0]}: {exc}", file=sys.stderr)
        return 127
    print(pid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
