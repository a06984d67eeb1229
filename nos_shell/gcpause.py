"""Cyclic garbage collection held off while a batch builds a large configuration.

A command file of thousands of `set` lines and its one commit, or a commit compiling,
planning and writing thousands of files, make hundreds of thousands of objects (tree
nodes, models, unit files, the manifest's records) beside a large configuration tree;
the collector keeps walking them and finds nothing to free (about 4% of a large commit's
CPU; 35 ms of a 45 ms manifest parse). Reference counting still frees everything at once,
so only reference cycles wait, and the collector runs again as usual after the block.
Used by session.py (a command file) and apply (compile, plan, write).
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block (nested blocks join the outer one)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


__all__ = ["paused"]
