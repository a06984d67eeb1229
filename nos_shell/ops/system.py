"""System views and actions: uptime, memory, CPU, storage, date, users, NTP, host name,
terminal settings, `restart SERVICE` and `generate ssh server-key`.

Uptime, memory and CPU are the kernel's (the same in every namespace of a machine) and are
read from /proc here; storage is what ``df`` sees in the router's context. NTP status comes
from ``timedatectl timesync-status`` there (systemd-timesyncd, which nos-shell configures).
"""
from __future__ import annotations

import ipaddress
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NosError
from .command import KeywordHelp, OpCommand
from .context import router, run, simple_table

if TYPE_CHECKING:
    from ..commands import Command
    from ..session import Session


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError as exc:
        raise NosError(f"Cannot read {path}: {exc.strerror or exc}") from None


def duration(seconds: int) -> str:
    """`3d 4h 5m 6s`, leaving out leading zero units."""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")]
    while len(parts) > 1 and parts[0][0] == 0:
        parts.pop(0)
    return " ".join(f"{value}{unit}" for value, unit in parts)


def uptime() -> str:
    seconds = int(float(_read("/proc/uptime").split()[0]))
    loads = _read("/proc/loadavg").split()[:3]
    cpus = os.cpu_count() or 1
    percent = [f"{float(load) / cpus * 100:.1f}%" for load in loads]
    return (f"Uptime: {duration(seconds)}\n\nLoad averages:\n"
            f"1  minute:   {percent[0]}\n5  minutes:  {percent[1]}\n15 minutes:  {percent[2]}\n")


def _human(kib: int) -> str:
    value = float(kib) * 1024
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.1f} {unit}" if unit != "B" else f"{int(value)} B"
        value /= 1024
    return f"{value:.1f} TB"


def memory() -> str:
    info = {}
    for line in _read("/proc/meminfo").splitlines():
        key, _, value = line.partition(":")
        if value.split():
            info[key] = int(value.split()[0])
    total, available = info.get("MemTotal", 0), info.get("MemAvailable", info.get("MemFree", 0))
    used = total - available
    return (f"Total: {_human(total)}\nFree:  {_human(available)}\nUsed:  {_human(used)}"
            f" ({used * 100 // max(total, 1)}%)\n")


def cpu() -> str:
    models: dict[str, int] = {}
    vendor, mhz = "", ""
    for block in _read("/proc/cpuinfo").split("\n\n"):
        fields = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in block.splitlines())}
        if "processor" not in fields:
            continue
        name = fields.get("model name") or fields.get("Model") or fields.get("cpu model") or "unknown"
        models[name] = models.get(name, 0) + 1
        vendor = vendor or fields.get("vendor_id", "")
        mhz = mhz or fields.get("cpu MHz", "")
    lines = [f"CPU(s):            {sum(models.values()) or os.cpu_count()}"]
    if vendor:
        lines.append(f"Vendor ID:         {vendor}")
    lines += [f"Model name:        {name}" + (f" (x{count})" if len(models) > 1 else "")
              for name, count in models.items()]
    if mhz:
        lines.append(f"CPU MHz:           {mhz}")
    return "\n".join(lines) + "\n"


def storage(session: "Session") -> str:
    target = router(session, "storage")
    return run(target, ["df", "-h", "-x", "tmpfs", "-x", "devtmpfs", "-x", "overlay", "/"], check=False).stdout \
        or run(target, ["df", "-h", "/"]).stdout


def show_system_view(session: "Session", command: "Command") -> str:
    view = command.opts["view"]
    if view == "storage":
        return storage(session)
    return {"uptime": uptime, "memory": memory, "cpu": cpu}[view]()


def show_date(session: "Session", command: "Command") -> str:
    return time.strftime("%a %d %b %Y %H:%M:%S %Z") + "\n"


def show_users(session: "Session", command: "Command") -> str:
    from ..logins import logins

    found = logins(session.store.root)
    if not found:
        return "No users are logged in to nos-shell\n"
    rows = [(e.user, e.via, e.tty, e.peer, e.since, str(e.pid)) for e in found]
    return simple_table(("User", "Via", "TTY", "From", "Login time", "PID"), rows)


TIMESYNC = ("org.freedesktop.timesync1", "/org/freedesktop/timesync1", "org.freedesktop.timesync1.Manager")


def show_ntp(session: "Session", command: "Command") -> str:
    """systemd-timesyncd's state from D-Bus (timedatectl refuses to run without systemd as
    PID 1, which a namespace router does not have)."""
    import json

    target = router(session, "NTP client")
    result = run(target, ["busctl", "--json=short", "call", TIMESYNC[0], TIMESYNC[1],
                          "org.freedesktop.DBus.Properties", "GetAll", "s", TIMESYNC[2]], check=False)
    if result.returncode != 0:
        reason = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no answer"]
        return f"NTP (systemd-timesyncd) is not running in the router's context: {reason[0]}\n"
    try:
        props = {k: v.get("data") for k, v in json.loads(result.stdout)["data"][0].items()}
    except (ValueError, KeyError, IndexError, AttributeError):
        raise NosError("busctl: unreadable answer from systemd-timesyncd") from None
    return ntp_text(props)


def ntp_text(props: dict) -> str:
    """timesyncd's properties in the layout of `timedatectl timesync-status`."""
    def servers(key: str) -> str:
        return " ".join(props.get(key) or []) or "-"

    server = props.get("ServerName") or "-"
    address = props.get("ServerAddress") or []
    if isinstance(address, list) and len(address) == 2 and address[1]:
        server += f" ({ipaddress.ip_address(bytes(address[1]))})"
    poll = props.get("PollIntervalUSec") or 0
    rows = [("Server", server), ("Poll interval", duration(int(poll // 1_000_000)) if poll else "-"),
            ("System NTP servers", servers("SystemNTPServers")), ("Link NTP servers", servers("LinkNTPServers")),
            ("Fallback NTP servers", servers("FallbackNTPServers"))]
    message = props.get("NTPMessage")
    if isinstance(message, list) and len(message) > 3 and message[3]:
        rows.append(("Stratum", str(message[3])))
    else:
        rows.append(("Status", "no answer from an NTP server yet"))
    width = max(len(name) for name, _ in rows)
    return "".join(f"{name:>{width}}: {value}\n" for name, value in rows)


# -- actions ----------------------------------------------------------------------------------

def restart_service(session: "Session", command: "Command") -> str:
    from ..apply.target import RESTART_UNITS

    service = command.opts["service"]
    target = router(session, f"{service} service", "restart")
    if not target.live:
        raise NosError(f"{session.store.root} is not live (apply.toml: live = false): nothing to restart")
    unit = _bgp_unit(session) if service == "bgp" else RESTART_UNITS[service]
    argv = target.restart_command(service, unit)
    if not argv:
        raise NosError(f"Restarting {service} is switched off for this root (apply.toml: networkd-restart = [])")
    run(target, argv, timeout=60)
    return f"Restarted {service} ({' '.join(argv)})\n"


def _bgp_unit(session: "Session") -> str:
    """The unit of the BGP driver the running configuration chooses (the area's first, the
    default, when BGP is not configured)."""
    from ..backends import registry

    chosen = registry.active("bgp", session.running) or registry.in_area("bgp")[0]
    if chosen.unit is None:
        raise NosError(f"The {chosen.name} driver names no service to restart")
    return chosen.unit


def generate_ssh_server_key(session: "Session", command: "Command") -> str:
    """A new ed25519 host key for nos-shell's SSH server, replacing the old one atomically."""
    from ..shell.hostkey import host_key_path, write_host_key

    path = host_key_path(session.store.root)
    key = write_host_key(path)
    fingerprint = key.get_fingerprint("sha256")
    return (f"Generated a new SSH host key: {path}\n"
            f"  ssh-ed25519 {fingerprint}\n"
            "The SSH server uses it after a restart ('restart ssh'); clients will see a changed host key.\n")


def show_host_name(session: "Session", command: "Command") -> str:
    return session.hostname + "\n"


def set_terminal(session: "Session", command: "Command") -> str:
    """`set terminal length|width N`, `stty cols N`: kept for automation clients."""
    session.terminal[command.opts.get("setting", "width")] = int(command.words[0])
    return ""


COMMANDS = (
    OpCommand("show_host_name", ("show host name",), show_host_name, "The host name"),
    OpCommand("set_terminal", ("set terminal", "stty cols"), set_terminal, "Accepted for automation clients"),
    OpCommand("show_system_view", ("show system",), show_system_view,
              "Uptime and load, memory, processors or file systems"),
    OpCommand("show_date", ("show date",), show_date, "The date and time"),
    OpCommand("show_users", ("show users",), show_users, "Who is logged in to nos-shell"),
    OpCommand("show_ntp", ("show ntp",), show_ntp, "The NTP client's state"),
    OpCommand("restart_service", ("restart",), restart_service, "Restart a service in the router's context",
              admin_only="restart services"),
    OpCommand("generate_ssh_server_key", ("generate ssh server-key",), generate_ssh_server_key,
              "A new SSH host key (used after `restart ssh`)", admin_only="generate keys"),
)

KEYWORDS: KeywordHelp = {
    (None, "set"): "Set terminal options",
    (None, "stty"): "Set terminal options",
    (None, "restart"): "Restart a service",
    (None, "generate"): "Generate an object",
    ("show", "system"): "Show system information",
    ("system", "uptime"): "Show how long the system has been up and its load",
    ("restart", "ssh"): "Restart the nos-shell SSH server",
    ("restart", "ntp"): "Restart the NTP client (systemd-timesyncd)",
    ("restart", "bgp"): "Restart the BGP daemon (BIRD or GoBGP)",
    ("restart", "networkd"): "Restart systemd-networkd",
    ("generate", "ssh"): "Generate SSH keys",
    "cols": "Terminal width in columns",
    "host": "Show host information",
    "length": "Lines per page",
    "name": "Show the host name",
    "system": "Show system information",
    "terminal": "Terminal settings",
    "width": "Columns per line",
    "cpu": "Show the processors",
    "date": "Show the system date and time",
    "memory": "Show memory use",
    "ntp": "Show the NTP client's state",
    "server-key": "Regenerate the SSH server's host key",
    "storage": "Show file system use",
    "uptime": "Show how long the system has been up and its load",
    "users": "Show who is logged in to nos-shell",
}
