"""Running PowerDNS Recursor for the apply layer: check, start, reload, stop.

Every program runs through ``ctx.run`` (the target's exec prefix: the router's network and
mount namespaces). Paths:

- settings: ``ctx.file(compiler.CONF)``, read as ``--config-dir`` DIR ``--config-name=nos-shell``;
- control socket directory: the target's ``pdns-socket-dir`` (default
  ``/run/pdns-recursor-nos-shell``), where ``rec_control`` finds the daemon;
- pid file ``ROOT/run/nos-shell/pdns-recursor.pid``, log ``ROOT/var/log/nos-shell/pdns-recursor.log``.

:func:`reload` (the driver always runs; it acts only when its file changed or went away):

- the file was removed (`service dns forwarding` deleted): the recursor is stopped
  (``rec_control quit-nicely``, then SIGTERM by pid file if it does not go);
- not running: it is started in the foreground, detached by :mod:`nos_shell.live.daemon`
  (no systemd needed, as in a namespace lab), dropping to the ``pdns`` user of Debian's
  package, and must answer ``rec_control ping``;
- running, and only who may ask, where it forwards or the cache size changed:
  ``rec_control reload-acls``, ``reload-zones`` and ``set-max-cache-entries`` (the cache and
  the process are kept); a changed listen address restarts it, and so does a reload the
  recursor refuses (it re-reads its file as ``pdns``, which may not reach it).

The package's own ``pdns-recursor.service`` (listening on 127.0.0.1) is not used; run-tests
disables it when installing the package on a host run by systemd.
"""
from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from nos_shell.errors import CommitError

from ..contract import Context, Staged
from .compiler import CONF, CONFIG_NAME, system_warning
from .model import read

if TYPE_CHECKING:
    from nos_shell.apply.target import Target

SOCKET_KEY = "pdns-socket-dir"
SOCKET_DIR = "/run/pdns-recursor-nos-shell"
"""Where the control socket lives, unless the target's apply.toml sets ``pdns-socket-dir``."""
PIDFILE = "run/nos-shell/pdns-recursor.pid"
LOGFILE = "var/log/nos-shell/pdns-recursor.log"
PROGRAM = "pdns_recursor"


def checks(staged: Staged) -> list[list[str]]:
    """The recursor's own check of the new file (``--config=check``: syntax and setting names)."""
    if CONF not in staged:
        return []
    return [[PROGRAM, f"--config-dir={staged[CONF].parent}", f"--config-name={CONFIG_NAME}",
             "--config=check"]]


def rec_control(target: Target, *args: str) -> tuple[str, ...]:
    """The rec_control command line for the target's socket directory."""
    return ("rec_control", f"--socket-dir={target.setting(SOCKET_KEY, SOCKET_DIR)}",
            f"--config-name={CONFIG_NAME}", *args)


def running(ctx: Context) -> bool:
    """The recursor answers on its control socket."""
    try:
        return ctx.run(*rec_control(ctx.target, "ping"), check=False, timeout=10).returncode == 0
    except CommitError:          # rec_control missing or hanging
        return False


def _pid(ctx: Context) -> str | None:
    """The pid in the pid file if that process is still the recursor."""
    try:
        pid = ctx.file(PIDFILE).read_text().strip()
    except OSError:
        return None
    if not pid.isdigit():
        return None
    result = ctx.run("cat", f"/proc/{pid}/cmdline", check=False, timeout=10)
    return pid if result.returncode == 0 and PROGRAM in result.stdout else None


def _log_tail(ctx: Context) -> list[str]:
    try:
        return ctx.file(LOGFILE).read_text(errors="replace").splitlines()[-3:]
    except OSError:
        return []


def start(ctx: Context) -> None:
    sockets = ctx.target.setting(SOCKET_KEY, SOCKET_DIR)
    ctx.run("mkdir", "-p", sockets)
    ctx.run(sys.executable, "-m", "nos_shell.live.daemon", "--pidfile", str(ctx.file(PIDFILE)),
            "--log", str(ctx.file(LOGFILE)), "--", PROGRAM, f"--config-dir={ctx.file(CONF).parent}",
            f"--config-name={CONFIG_NAME}", f"--socket-dir={sockets}", "--daemon=no", "--write-pid=no",
            "--disable-syslog=yes", "--setuid=pdns", "--setgid=pdns")
    deadline = time.monotonic() + 15
    while not running(ctx):
        if _pid(ctx) is None:
            raise CommitError("PowerDNS Recursor exited at start", *_log_tail(ctx))
        if time.monotonic() > deadline:
            raise CommitError(f"PowerDNS Recursor does not answer on {sockets}", *_log_tail(ctx))
        time.sleep(0.05)
    ctx.notes.append("DNS forwarding: started PowerDNS Recursor")


def stop(ctx: Context) -> None:
    """Stop the recursor if it runs (quit-nicely, else SIGTERM, else SIGKILL)."""
    pid = _pid(ctx)
    if running(ctx):
        ctx.run(*rec_control(ctx.target, "quit-nicely"), check=False, timeout=10)
    elif pid is None:
        return
    for signal in ("", "-TERM", "-KILL"):
        if signal and pid is not None:
            ctx.run("kill", signal, pid, check=False)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if _pid(ctx) is None and not running(ctx):
                ctx.notes.append("DNS forwarding: stopped PowerDNS Recursor")
                return
            time.sleep(0.05)
    raise CommitError("PowerDNS Recursor did not stop")


def _listen_changed(ctx: Context) -> bool:
    old, new = read(ctx.old), read(ctx.new)
    return old is None or new is None or old.listen != new.listen


def reload(ctx: Context) -> None:
    """Start, reload or stop the recursor for its changed file (see the module docstring)."""
    if CONF in ctx.removed:
        stop(ctx)
        return
    warning = system_warning(ctx.new)
    if warning:
        ctx.notes.append(warning)
    if not running(ctx):
        start(ctx)
    elif CONF in ctx.changed and _listen_changed(ctx):
        stop(ctx)
        start(ctx)
    elif CONF in ctx.changed and not _reloaded(ctx):
        stop(ctx)
        start(ctx)


def _reloaded(ctx: Context) -> bool:
    """Who may ask, forward zones and cache size taken over by the running recursor; False
    (with a note) when it could not re-read its file (it reads it as ``pdns`` then)."""
    fwd = read(ctx.new)
    assert fwd is not None
    for args in (("reload-acls",), ("reload-zones",), ("set-max-cache-entries", str(fwd.cache_size))):
        result = ctx.run(*rec_control(ctx.target, *args), check=False)
        if result.returncode != 0:
            said = " ".join((result.stdout + result.stderr).split())[:200]
            ctx.notes.append(f"DNS forwarding: rec_control {args[0]} failed ({said}); restarting")
            return False
    return True
