"""The built package works outside the checkout: grammar as package data, backends as nos_shell.backends."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                             "-q", "-w", str(out), str(ROOT)], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stderr}")
    return next(out.glob("nos_shell-*.whl"))


def test_wheel_contents(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "nos_shell/grammar/commands.lark" in names
    assert "nos_shell/grammar/config.lark" in names
    assert "nos_shell/backends/__init__.py" in names
    assert not any(name.startswith(("backends/", "grammar/", "tests/")) for name in names)
    assert any(name.endswith("entry_points.txt") for name in names)


def test_every_source_module_is_in_the_wheel(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = {f"nos_shell/{p.relative_to(ROOT / 'nos_shell').as_posix()}" for p in (ROOT / "nos_shell").rglob("*.py")}
    sources |= {f"nos_shell/backends/{p.relative_to(ROOT / 'backends').as_posix()}"
                for p in (ROOT / "backends").rglob("*.py")}
    assert sources - names == set()


def test_unpacked_wheel_runs_outside_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import nos_shell, nos_shell.backends; "
            "assert nos_shell.__file__.startswith(sys.argv[1]), nos_shell.__file__; "
            "from nos_shell.cli import main; sys.exit(main(['--root', sys.argv[2], '-c', "
            "'show configuration commands']))")
    result = subprocess.run([sys.executable, "-I", "-c", code, str(site), str(tmp_path / "root")],
                            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "set system host-name 'vyos'" in result.stdout
