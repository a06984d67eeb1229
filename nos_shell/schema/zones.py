"""The `system time-zone` value: a name from the time zone database (tzdata).

A value loaded from a file need only have the shape of a zone name (so a configuration
still loads on a host whose database lacks it); a value being set, and verify, also
require the zone to exist: a TZif file under one of Python's ``zoneinfo.TZPATH``
directories (Debian: /usr/share/zoneinfo). One file is looked at per name, once per
process; ``zoneinfo.available_timezones()`` would read all 600 (half a second).
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from .types import ValueType

_SHAPE = re.compile(r"[A-Za-z0-9_+\-]{1,30}(?:/[A-Za-z0-9_+\-]{1,30}){0,3}", re.ASCII)
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
"""Files in the database directory that are not zones to choose (``localtime`` may even
be a link to /etc/localtime)."""
_COPIES = ("posix", "right")
"""Sub-trees that repeat the zones (``right/`` with leap seconds, unsuitable for a clock)."""
MESSAGE = "Time zone must be a name from the time zone database, e.g. UTC or Europe/Berlin"


def shaped(value: str) -> bool:
    """Whether ``value`` looks like a zone name (letters, digits, ``_ + -``, up to 4 parts)."""
    return bool(_SHAPE.fullmatch(value)) and value not in _NOT_ZONES \
        and value.split("/", 1)[0] not in _COPIES


@functools.lru_cache(maxsize=256)
def zone_file(value: str) -> Path | None:
    """The database file of zone ``value`` (a TZif file), or None when there is none."""
    if not shaped(value):
        return None
    import zoneinfo

    for base in zoneinfo.TZPATH:
        path = Path(base) / value
        try:
            with open(path, "rb") as handle:
                if handle.read(4) == b"TZif":
                    return path
        except OSError:
            continue
    return None


class TimeZone(ValueType):
    """A zone name: shaped like one when loaded, present in the database when set."""

    placeholder: str = "<timezone>"
    help: str = "Time zone name, e.g. UTC, Europe/Berlin, America/New_York"

    def check(self, value: str) -> None:
        if not shaped(value):
            raise ValueError(MESSAGE)

    def check_set(self, value: str) -> None:
        if zone_file(value) is None:
            raise ValueError(MESSAGE)


TIME_ZONE = TimeZone()
