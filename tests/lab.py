"""Test helpers for real components: tool lookup and throwaway network namespaces.

Under CI=true a missing real component fails the test; elsewhere it is skipped with the reason.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def missing(reason: str) -> None:
    """Fail under CI, skip elsewhere."""
    if IN_CI:
        pytest.fail(f"required component missing under CI: {reason}")
    pytest.skip(reason)


def require_tool(name: str) -> str:
    path = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/sbin/{name}", f"/lib/systemd/{name}") if os.path.exists(p)), None)
    if path is None:
        missing(f"{name} is not installed (run ./run-tests as root to install it)")
    return path  # type: ignore[return-value]


def require_netns() -> None:
    if os.geteuid() != 0:
        missing("network namespaces need root")
    require_tool("ip")


def unique_name(prefix: str) -> str:
    """A namespace or link name no other test run will pick (at most 15 characters)."""
    return f"{prefix}{uuid.uuid4().hex[:8]}"[:15]


def run(*argv: str, check: bool = True, timeout: float = 30, **kw) -> subprocess.CompletedProcess:
    """Run a command (argv list, never a shell) and capture text output."""
    return subprocess.run(argv, check=check, capture_output=True, text=True, timeout=timeout, **kw)


@contextlib.contextmanager
def netns(prefix: str = "nost") -> Iterator[str]:
    """A fresh network namespace with lo up, deleted afterwards even on failure."""
    require_netns()
    name = unique_name(prefix)
    run("ip", "netns", "add", name)
    try:
        run("ip", "-n", name, "link", "set", "lo", "up")
        yield name
    finally:
        for pid in run("ip", "netns", "pids", name, check=False).stdout.split():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), 9)
        run("ip", "netns", "del", name, check=False)
