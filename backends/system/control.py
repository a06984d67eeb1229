"""The live half of the system driver: the running host name, the local time zone link."""
from __future__ import annotations

import os
from pathlib import Path

from nos_shell.errors import CommitError
from nos_shell.schema import zones

from ..contract import Context
from .compiler import HOSTNAME, TIMEZONE, checked_name

LOCALTIME = "etc/localtime"
UTC = "Etc/UTC"


def link_localtime(link: Path, zone: str) -> None:
    """Point ``link`` at zone ``zone``'s database file, replacing what was there at once
    (a new link beside it, renamed over it)."""
    found = zones.zone_file(zone)
    if found is None:
        raise CommitError(f'Time zone "{zone}" is not in the time zone database')
    temporary = link.with_name(f".{link.name}.nos-shell")
    try:
        temporary.unlink(missing_ok=True)
        os.symlink(found, temporary)
        os.replace(temporary, link)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise CommitError(f"cannot link {link} to {found}: {exc.strerror}") from None


def reload(ctx: Context) -> None:
    """Set the running host name when etc/hostname changed (and the target allows it);
    link etc/localtime to the time zone when etc/timezone changed or went away."""
    if HOSTNAME in ctx.changed and ctx.target.sets_hostname:
        ctx.run("hostname", checked_name(ctx.new.value("system", "host-name") or "vyos"))
    if TIMEZONE in ctx.changed or TIMEZONE in ctx.removed:
        zone = ctx.new.value("system", "time-zone", default=False) or UTC
        link_localtime(ctx.file(LOCALTIME), zone)
