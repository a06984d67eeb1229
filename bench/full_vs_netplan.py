"""Benchmark: the full commit of the scale configuration against `netplan generate`, with no
file deleted while they run.

    python3 bench/full_vs_netplan.py [--runs 5] [--dir DIR] [--json] [--quick]

bench/scale.py removes each run's output right after it, as a user's disk sees files come
and go. On ext4 without a journal (this development machine's) that makes the next run's
file creation slow: the inode allocator passes over every inode freed in the last minute
(five while its inode table block is dirty: ``recently_deleted`` in fs/ext4/ialloc.c), one
buffer lookup each, so creating 8,189 files takes 0.2 to 4 s depending on what was deleted
just before (docs/benchmarks.md). A journaled ext4, the usual root file system, never does
that scan. This bench keeps every output until the end, so both programs create their files
as on a quiet disk: the figures that carry to a router, and the ones that show what each
program's own work costs (user CPU) beside the kernel's (system CPU).

Runs are interleaved (nos-shell, then netplan, ``runs`` times), each after a ``sync``; the
medians of wall time, user and system CPU are printed with their ratio. Needs netplan
(``run-tests`` installs netplan.io when run as root). ``--quick``: 8 VLANs, a smoke run
(tests/test_bench_scale.py).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale_config as config  # noqa: E402
from measure import Run, child_env, load, netplan_root, nos_shell, run  # noqa: E402

SCALE = config.Scale(vlans=4094, routes=1000, neighbors=1000)
QUICK = config.Scale(vlans=8, routes=2, neighbors=2)


def measure(scratch: Path, runs: int, scale: config.Scale = SCALE) -> dict[str, object]:
    """Interleaved runs into fresh directories under ``scratch`` (removed only at the end)."""
    netplan = shutil.which("netplan")
    if netplan is None:
        raise SystemExit("netplan is not installed (run-tests installs netplan.io as root)")
    env = child_env(scratch / "pycache")
    script = scratch / "scale.cmds"
    script.write_text(config.command_file(config.set_lines(scale)))
    yaml = config.netplan_yaml(scale.vlans)
    nos = nos_shell()
    run([*nos, "--root", str(scratch / "warm"), "-c", "show version"], env)     # byte code cached
    found: dict[str, list[Run]] = {"nos-shell": [], "netplan": []}
    for number in range(runs):
        os.sync()
        found["nos-shell"].append(run([*nos, "--root", str(scratch / f"root-{number}"), "-f", str(script)], env))
        os.sync()
        root = netplan_root(scratch / f"netplan-{number}", yaml)
        found["netplan"].append(run([netplan, "generate", "--root-dir", str(root)], env))
    figures = {name: {"wall_s": statistics.median(r.seconds for r in rs),
                      "user_s": statistics.median(r.user_seconds for r in rs),
                      "system_s": statistics.median(r.cpu_seconds - r.user_seconds for r in rs),
                      "walls": [round(r.seconds, 3) for r in rs]}
               for name, rs in found.items()}
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load": load(), "runs": runs,
            "figures": figures, "ratio": figures["nos-shell"]["wall_s"] / figures["netplan"]["wall_s"]}


def report(result: dict) -> str:
    lines = [f"{result['date']}, medians of {result['runs']} interleaved runs, nothing deleted meanwhile "
             f"(load {result['load']})", "",
             "| program | wall | user CPU | system CPU | every run |", "| --- | --- | --- | --- | --- |"]
    for name, f in result["figures"].items():
        lines.append(f"| {name} | {f['wall_s']:.2f} s | {f['user_s']:.2f} s | {f['system_s']:.2f} s | "
                     f"{' '.join(f'{w:.2f}' for w in f['walls'])} |")
    lines.append(f"| ratio (wall medians) | {result['ratio']:.2f} | | | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, help="where the scratch directory goes (default: the system's)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true", help="8 VLANs: a smoke run")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="nos-quiet-", dir=args.dir))
    try:
        result = measure(scratch, args.runs, QUICK if args.quick else SCALE)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(json.dumps(result, indent=1) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
