"""Benchmark: ``apply()`` of a one-line change on the scale configuration, in-process.

    python3 bench/apply_one.py [--runs N] [--line WORDS] [--dir DIR] [--profile FILE] [--code CODE]

The scale configuration (bench/scale_config.py: 4094 VLANs, 1000 static routes, 1000 BGP
neighbors) is applied once into a fresh sandbox root under DIR (the first commit's full
compile), then once more with a change (so the manifest vouches for every file, as after
any commit). Each run then applies a new value of one line (default: `interfaces ethernet
eth0 vif 5 description`) over the previous tree and times ``apply()`` alone, as a new
process would run it: the manifest is not remembered (``manifest.forget``) and each tree's
shared model is built inside the run ("cold") or before it, as verify leaves it ("warm").
The table gives the median and the minimum of each, in milliseconds of wall and of this
process's CPU time. ``--code`` measures another version's source tree (e.g. ``git archive
main``) instead of this one. docs/benchmarks.md records results.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE / "bench"))


def scale_tree():
    """The scale configuration as a tree."""
    from nos_shell.api import tree_from_commands
    from scale_config import Scale, set_lines

    return tree_from_commands("\n".join(set_lines(Scale(vlans=4094, routes=1000, neighbors=1000))) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--line", default="interfaces ethernet eth0 vif 5 description")
    parser.add_argument("--dir", default=None)
    parser.add_argument("--profile", default=None, help="write a cProfile of the cold runs here")
    parser.add_argument("--code", type=Path, default=HERE, help="the source tree to measure")
    args = parser.parse_args()
    from write_path import use_code

    use_code(args.code.resolve())

    from nos_shell.apply import apply, load_target
    from nos_shell.apply import manifest
    from nos_shell.config.tree import ConfigTree
    from nos_shell.models import shared

    words = args.line.split()
    with tempfile.TemporaryDirectory(prefix="nos-apply-one-", dir=args.dir) as scratch:
        target = load_target(Path(scratch))
        old = scale_tree()
        apply(target, ConfigTree(), old)
        gc.freeze()                  # as the shell does between commands: collections skip the tree
        time.sleep(0.05)             # past the manifest's clock tick: its records vouch
        results: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": []}
        profiler = cProfile.Profile() if args.profile else None
        for run in range(-1, 2 * args.runs):
            new = old.copy()
            new.set([*words, f"v{run + 2}"] if words[-1] != "mtu" else [*words, str(1300 + run + 2)])
            manifest.forget()
            kind = "warm" if run % 2 else "cold"
            with shared.sharing():
                if kind == "warm":
                    for tree in (old, new):
                        shared.of(tree).unique
                wall, cpu = time.perf_counter(), time.process_time()
                if profiler is not None and kind == "cold" and run >= 0:
                    profiler.enable()
                apply(target, old, new)
                if profiler is not None:
                    profiler.disable()
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if run >= 0:             # the first run warms the manifest's stats
                results[kind].append((wall, cpu))
            old = new
            time.sleep(0.01)
        if profiler is not None:
            profiler.dump_stats(args.profile)
    print(f"apply() of `{args.line} ...` on the scale root, {args.runs} runs each (ms)")
    print(f"{'models':8} {'wall median':>12} {'wall min':>9} {'cpu median':>11} {'cpu min':>8}")
    for kind, rows in results.items():
        walls, cpus = [w * 1000 for w, _ in rows], [c * 1000 for _, c in rows]
        print(f"{kind:8} {statistics.median(walls):12.1f} {min(walls):9.1f} "
              f"{statistics.median(cpus):11.1f} {min(cpus):8.1f}")


if __name__ == "__main__":
    main()
