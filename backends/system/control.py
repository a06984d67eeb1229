"""The live half of the system driver: the running host name."""
from __future__ import annotations

from ..contract import Context
from .compiler import HOSTNAME, checked_name


def reload(ctx: Context) -> None:
    """Set the running host name when etc/hostname changed (and the target allows it)."""
    if HOSTNAME in ctx.changed and ctx.target.sets_hostname:
        ctx.run("hostname", checked_name(ctx.new.value("system", "host-name") or "vyos"))
