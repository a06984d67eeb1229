"""Backends: plain modules that turn a verified tree into files, listed in one dict.

Each backend module provides:

- ``verify(tree) -> list[Problem]``: cross-node rules for its area (pure);
- ``compile(tree) -> dict[PurePosixPath, bytes]``: generated files, paths relative to the root (pure);

and the apply layer decides how to check and reload what changed.
"""
from __future__ import annotations

BACKENDS: dict[str, str] = {}
"""Backend name -> module name under nos_shell.backends (imported lazily)."""
