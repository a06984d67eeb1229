"""Benchmark: commits of a scale configuration, side by side with `netplan generate`.

    python3 bench/scale.py [--runs N] [--quick] [--json] [--dir DIR] [--no-netplan]

The scale configuration is 4094 `interfaces ethernet eth0 vif N address ...`, 1000 static
routes and 1000 BGP neighbors (bench/scale_config.py). In one run, on one file system
(a temporary directory under --dir, by default the system's temporary directory), every
figure is the median of N separate processes (`nos-shell --root R ...`, wall time; peak
memory from the child's ru_maxrss, bench/measure.py):

- full commit of the scale configuration from a command file (`-f FILE`, a fresh root
  each run) against `netplan generate --root-dir D` of the same 4094 VLANs as netplan
  YAML (runs interleaved, so load hits both alike; `sync` before every timed run, so
  none pays for writing back another's files), and their ratio;
- one-line changes on the committed scale root (`vif 5 description`, `vif 7 mtu`)
  against `-c 'show version'` on an empty root;
- start-up: `-c 'show version'` and `-c 'show configuration commands'` on the scale root
  against an empty root;
- the kernel's floor, interleaved with those two: a bare program that only creates as many
  small files as netplan writes, one after another in one directory (what neither
  program can go below on this file system at that moment; it swings with the disk);
- growth: full commits of 1k/2k/4k/8k VLANs (8k on two parents plus a few on a third,
  since VLAN ids end at 4094), time and peak memory, with netplan beside them;
- peak memory of the scale commit.

Nothing a run writes is deleted before the whole bench ends. On ext4 without a journal
(this development machine's root file system) creating a file costs more for every inode
freed in the last minutes (``recently_deleted`` in fs/ext4/ialloc.c), so deleting each
run's thousands of files made the next runs' creates slow, by up to ten times and never
alike twice (docs/benchmarks.md). A router's journaled ext4 has no such cost, so the
bench measures as on a quiet disk: every root and netplan directory stays until the
scratch directory is removed at the end (some hundred thousand small files, about 1 GB,
for a default run).

Targets are those of issue 11; the table marks which are met. `--quick` uses tiny sizes
(a smoke run: tests/test_bench_scale.py). docs/benchmarks.md records results.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale_config as config  # noqa: E402
import scale_report as report  # noqa: E402
from measure import PROJECT, Figures, Run, child_env, floor, load, netplan_root, nos_shell, run  # noqa: E402

FULL = config.Scale(vlans=4094, routes=1000, neighbors=1000)
GROWTH = (1024, 2048, 4096, 8192)
QUICK = config.Scale(vlans=40, routes=10, neighbors=10)
QUICK_GROWTH = (8, 16)
STARTUP = ("show version", "show configuration commands")


CREATES = """
import os, sys
os.mkdir(sys.argv[1])
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
for number in range(int(sys.argv[2])):
    file = os.open(f"unit-{number}.network", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644, dir_fd=fd)
    os.write(file, b"[Match]\\nName=eth0.%d\\n\\n[Network]\\nAddress=10.0.0.1/24\\n" % number)
    os.close(file)
"""
"""The floor program (argv: directory, count)."""


class Bench:
    """The measurements, in scratch directories under one temporary directory."""

    def __init__(self, scratch: Path, runs: int, netplan: str | None, settle: bool = True) -> None:
        self.scratch = scratch
        self.runs = runs
        self.settle = settle
        self.netplan_cli = netplan
        self.env = child_env(scratch / "pycache")
        self.nos_cli = nos_shell()
        self.count = 0

    def fresh(self, name: str) -> Path:
        """A new, not yet existing directory path."""
        self.count += 1
        return self.scratch / f"{name}-{self.count}"

    def nos(self, root: Path, *args: str) -> Run:
        return run([*self.nos_cli, "--root", str(root), *args], self.env)

    def write(self, name: str, text: str) -> Path:
        path = self.scratch / name
        path.write_text(text)
        return path

    def commit_fresh(self, script: Path) -> tuple[Run, Path]:
        """Commit ``script`` into a new root (kept until the bench ends, as every output)."""
        root = self.fresh("root")
        return self.nos(root, "-f", str(script)), root

    def netplan(self, yaml: Path) -> Run:
        """`netplan generate` of ``yaml`` into a new root directory."""
        assert self.netplan_cli is not None
        root = netplan_root(self.fresh("netplan"), yaml.read_text())
        return run([self.netplan_cli, "generate", "--root-dir", str(root)], self.env)

    def creates(self, count: int) -> Run:
        """The floor: ``count`` plain file creates in a new directory, one thread, no work."""
        return run([sys.executable, "-S", "-c", CREATES, str(self.fresh("floor")), str(count)], self.env)

    def interleaved(self, *steps: Callable[[int], Run]) -> list[Figures]:
        """Each step ``runs`` times, taking turns, so a change of load hits all alike."""
        results: list[list[Run]] = [[] for _ in steps]
        for number in range(self.runs):
            for index, step in enumerate(steps):
                if self.settle:     # no step pays for writing back what an earlier one left dirty
                    os.sync()
                results[index].append(step(number))
        return [Figures(tuple(runs)) for runs in results]

    def warm_up(self, empty: Path) -> None:
        """One untimed run of each program, so byte-code caches exist for the timed ones."""
        small = self.write("warm.cmds", config.command_file(config.set_lines(QUICK)))
        self.commit_fresh(small)
        self.nos(empty, "-c", "show version")
        if self.netplan_cli:
            self.netplan(self.write("warm.yaml", config.netplan_yaml(4)))


def full_commit(bench: Bench, scale: config.Scale) -> tuple[Figures, Figures | None, Figures, Path]:
    """The scale commit, netplan on its VLANs and the floor of as many creates as netplan
    writes; returns the last committed root too."""
    script = bench.write("scale.cmds", config.command_file(config.set_lines(scale)))
    yaml = bench.write("scale.yaml", config.netplan_yaml(scale.vlans))
    roots: list[Path] = []

    def commit(number: int) -> Run:
        measured, root = bench.commit_fresh(script)
        roots.append(root)
        return measured

    floor_step = lambda _: bench.creates(2 * scale.vlans + 1)     # noqa: E731 (.netdev + .network each, eth0)
    if bench.netplan_cli:
        nos, netplan, creates = bench.interleaved(commit, lambda _: bench.netplan(yaml), floor_step)
        return nos, netplan, creates, roots[-1]
    nos, creates = bench.interleaved(commit, floor_step)
    return nos, None, creates, roots[-1]


def one_line(bench: Bench, root: Path, empty: Path) -> tuple[Figures, Figures, Figures]:
    """(`show version` on the empty root, a description change, an MTU change)."""
    def change(line: Callable[[int], str]) -> Callable[[int], Run]:
        def step(number: int) -> Run:      # a new value each run, so each is a change
            script = bench.write("change.cmds", config.command_file([line(number)]))
            return bench.nos(root, "-f", str(script))
        return step

    show, description, mtu = bench.interleaved(
        lambda _: bench.nos(empty, "-c", "show version"),
        change(lambda n: f"set interfaces ethernet eth0 vif 5 description 'bench {n}'"),
        change(lambda n: f"set interfaces ethernet eth0 vif 7 mtu {1400 + n % 100}"))
    return show, description, mtu


def startup(bench: Bench, root: Path, empty: Path) -> dict[str, tuple[Figures, Figures]]:
    """Per command: (empty root, scale root), after one untimed run of each."""
    found = {}
    for command in STARTUP:
        bench.nos(empty, "-c", command)
        bench.nos(root, "-c", command)
        zero, scale = bench.interleaved(lambda _: bench.nos(empty, "-c", command),
                                        lambda _: bench.nos(root, "-c", command))
        found[command] = (zero, scale)
    return found


def growth(bench: Bench, sizes: tuple[int, ...]) -> dict[int, tuple[Figures, Figures | None]]:
    """Per VLAN count: (full commit of only those VLANs, netplan of the same)."""
    found = {}
    for size in sizes:
        script = bench.write(f"growth-{size}.cmds", config.command_file(config.set_lines(config.Scale(size))))
        yaml = bench.write(f"growth-{size}.yaml", config.netplan_yaml(size))
        steps = [lambda _: bench.commit_fresh(script)[0]]
        if bench.netplan_cli:
            steps.append(lambda _: bench.netplan(yaml))
        measured = bench.interleaved(*steps)
        found[size] = (measured[0], measured[1] if bench.netplan_cli else None)
    return found


def measure(scratch: Path, runs: int, quick: bool, netplan: str | None) -> dict[str, object]:
    """Every measurement; the result of :func:`scale_report.rows` plus the conditions."""
    scale, sizes = (QUICK, QUICK_GROWTH) if quick else (FULL, GROWTH)
    bench = Bench(scratch, runs, netplan, settle=not quick)
    empty = bench.fresh("empty")
    conditions = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load_before": load(),
                  "runs": runs, "scale": vars(scale), "growth": list(sizes), "directory": str(scratch),
                  "same_disk_as_project": scratch.stat().st_dev == PROJECT.stat().st_dev,
                  "netplan": netplan or "not used", "nos_shell": " ".join(bench.nos_cli),
                  "memory_floor_mib": round(floor(), 1)}
    bench.warm_up(empty)
    commit, generate, creates, root = full_commit(bench, scale)
    show, description, mtu = one_line(bench, root, empty)
    starts = startup(bench, root, empty)
    grown = growth(bench, sizes)
    conditions["load_after"] = load()
    rows = report.rows(scale, commit, generate, creates, show, description, mtu, starts, grown)
    return {"conditions": conditions, "rows": [vars(row) for row in rows]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median; default 5)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run of every step")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--dir", type=Path, default=None,
                        help="where the temporary directory goes (default: the system's)")
    parser.add_argument("--no-netplan", action="store_true", help="leave netplan out")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    netplan = None if args.no_netplan else shutil.which("netplan")
    with tempfile.TemporaryDirectory(prefix="nos-scale-", dir=args.dir) as scratch:
        result = measure(Path(scratch), args.runs, args.quick, netplan)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(report.table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
