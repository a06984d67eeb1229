"""Benchmark: user CPU of a full commit of the scale configuration into a fresh root.

    python3 bench/commit_cpu.py [--runs 5] [--file CMDS] [--python PY] [--instructions]

Each run is a fresh process, `nos-shell --root R -f CMDS` into a new scratch root (R is
removed afterwards). Prints the median, minimum and every run's user CPU (the children's
``ru_utime``, steadier than wall time on a shared disk) and the wall time. The command
file defaults to the scale configuration (bench/scale_config.py: 4094 VLANs with
addresses, 1000 static routes, 1000 BGP neighbors). ``--python`` measures another
checkout's interpreter (its venv), for a before/after pair on the same machine state.

``--instructions`` counts the instructions of one more run under valgrind's callgrind
(about 80 times slower): a measure that does not move with the machine's load.
Byte code should be cached (`unset PYTHONDONTWRITEBYTECODE; export PYTHONPYCACHEPREFIX=...`).
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _scale_file(folder: Path) -> Path:
    sys.path.insert(0, str(HERE))
    from scale_config import Scale, command_file, set_lines

    path = folder / "scale.cmds"
    path.write_text(command_file(set_lines(Scale(vlans=4094, routes=1000, neighbors=1000))))
    return path


def one_run(python: str, commands: Path, root: Path, cwd: Path) -> tuple[float, float]:
    """(user CPU, wall seconds) of one commit into the fresh ``root``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    start = time.perf_counter()
    subprocess.run([python, "-m", "nos_shell", "--root", str(root), "-f", str(commands)],
                   cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before, wall


def instructions(python: str, commands: Path, root: Path, cwd: Path) -> int:
    """Instructions of one run, counted by callgrind."""
    out = root.parent / "callgrind.out"
    done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", python, "-m",
                           "nos_shell", "--root", str(root), "-f", str(commands)],
                          cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    found = re.search(r"refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit("callgrind gave no count:\n" + done.stderr[-2000:])
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--file", type=Path, help="command file (default: the scale configuration)")
    parser.add_argument("--python", default=sys.executable, help="interpreter of the checkout to measure")
    parser.add_argument("--instructions", action="store_true", help="also count one run's instructions")
    args = parser.parse_args()
    # (a checkout's venv interpreter runs in that checkout: .../CHECKOUT/.venv/bin/python)
    cwd = Path(os.path.abspath(args.python)).parents[2] if ".venv" in args.python else HERE.parent
    with tempfile.TemporaryDirectory(prefix="nos-cpu-") as scratch:
        folder = Path(scratch)
        commands = args.file or _scale_file(folder)
        users, walls = [], []
        for number in range(args.runs):
            root = folder / f"root{number}"
            user, wall = one_run(args.python, commands, root, cwd)
            shutil.rmtree(root, ignore_errors=True)
            users.append(user)
            walls.append(wall)
        print(f"user CPU: median {statistics.median(users):.3f} s, min {min(users):.3f} s "
              f"({' '.join(f'{u:.2f}' for u in users)}); wall median {statistics.median(walls):.2f} s")
        if args.instructions:
            count = instructions(args.python, commands, folder / "counted", cwd)
            print(f"instructions: {count:,}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set: every run compiled its byte code", file=sys.stderr)


if __name__ == "__main__":
    main()
