"""The SSH server's host key: where it lives under the root, reading it, replacing it
(`generate ssh server-key` uses this without importing the server)."""
from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncssh

log = logging.getLogger("nos_shell.ssh")

HOST_KEY = Path("var/lib/nos-shell/ssh/ssh_host_ed25519_key")
OLD_HOST_KEY = Path("etc/nos-shell/ssh_host_ed25519_key")   # before 0.2: moved on first start


def host_key_path(root: Path) -> Path:
    """ROOT/var/lib/nos-shell/ssh/...: out of the folder SSH users may `save` into. A key
    at the old place (ROOT/etc/nos-shell/) is moved there, so clients keep trusting it."""
    path, old = root / HOST_KEY, root / OLD_HOST_KEY
    if not path.exists() and old.is_file() and not old.is_symlink():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        for name in (old.name + ".pub", old.name):      # the private key last: it decides
            with contextlib.suppress(FileNotFoundError):
                os.replace(old.with_name(name), path.with_name(name))
        log.info("moved host key %s to %s", old, path)
    return path


def load_host_key(path: Path) -> "asyncssh.SSHKey":
    """The server's ed25519 host key, generated (mode 0600) on first use and kept."""
    import asyncssh

    if path.exists():
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)
        return asyncssh.read_private_key(str(path))
    key = write_host_key(path)
    log.info("generated host key %s", path)
    return key


def write_host_key(path: Path) -> "asyncssh.SSHKey":
    """A new ed25519 host key at ``path`` (0600, in a 0700 folder) and its ``.pub``, each
    replaced atomically (also what `generate ssh server-key` does)."""
    import asyncssh

    from ..fsutil import atomic_write

    key = asyncssh.generate_private_key("ssh-ed25519", comment="nos-shell host key")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write(path, key.export_private_key(), mode=0o600)
    atomic_write(path.with_name(path.name + ".pub"), key.export_public_key(), mode=0o644)
    return key
