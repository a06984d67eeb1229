"""Golden tests: every tests/golden/CASE/commands compiles byte for byte to CASE/expected/.

A case holds:

- ``commands``: `set ...` lines (``#`` comments allowed);
- ``expected/<path relative to the root>``: the files it must generate;
- ``modes`` (optional): ``PATH MODE OWNER:GROUP`` for generated files whose mode is not
  0644 root:root (WireGuard keys). Absent means every compared file is 0644 root:root.

All registered backends compile every case, and a case compares exactly the files of the
backends that generated at least one of its expected paths (all of such a backend's files,
missing and extra ones included). Every expected file must be generated. So a BGP case can
list only etc/bird/bird.conf and is not disturbed by etc/hostname, while a networkd case
that misses one .network file fails.

Regenerate with ``NOS_GOLDEN_UPDATE=1 pytest tests/test_golden.py`` (a new case with no
expected/ directory gets every backend's files) and review the diff before committing.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.backends.contract import HEADER, file_mode
from nos_shell.backends.registry import driver, names

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("NOS_GOLDEN_UPDATE") == "1"


def case_dirs() -> list[Path]:
    return sorted(p for p in GOLDEN.iterdir() if (p / "commands").is_file())


def expected_files(case: Path) -> dict[str, bytes]:
    root = case / "expected"
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def expected_modes(case: Path) -> dict[str, str]:
    """Relative path -> 'MODE OWNER:GROUP' from the case's modes file."""
    path = case / "modes"
    if not path.is_file():
        return {}
    out = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            rel, rest = line.split(None, 1)
            out[rel] = rest.strip()
    return out


def mode_text(data: bytes) -> str:
    mode, owner, group = file_mode(data)
    return f"{mode:04o} {owner}:{group}"


@dataclass
class Result:
    compared: dict[str, bytes]                 # the in-scope backends' files
    by_backend: dict[str, dict[str, bytes]]    # every backend's files
    problems: list


def run_case(case: Path, expected: dict[str, bytes] | None = None) -> Result:
    tree = tree_from_commands((case / "commands").read_text())
    expected = expected_files(case) if expected is None else expected
    by_backend = {name: {str(PurePosixPath(p)): d for p, d in driver(name).compile(tree).items()}
                  for name in names()}
    scope = [name for name, files in by_backend.items() if not expected or set(files) & set(expected)]
    compared: dict[str, bytes] = {}
    for name in scope:
        for path, data in by_backend[name].items():
            assert path not in compared, f"two backends generate {path}"
            compared[path] = data
    problems = sorted(p for name in scope for p in driver(name).verify(tree))
    return Result(compared, by_backend, problems)


def _write(case: Path, files: dict[str, bytes]) -> None:
    root = case / "expected"
    for rel, data in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(bytes(data))
    for path in sorted(root.rglob("*"), reverse=True):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and rel not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    modes = [f"{rel} {mode_text(d)}" for rel, d in sorted(files.items()) if file_mode(d) != (0o644, "root", "root")]
    if modes:
        (case / "modes").write_text("\n".join(modes) + "\n")
    elif (case / "modes").exists():
        (case / "modes").unlink()


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_golden(case: Path) -> None:
    result = run_case(case)
    assert not result.problems, "verify refused the case:\n" + "\n".join(p.render() for p in result.problems)
    if UPDATE:
        _write(case, result.compared)
    expected = expected_files(case)
    missing = sorted(set(expected) - set(result.compared))
    extra = sorted(set(result.compared) - set(expected))
    assert not missing, f"expected but not generated: {missing}"
    assert not extra, f"generated but not expected: {extra} (NOS_GOLDEN_UPDATE=1 rewrites, then review)"
    for rel, data in sorted(result.compared.items()):
        if data != expected[rel]:
            diff = "".join(difflib.unified_diff(expected[rel].decode().splitlines(True), data.decode().splitlines(True),
                                                f"expected/{rel}", f"generated/{rel}"))
            pytest.fail(f"{rel} differs (NOS_GOLDEN_UPDATE=1 rewrites, then review):\n{diff}")
    modes = expected_modes(case)
    for rel, data in sorted(result.compared.items()):
        assert mode_text(data) == modes.get(rel, "0644 root:root"), f"mode of {rel}"


NO_COMMENTS = {"etc/timezone": "the zone name alone: readers take its first line as the name"}
"""Generated files whose format has no comment, so no header (with the reason)."""


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_deterministic_with_header(case: Path) -> None:
    """Same tree, same bytes; every file starts with the one-line generated-file header."""
    first = run_case(case).by_backend
    assert run_case(case).by_backend == first
    for name, files in first.items():
        for rel, data in files.items():
            if rel in NO_COMMENTS:
                continue
            head = data.split(b"\n", 1)[0].decode()
            assert HEADER in head and head.lstrip().startswith(("#", "//", ";")), f"{name}: {rel} header: {head!r}"


def test_every_backend_has_a_case() -> None:
    covered = set()
    for case in case_dirs():
        expected = expected_files(case)
        covered |= {n for n, files in run_case(case, expected).by_backend.items() if set(files) & set(expected)}
    assert covered >= {"networkd", "nftables", "system"}, covered


if __name__ == "__main__":   # pragma: no cover
    raise SystemExit(pytest.main([__file__, *os.sys.argv[1:]]))
