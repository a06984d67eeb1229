"""A longer randomised run of the property tests (CI runs them derandomised).

    python3 bench/properties.py [--rounds N] [--scale X] [--only NAME ...] [--nice N] [-- PYTEST-ARGS]

Each round runs the hypothesis tests of tests/ with fresh random examples (profile
`random`, see tests/conftest.py), every test's usual example count multiplied by
``--scale`` (tests/propsettings.py). ``--only diff rebase`` keeps the files whose name
holds one of the words. A failure prints hypothesis' reproduction blob and stops.

Covered (every tests/test_*.py that imports hypothesis): the grammar (test_commands,
test_bootfile, test_bootscan), the tree and its renderers (test_tree, test_properties,
test_snapshot, test_values_walk, test_address_types), the diff (test_diff_properties),
rebase (test_rebase, test_rebase_attacks) and the commit engine (test_engine_properties,
test_incremental, test_concurrency, test_properties' session commit).

Only the property tests run (``-m hypothesis``; a file whose ``@given`` sit inside its
tests, which hypothesis does not mark, runs whole), one pytest per file; after each file it
prints, from hypothesis' statistics, how many examples each property passed and how long
it took, with the wall and CPU time so far. The pytest run is
niced (``--nice``, 10 by default): the machine is shared.

Every property with thousands of examples (docs/benchmarks.md):

    python3 bench/properties.py --rounds 1 --scale 20
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
_GIVEN = re.compile(r"^\s*@given\(", re.M)
_TEST = re.compile(r"^(tests/\S+::\S+):$")
_PHASE = re.compile(r"^\s+- during (\w+) phase \(([\d.]+) seconds\)")
_PASSING = re.compile(r"^\s+- (\d+) passing, (\d+) failing")


def property_tests(only: list[str]) -> list[str]:
    """The test files with property tests (``@given``), optionally those whose name holds
    a word of ``only``."""
    return sorted(str(p.relative_to(HERE)) for p in (HERE / "tests").glob("test_*.py")
                  if _GIVEN.search(p.read_text()) and (not only or any(w in p.name for w in only)))


def statistics(lines: list[str]) -> dict[str, tuple[int, int, float]]:
    """test id -> (passing examples, failing examples, seconds), from pytest's
    ``--hypothesis-show-statistics`` output (summed over hypothesis' phases)."""
    out: dict[str, tuple[int, int, float]] = {}
    test = None
    for line in lines:
        if m := _TEST.match(line):
            test = m[1]
            out[test] = (0, 0, 0.0)
        elif test and (m := _PHASE.match(line)):
            passed, failed, seconds = out[test]
            out[test] = (passed, failed, seconds + float(m[2]))
        elif test and (m := _PASSING.match(line)):
            passed, failed, seconds = out[test]
            out[test] = (passed + int(m[1]), failed + int(m[2]), seconds)
    return out


def run_round(files: list[str], extra: list[str], env: dict[str, str],
              marked: bool = True) -> tuple[int, list[str]]:
    """One pytest run of the property tests (hypothesis marks them) in ``files``; its
    output is shown up to the statistics, which are returned."""
    argv = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
            *(["-m", "hypothesis"] if marked else []), "--hypothesis-show-statistics", *files, *extra]
    proc = subprocess.Popen(argv, cwd=HERE, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines, quiet = [], False
    for line in proc.stdout:  # type: ignore[union-attr]
        lines.append(line.rstrip("\n"))
        quiet = quiet or "Hypothesis Statistics" in line
        if not quiet or line.startswith(("FAILED", "ERROR")) or re.match(r"^\d+ (passed|failed)", line):
            print(line, end="", flush=True)
    return proc.wait(), lines


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every test's example count (20: 150 -> 3000)")
    parser.add_argument("--only", nargs="+", default=[], metavar="NAME")
    parser.add_argument("--nice", type=int, default=10, help="niceness of the test runs (default 10)")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    env = dict(os.environ, NOS_SHELL_HYPOTHESIS_PROFILE="random", NOS_SHELL_EXAMPLES_SCALE=str(args.scale))
    env.pop("CI", None)
    files = property_tests(args.only)
    if not files:
        print("no property test file matches", args.only, file=sys.stderr)
        return 2
    if args.nice:
        os.nice(args.nice)
    print(f"{len(files)} files, examples x{args.scale:g}: {' '.join(files)}", flush=True)
    start, cpu_start = time.monotonic(), cpu()
    for number in range(1, args.rounds + 1):
        for name in files:          # one run per file: its figures show as soon as it is done
            code, lines = run_round([name], args.pytest_args, env)
            if code == 5:           # nothing marked: the file's @given are inside its tests
                code, lines = run_round([name], args.pytest_args, env, marked=False)
            for test, (passed, failed, seconds) in sorted(statistics(lines).items()):
                print(f"  {passed:7d} passing {failed:3d} failing {seconds:8.1f} s  {test}")
            print(f"  ({time.monotonic() - start:.0f} s wall, {cpu() - cpu_start:.0f} s CPU so far)", flush=True)
            if code:
                print(f"round {number}/{args.rounds}: FAILED in {name}")
                return code
        print(f"round {number}/{args.rounds}: ok ({time.monotonic() - start:.0f} s wall, "
              f"{cpu() - cpu_start:.0f} s CPU so far)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
