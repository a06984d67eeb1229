"""Operational-mode commands, one module per area (registered in nos_shell/ops/registry.py).

:func:`run` is what Session calls for an operational command (also after ``run`` in
configuration mode).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..commands import Command
    from ..session import Session
    from ..streams import Stream


def run(session: "Session", command: "Command") -> "str | Stream":
    """The output of the operational ``command`` (a Stream when it comes over time)."""
    from .registry import dispatch

    return dispatch(session, command)
