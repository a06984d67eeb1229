"""Small helpers for programs and tests that build trees from text."""
from __future__ import annotations

from .config.tree import ConfigTree


def tree_from_commands(text: str) -> ConfigTree:
    """A tree from `set ...` lines (blank lines and `#` comments, whole-line or inline, ignored).

    Raises the first :class:`~nos_shell.errors.NosError` a line causes.
    """
    from .commands import is_blank, split_words

    tree = ConfigTree()
    for line in text.split("\n"):
        if is_blank(line):
            continue
        words = split_words(line)
        if words[0] == "set":
            tree.set(words[1:])
        elif words[0] == "delete":
            tree.delete(words[1:])
        else:
            raise ValueError(f"not a set/delete line: {line}")
    return tree
