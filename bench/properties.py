"""A longer randomised run of the property tests (CI runs them derandomised).

    python3 bench/properties.py [--rounds N] [--scale X] [--only NAME ...] [-- PYTEST-ARGS]

Each round runs the hypothesis tests of tests/ with fresh random examples (profile
`random`, see tests/conftest.py), every test's usual example count multiplied by
``--scale`` (tests/propsettings.py). ``--only diff rebase`` keeps the files whose name
holds one of the words. A failure prints hypothesis' reproduction blob and stops.

The diff and rebase properties with thousands of examples each (docs/benchmarks.md):

    python3 bench/properties.py --rounds 1 --scale 20 --only diff rebase
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def property_tests(only: list[str]) -> list[str]:
    """The test files that use hypothesis, optionally those whose name holds a word of ``only``."""
    return sorted(str(p.relative_to(HERE)) for p in (HERE / "tests").glob("test_*.py")
                  if "from hypothesis" in p.read_text() and (not only or any(w in p.name for w in only)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every test's example count (20: 150 -> 3000)")
    parser.add_argument("--only", nargs="+", default=[], metavar="NAME")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    env = dict(os.environ, NOS_SHELL_HYPOTHESIS_PROFILE="random", NOS_SHELL_EXAMPLES_SCALE=str(args.scale))
    env.pop("CI", None)
    files = property_tests(args.only)
    if not files:
        print("no property test file matches", args.only, file=sys.stderr)
        return 2
    print(f"{len(files)} files, examples x{args.scale:g}: {' '.join(files)}", flush=True)
    start = time.monotonic()
    for number in range(1, args.rounds + 1):
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                                 *files, *args.pytest_args], cwd=HERE, env=env)
        print(f"round {number}/{args.rounds}: {'ok' if result.returncode == 0 else 'FAILED'} "
              f"({time.monotonic() - start:.0f} s so far)", flush=True)
        if result.returncode:
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
