"""``--shuffle SEED`` (tests/conftest.py) really reorders: the same seed gives the same
order, another seed another one, and no test is lost or doubled; without it, file order."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
FILES = ["tests/test_value_class.py", "tests/test_check_stage.py", "tests/test_shuffle_option.py"]


def collected(*options: str) -> list[str]:
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", *options, *FILES],
                          cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return [line for line in done.stdout.splitlines() if "::" in line]


def test_a_seed_fixes_a_shuffled_order_of_the_same_tests():
    plain = collected()
    assert [n.split("::")[0] for n in plain] == sorted((n.split("::")[0] for n in plain), key=FILES.index)
    first, again, other = collected("--shuffle", "1"), collected("--shuffle", "1"), collected("--shuffle", "2")
    assert first == again
    assert sorted(first) == sorted(other) == sorted(plain) and len(set(plain)) == len(plain)
    assert len({tuple(plain), tuple(first), tuple(other)}) == 3
    # each module's tests stay together (module-scoped fixtures are set up once)
    modules = [n.split("::")[0] for n in first]
    assert sum(1 for a, b in zip(modules, modules[1:]) if a != b) == len(FILES) - 1
