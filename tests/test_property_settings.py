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
    """So that bench/properties.py --scale reaches it: each function decorated with
    @given(...) also has @examples(...) (or a name bound to examples(...) in its file)
    among its decorators, in any order."""
    import ast

    def called(node: ast.expr) -> str | None:
        target = node.func if isinstance(node, ast.Call) else node
        return target.id if isinstance(target, ast.Name) else None

    offenders = []
    for path in sorted(TESTS.glob("test_*.py")):
        module = ast.parse(path.read_text())
        bound = {t.id for node in module.body if isinstance(node, ast.Assign)
                 and isinstance(node.value, ast.Call) and called(node.value) == "examples"
                 for t in node.targets if isinstance(t, ast.Name)}
        for node in ast.walk(module):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            names = [called(d) for d in node.decorator_list]
            if "given" in names and "examples" not in names and not bound.intersection(names):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
