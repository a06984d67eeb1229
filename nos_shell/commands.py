"""Parsing typed lines into commands (placeholder; the Lark grammar replaces split_words)."""
from __future__ import annotations

import shlex


def split_words(line: str) -> list[str]:
    return shlex.split(line)
