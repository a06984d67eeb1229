"""A longer randomised run of the property tests (CI runs them derandomised).

    python3 bench/properties.py [--rounds N] [-- PYTEST-ARGS]

Each round runs every hypothesis test of tests/ with fresh random examples (profile
`random`, see tests/conftest.py); a failure prints hypothesis' reproduction blob and stops.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def property_tests() -> list[str]:
    return sorted(str(p.relative_to(HERE)) for p in (HERE / "tests").glob("test_*.py")
                  if "from hypothesis" in p.read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    env = dict(os.environ, NOS_SHELL_HYPOTHESIS_PROFILE="random")
    env.pop("CI", None)
    files = property_tests()
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
