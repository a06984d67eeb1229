"""CI is no lottery: every hypothesis test runs derandomised under CI=true (the profile
tests/conftest.py loads) and takes its settings from tests/propsettings.py, so that no
test sets a seed or randomness of its own and bench/properties.py can scale them all."""
from __future__ import annotations

import os
import re
from pathlib import Path

from hypothesis import settings

from propsettings import examples

TESTS = Path(__file__).resolve().parent
# what would make a test random under CI, or fix its example count past the bench's reach
_OWN = re.compile(r"derandomize\s*=|@seed\(|\bsettings\(\s*max_examples|@settings\(")


def test_the_ci_profile_is_derandomised():
    if os.environ.get("NOS_SHELL_HYPOTHESIS_PROFILE"):
        return                                    # a bench run chose its profile itself
    assert settings.default.derandomize == (os.environ.get("CI") == "true")
    assert examples(10).derandomize == settings.default.derandomize


def test_no_property_test_sets_its_own_randomness_or_example_count():
    offenders = [f"{path.name}:{number}" for path in sorted(TESTS.glob("test_*.py"))
                 if path.name != Path(__file__).name
                 for number, line in enumerate(path.read_text().splitlines(), 1) if _OWN.search(line)]
    assert offenders == []


def test_the_example_count_scales_for_bench_runs(monkeypatch):
    monkeypatch.setenv("NOS_SHELL_EXAMPLES_SCALE", "20")
    assert examples(150).max_examples == 3000
    monkeypatch.setenv("NOS_SHELL_EXAMPLES_SCALE", "not a number")
    assert examples(150).max_examples == 150


def test_every_property_takes_its_example_count_from_propsettings():
    """So that bench/properties.py --scale reaches it: each @given has an @examples(...)
    (or a name bound to examples(...) in its file) among the decorators around it."""
    offenders = []
    for path in sorted(TESTS.glob("test_*.py")):
        lines = path.read_text().splitlines()
        names = {m[1] for line in lines if (m := re.match(r"^(\w+) = examples\(", line))}
        for number, line in enumerate(lines):
            if not line.lstrip().startswith("@given("):
                continue
            above, n = [], number - 1
            while n >= 0 and lines[n].lstrip().startswith("@"):
                above.append(lines[n].strip())
                n -= 1
            n = number + 1
            while n < len(lines) and lines[n].lstrip().startswith("@"):
                above.append(lines[n].strip())
                n += 1
            if not any(d.startswith("@examples(") or d.lstrip("@") in names for d in above):
                offenders.append(f"{path.name}:{number + 1}")
    assert offenders == []
