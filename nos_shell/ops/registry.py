"""The operational commands, collected from the area modules.

Each area module (listed in :func:`areas`) ends with ``COMMANDS``, a tuple of
:class:`~nos_shell.ops.command.OpCommand`, and ``KEYWORDS``, the `?` help of the keywords
it brings. Dispatch (:func:`nos_shell.ops.run`), the `?` help (nos_shell/shell/words.py)
and docs/command-reference.md (nos_shell/ops/docgen.py) all read this one table. Area
modules import their heavy libraries inside the handlers, so loading them is cheap.
"""
from __future__ import annotations

from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import NosError
from .command import OpCommand

if TYPE_CHECKING:
    from ..commands import Command
    from ..session import Session
    from ..streams import Stream


def areas() -> tuple[ModuleType, ...]:
    """The area modules, in the order their commands are listed."""
    from . import (configuration, counters, dhcp, interfaces, log, nat, neighbors, routes, system, tools, traffic,
                   version)
    from .bgp import rib, summary

    return (configuration, version, system, interfaces, counters, routes, neighbors, summary, rib, nat, dhcp, log,
            traffic, tools)


@lru_cache(maxsize=1)
def table() -> dict[str, OpCommand]:
    """Grammar alias -> command, for every area; a name registered twice is a bug."""
    found: dict[str, OpCommand] = {}
    for area in areas():
        for command in area.COMMANDS:
            if command.name in found:
                raise ValueError(f"operational command {command.name} is registered twice")
            found[command.name] = command
    return found


@lru_cache(maxsize=1)
def keyword_help() -> tuple[dict[str, str], dict[tuple[str, str], str], dict[str, str]]:
    """The areas' keyword help: (first words, (before, word) pairs, words anywhere). Two
    areas may share a keyword only with the same text."""
    first: dict[str, str] = {}
    after: dict[tuple[str, str], str] = {}
    anywhere: dict[str, str] = {}
    for area in areas():
        for key, text in area.KEYWORDS.items():
            if isinstance(key, str):
                into, at = anywhere, key
            elif key[0] is None:
                into, at = first, key[1]
            else:
                into, at = after, key
            if into.get(at, text) != text:
                raise ValueError(f"keyword {key!r} has two different help texts")
            into[at] = text
    return first, after, anywhere


def dispatch(session: "Session", command: "Command") -> "str | Stream":
    """Run ``command`` with its registered handler."""
    entry = table().get(command.name)
    if entry is None:
        raise NosError(f"'{command.name.replace('_', ' ')}' is not available in this version of nos-shell")
    if entry.admin_only and session.level != "admin":
        raise NosError(f"Permission denied: operator-level users cannot {entry.admin_only}")
    return entry.handler(session, command)
