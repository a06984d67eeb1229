"""Per-user command history under the root: ``ROOT/var/lib/nos-shell/history/USER``.

Secrets never reach the history file: the value after a password or private key
(`plaintext-password`, `password`, `private-key`, `preshared-key`, also abbreviated) is
replaced by ``********`` in the file and in the in-memory history.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from prompt_toolkit.history import FileHistory

from ..schema import SCHEMA, SchemaNode
from .context import NAME, VALUE, analyze

HISTORY_DIR = Path("var/lib/nos-shell/history")
MASK = "********"


def _secret_names(node: SchemaNode, out: set[str]) -> set[str]:
    for child in node.children.values():
        if child.hash_into or child.name in ("password", "private-key", "preshared-key"):
            out.add(child.name)
        _secret_names(child, out)
    return out


SECRET_NAMES = frozenset(_secret_names(SCHEMA, set()))


def history_path(root: Path | str, user: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.@-]", "_", user) or "_"
    if safe.startswith("."):
        safe = "_" + safe
    return Path(root) / HISTORY_DIR / safe


def redact(line: str, mode: str = "conf", edit_path: tuple[str, ...] = ()) -> str:
    """``line`` with the values of secret leaves masked."""
    words = analyze(line, mode, edit_path).words
    out, pos = [], 0
    for before, word in zip(words, words[1:]):
        if before.role == NAME and before.text in SECRET_NAMES and word.role == VALUE:
            out.append(line[pos:word.start] + MASK)
            pos = word.end
    return "".join(out) + line[pos:]


class RedactingFileHistory(FileHistory):
    """FileHistory that masks secrets and keeps the file private (mode 0600)."""

    def __init__(self, filename: Path | str, context: Callable[[], tuple[str, tuple[str, ...]]]):
        path = Path(filename)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        # a file or folder made by an older version (or by hand) may be readable by others
        for item, mode in ((path.parent, 0o700), (path, 0o600)):
            if item.stat().st_mode & 0o077:
                os.chmod(item, mode)
        self.context = context
        super().__init__(str(path))

    def append_string(self, string: str) -> None:
        mode, edit_path = self.context()
        super().append_string(redact(string, mode, edit_path))


def open_history(session) -> RedactingFileHistory | None:
    """The session user's history file, or None when it cannot be created."""
    try:
        return RedactingFileHistory(history_path(session.store.root, session.user),
                                    lambda: (session.mode, tuple(session.edit_path)))
    except OSError:
        return None
