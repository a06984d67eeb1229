"""Helpers for the SSH tests (no tests here): a root with users, and `nos-shell ssh-server`
running on 127.0.0.1 with a free port, one server per test module.

Users of the root made by :func:`make_root`:

- ``vyos`` / ``vyos``: admin (the default user);
- ``alice`` / ``alice-secret``: admin;
- ``keyuser``: admin, public key only (private key in ``keyfile``);
- ``oper`` / ``oper-secret``: operator level.
"""
from __future__ import annotations

import contextlib
import importlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lab import missing, terminate

HOST = "127.0.0.1"
PASSWORDS = {"vyos": "vyos", "alice": "alice-secret", "oper": "oper-secret"}


@dataclass
class Server:
    root: Path
    port: int
    keyfile: Path
    log: Path
    process: subprocess.Popen

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def require(module: str):
    """Import a client library; a missing one fails under CI=true and skips elsewhere."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        missing(f"{module} is not installed (pip install -e '.[test]'): {exc}")


def make_root(root: Path) -> Path:
    """Configure the users and a little configuration; returns the private key file."""
    import asyncssh

    from nos_shell import Session

    key = asyncssh.generate_private_key("ssh-ed25519", comment="keyuser@test")
    keyfile = root.parent / f"{root.name}-id_ed25519"
    keyfile.write_bytes(key.export_private_key())
    keyfile.chmod(0o600)
    blob = key.export_public_key().decode().split()[1]
    session = Session(root, user="setup", via="api")
    script = ["configure",
              "set system host-name r1",
              "set system login user alice authentication plaintext-password 'alice-secret'",
              "set system login user keyuser authentication public-keys keyuser@test type ssh-ed25519",
              f"set system login user keyuser authentication public-keys keyuser@test key {blob}",
              "set system login user oper authentication plaintext-password 'oper-secret'",
              "set system login user oper level operator",
              "set interfaces ethernet eth0 description 'uplink'",
              "commit", "save", "exit"]
    for line in script:
        result = session.run(line)
        assert result.ok, (line, result.output)
    return keyfile


@contextlib.contextmanager
def running_server(root: Path, keyfile: Path, *extra: str) -> Iterator[Server]:
    log = root.parent / f"{root.name}-ssh-server.log"
    with open(log, "wb") as handle:
        process = subprocess.Popen([sys.executable, "-m", "nos_shell", "--root", str(root), "ssh-server",
                                    "--listen", HOST, "--port", "0", *extra],
                                   stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT)
    try:
        port = wait_for_port(log, process)
        yield Server(root, port, keyfile, log, process)
    finally:
        terminate(process)


def wait_for_port(log: Path, process: subprocess.Popen, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = re.search(r"listening on 127\.0\.0\.1:(\d+)", log.read_text(errors="replace"))
        if m:
            return int(m.group(1))
        if process.poll() is not None:
            raise AssertionError(f"ssh-server exited with {process.returncode}:\n{log.read_text()}")
        time.sleep(0.05)
    raise AssertionError(f"ssh-server did not start:\n{log.read_text()}")


@pytest.fixture(scope="module")
def ssh_server(tmp_path_factory) -> Iterator[Server]:
    """One server per test module on a fresh root."""
    root = tmp_path_factory.mktemp("sshroot") / "root"
    keyfile = make_root(root)
    with running_server(root, keyfile) as server:
        yield server


def fresh_env(tmp: Path) -> dict[str, str]:
    """Environment for client programs: no agent, a private HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SSH_")}
    env["HOME"] = str(tmp)
    return env
