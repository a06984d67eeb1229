"""A lab node's anchor: ``python -m nos_shell.lab.anchor --pidfile P [--bind SRC DST]...``.

Run by ``ip netns exec NS unshare --uts`` (so in the node's network namespace, a private
mount namespace and a private UTS namespace): bind-mounts each SRC over DST there, makes
/sys read-only (else systemd-networkd waits for udev), writes its pid to P and becomes
``sleep infinity`` in place, holding the namespaces for ``nsenter -t PID``. Every mount is
made by ``mount`` from an argv list; nothing reaches a shell.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nos_shell.lab.anchor")
    parser.add_argument("--pidfile", required=True)
    parser.add_argument("--bind", nargs=2, action="append", default=[], metavar=("SOURCE", "TARGET"))
    args = parser.parse_args(argv)
    steps = [["mount", "--make-rslave", "/"]]
    steps += [["mount", "--bind", source, target] for source, target in args.bind]
    steps.append(["mount", "-o", "remount,ro", "/sys"])
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            print(f"{' '.join(step)}: {result.stderr.strip()}", file=sys.stderr)
            return 1
    temp = f"{args.pidfile}.tmp"
    with open(temp, "w") as out:
        out.write(f"{os.getpid()}\n")
    os.replace(temp, args.pidfile)
    os.execvp("sleep", ["sleep", "infinity"])
    return 1        # not reached


if __name__ == "__main__":
    sys.exit(main())
