"""The operational commands, collected from the area modules.

Each area module (listed in :data:`AREAS`) ends with ``COMMANDS``, a tuple of
:class:`~nos_shell.ops.command.OpCommand`, and ``KEYWORDS``, the `?` help of the keywords
it brings. Dispatch (:func:`nos_shell.ops.run`), the `?` help (nos_shell/shell/words.py)
and docs/command-reference.md (nos_shell/ops/docgen.py) all read this one table. Areas are
loaded when first needed (dispatch stops at the command's own area), and import their
heavy libraries inside the handlers.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import NosError
from .command import OpCommand

if TYPE_CHECKING:
    from ..commands import Command
    from ..session import Session
    from ..streams import Stream


#: the area modules (in nos_shell/ops/), in the order their commands are listed
AREAS = ("configuration", "version", "system", "interfaces", "counters", "routes", "neighbors", "bgp.summary",
         "bgp.rib", "nat", "firewall", "dhcp", "log", "traffic", "tools")

_index: dict[str, OpCommand] = {}      # the commands of the areas loaded so far
_loaded: list[str] = []


def _load(area: str) -> ModuleType:
    module = import_module(f"{__package__}.{area}")
    if area not in _loaded:
        for command in module.COMMANDS:
            if command.name in _index:
                raise ValueError(f"operational command {command.name} is registered twice")
            _index[command.name] = command
        _loaded.append(area)
    return module


def areas() -> tuple[ModuleType, ...]:
    """Every area module, loaded."""
    return tuple(_load(area) for area in AREAS)


def table() -> dict[str, OpCommand]:
    """Grammar alias -> command, for every area (a name registered twice is a bug)."""
    areas()
    return _index


def find(name: str) -> OpCommand | None:
    """The command called ``name``, loading areas in order only until its own (a one-shot
    `nos-shell -c` loads one or two)."""
    for area in AREAS:
        if name in _index:
            break
        _load(area)
    return _index.get(name)


def reset() -> None:
    """Forget the loaded areas (for tests that change an area's table)."""
    _index.clear()
    _loaded.clear()
    keyword_help.cache_clear()


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
    entry = find(command.name)
    if entry is None:
        raise NosError(f"'{command.name.replace('_', ' ')}' is not available in this version of nos-shell")
    if entry.admin_only and session.level != "admin":
        raise NosError(f"Permission denied: operator-level users cannot {entry.admin_only}")
    return entry.handler(session, command)
