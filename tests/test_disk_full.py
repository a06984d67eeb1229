"""A full disk during a commit (attack on issue 8's journal): the commit fails with one
clear message, nothing is half-applied, no journal or temporary file stays, and once space
is free the next commit works. A 1 MiB tmpfs is mounted as the root (needs root; under
CI=true its absence fails), filled to leave a few KiB at each step of the sweep; real
`nos-shell -f` processes."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from lab import missing, require_tool, run

BASE = "configure\nset interfaces ethernet eth0 address 192.0.2.1/24\ncommit\nexit\n"
BIG = "\n".join(["configure",
                 *(f"set interfaces ethernet eth{n} address 198.51.100.{n}/24" for n in range(1, 40)),
                 "set system host-name full", "commit", "exit"]) + "\n"


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Path]:
    if os.geteuid() != 0:
        missing("mounting a tmpfs needs root")
    require_tool("mount")
    mount = tmp_path / "disk"
    mount.mkdir()
    run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount))
    try:
        yield mount
    finally:
        run("umount", str(mount), check=False)


def nos(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=120, input=stdin)


def fill(disk: Path, keep_kib: int) -> Path:
    """Leave ``keep_kib`` KiB free on ``disk``."""
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    filler = disk / "filler"
    with open(filler, "wb") as out:
        with contextlib.suppress(OSError):
            out.write(b"\0" * max(free - keep_kib * 1024, 0))
    return filler


def temp_files(root: Path) -> list[str]:
    return [str(p) for p in root.rglob("*.tmp")]


@pytest.mark.parametrize("keep_kib", [0, 4, 8, 12, 24])
def test_a_full_disk_fails_the_commit_cleanly(small_disk, tmp_path, keep_kib):
    """Before the fix: `configure` and edits were `Internal error: OSError` and left a
    temporary file in sessions/; with a little more space the roll-back itself failed
    writing the manifest, the message was `c2: No space left on device: ` and the journal
    stayed behind."""
    root = small_disk / "root"
    (tmp_path / "base").write_text(BASE)
    (tmp_path / "big").write_text(BIG)
    assert nos(root, "-f", str(tmp_path / "base")).returncode == 0
    network = root / "etc/systemd/network"
    before = {p.name: p.read_bytes() for p in network.iterdir()}
    filler = fill(small_disk, keep_kib)
    result = nos(root, "-f", str(tmp_path / "big"))
    assert result.returncode == 1
    message = result.stderr.strip().splitlines()[-1]
    assert "Internal error" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert message.startswith(f"{tmp_path / 'big'}") and "No space left on device" in message, message
    assert "Commit failed" in message or "Cannot register the session" in message, message
    # nothing half-done: the archive, the generated files, no journal, no temp file
    assert len(list((root / "var/lib/nos-shell/archive").iterdir())) == 2
    assert {p.name: p.read_bytes() for p in network.iterdir()} == before
    assert not (root / "var/lib/nos-shell/journal.json").exists()
    assert temp_files(root) == []
    filler.unlink()
    again = nos(root, "-f", str(tmp_path / "big"))
    assert again.returncode == 0, again.stderr
    assert len(list(network.iterdir())) == 41 and temp_files(root) == []
