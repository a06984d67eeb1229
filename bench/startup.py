"""Benchmark: one-shot start-up on a large configuration against an empty root.

    python3 bench/startup.py [--vlans 4094] [--runs 15] [--root DIR]

Builds two roots: an empty one (the default configuration) and a scale one with
``--vlans`` VLAN interfaces (`set interfaces ethernet eth0 vif N address 10.A.B.1/24`,
committed once with `nos-shell --root R -f FILE`). Then it times `nos-shell -c 'show
version'` and `-c 'show configuration commands'` on each as separate processes (wall
time, median and fastest of ``--runs`` rounds after a warm-up round, the cases interleaved
in each round) and prints a table with the ratio of the medians to the empty root. A third
column per command removes the running snapshot before every run, so the configuration is
parsed from its config.boot text as before the snapshot existed.
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
from collections.abc import Callable
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


def timed(runs: int, env: dict[str, str],
          cases: list[tuple[Path, str, Callable[[], object] | None]]) -> list[tuple[float, float]]:
    """(median, fastest) seconds of `-c COMMAND` on ROOT for each (ROOT, COMMAND, BEFORE) case,
    ``runs`` rounds after one warm-up round; each round runs every case once (interleaved,
    so a busy moment of the machine hits all of them alike). BEFORE runs before each run."""
    times: list[list[float]] = [[] for _ in cases]
    for round_ in range(runs + 1):
        for index, (root, command, before) in enumerate(cases):
            if before:
                before()
            seconds = nos(root, env, "-c", command)
            if round_:          # round 0 warms up: byte-code, lark's grammar cache
                times[index].append(seconds)
    return [(statistics.median(t), min(t)) for t in times]


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
            zero, fast, slow = timed(args.runs, env, [(empty, command, None), (scale, command, None),
                                                      (scale, command, lambda: snapshot.unlink(missing_ok=True))])
            print(f"| `-c '{command}'` | {zero[0] * 1000:.0f} ms ({zero[1] * 1000:.0f}) "
                  f"| {cell(fast, zero)} | {cell(slow, zero)} |")

if __name__ == "__main__":
    main()
