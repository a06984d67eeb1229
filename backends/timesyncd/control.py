"""The live half of the timesyncd driver: restart the host's timesyncd for a new drop-in."""
from __future__ import annotations

from pathlib import Path

from ..contract import Context
from .compiler import DROP_IN, stale

NOT_SERVED = ("service ntp allow-client: this router does not serve time (systemd-timesyncd is an "
              "NTP client only); the clients allowed there must use another NTP server")


def reload(ctx: Context) -> None:
    """Restart timesyncd on the live host when its drop-in changed; say, once per commit
    that adds or changes `allow-client`, that its clients are not served."""
    if stale(ctx.old, ctx.new):
        ctx.notes.append(NOT_SERVED)
    if DROP_IN not in ctx.changed and DROP_IN not in ctx.removed:
        return
    if ctx.target.root == Path("/") and not ctx.target.exec_prefix:
        ctx.run("systemctl", "try-restart", "systemd-timesyncd.service", check=False)
