"""The live half of the sysctl driver: load the drop-in, and say what `system option`
settings are accepted without effect."""
from __future__ import annotations

from pathlib import Path

from nos_shell.config.tree import ConfigTree

from ..contract import Context
from .compiler import PATH, ignored, settings

PER_NAMESPACE = "net."
"""Keys below this prefix belong to a network namespace; the others are the host's."""


def _live_host(ctx: Context) -> bool:
    return ctx.target.root == Path("/") and not ctx.target.exec_prefix


def reload(ctx: Context) -> None:
    """Load the drop-in when it changed: on the live host with ``sysctl -p``; on a router
    reached through an exec prefix (a namespace lab) only its network keys, with ``sysctl
    -w``, since the others would change the machine that hosts it. As VyOS, a key the
    kernel refuses does not fail the commit; it is reported. A root other than / without an
    exec prefix has no router of its own (its programs would run on this machine): nothing
    is loaded there."""
    if PATH in ctx.changed and (_live_host(ctx) or ctx.target.exec_prefix):
        if _live_host(ctx):
            result = ctx.run("sysctl", "-e", "-q", "-p", str(ctx.file(PATH)), check=False)
        else:
            pairs = settings(ctx.new)
            mine = [f"{key}={value}" for key, value in pairs if key.startswith(PER_NAMESPACE)]
            result = ctx.run("sysctl", "-e", "-q", "-w", *mine, check=False) if mine else None
            left = [key for key, _ in pairs if not key.startswith(PER_NAMESPACE)]
            if left:
                ctx.notes.append(f"system sysctl: not set on this router's host: {', '.join(left)} "
                                 "(only net.* keys belong to its network namespace)")
        if result is not None and result.returncode != 0:
            detail = "; ".join((result.stderr or result.stdout).strip().splitlines()[-3:])
            ctx.notes.append(f"Warning: system sysctl: the kernel refused a parameter: {detail}")
    names = ignored(ctx.new)
    if names and names != ignored(ctx.old):
        ctx.notes.append(f"system option: {', '.join(names)} accepted and ignored "
                         "(no effect on this router: docs/vyos-system.md)")


def stale(old: ConfigTree, new: ConfigTree) -> bool:
    """A reload without a file change: the ignored options changed (their note)."""
    names = ignored(new)
    return bool(names) and names != ignored(old)
