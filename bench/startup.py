"""Benchmark: one-shot start-up on a large configuration against an empty root.

    python3 bench/startup.py [--vlans 4094] [--runs 15] [--root DIR]

Builds two roots: an empty one (the default configuration) and a scale one with
``--vlans`` VLAN interfaces (`set interfaces ethernet eth0 vif N address 10.A.B.1/24`,
committed once with `nos-shell --root R -f FILE`). Then it times `nos-shell -c 'show
version'` and `-c 'show configuration commands'` on each as separate processes (wall
time, median of ``--runs`` after one warm-up run) and prints a table with the ratio to the
empty root. A third row per command removes the running snapshot before every run, so
the configuration is parsed from its config.boot text as before the snapshot existed.
Byte-code is cached (in a temporary PYTHONPYCACHEPREFIX), as on an installed system.
docs/benchmarks.md records results.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = ("show version", "show configuration commands")
SNAPSHOT = Path("var/lib/nos-shell/running.snapshot")


def scale_lines(vlans: int) -> str:
    """A command file committing ``vlans`` VLAN interfaces with one private address each."""
    lines = ["configure"]
    lines += [f"set interfaces ethernet eth0 vif {n} address 10.{n // 256}.{n % 256}.1/24"
              for n in range(1, vlans + 1)]
    return "\n".join(lines + ["commit", "exit"]) + "\n"


def nos(root: Path, env: dict[str, str], *args: str) -> float:
    """Seconds one `nos-shell --root ROOT ARGS` process takes (it must succeed)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), *args], env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def timed(runs: int, root: Path, env: dict[str, str], command: str, before=None) -> tuple[float, float]:
    """(median, fastest) seconds of ``runs`` runs of `-c COMMAND` after one warm-up run;
    ``before`` runs before each timed one."""
    nos(root, env, "-c", command)          # warm-up: byte-code, lark's grammar cache
    times = []
    for _ in range(runs):
        if before:
            before()
        times.append(nos(root, env, "-c", command))
    return statistics.median(times), min(times)


def cell(figures: tuple[float, float], zero: tuple[float, float]) -> str:
    """`median ms (fastest) | ratio of the medians`."""
    return f"{figures[0] * 1000:.0f} ms ({figures[1] * 1000:.0f}) | {figures[0] / zero[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vlans", type=int, default=4094)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--root", type=Path, default=None,
                        help="keep the two roots here (reused when they exist)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nos-startup-") as scratch:
        base = args.root or Path(scratch)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "pycache")
        empty, scale = base / "empty", base / f"scale-{args.vlans}"
        if not (scale / SNAPSHOT).exists():
            script = Path(scratch) / "scale.cmds"
            script.write_text(scale_lines(args.vlans))
            print(f"committing {args.vlans} VLANs: {nos(scale, env, '-f', str(script)):.1f} s")
        snapshot = scale / SNAPSHOT
        print(f"median of {args.runs} runs (fastest in brackets); ratio: to the empty root")
        print(f"| command | empty root | {args.vlans} VLANs | ratio | {args.vlans} VLANs, text parse | ratio |")
        print("| --- | --- | --- | --- | --- | --- |")
        for command in COMMANDS:
            zero = timed(args.runs, empty, env, command)
            fast = timed(args.runs, scale, env, command)
            slow = timed(args.runs, scale, env, command, before=lambda: snapshot.unlink(missing_ok=True))
            print(f"| `-c '{command}'` | {zero[0] * 1000:.0f} ms ({zero[1] * 1000:.0f}) "
                  f"| {cell(fast, zero)} | {cell(slow, zero)} |")


if __name__ == "__main__":
    main()
