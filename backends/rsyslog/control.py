"""The live half of the rsyslog driver: the drop-in checked by rsyslogd, rsyslog restarted."""
from __future__ import annotations

from pathlib import Path

from ..contract import Context, Staged
from .compiler import PATH


def checks(staged: Staged) -> list[list[str]]:
    """``rsyslogd -N1 -f FILE``: rsyslog's own check of the staged drop-in."""
    return [["rsyslogd", "-N1", "-f", str(staged[PATH])]] if PATH in staged else []


def reload(ctx: Context) -> None:
    """Restart the host's rsyslog when the drop-in changed or went away (rsyslog is a host
    service, not one per network namespace: only on the live root without an exec prefix)."""
    if PATH not in ctx.changed and PATH not in ctx.removed:
        return
    if ctx.target.root == Path("/") and not ctx.target.exec_prefix:
        ctx.run("systemctl", "try-restart", "rsyslog.service", check=False)
