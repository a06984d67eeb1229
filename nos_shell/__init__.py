"""nos-shell: a VyOS-style router shell for Linux.

The public API is :class:`Session` (see docs/python-api.md); it is imported lazily so
that `import nos_shell` stays cheap.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__
__all__ = ["Session", "Result", "ConfigTree", "NosError", "tree_from_commands", "__version__"]

if TYPE_CHECKING:
    from .api import tree_from_commands
    from .config.tree import ConfigTree
    from .errors import NosError
    from .session import Result, Session

_LAZY = {"Session": "session", "Result": "session", "ConfigTree": "config.tree", "NosError": "errors",
         "tree_from_commands": "api"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)
